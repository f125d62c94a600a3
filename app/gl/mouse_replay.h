// Every click lands where it was made, however slow the frame. ImGui 1.86 (Debian 12's) reads
// the mouse once a frame as "where it is and which buttons are down now": two clicks that
// arrive within one frame (a loaded machine at 10 frames a second, a quick hand, xdotool)
// become one click at the second place, and a wheel turn scrolls whatever the pointer has
// reached since. This keeps each button press, release and wheel turn with the pointer's place
// at that moment, and hands them to ImGui one a frame, in order (ImGui 1.87's input queue does
// the same). When events come no faster than frames, ImGui sees exactly what it would without
// it. GUI thread; no GLFW here (Window feeds it from its callbacks), so a test can drive it.
#pragma once

#include <cstddef>
#include <deque>

#include <imgui.h>

class MouseReplay {
public:
    // More events than this waiting (a frozen frame under a stream of wheel turns): the older
    // ones are dropped and ImGui reads the mouse as it is now, rather than replaying for seconds.
    static constexpr size_t kMaxWaiting = 64;

    // From the window's callbacks, in the order the system delivered them. Modifiers are
    // GLFW's bits (GLFW_MOD_CONTROL 2, SHIFT 1, ALT 4, SUPER 8).
    void moved(float x, float y) { m_pointer = ImVec2(x, y); }
    void button(int button, bool pressed, int mods);
    void scrolled(float dx, float dy);

    // After the backend's NewFrame, before ImGui::NewFrame: the oldest waiting event replaces
    // the backend's pointer and buttons for this frame; with nothing waiting, the backend's
    // reading stands. The wheel is always this one's (the backend's sum of turns is cleared).
    void apply(ImGuiIO& io);

    size_t waiting() const { return m_events.size(); }

private:
    struct Event {
        enum Kind { Press, Release, Scroll } kind;
        int button = 0, mods = 0;
        ImVec2 at;
        float dx = 0, dy = 0;
    };
    void push(const Event& e);

    std::deque<Event> m_events;
    ImVec2 m_pointer{-FLT_MAX, -FLT_MAX};
    bool m_down[ImGuiMouseButton_COUNT] = {};  // the buttons as of the last event handed over
};
