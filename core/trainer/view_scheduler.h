// The computed views of the trainer: those of the live session, and those of the checkpoint on
// view (the timeline's past step, restored into a session of its own), brought up to date at
// each publication within their time share. A view computed from a model re-reads its shapes
// from the model it is given, and is reset when that model is replaced. Trainer thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/run/computed_view.h"
#include "core/run/session.h"
#include "core/run/snapshot.h"
#include "core/run/timeline.h"

namespace aelab {

class ViewScheduler {
public:
    using Views = std::array<std::unique_ptr<ComputedView>, kViewCount>;  // by ViewId
    using Requests = std::array<std::shared_ptr<const ViewRequest>, kViewCount>;

    // The timeline: every model view shows the checkpoint nearest `step` (-1: the live model)
    // from the next sync() on.
    void show_step(int64_t step) { m_target = step; }
    // Restores the checkpoint asked for from `timeline`, in a session made beside `live` on
    // `data`, seen through today's knobs. Returns why it cannot be shown, if it cannot.
    std::optional<std::string> sync(const Session* live, const Timeline& timeline,
                                    const std::shared_ptr<const Dataset>& data, const Knobs& today);
    void stop_viewing();
    // A new live model: its views start over.
    void reset_live();
    const Session* viewed() const { return m_viewed.get(); }
    Session* viewed() { return m_viewed.get(); }
    // Branching: the checkpoint on view, given its own knobs and then `today`'s (`changes`
    // gets what differs), handed out to become the live session; viewing stops.
    std::unique_ptr<Session> take_viewed(const Knobs& today, std::vector<std::string>& changes);

    // The model views and the open computed views of the session on view (the checkpoint, else
    // `live`) into `s`. `training`: the live model is training (views keep to their share).
    void update(Snapshot& s, Session& live, bool training, const Knobs& today,
                const Requests& requests);
    // No model: nothing under way.
    void idle() { m_busy = false; }
    // An open view has work under way (ComputedView::busy): the trainer must not sleep.
    bool busy() const { return m_busy; }

private:
    void update_views(Snapshot& s, const Session& session, Views& views, bool training,
                      const Requests& requests);

    Views m_live;
    std::unique_ptr<Session> m_viewed;  // the checkpoint on view, restored (null: live)
    Knobs m_viewed_knobs;               // its own knobs (m_viewed runs with the live ones)
    Views m_viewed_views;
    int64_t m_target = -1, m_synced = -1;  // asked for (show_step) and acted on
    bool m_busy = false;
};

}  // namespace aelab
