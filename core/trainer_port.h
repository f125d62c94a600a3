// What the window may ask of the trainer: live knobs, commands and view requests — the narrow
// interface the panels get instead of the whole Trainer (tests can hand in a fake). Any
// thread; nothing here waits for a training step.
#pragma once

#include <memory>

#include "core/commands.h"
#include "core/computed_view.h"
#include "core/config.h"

namespace aelab {

class TrainerPort {
public:
    virtual ~TrainerPort() = default;
    // Live knobs, used from the next mini-batch on. Never resets the weights.
    virtual void set_knobs(const Knobs& knobs) = 0;
    virtual void send(const Command& command) = 0;
    // What a panel wants of its computed view (answered at the next publication, also while
    // paused). An equal request is ignored.
    virtual void set_view_request(ViewId view, std::shared_ptr<const ViewRequest> request) = 0;
};

}  // namespace aelab
