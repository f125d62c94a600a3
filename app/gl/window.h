// The application window: GLFW, the OpenGL 3.3 context and Dear ImGui with its GLFW and
// OpenGL3 backends, fonts and theme. GUI thread only, except wake() (any thread).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <epoxy/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "app/gl/mouse_replay.h"
#include "core/base/expected.h"

struct ImFont;

struct ImGuiIO;
struct ImGuiContext;

// The last error GLFW reported, in a line ("" when none).
std::string glfw_last_error();

class Window {
public:
    // Fails with a one-line reason when there is no display or no OpenGL 3.3.
    static aelab::Expected<std::unique_ptr<Window>> open(int width, int height, const char* title);
    ~Window();

    struct KeyPress {
        int key = 0, mods = 0;  // GLFW_KEY_…, GLFW_MOD_…
    };
    // The keys pressed since the last call, in order: shortcuts read these, so a tap whose
    // press and release arrive together is never lost.
    std::vector<KeyPress> take_key_presses();

    bool should_close() const;
    void request_close();  // as the window's close button (Ctrl+Q)
    void cancel_close();   // the close was asked about and called off
    // Processes input; with `idle`, sleeps until an event (or wake()) or `timeout` seconds.
    void poll_events(bool idle, double timeout);
    // Any thread: makes a sleeping poll_events() return (the trainer calls it on publish).
    static void wake();

    // Applies the text size (rebuilding the font atlas when it changed), then starts an ImGui
    // frame (the theme is the views' business: apply_theme). With `crisp_2x`, text is drawn from glyphs rasterised at twice
    // the size, for a frame rendered at 2× (screenshots).
    // With ignore_mouse, ImGui sees no pointer this frame.
    void new_frame(float text_scale, bool crisp_2x, bool ignore_mouse = false);
    // Renders ImGui's draw data into the bound framebuffer (of fb_width×fb_height).
    void render(int fb_width, int fb_height);
    void swap();

    void framebuffer_size(int& width, int& height) const;
    // Asks for a new size (window coordinates); the framebuffer follows once the system
    // has resized the window (--audit-layout checks before it draws).
    void set_size(int width, int height);
    float content_scale() const;  // framebuffer pixels per window coordinate
    const std::string& font_notice() const { return m_font_notice; }

    // For a second window (app/gl/second_window.h): it shares this window's GL objects and
    // font atlas, and hands the GL and ImGui contexts back here after its own frame.
    GLFWwindow* handle() const { return m_window; }
    ImGuiContext* imgui_context() const { return m_imgui; }
    void make_current() const;
    // The atlas's fonts at the last built text scale (normal and twice its size).
    ImFont* font(bool crisp_2x) const { return crisp_2x ? m_font_2x : m_font; }
    float built_text_scale() const { return m_built_text_scale; }

private:
    Window() = default;
    void build_fonts(float text_scale);
    void replay_taps(ImGuiIO& io);
    MouseReplay m_mouse;  // clicks and wheel turns, one a frame where they came in a crowd
    void beat();

    // AELAB_HEARTBEAT=path: the event loop writes a rising count there (at most ten times a
    // second), so scripts/storm can tell a hung window (count frozen) from a busy one.
    std::string m_heartbeat_path;
    uint64_t m_beats = 0;
    double m_last_beat = -1;

    GLFWwindow* m_window = nullptr;
    ImGuiContext* m_imgui = nullptr;
    bool m_imgui_ready = false;
    float m_built_text_scale = 0;
    ImFont* m_font = nullptr;
    ImFont* m_font_2x = nullptr;
    std::string m_font_notice;
    std::vector<KeyPress> m_key_presses;
    std::vector<KeyPress> m_taps;  // presses ImGui has not been shown yet (replay_taps)
    std::vector<int> m_replayed;   // keys shown as down for the last frame
};
