// Computed views: analyses the trainer runs between steps for a panel that asks — the latent
// plane, PCA beside the autoencoder, anomaly detection, the filters' weights. One channel
// carries them all: a panel sets its view's request (UI → trainer, one versioned block); the
// trainer brings every view whose request is active up to date under one time budget
// (RefreshSchedule) and publishes each result in the snapshot, by ViewId. Nothing is
// computed for a closed panel. Adding a view touches the registry (computed_views.cpp) and
// ViewId, never the trainer: see the README, "Adding a computed view".
//
// Requests and results are immutable once handed over (shared_ptr<const …>): any thread.
// ComputedView itself: the trainer thread only.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>

namespace aelab {

class Session;

enum class ViewId { Latent, Filters, Pca, Anomaly, Backprop, ModelFigures, Count };
inline constexpr int kViewCount = int(ViewId::Count);

// What a panel wants. An open panel sends an active request; a closed one, an inactive one.
struct ViewRequest {
    virtual ~ViewRequest() = default;
    virtual bool same_as(const ViewRequest& other) const = 0;
    bool active = false;
    bool operator==(const ViewRequest&) const = default;
};

// Base of a concrete request type T (which defaults its operator==): gives same_as.
template <class T>
struct ViewRequestOf : ViewRequest {
    bool same_as(const ViewRequest& other) const override {
        const T* o = dynamic_cast<const T*>(&other);
        return o && *o == static_cast<const T&>(*this);
    }
};

// What a view publishes; each view derives its own (LatentView, PcaView, …).
struct ViewResult {
    virtual ~ViewResult() = default;
};

// The share of the trainer's time that all open views together may take while training.
inline constexpr double kViewTimeBudget = 0.03;

// What a view reads, on the trainer thread: the run (model, data, probe images, config).
struct ViewInputs {
    const Session& session;
    bool training = false;  // running: spread heavy work out; paused: finish it now
    // This view's part of kViewTimeBudget (split evenly between the open views), for its
    // RefreshSchedule: opening a second heavy panel does not double the cost to training.
    double time_share = kViewTimeBudget;
};

class ComputedView {
public:
    virtual ~ComputedView() = default;
    // Brings the result up to date for an active `request` (of this view's own type) and
    // returns what the snapshot publishes: the same pointer while nothing changed.
    virtual std::shared_ptr<const ViewResult> update(const ViewInputs& in,
                                                     const ViewRequest& request) = 0;
    // A new model or new data: forget everything computed for the old one.
    virtual void reset() = 0;
    // Work under way that the next update continues even if nothing changes (a table filled
    // one row per update): a paused trainer keeps updating an open view while it is busy.
    virtual bool busy() const { return false; }
};

// The registry: the view behind each ViewId.
std::unique_ptr<ComputedView> make_computed_view(ViewId id);

// The time rule every heavy pass follows (a pass over the test set, say). A pass is due when
// none was made yet, or when the model has moved since the last one (another step) and —
// while training — max(min_interval, cost / max_share) has passed since, so the passes take
// at most max_share of the trainer's time (the view's part of the 3 %, ViewInputs). While paused a due pass runs at once (and
// whole: no spreading over calls), and a model that has not moved is never measured twice.
class RefreshSchedule {
public:
    using Clock = std::chrono::steady_clock;
    explicit RefreshSchedule(double min_interval = 1.0, double max_share = kViewTimeBudget)
        : m_min_interval(min_interval), m_max_share(max_share) {}

    bool due(int64_t step, bool training, Clock::time_point now = Clock::now()) const {
        if (!m_done_once) return true;
        if (step == m_step) return false;
        return !training || std::chrono::duration<double>(now - m_done).count() >= interval();
    }
    void done(double cost_seconds, int64_t step, Clock::time_point now = Clock::now()) {
        m_cost = cost_seconds;
        m_step = step;
        m_done = now;
        m_done_once = true;
    }
    double interval() const { return std::max(m_min_interval, m_cost / m_max_share); }
    void set_max_share(double share) { m_max_share = std::max(1e-4, share); }
    double last_cost() const { return m_cost; }
    void reset() { *this = RefreshSchedule(m_min_interval, m_max_share); }

private:
    double m_min_interval, m_max_share;
    double m_cost = 0;
    int64_t m_step = -1;
    Clock::time_point m_done{};
    bool m_done_once = false;
};

}  // namespace aelab
