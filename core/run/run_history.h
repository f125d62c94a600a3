// What the curves record, in one place for the window's trainer and headless runs alike, so
// a run trained overnight with --save opens with the same curves as one trained in the window.
// The caller's thread (the one that owns the Session).
#pragma once

#include <cstdint>
#include <optional>

#include "core/model/objective.h"
#include "core/run/history.h"
#include "core/run/session.h"

namespace aelab {

// One mini-batch's objective and its terms, at `step`.
void record_train_step(History& history, int64_t step, const Terms& terms);

struct TestPoint {
    Terms terms;  // the objective as trained, on the held-out subset (noise included)
    std::optional<double> clean;  // the same on clean inputs, measured only while a noise is on
};
// Evaluates the held-out subset as trained (and on clean inputs, with noise on).
TestPoint evaluate_test_point(Session& session);
// That, and the probe Jacobians, appended to the curves at the session's step.
TestPoint record_test_point(Session& session, History& history);

}  // namespace aelab
