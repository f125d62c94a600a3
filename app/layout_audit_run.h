// --audit-layout: the window shows every step of its lesson (or the default run) in each of
// the views a class sees it in — 1280×720 at 130 % zoom and 1920×1080 at 100 %, light and
// dark — trained a few steps, its computed views ready, and the layout audit
// (app/panels/layout_audit.h) judges each frame. One launch covers a lesson. GUI thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/gl/window.h"
#include "app/panels/layout_audit.h"
#include "app/panels/panel_context.h"

class LayoutAuditRun {
public:
    struct View {
        int width, height;
        float zoom;
        bool dark;
    };
    // `train_steps`: steps trained at each lesson step before it is looked at.
    LayoutAuditRun(Window& window, int64_t train_steps, std::string subject);

    // Before the frame's panels are drawn: moves on to the next step or view when this one is
    // judged, and says whether this frame is the one to judge.
    void before_draw(PanelContext& ctx, UiSettings& settings);
    // After ImGui::Render(): judges the frame when before_draw said so.
    void after_render(const ImFont& font);
    bool done() const { return m_phase == Phase::Done; }
    int exit_code() const { return m_exit_code; }

private:
    enum class Phase { Train, Settle, Judge, Done };
    void start_step(PanelContext& ctx);
    bool trained(const aelab::Snapshot& s) const;
    bool views_ready(const PanelContext& ctx) const;
    void finish(int exit_code, const std::string& why = "");
    std::string where() const;

    Window& m_window;
    int64_t m_train_steps;
    std::string m_subject;  // "lesson 06" or "the default run"
    std::vector<View> m_views;
    int m_step = 0, m_steps = 1;  // the lesson's step on view, and how many it has
    size_t m_view = 0;
    Phase m_phase = Phase::Train;
    bool m_step_started = true;  // step 0 is where the window opens
    int64_t m_step_at_start = 0;
    uint64_t m_model_at_start = 0;
    int m_settled_frames = 0;
    double m_phase_started = -1;
    std::vector<std::string> m_faults;  // each with where it was seen
    int m_judged = 0;
    double m_started = -1;
    int m_exit_code = 0;
};
