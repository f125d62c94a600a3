// One window's frame loop: takes the newest snapshot, draws the panels from it, handles
// shortcuts and screenshots; the loop runs at 60 Hz and draws only when something changed.
// GUI thread only.
#pragma once

#include <future>
#include <memory>
#include <optional>
#include <string>

#include "app/cli.h"
#include "app/gl/colormap_images.h"
#include "app/gl/redraw.h"
#include "app/gl/screenshot.h"
#include "app/gl/window.h"
#include "app/panels/config_changes.h"
#include "app/layout_audit_run.h"
#include "app/panels/panel_context.h"
#include "app/panels/panels.h"
#include "app/panels/run_files.h"
#include "app/presenter.h"
#include "app/record/command_line_recording.h"
#include "app/record/record_window.h"
#include "app/record/recorder.h"
#include "core/trainer/trainer.h"

class UiApp {
public:
    UiApp(Window& window, aelab::Trainer& trainer, ColormapImages& images,
          const AppOptions& options);
    // Runs until the window closes (0) or the --screenshot run is done (0, or 2 on error).
    int run();
    const std::filesystem::path& autosave_path() const { return m_files.autosave_path(); }

private:
    struct Capture {
        std::string path;
        std::string panel;  // "" = whole window
        int scale = 1;
        int frames_to_wait = 2;  // let menus close and new windows appear first
        bool recording = false;  // a recording's frame (to m_recorder, not a PNG file)
        int64_t step = 0;        // the step of the snapshot it shows
    };

    bool frame();  // false when nothing changed and the frame was not drawn
    void note_frame_time(double seconds, bool saving);  // for --frame-stats
    bool input_activity() const;
    void handle_shortcuts(PanelContext& ctx);
    void queue_capture_requests();
    void capture(const Capture& capture, int fb_width, int fb_height);
    void poll_saving();
    void drive_command_line_screenshot(const aelab::Snapshot& snapshot);
    void drive_presenter(const aelab::Snapshot& snapshot);
    void queue_recording_frame(const aelab::Snapshot& snapshot);
    // A --screenshot or --record run: a picture of the panels, no autosave, no questions.
    bool picture_run() const { return !m_options.screenshot_path.empty() || !m_options.record.path.empty(); }

    Window& m_window;
    aelab::Trainer& m_trainer;
    ColormapImages& m_images;
    AppOptions m_options;
    MessageLog m_log;
    ViewRequests m_views;
    AppRequests m_requests;
    UiSettings m_settings;
    ConfigChanges m_changes;  // the undo history, for every panel through PanelContext
    PanelRegistry m_panels;
    RunFiles m_files;
    HelpWindows m_help;
    TimelineBar m_timeline_bar;
    Presenter m_presenter;             // View ▸ Presenter window, --presenter
    bool m_presenter_pending = false;  // --presenter: opened once the first frames are drawn
    std::optional<Capture> m_capture;
    std::unique_ptr<LayoutAuditRun> m_audit;  // --audit-layout
    Recorder m_recorder;  // File ▸ Record…, a panel's menu, --record
    RecordWindow m_record_window;
    std::optional<CommandLineRecording> m_command_line_recording;  // --record
    OffscreenTarget m_offscreen;
    std::future<std::optional<aelab::Error>> m_saving;
    std::string m_saving_path;
    bool m_command_line_capture_started = false;
    int m_ready_frames = 0;
    bool m_done = false;
    int m_exit_code = 0;
    float m_fps = 0;  // frames drawn per second
    Redraw m_redraw;
    // Frames drawn and seconds passed while the trainer was running (for --screenshot runs).
    int64_t m_training_frames = 0;
    double m_training_frame_seconds = 0;
    // The longest frame (seconds, drawing only), while no save was being written and while one
    // was.
    double m_longest_frame = 0, m_longest_frame_saving = 0;
    int64_t m_frames_while_saving = 0;
};
