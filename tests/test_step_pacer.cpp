// The slow-motion pacer: when the next step is due, on a clock the test moves by hand.
#include <gtest/gtest.h>

#include "core/base/step_pacer.h"

using namespace aelab;
using namespace std::chrono_literals;

TEST(StepPacer, UnlimitedIsAlwaysDue) {
    StepPacer pacer;
    const auto t0 = StepPacer::Clock::now();
    EXPECT_FALSE(pacer.limited());
    EXPECT_TRUE(pacer.due(t0));
    pacer.stepped(t0);
    EXPECT_TRUE(pacer.due(t0));
}

TEST(StepPacer, KeepsTheCadenceAndGrantsNoBurstAfterALateStep) {
    StepPacer pacer;
    pacer.set_rate(10);  // one step per 100 ms
    const auto t0 = StepPacer::Clock::now();
    EXPECT_TRUE(pacer.due(t0)) << "the first step runs at once";
    pacer.stepped(t0);
    EXPECT_FALSE(pacer.due(t0 + 99ms));
    EXPECT_TRUE(pacer.due(t0 + 100ms));
    pacer.stepped(t0 + 103ms);  // ran 3 ms late: the cadence stays on the 100 ms grid
    EXPECT_EQ(pacer.next_step(), t0 + 200ms);
    pacer.stepped(t0 + 900ms);  // a long stall: no run of catch-up steps, half a period back
    EXPECT_FALSE(pacer.due(t0 + 949ms));
    EXPECT_TRUE(pacer.due(t0 + 950ms));
    pacer.set_rate(0);
    EXPECT_TRUE(pacer.due(t0 + 901ms)) << "full speed again";
}
