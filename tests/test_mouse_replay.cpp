// The window's mouse replay (app/gl/mouse_replay.h): clicks that arrive within one frame
// reach ImGui one a frame, each where it was made.
#include <gtest/gtest.h>

#include "app/gl/mouse_replay.h"

namespace {

// What the GLFW backend would have set for a frame: the pointer and buttons as they are now,
// and the sum of the wheel turns since the last frame.
struct Backend {
    ImVec2 pos;
    bool left_down = false;
    float wheel = 0;
};

// What ImGui saw in one frame. A plain copy: ImGuiIO itself holds ImVectors, whose
// assignment from an empty one passes memcpy a null pointer (UBSan stops there).
struct Seen {
    ImVec2 MousePos;
    bool MouseDown0;
    float MouseWheel;
    bool KeyCtrl;
};

// One frame: the backend's reading, then the replay's.
Seen frame(MouseReplay& replay, const Backend& now) {
    ImGuiIO io;
    io.MousePos = now.pos;
    io.MouseDown[0] = now.left_down;
    io.MouseWheel = now.wheel;
    replay.apply(io);
    return {io.MousePos, io.MouseDown[0], io.MouseWheel, io.KeyCtrl};
}

}  // namespace

// Two clicks in one poll (View, then a menu item): without the replay ImGui saw one press at
// the second place, then nothing; with it, press and release at each place in turn.
TEST(MouseReplay, TwoClicksInOneFrameAreTwoClicksEachWhereItWasMade) {
    MouseReplay replay;
    replay.moved(100, 10);
    replay.button(0, true, 0);
    replay.button(0, false, 0);
    replay.moved(130, 37);
    replay.button(0, true, 2);  // Ctrl held
    replay.button(0, false, 2);
    const Backend now{{130, 37}, false, 0};
    struct Want {
        float x, y;
        bool down, ctrl;
    };
    const Want want[] = {{100, 10, true, false}, {100, 10, false, false},
                         {130, 37, true, true},  {130, 37, false, false}};
    for (const Want& w : want) {
        const Seen io = frame(replay, now);
        EXPECT_EQ(io.MousePos.x, w.x);
        EXPECT_EQ(io.MousePos.y, w.y);
        EXPECT_EQ(io.MouseDown0, w.down);
        EXPECT_EQ(io.KeyCtrl, w.ctrl);
    }
    EXPECT_EQ(replay.waiting(), 0u);
    // Nothing waiting: the backend's reading stands (a drag follows the pointer as it is).
    const Seen io = frame(replay, Backend{{400, 300}, true, 0});
    EXPECT_EQ(io.MousePos.x, 400);
    EXPECT_TRUE(io.MouseDown0);
}

// A wheel turn scrolls where the pointer was when it turned, not where a click took it next;
// a stream of turns at one place is one turn, and is counted once.
TEST(MouseReplay, TheWheelTurnsWhereThePointerWas) {
    MouseReplay replay;
    replay.moved(150, 300);
    for (int i = 0; i < 8; ++i) replay.scrolled(0, 1);
    replay.moved(44, 504);
    replay.button(0, true, 0);
    replay.button(0, false, 0);
    const Backend now{{44, 504}, false, 8};  // the backend summed the eight turns
    Seen io = frame(replay, now);
    EXPECT_EQ(io.MousePos.y, 300);
    EXPECT_EQ(io.MouseWheel, 8);
    EXPECT_FALSE(io.MouseDown0);
    io = frame(replay, Backend{{44, 504}, false, 0});
    EXPECT_EQ(io.MousePos.y, 504);
    EXPECT_TRUE(io.MouseDown0);
    EXPECT_EQ(io.MouseWheel, 0) << "the turns are not counted twice";
}

// A frozen frame under a flood of events: the replay never falls more than kMaxWaiting behind.
TEST(MouseReplay, AFloodIsDroppedNotReplayedForSeconds) {
    MouseReplay replay;
    for (int i = 0; i < 1000; ++i) {
        replay.moved(float(i), 0);
        replay.button(1, i % 2 == 0, 0);
        EXPECT_LE(replay.waiting(), MouseReplay::kMaxWaiting);
    }
}
