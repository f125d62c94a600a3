#include "app/ui_app.h"

#include "app/panels/config_changes.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include <imgui.h>

#include "app/panels/panels.h"

using namespace aelab;

namespace {

constexpr double kFrameSeconds = 1.0 / 60.0;

std::string timestamped_name(const std::string& panel) {
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
    std::string slug;
    for (char c : panel) slug += std::isalnum((unsigned char)c) ? char(std::tolower(c)) : '-';
    return "aelab-" + (slug.empty() ? "" : slug + "-") + stamp + ".png";
}

}  // namespace

UiApp::UiApp(Window& window, Trainer& trainer, ColormapImages& images, const AppOptions& options)
    : m_window(window),
      m_trainer(trainer),
      m_images(images),
      m_options(options),
      // A --screenshot or --audit-layout run neither autosaves nor offers a crashed session's run.
      m_files(user_data_folder(),
              options.screenshot_path.empty() && options.record.path.empty() && !options.audit_layout
                  ? options.autosave_seconds
                  : 0) {
    m_log.set_echo(&std::cerr);
    m_settings.dark_theme = options.dark_theme;
    m_settings.zoom = options.zoom;
    m_requests.screenshot_scale = options.screenshot_scale;
    m_presenter_pending = options.presenter;
    if (!m_window.font_notice().empty()) m_log.add(m_window.font_notice(), 0, Severity::Warning);
    // A panel asked for on the command line, or the contractive view of a contractive run,
    // is shown even where it starts closed.
    for (const std::string& name : {options.screenshot_panel, options.record.panel})
        if (Panel* panel = m_panels.find_named(name.c_str())) {
            panel->open = true;
            m_panels.keep_open(panel->id);  // the panel asked for stays; others give way
        }
    if (!options.record.path.empty())  // after the --steps trained first
        m_command_line_recording.emplace(options.record, (options.open_run ? options.open_run->step : 0) +
                                                             std::max<int64_t>(0, options.steps));
    if (options.config.knobs.contractive > 0) m_panels.find(PanelId::Contractive).open = true;
    if (options.lesson) start_with_lesson(options.lesson, m_panels, options.lesson_step);
    if (options.audit_layout)
        m_audit = std::make_unique<LayoutAuditRun>(
            window, options.steps, options.lesson ? "lesson " + options.lesson->name : "the default run");
}

int UiApp::run() {
    using clock = std::chrono::steady_clock;
    auto window_start = clock::now();
    int drawn_in_window = 0;
    while (!m_done) {
        const auto start = clock::now();
        const auto snapshot = m_trainer.latest();
        if (m_window.should_close()) {
            // An unsaved run is asked about first (not in a --screenshot run: nobody to ask).
            if (picture_run() || m_files.may_quit(*snapshot)) break;
            m_window.cancel_close();
            m_redraw.at_least(3);
        }
        // While nothing moves, sleep until input or the trainer's next publication.
        const bool idle = !snapshot->status.running && !snapshot->status.loading && !m_capture &&
                          !m_saving.valid() && m_redraw.idle() && !m_recorder.progress().busy &&
                          !picture_run() && !m_audit && !m_presenter.busy() && !m_presenter_pending;
        m_window.poll_events(idle, 0.5);
        // A frame's time starts after the wait for events: an idle window's sleep is no frame.
        // The presenter's frame counts in it: the loop draws both windows.
        const auto frame_start = clock::now();
        drive_presenter(*snapshot);
        const bool drawn = frame();
        if (drawn) note_frame_time(std::chrono::duration<double>(clock::now() - frame_start).count(),
                                   snapshot->file.saving);
        drawn_in_window += drawn;
        if (drawn && snapshot->status.running) ++m_training_frames;
        const double spent = std::chrono::duration<double>(clock::now() - start).count();
        if (spent < kFrameSeconds)  // vsync may be off (Xvfb): pace the loop ourselves
            std::this_thread::sleep_for(std::chrono::duration<double>(kFrameSeconds - spent));
        const auto now = clock::now();
        if (snapshot->status.running)
            m_training_frame_seconds += std::chrono::duration<double>(now - start).count();
        const double window = std::chrono::duration<double>(now - window_start).count();
        if (window >= 0.5) {  // frames drawn per second, over half-second windows
            m_fps = float(drawn_in_window / window);
            drawn_in_window = 0;
            window_start = now;
        }
    }
    if (m_saving.valid()) m_saving.wait();  // never lose a screenshot being written
    poll_saving();
    if (!m_presenter.finish_saving(std::cout, std::cerr)) m_exit_code = 2;
    if (m_options.frame_stats)
        std::cout << "aelab: longest frame " << std::lround(m_longest_frame * 1e3)
                  << " ms while no run file was being written; while one was, "
                  << m_frames_while_saving << " frames, the longest "
                  << std::lround(m_longest_frame_saving * 1e3) << " ms\n";
    return m_exit_code;
}

void UiApp::note_frame_time(double seconds, bool saving) {
    if (ImGui::GetFrameCount() < 10) return;  // the first frames build fonts and textures
    if (!saving) {
        m_longest_frame = std::max(m_longest_frame, seconds);
        return;
    }
    ++m_frames_while_saving;
    m_longest_frame_saving = std::max(m_longest_frame_saving, seconds);
}

bool UiApp::input_activity() const {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0 || io.MouseWheel != 0 || io.MouseWheelH != 0)
        return true;
    if (io.InputQueueCharacters.Size > 0 || ImGui::IsAnyItemActive()) return true;
    for (bool down : io.MouseDown)
        if (down) return true;
    for (bool down : io.KeysDown)
        if (down) return true;
    return false;
}

bool UiApp::frame() {
    const std::shared_ptr<const Snapshot> snapshot = m_trainer.latest();
    m_log.take_new(snapshot->messages, ImGui::GetTime());
    queue_recording_frame(*snapshot);

    const bool capturing_now = m_capture && m_capture->frames_to_wait == 0;
    const int scale = capturing_now ? m_capture->scale : 1;
    // A --screenshot run ignores the pointer (Xvfb parks it mid-screen), so no tooltip or
    // hover highlight lands in the picture.
    m_window.new_frame(m_settings.zoom, scale == 2,
                       /*ignore_mouse=*/picture_run() || m_audit);
    apply_theme(m_settings);

    PanelContext ctx{*snapshot,  m_trainer,  m_views,   m_images,  m_log,           m_requests,
                     m_settings, m_changes, m_panels, ImGui::GetTime(), m_fps};
    handle_shortcuts(ctx);
    if (m_audit) {
        m_audit->before_draw(ctx, m_settings);
        m_redraw.at_least(1);  // every frame drawn while the audit runs
    }
    draw_main_menu(ctx, m_files, m_help);
    draw_panels(ctx);
    m_timeline_bar.draw(ctx);
    draw_status_bar(ctx);
    // A --screenshot or --audit-layout run is a picture of the panels: no first-run tour.
    const bool picture = picture_run() || m_audit;
    m_help.draw_windows(ctx, picture ? "" : user_data_folder().string());
    m_files.draw(ctx);
    m_record_window.draw(ctx, m_recorder, /*report_results=*/!m_command_line_recording);
    if (std::exchange(m_requests.quit, false)) m_window.request_close();
    m_images.end_frame(ImGui::GetFrameCount());  // a closed panel's textures go
    ImGui::Render();
    if (m_audit) {
        m_audit->after_render(*ImGui::GetIO().FontDefault);
        if (m_audit->done()) m_done = true, m_exit_code = m_audit->exit_code();
    }

    int fb_width = 0, fb_height = 0;
    m_window.framebuffer_size(fb_width, fb_height);
    const bool draw = m_redraw.draw({.snapshot_version = snapshot->version,
                                      .training = snapshot->status.running,
                                      .width = fb_width,
                                      .height = fb_height,
                                      .status_version = m_log.status_version(ImGui::GetTime()),
                                      .input = input_activity(),
                                      .capturing = m_capture.has_value()});
    if (!draw) {
        queue_capture_requests();
        poll_saving();
        drive_command_line_screenshot(*snapshot);
        return false;
    }
    if (capturing_now) {
        const int w = fb_width * scale, h = fb_height * scale;
        if (scale != 1) m_offscreen.bind(w, h);
        m_window.render(w, h);
        capture(*m_capture, w, h);
        m_capture.reset();
        if (scale != 1) {
            // This frame was laid out for 2×; the screen keeps showing the previous one.
            OffscreenTarget::unbind();
            m_redraw.at_least(1);  // draw the next frame for the screen again
            queue_capture_requests();
            poll_saving();
            return false;
        }
    } else {
        m_window.render(fb_width, fb_height);
        if (m_capture) --m_capture->frames_to_wait;
    }
    m_window.swap();
    queue_capture_requests();
    poll_saving();
    drive_command_line_screenshot(*snapshot);
    return true;
}

void UiApp::handle_shortcuts(PanelContext& ctx) {
    const ImGuiIO& io = ImGui::GetIO();
    for (const Window::KeyPress& press : m_window.take_key_presses()) {
        const bool ctrl = press.mods & GLFW_MOD_CONTROL;
        if (press.key == GLFW_KEY_F12) m_requests.screenshot_window = true;
        // The presenter's gesture: the panel under the mouse fills the window, and back.
        if (press.key == GLFW_KEY_F11) m_panels.toggle_maximised_here();
        const bool popup = ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel);
        if (press.key == GLFW_KEY_ESCAPE && !popup && !io.WantTextInput) m_panels.restore();
        if (ctrl && press.key == GLFW_KEY_Q) m_window.request_close();
        if (ctrl && press.key == GLFW_KEY_S) m_files.save(ctx);
        if (ctrl && press.key == GLFW_KEY_O) m_files.open(ctx);
        // Undo and redo of knob and model changes; a text field keeps Ctrl+Z for its text.
        const bool shift = press.mods & GLFW_MOD_SHIFT;
        if (ctrl && !io.WantTextInput && press.key == GLFW_KEY_Z) shift ? redo_change(ctx) : undo_change(ctx);
        if (ctrl && !io.WantTextInput && press.key == GLFW_KEY_Y) redo_change(ctx);
        // The projector zoom (Ctrl + is also Ctrl = on keyboards without a plus key).
        if (ctrl && (press.key == GLFW_KEY_EQUAL || press.key == GLFW_KEY_KP_ADD))
            m_settings.zoom = next_zoom(m_settings.zoom, +1);
        if (ctrl && (press.key == GLFW_KEY_MINUS || press.key == GLFW_KEY_KP_SUBTRACT))
            m_settings.zoom = next_zoom(m_settings.zoom, -1);
        if (ctrl && (press.key == GLFW_KEY_0 || press.key == GLFW_KEY_KP_0)) m_settings.zoom = 1.0f;
        if (press.key == GLFW_KEY_SPACE && !ctrl && !io.WantTextInput) {
            const bool running = m_trainer.latest()->status.running;
            m_trainer.send(running ? Command{commands::Pause{}} : Command{commands::Play{}});
        }
    }
}

void UiApp::queue_capture_requests() {
    if (m_capture) return;
    if (m_requests.screenshot_window) {
        m_capture = Capture{timestamped_name(""), "", m_requests.screenshot_scale};
    } else if (!m_requests.screenshot_panel.empty()) {
        m_capture = Capture{timestamped_name(m_requests.screenshot_panel),
                            m_requests.screenshot_panel, m_requests.screenshot_scale};
    }
    m_requests.screenshot_window = false;
    m_requests.screenshot_panel.clear();
}

void UiApp::capture(const Capture& c, int fb_width, int fb_height) {
    int x = 0, y = 0, w = fb_width, h = fb_height;
    if (!c.panel.empty()) {
        const Panel* panel = m_panels.find_named(c.panel.c_str());
        if (panel && panel->open && panel->on_presenter) {
            m_log.add("Screenshot: '" + c.panel +
                          "' is on the presenter window; move it back "
                          "(its Panels menu) to save it alone",
                      ImGui::GetTime(), Severity::Error);
            return;
        }
        if (!panel || !panel->open) {
            if (c.recording) {
                m_recorder.fail("no open panel named '" + c.panel + "' to record");
                return;
            }
            m_log.add("Screenshot: no open panel named '" + c.panel + "'", ImGui::GetTime(),
                      Severity::Error);
            if (!m_options.screenshot_path.empty()) m_done = true, m_exit_code = 2;
            return;
        }
        // Window coordinates → framebuffer pixels.
        const float s = float(fb_width) / ImGui::GetIO().DisplaySize.x;
        x = int(panel->last_pos.x * s);
        y = int(panel->last_pos.y * s);
        w = std::min(fb_width - x, int(panel->last_size.x * s));
        h = std::min(fb_height - y, int(panel->last_size.y * s));
    }
    aelab::RgbaImage pixels = read_pixels(x, y, w, h, fb_height);
    if (c.recording) {  // encoded on the recorder's thread
        m_recorder.submit(std::move(pixels), c.step);
        if (m_command_line_recording) m_command_line_recording->frame_taken(m_trainer, m_recorder);
        return;
    }
    m_saving_path = std::filesystem::absolute(c.path).string();
    // PNG encoding of a large frame takes ~0.3 s: off the GUI thread.
    m_saving = std::async(std::launch::async, [path = m_saving_path, pixels = std::move(pixels)] {
        return aelab::write_png(path, pixels);
    });
}

void UiApp::poll_saving() {
    if (!m_saving.valid() ||
        m_saving.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return;
    const auto error = m_saving.get();
    const std::string text =
        error ? "Screenshot not saved: " + error->message : "Screenshot saved to " + m_saving_path;
    if (!m_options.screenshot_path.empty() && m_command_line_capture_started) {
        (error ? std::cerr : std::cout) << "aelab: " << text << "\n";  // the run's result
        m_done = true;
        if (error) m_exit_code = 2;
        return;
    }
    m_log.add(text, ImGui::GetTime(),  // shown in the window, echoed to stderr
              error ? Severity::Error : Severity::Info);
}

void UiApp::drive_command_line_screenshot(const Snapshot& s) {
    if (m_options.screenshot_path.empty() || m_command_line_capture_started) return;
    // A resumed run trains --steps more than it had.
    const int64_t start = m_options.open_run ? m_options.open_run->step : 0;
    const bool trained =
        s.progress.step >= start + std::max<int64_t>(0, m_options.steps) && !s.status.running && !s.status.loading;
    // A refused rebuild or run file (--open, a run file given as the argument) never reaches
    // the steps asked for: the run ends on its message too.
    const bool failed = (!s.status.error.empty() || !s.status.rebuild_refused.empty()) && !s.status.loading;
    if (!trained && !failed) {
        m_ready_frames = 0;
        return;
    }
    if (++m_ready_frames < 3) return;  // new auto-sized windows need a few frames
    if (failed) {
        std::cerr << "aelab: " << (s.status.error.empty() ? s.status.rebuild_refused : s.status.error) << "\n";
        m_exit_code = 2;
    }
    m_command_line_capture_started = true;
    // This window's share of the run: an opened run file brings its earlier samples and time.
    const RunState* opened = m_options.open_run.get();
    const double samples = double(s.progress.samples_seen - (opened ? opened->samples_seen : 0));
    const double seconds = s.progress.training_seconds - (opened ? opened->training_seconds : 0);
    if (seconds > 0) {
        std::cout << "aelab: trained " << s.progress.step - start << " steps at " << int64_t(samples / seconds)
                  << " samples/s with the window open";
        if (m_training_frame_seconds > 0)
            std::cout << " (" << int64_t(samples / m_training_frame_seconds)
                      << " over the wall-clock time spent training, views included), "
                      << int(m_training_frames / m_training_frame_seconds)
                      << " frames/s drawn while training";
        std::cout << "\n";
    }
    m_capture = Capture{m_options.screenshot_path, m_options.screenshot_panel,
                        m_options.screenshot_scale, 0};
    if (m_presenter.shown())
        m_presenter.capture_next_frame(presenter_screenshot_path(m_options.screenshot_path));
}

void UiApp::drive_presenter(const Snapshot& snapshot) {
    PanelContext ctx{snapshot,   m_trainer,  m_views,   m_images,  m_log,           m_requests,
                     m_settings, m_changes, m_panels, ImGui::GetTime(), m_fps};
    // --presenter: once there is a model and the main window has laid out its panels (a
    // lesson's step, the fit to the window), those go to the presenter.
    const bool ready = ImGui::GetFrameCount() > 3 && snapshot.model.probes.input.cols() > 0;
    const bool picture = !m_options.screenshot_path.empty();
    if (m_presenter_pending && ready) {
        m_presenter_pending = false;
        m_presenter.open(m_window, ctx, m_requests.presenter_full_screen, picture);
    }
    if (std::exchange(m_requests.toggle_presenter, false)) {
        if (m_presenter.shown())
            m_presenter.close(ctx);
        else
            m_presenter.open(m_window, ctx, m_requests.presenter_full_screen, picture);
    }
    if (m_presenter.wants_close()) m_presenter.close(ctx);
    m_presenter.follow_lesson(ctx);
    m_presenter.frame(ctx);
    m_requests.presenter_shown = m_presenter.shown();
}

void UiApp::queue_recording_frame(const Snapshot& s) {
    if (m_command_line_recording) {
        if (auto exit_code = m_command_line_recording->finished(m_recorder, std::cout, std::cerr)) {
            m_done = true;
            m_exit_code = *exit_code;
            return;
        }
        if (!m_command_line_recording->take_this_frame(s, m_recorder)) return;
    } else if (!m_recorder.wants_frame(s.progress.step)) {
        return;
    }
    // A screenshot asked for first goes first; the recording takes the next step's frame.
    if (m_capture) return;
    const RecordSettings& settings = m_recorder.settings();
    m_capture = Capture{"", settings.panel, settings.scale, 0, true, s.progress.step};
}
