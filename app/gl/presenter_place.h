// Where the presenter window goes, from a list of monitors (GLFW's, or a test's): a pure
// function, so the choice is tested without a second screen (Xvfb shows GLFW one monitor).
// Any thread.
#pragma once

#include <string>
#include <vector>

struct MonitorInfo {
    std::string name;
    int x = 0, y = 0, width = 0, height = 0;  // the desktop area it shows (screen coordinates)
    bool primary = false;
};

struct ScreenRect {
    int x = 0, y = 0, width = 0, height = 0;
};

struct PresenterPlace {
    int monitor = -1;  // index of the presenter's own monitor; -1: none (an ordinary window)
    bool full_screen = false;
    ScreenRect rect;     // the window's place and size (full screen: the monitor's area)
    std::string notice;  // why the wish for full screen was not met ("" when it was)
};

// The rule: the presenter goes to a monitor that does not hold the main window (the one
// holding its centre, else the primary), the largest such one (the first of equals); full
// screen there when asked, else a window of the main window's size (at most the monitor's)
// centred on it. With no such monitor it is an ordinary window beside the main one where the
// monitor has room (right, then left), else over it, offset; full screen is then refused
// with a notice, never a failure.
PresenterPlace place_presenter(const std::vector<MonitorInfo>& monitors, ScreenRect main_window,
                               bool full_screen);
