#include "app/presenter.h"

#include <filesystem>
#include <iostream>

#include <imgui.h>

#include "app/gl/screenshot.h"

std::string presenter_screenshot_path(const std::string& main_path) {
    std::filesystem::path path(main_path);
    if (path.extension() == ".png") path.replace_extension();
    return path.string() + ".presenter.png";
}

void Presenter::open(Window& first, PanelContext& ctx, bool full_screen, bool picture) {
    if (m_window) return;
    const PresenterPlace place = place_presenter(glfw_monitors(), window_rect(first), full_screen);
    if (!place.notice.empty())
        ctx.log.add("Presenter: " + place.notice, ctx.time, aelab::Severity::Warning);
    auto window = SecondWindow::open(first, place, "aelab presenter");
    if (!window) {
        ctx.log.add("Presenter: " + window.error(), ctx.time, aelab::Severity::Error);
        return;
    }
    (*window)->make_current();  // its images' framebuffers belong to its GL context
    auto images = ColormapImages::create();
    first.make_current();
    if (!images) {
        ctx.log.add("Presenter: " + images.error(), ctx.time, aelab::Severity::Error);
        return;  // the window closes with `window`
    }
    m_window = std::move(*window);
    m_images = std::move(*images);
    m_settings.dark_theme = ctx.settings.dark_theme;
    m_picture = picture;
    m_close_asked = false;
    m_redraw = Redraw{};  // a new window: its first frame is news, drawn twice while paused
    choose_default_panels(ctx);
    m_lesson_step = lesson_steps(ctx.panels) > 0 ? lesson_step(ctx.panels) : -1;
    m_follow_in = 0;
    std::string names;
    for (const Panel& p : ctx.panels.panels())
        if (p.on_presenter) names += (names.empty() ? "" : ", ") + std::string(p.name);
    const std::string where =
        place.monitor >= 0 ? (place.full_screen ? "full screen on monitor " : "on monitor ") +
                                 std::to_string(place.monitor + 1)
                           : "as a second window";
    ctx.log.add("Presenter: open " + where + ", showing " + names, ctx.time);
}

void Presenter::choose_default_panels(PanelContext& ctx) {
    PanelRegistry& panels = ctx.panels;
    bool moved = false;
    if (const auto maximised = panels.maximised();
        maximised && presentable(panels.find(*maximised))) {
        panels.find(*maximised).on_presenter = moved = true;  // the maximised one alone
        panels.restore();
    } else {
        for (Panel& p : panels.panels())  // what the main window shows: the lesson step's panels
            if (p.open && presentable(p)) p.on_presenter = moved = true;
    }
    if (!moved) panels.find(PanelId::Loss).open = panels.find(PanelId::Loss).on_presenter = true;
    // The main window keeps something to read beside the controls: the messages.
    Panel& messages = panels.find(PanelId::Messages);
    bool main_has_tiled = false;
    for (const Panel& p : panels.panels())
        main_has_tiled |= p.open && !p.left_column && !p.on_presenter;
    m_opened_messages = !main_has_tiled && !messages.open;
    if (m_opened_messages) messages.open = true;
}

Presenter::~Presenter() {
    if (m_saving.valid()) m_saving.wait();
    if (!m_window) return;
    m_window->make_current();
    m_images.reset();
    m_window.reset();
}

void Presenter::close(PanelContext& ctx) {
    if (!m_window) return;
    if (m_saving.valid()) m_saving.wait();  // a screenshot being written is kept
    m_window->make_current();
    m_images.reset();  // in its own GL context
    m_window.reset();  // leaves the main window's contexts current
    for (Panel& p : ctx.panels.panels()) p.on_presenter = false;
    if (m_opened_messages) ctx.panels.find(PanelId::Messages).open = false;
    m_opened_messages = false;
    ctx.log.add("Presenter: closed; its panels are back in the main window", ctx.time);
}

void Presenter::follow_lesson(PanelContext& ctx) {
    if (!m_window) return;
    const int step = lesson_steps(ctx.panels) > 0 ? lesson_step(ctx.panels) : -1;
    if (step != m_lesson_step) {
        m_lesson_step = step;
        // The lesson panel arranges the step's panels when it next draws, in the main window's
        // frame after this one; a frame more is a margin.
        m_follow_in = step >= 0 ? 3 : 0;
        return;
    }
    if (m_follow_in == 0 || --m_follow_in > 0) return;
    std::string names;
    for (Panel& p : ctx.panels.panels()) {
        if (!presentable(p)) continue;
        p.on_presenter = p.open;
        if (p.open) names += (names.empty() ? "" : ", ") + std::string(p.name);
    }
    ctx.log.add("Presenter: lesson step " + std::to_string(step + 1) + ", showing " +
                    (names.empty() ? std::string("no panel") : names),
                ctx.time);
}

bool Presenter::wants_close() const {
    return m_window && (m_close_asked || m_window->should_close());
}

void Presenter::frame(PanelContext& main) {
    if (!m_window) return;
    m_window->make_current();
    // The projector shows no tooltips or hover lines unless asked: the pointer is seen only
    // over the menu bar and while a menu is open.
    m_window->new_frame(m_settings.zoom, [&](ImVec2 pointer) {
        return m_picture || (!m_show_hover && !m_popup_open && pointer.y > m_menu_height);
    });
    apply_theme(m_settings);
    PanelContext ctx{main.snapshot, main.trainer, main.views,  *m_images, main.log, main.requests,
                     m_settings,    main.changes, main.panels, main.time, main.fps};
    draw_menu(ctx);
    main.panels.draw_presenter(ctx);
    m_popup_open =
        ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel);
    m_images->end_frame(ImGui::GetFrameCount());  // a panel moved away: its textures go
    ImGui::Render();
    int width = 0, height = 0;
    m_window->framebuffer_size(width, height);
    if (changed(main.snapshot, width, height)) {
        m_window->render(width, height);
        if (m_capture_path) save(width, height);
        m_window->swap();
    }
    m_window->back_to_first();
}

bool Presenter::changed(const aelab::Snapshot& snapshot, int width, int height) {
    // As the main window: drawn for a new snapshot, input (and a few frames after), a resize
    // or a screenshot; otherwise the last picture stands.
    const ImGuiIO& io = ImGui::GetIO();
    bool input = io.MouseDelta.x != 0 || io.MouseDelta.y != 0 || io.MouseWheel != 0 || m_popup_open;
    for (bool down : io.MouseDown) input |= down;
    return m_redraw.draw({.snapshot_version = snapshot.version,
                          .training = snapshot.status.running,
                          .width = width,
                          .height = height,
                          .input = input,
                          .capturing = m_capture_path.has_value()});
}

void Presenter::save(int width, int height) {
    aelab::RgbaImage pixels = read_pixels(0, 0, width, height, height);
    m_saving_path = std::filesystem::absolute(*m_capture_path).string();
    m_capture_path.reset();
    if (m_saving.valid()) m_saving.wait();
    m_saving = std::async(std::launch::async, [path = m_saving_path, pixels = std::move(pixels)] {
        return aelab::write_png(path, pixels);
    });
}

bool Presenter::finish_saving(std::ostream& out, std::ostream& err) {
    if (!m_saving.valid()) return true;
    const auto error = m_saving.get();
    if (error) {
        err << "aelab: Presenter screenshot not saved: " << error->message << "\n";
        return false;
    }
    out << "aelab: Presenter screenshot saved to " << m_saving_path << "\n";
    return true;
}

void Presenter::draw_menu(PanelContext& ctx) {
    if (!ImGui::BeginMainMenuBar()) return;
    m_menu_height = ImGui::GetWindowSize().y;
    if (ImGui::BeginMenu("Panels")) {  // ticked: here; chosen: moves to the other window
        draw_presenter_panel_items(ctx);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem("Zoom in")) m_settings.zoom = next_zoom(m_settings.zoom, +1);
        if (ImGui::MenuItem("Zoom out")) m_settings.zoom = next_zoom(m_settings.zoom, -1);
        ImGui::TextDisabled("zoom %.0f %%", 100 * m_settings.zoom);
        ImGui::MenuItem("Dark theme", nullptr, &m_settings.dark_theme);
        ImGui::MenuItem("Show mouse read-outs", nullptr, &m_show_hover);
        ImGui::Separator();
        if (ImGui::MenuItem("Close the presenter")) m_close_asked = true;
        ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
}
