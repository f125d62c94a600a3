// When the window draws (app/gl/redraw.h): every change reaches the screen, and a still window
// costs no frames.
#include <gtest/gtest.h>

#include "app/gl/redraw.h"

namespace {

// How many of the next `frames` frames are drawn, the window seeing `now` each time.
int drawn_of(Redraw& redraw, const Redraw::Now& now, int frames) {
    int drawn = 0;
    for (int i = 0; i < frames; ++i) drawn += redraw.draw(now);
    return drawn;
}

}  // namespace

// The first frame places the panels before ImGui knows the menu bar's height (they cover it);
// the next frame puts them below. A paused window whose snapshot then stays the same (a slow
// machine loading the data for seconds) must still draw that second frame, then rest.
TEST(Redraw, NewsWhilePausedIsDrawnTwiceThenTheWindowRests) {
    Redraw redraw;
    const Redraw::Now loading{.snapshot_version = 1, .width = 1600, .height = 900};
    EXPECT_EQ(drawn_of(redraw, loading, 10), 2);
    EXPECT_TRUE(redraw.idle());
    Redraw::Now loaded = loading;
    loaded.snapshot_version = 2;
    EXPECT_EQ(drawn_of(redraw, loaded, 10), 2) << "the loaded model, placed from its own frame";
    Redraw::Now resized = loaded;
    resized.width = 1280;
    EXPECT_EQ(drawn_of(redraw, resized, 10), 2);
}

// While training, each new snapshot is one frame: no second frame between two snapshots.
TEST(Redraw, WhileTrainingEachSnapshotIsOneFrame) {
    Redraw redraw;
    Redraw::Now now{.snapshot_version = 1, .training = true, .width = 800, .height = 600};
    EXPECT_EQ(drawn_of(redraw, now, 5), 1);
    int drawn = 0;
    for (uint64_t version = 2; version < 32; ++version) {
        now.snapshot_version = version;
        drawn += drawn_of(redraw, now, 2);  // a 60 Hz loop, 30 snapshots a second
    }
    EXPECT_EQ(drawn, 30);
}

// Input draws the frame and a few after it (a hover lights up a frame late); a message leaving
// the status bar, a waiting screenshot and at_least() are each drawn.
TEST(Redraw, InputMessagesScreenshotsAndPromisesAreDrawn) {
    Redraw redraw;
    Redraw::Now now{.snapshot_version = 1, .width = 800, .height = 600};
    drawn_of(redraw, now, 5);
    Redraw::Now moved = now;
    moved.input = true;
    EXPECT_TRUE(redraw.draw(moved));
    EXPECT_EQ(drawn_of(redraw, now, 10), 2) << "two more frames after the pointer stops";
    now.status_version = 7;
    EXPECT_EQ(drawn_of(redraw, now, 10), 1);
    Redraw::Now capturing = now;
    capturing.capturing = true;
    EXPECT_EQ(drawn_of(redraw, capturing, 3), 3);
    redraw.at_least(4);
    EXPECT_FALSE(redraw.idle());
    EXPECT_EQ(drawn_of(redraw, now, 10), 4);
    EXPECT_TRUE(redraw.idle());
}
