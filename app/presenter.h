// The presenter window: a second OS window for the projector that shows only the panels
// moved to it (by default the lesson step's, or the maximised one), large, at its own zoom
// and theme, while the main window keeps the Controls, the lesson's text, the timeline and
// the messages. It draws the same snapshot as the main window, in its own ImGui context and
// with its own images (GL framebuffers are not shared between contexts). A panel lives in one
// window at a time (Panel::on_presenter). GUI thread only.
#pragma once

#include <future>
#include <memory>
#include <optional>
#include <string>

#include "app/gl/colormap_images.h"
#include "app/gl/redraw.h"
#include "app/gl/second_window.h"
#include "app/panels/panel_context.h"
#include "app/panels/panels.h"

class Presenter {
public:
    Presenter() = default;
    Presenter(const Presenter&) = delete;
    Presenter& operator=(const Presenter&) = delete;
    ~Presenter();  // its images go in its own GL context, before its window
    // Opens it where place_presenter puts it and moves the default panels to it. A failure
    // (no window, no second monitor for full screen) is a message in the log, never a crash.
    void open(Window& first, PanelContext& ctx, bool full_screen, bool picture);
    // Closes it; its panels come back to the main window.
    void close(PanelContext& ctx);
    bool shown() const { return m_window != nullptr; }
    // Whether it asked to close (its close button, its menu): the app closes it after the frame.
    bool wants_close() const;
    // Frames it still means to draw (input, a screenshot): the loop must not sleep.
    bool busy() const { return m_window && (!m_redraw.idle() || m_capture_path); }

    // An open lesson's new step: once the main window has opened the step's panels, those
    // go to the presenter (and the rest come back). Call once a frame, before frame().
    void follow_lesson(PanelContext& ctx);
    // One frame of it, before the main window's (whose draw sends every panel's view
    // requests); `ctx` is the main window's. Leaves the main window's contexts current.
    void frame(PanelContext& ctx);
    // Saves its next frame as a PNG at `path` (--screenshot NAME.png: NAME.presenter.png).
    void capture_next_frame(const std::string& path) { m_capture_path = path; }
    // Waits for a screenshot being written and says how it went; false on an error.
    bool finish_saving(std::ostream& out, std::ostream& err);

private:
    void choose_default_panels(PanelContext& ctx);
    void draw_menu(PanelContext& ctx);
    bool changed(const aelab::Snapshot& snapshot, int width, int height);
    void save(int width, int height);

    std::unique_ptr<ColormapImages> m_images;  // created in its GL context, dropped first
    std::unique_ptr<SecondWindow> m_window;
    UiSettings m_settings{.zoom = 1.5f};  // its own zoom and theme
    bool m_show_hover = false;  // the mouse's read-outs (tooltips, hover lines) on the projector
    bool m_picture = false;     // a --screenshot run: no pointer at all
    bool m_close_asked = false;
    bool m_opened_messages = false;  // the main window got the messages panel when it opened
    int m_lesson_step = -1;  // the lesson step it shows (-1: no lesson)
    int m_follow_in = 0;     // frames until a new step's panels are taken (0: none pending)
    float m_menu_height = 0;    // last frame's menu bar: the pointer is seen over it
    bool m_popup_open = false;  // last frame's: a menu open over the panels
    Redraw m_redraw;
    std::optional<std::string> m_capture_path;
    std::future<std::optional<aelab::Error>> m_saving;
    std::string m_saving_path;
};

// Where --screenshot NAME.png saves the presenter window: NAME.presenter.png.
std::string presenter_screenshot_path(const std::string& main_path);
