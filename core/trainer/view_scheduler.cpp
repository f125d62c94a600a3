#include "core/trainer/view_scheduler.h"

#include <algorithm>

namespace aelab {

std::optional<std::string> ViewScheduler::sync(const Session* live, const Timeline& timeline,
                                                const std::shared_ptr<const Dataset>& data,
                                                const Knobs& today) {
    if (m_target == m_synced) return std::nullopt;
    m_synced = m_target;
    const Checkpoint* checkpoint = live && m_target >= 0 ? timeline.nearest(m_target) : nullptr;
    if (!checkpoint) {
        stop_viewing();
        return std::nullopt;
    }
    if (m_viewed && m_viewed->step() == checkpoint->step()) return std::nullopt;
    if (!m_viewed) {
        auto made = Session::create(live->config(), data);
        if (!made) {
            std::string why = "cannot show step " + std::to_string(checkpoint->step()) + ": " + made.error();
            stop_viewing();
            return why;
        }
        m_viewed = std::move(*made);
    }
    m_viewed->set_pool(live->shared_pool());  // the trainer runs them in turn
    m_viewed->restore(*checkpoint);
    m_viewed_knobs = m_viewed->config().knobs;
    // The model as it was, seen through today's knobs (the probe's noise, the target p).
    m_viewed->set_knobs(today);
    for (auto& view : m_viewed_views)
        if (view) view->reset();
    return std::nullopt;
}

void ViewScheduler::stop_viewing() {
    m_viewed.reset();
    for (auto& view : m_viewed_views) view.reset();
    m_target = m_synced = -1;
}

void ViewScheduler::reset_live() {
    for (auto& view : m_live)
        if (view) view->reset();
}

std::unique_ptr<Session> ViewScheduler::take_viewed(const Knobs& today,
                                                    std::vector<std::string>& changes) {
    m_viewed->set_knobs(m_viewed_knobs);  // the checkpoint's own knobs, then today's: the
    changes = m_viewed->set_knobs(today);  // markers say what differs
    std::unique_ptr<Session> taken = std::move(m_viewed);
    stop_viewing();
    return taken;
}

void ViewScheduler::update(Snapshot& s, Session& live, bool training, const Knobs& today,
                           const Requests& requests) {
    if (m_viewed) {
        if (m_viewed->config().knobs != today) m_viewed->set_knobs(today);
        m_viewed->fill_model_views(s);
        update_views(s, *m_viewed, m_viewed_views, /*training=*/false, requests);
    } else {
        live.fill_model_views(s);
        update_views(s, live, m_live, training, requests);
    }
}

void ViewScheduler::update_views(Snapshot& s, const Session& session, Views& views, bool training,
                                 const Requests& requests) {
    int open_views = 0;
    for (int v = 0; v < kViewCount; ++v) open_views += requests[v] && requests[v]->active;
    const ViewInputs inputs{session, training, kViewTimeBudget / std::max(1, open_views)};
    m_busy = false;
    for (int v = 0; v < kViewCount; ++v) {
        if (requests[v] && requests[v]->active && !views[v]) views[v] = make_computed_view(ViewId(v));
        const bool open = views[v] && requests[v] && requests[v]->active;
        s.model.computed[v] = open ? views[v]->update(inputs, *requests[v]) : nullptr;
        m_busy = m_busy || (open && views[v]->busy());
    }
}

}  // namespace aelab
