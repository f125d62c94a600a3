// Hints for a run that stopped learning: every unit dead; a loss that jumped and stayed flat.
#include <gtest/gtest.h>

#include "core/views/run_hints.h"

using namespace aelab;

TEST(RunHints, EveryDeadUnitIsSaid) {
    History h;
    Vec p_hat = Vec::Constant(8, 0.001f);
    auto hint = stalled_run_hint(h, p_hat);
    ASSERT_TRUE(hint);
    EXPECT_NE(hint->find("Every code unit is dead"), std::string::npos);
    p_hat[3] = 0.2f;
    EXPECT_FALSE(stalled_run_hint(h, p_hat)) << "one live unit: no hint";
    p_hat[3] = 0.999f;
    EXPECT_FALSE(stalled_run_hint(h, p_hat)) << "a ReLU unit at 1 is alive";
    hint = stalled_run_hint(h, p_hat, /*saturating=*/true);
    ASSERT_TRUE(hint) << "sigmoid units at 0 or 1 are all stuck";
    EXPECT_NE(hint->find("stuck at 0 or 1"), std::string::npos);
}

TEST(RunHints, ALossThatJumpedAndStayedFlatIsSaidButAFallingOneIsNot) {
    History falling, stuck, settled;
    for (int step = 1; step <= 600; ++step) {
        falling.train.add(step, 100.0f / float(step));
        // Falls to 10, jumps to 50 at step 300 and stays there.
        stuck.train.add(step, step < 300 ? 100.0f - 0.3f * float(step) : 50.0f);
        settled.train.add(step, step < 300 ? 100.0f - 0.3f * float(step) : 10.0f);  // flat at its best
    }
    EXPECT_FALSE(stalled_run_hint(falling, Vec()));
    EXPECT_FALSE(stalled_run_hint(settled, Vec())) << "flat at its best is converged, not stuck";
    auto hint = stalled_run_hint(stuck, Vec());
    ASSERT_TRUE(hint);
    EXPECT_NE(hint->find("stopped learning"), std::string::npos) << *hint;
    EXPECT_NE(hint->find("its best (10.3)"), std::string::npos) << *hint;
}
