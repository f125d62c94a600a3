#include "app/layout_audit_run.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include <imgui.h>

#include "app/panels/panels.h"
#include "app/plot/plot.h"

using namespace aelab;

namespace {

constexpr int kSettleFrames = 6;       // frames at a view before it is judged: layouts settle
constexpr double kPhaseSeconds = 300;  // a step that trains or computes longer is a failure

}  // namespace

LayoutAuditRun::LayoutAuditRun(Window& window, int64_t train_steps, std::string subject)
    : m_window(window),
      m_train_steps(train_steps),
      m_subject(std::move(subject)),
      m_views{{1280, 720, 1.3f, false},
              {1280, 720, 1.3f, true},
              {1920, 1080, 1.0f, false},
              {1920, 1080, 1.0f, true}} {}

std::string LayoutAuditRun::where() const {
    const View& v = m_views[m_view];
    char text[160];
    std::snprintf(text, sizeof text, "%s step %d of %d, %d×%d at %.0f %%, %s", m_subject.c_str(),
                  m_step + 1, m_steps, v.width, v.height, 100 * v.zoom, v.dark ? "dark" : "light");
    return text;
}

// The lesson's step: as its Next button does (a rebuild, or new live knobs), then trained.
void LayoutAuditRun::start_step(PanelContext& ctx) {
    m_step_started = true;
    m_step_at_start = ctx.snapshot.progress.step;
    m_model_at_start = ctx.snapshot.model_version;
    go_to_lesson_step(ctx, m_step);
    ctx.trainer.send(commands::Step{int(m_train_steps)});  // also stops a Play the step sent
}

// Trained the steps asked for: a new model (a rebuild) from 0, the same one from where it was.
bool LayoutAuditRun::trained(const Snapshot& s) const {
    if (s.status.loading || s.status.running) return false;
    const bool rebuilt = s.model_version != m_model_at_start;
    return rebuilt ? s.progress.step >= m_train_steps : s.progress.step >= m_step_at_start + m_train_steps;
}

// Every computed view an open panel asked for has its result: the panels show it, not
// "computing…".
bool LayoutAuditRun::views_ready(const PanelContext& ctx) const {
    for (int v = 0; v < kViewCount; ++v)
        if (ctx.views.asked(ViewId(v)) && !ctx.snapshot.model.computed[size_t(v)]) return false;
    return true;
}

void LayoutAuditRun::before_draw(PanelContext& ctx, UiSettings& settings) {
    const Snapshot& s = ctx.snapshot;
    if (m_started < 0) m_started = ctx.time, m_steps = std::max(1, lesson_steps(ctx.panels));
    if (m_phase_started < 0) m_phase_started = ctx.time;
    if (!s.status.error.empty() || !s.status.rebuild_refused.empty())
        return finish(2, where() + ": " + (s.status.error.empty() ? s.status.rebuild_refused : s.status.error));
    if (ctx.time - m_phase_started > kPhaseSeconds)
        return finish(2, where() + ": not trained or not computed within 300 s");
    const View& view = m_views[m_view];
    settings.zoom = view.zoom;
    settings.dark_theme = view.dark;
    if (m_phase == Phase::Train) {
        if (!m_step_started) start_step(ctx);
        if (!trained(s)) return;
        m_phase = Phase::Settle;
        m_settled_frames = 0;
    }
    if (m_phase == Phase::Settle) {
        int width = 0, height = 0;
        m_window.framebuffer_size(width, height);
        const ImVec2 shown = ImGui::GetIO().DisplaySize;
        if (width != view.width || height != view.height || shown.x != view.width ||
            shown.y != view.height) {
            m_window.set_size(view.width, view.height);
            m_settled_frames = 0;
            return;
        }
        // Views that depend on the size (the latent plane's window) ask again: wait for them.
        if (!views_ready(ctx)) m_settled_frames = 0;
        if (++m_settled_frames >= kSettleFrames) m_phase = Phase::Judge;
    }
}

void LayoutAuditRun::after_render(const ImFont& font) {
    if (m_phase != Phase::Judge) return;
    const ImDrawData* data = ImGui::GetDrawData();
    for (const LayoutFault& f : audit_layout(*data, font, plot::drawn_frame()))
        m_faults.push_back(where() + ": " + f.window + ": " + to_string(f.kind) + ": " + f.what);
    ++m_judged;
    m_phase = Phase::Settle;
    m_settled_frames = 0;
    m_phase_started = -1;
    if (++m_view < m_views.size()) return;
    m_view = 0;
    if (++m_step < m_steps) {
        m_phase = Phase::Train;
        m_step_started = false;
        return;
    }
    for (const std::string& fault : m_faults) std::cout << "aelab: layout: " << fault << "\n";
    const double seconds = ImGui::GetTime() - m_started;
    std::cout << "aelab: layout audit of " << m_subject << ": " << m_steps << " step"
              << (m_steps == 1 ? "" : "s") << " × " << m_views.size() << " views, " << m_judged
              << " frames judged, " << m_faults.size() << " fault"
              << (m_faults.size() == 1 ? "" : "s") << " (" << int(seconds + 0.5) << " s)\n";
    finish(m_faults.empty() ? 0 : 1);
}

void LayoutAuditRun::finish(int exit_code, const std::string& why) {
    if (!why.empty()) std::cerr << "aelab: layout audit: " << why << "\n";
    m_exit_code = exit_code;
    m_phase = Phase::Done;
}
