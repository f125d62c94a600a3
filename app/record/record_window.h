// File ▸ Record… and a panel's "Record this panel…": the dialog that sets a recording up
// (what, every how many steps, how many frames, 1× or 2×, the step stamp, the file), and,
// while one runs, its counter (frames, bytes) and Stop in the main menu bar. GUI thread.
#pragma once

#include <string>

#include "app/panels/panel_context.h"
#include "app/record/recorder.h"

class RecordWindow {
public:
    // Opens the dialog for `panel` ("" = the whole window).
    void open(const std::string& panel);
    // Every frame, after the main menu bar: the dialog while open, the counter while
    // recording, and a message in the log when a recording's file is complete (or failed) —
    // unless `report_results` is false (a --record run reports them itself).
    void draw(PanelContext& ctx, Recorder& recorder, bool report_results = true);

private:
    void draw_dialog(PanelContext& ctx, Recorder& recorder);
    void draw_target_choice(PanelContext& ctx);
    void start(PanelContext& ctx, Recorder& recorder);
    static void draw_counter(Recorder& recorder);

    bool m_open = false;
    RecordSettings m_settings;
    char m_path[1024] = {};  // the file (or folder) typed
    std::string m_error;  // why the last Start failed, shown in the dialog
};
