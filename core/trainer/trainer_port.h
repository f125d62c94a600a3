// What the window may ask of the trainer: live knobs, commands and view requests — the narrow
// interface the panels get instead of the whole Trainer (tests can hand in a fake). Any
// thread; nothing here waits for a training step.
#pragma once

#include <memory>

#include "core/config/config.h"
#include "core/run/computed_view.h"
#include "core/trainer/commands.h"

namespace aelab {

class TrainerPort {
public:
    virtual ~TrainerPort() = default;
    // Live knobs, used from the next mini-batch on. Never resets the weights. While a slider
    // is still being dragged (`dragging`) they act at once, but the change is named — one
    // marker on the curves, "target p 0.05 → 0.226" — only when a call without it settles it.
    //
    // Both return a number, rising with each call of the kind: a snapshot whose knobs_taken
    // (commands_done) is at least that number runs with those knobs (has done that command).
    // Until then the snapshot's config is older than what the window asked for.
    virtual uint64_t set_knobs(const Knobs& knobs, bool dragging = false) = 0;
    virtual uint64_t send(const Command& command) = 0;
    // What a panel wants of its computed view (answered at the next publication, also while
    // paused). An equal request is ignored.
    virtual void set_view_request(ViewId view, std::shared_ptr<const ViewRequest> request) = 0;
};

}  // namespace aelab
