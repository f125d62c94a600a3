// The panels' side of the computed-view channel: each frame an open panel says what it wants
// of its view (want); after the panels, flush() sends the trainer what changed — a new
// request, or "inactive" for a view whose panel is closed. Nothing is sent while nothing
// changes (every send wakes the trainer). GUI thread only.
#pragma once

#include <array>
#include <memory>

#include "core/run/computed_view.h"
#include "core/trainer/trainer_port.h"

class ViewRequests {
public:
    // The request of an open panel for this frame.
    template <class T>
    void want(aelab::ViewId id, const T& request) {
        Slot& slot = m_slots[int(id)];
        slot.wanted = true;
        T active = request;
        active.active = true;
        if (!(slot.pending && slot.pending->same_as(active)))
            slot.pending = std::make_shared<const T>(std::move(active));
    }

    // Whether the trainer has been asked for this view (a panel wanted it when last flushed).
    bool asked(aelab::ViewId id) const { return m_slots[int(id)].sent != nullptr; }

    // Every request of the last frame stands for this one too: the views of panels that are
    // open but not drawn (another panel is maximised) go on being computed.
    void keep_all() {
        for (Slot& slot : m_slots) slot.wanted = slot.wanted || slot.pending != nullptr;
    }

    // Sends what changed since the last flush; views nobody wanted this frame are switched
    // off. A new trainer (another port) gets every request again.
    void flush(aelab::TrainerPort& trainer) {
        const bool new_port = &trainer != m_port;
        m_port = &trainer;
        for (int v = 0; v < aelab::kViewCount; ++v) {
            Slot& slot = m_slots[v];
            if (!slot.wanted) slot.pending.reset();
            if (new_port || slot.pending != slot.sent)
                trainer.set_view_request(aelab::ViewId(v), slot.pending);
            slot.sent = slot.pending;
            slot.wanted = false;
        }
    }

private:
    struct Slot {
        std::shared_ptr<const aelab::ViewRequest> pending, sent;
        bool wanted = false;
    };
    std::array<Slot, aelab::kViewCount> m_slots;
    const aelab::TrainerPort* m_port = nullptr;
};
