// A second OS window (the presenter's) beside the application's Window: GLFW shares the
// first window's GL objects with it (textures, shaders; not framebuffers or vertex arrays),
// and it runs its own ImGui context (ImGui 1.86: one per window) over the first window's
// font atlas. Input reaches its context through callbacks that make it current for the
// event. GUI thread only; make_current() before its frame, first.make_current() after.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/gl/mouse_replay.h"
#include "app/gl/presenter_place.h"
#include "app/gl/window.h"
#include "core/base/expected.h"

// GLFW's monitors, as the pure placement rule takes them.
std::vector<MonitorInfo> glfw_monitors();
// The first window's place on the desktop (screen coordinates).
ScreenRect window_rect(const Window& window);

class SecondWindow {
public:
    // Opens at `place` (on monitor place.monitor of glfw_monitors(), full screen when
    // place.full_screen); leaves `first` current. Fails with a one-line reason.
    static aelab::Expected<std::unique_ptr<SecondWindow>> open(Window& first,
                                                               const PresenterPlace& place,
                                                               const char* title);
    ~SecondWindow();  // leaves the first window current

    void make_current() const;  // its GL and ImGui contexts
    void back_to_first() const { m_first.make_current(); }
    bool should_close() const;
    // Starts an ImGui frame at `text_scale` (from the shared atlas's fonts: no atlas of its
    // own is built). ImGui sees no pointer where hide_pointer(the pointer) says so: the
    // pointer of the event this frame replays, in window coordinates (-FLT_MAX: none).
    void new_frame(float text_scale, const std::function<bool(ImVec2)>& hide_pointer);
    void render(int fb_width, int fb_height);
    void swap();
    void framebuffer_size(int& width, int& height) const;

private:
    SecondWindow(Window& first) : m_first(first) {}
    static void install_callbacks(GLFWwindow* window);
    static SecondWindow& of(GLFWwindow* window) {  // in its GLFW callbacks
        return *static_cast<SecondWindow*>(glfwGetWindowUserPointer(window));
    }

    Window& m_first;
    GLFWwindow* m_window = nullptr;
    ImGuiContext* m_imgui = nullptr;
    bool m_backends_ready = false;
    MouseReplay m_mouse;  // clicks and wheel turns, one a frame where they came in a crowd
};
