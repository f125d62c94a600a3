#include "app/record/record_window.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include <imgui.h>

#include "app/panels/file_dialog.h"
#include "app/panels/panels.h"

using namespace aelab;

namespace {

std::string default_path(const std::string& panel) {
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
    std::string slug;
    for (char c : panel) slug += std::isalnum((unsigned char)c) ? char(std::tolower(c)) : '-';
    return "aelab-recording-" + (slug.empty() ? "" : slug + "-") + stamp + ".gif";
}

}  // namespace

void RecordWindow::open(const std::string& panel) {
    m_open = true;
    m_settings.panel = panel;
    std::snprintf(m_path, sizeof m_path, "%s", default_path(panel).c_str());
    m_error.clear();
}

void RecordWindow::draw(PanelContext& ctx, Recorder& recorder, bool report_results) {
    if (ctx.requests.record_dialog_for) open(*std::exchange(ctx.requests.record_dialog_for, std::nullopt));
    if (m_open) draw_dialog(ctx, recorder);
    if (recorder.progress().busy) draw_counter(recorder);
    if (!report_results) return;
    if (auto result = recorder.take_result()) {
        if (result->error)
            ctx.log.add("Recording not saved: " + *result->error, ctx.time, Severity::Error);
        else
            ctx.log.add("Recording saved to " + result->path + ": " + std::to_string(result->frames) +
                            " frames, " + format_file_size(uintmax_t(result->bytes)),
                        ctx.time);
    }
}

void RecordWindow::draw_target_choice(PanelContext& ctx) {
    const std::string shown = m_settings.panel.empty() ? "The whole window" : m_settings.panel;
    if (!ImGui::BeginCombo("What", shown.c_str())) return;
    if (ImGui::Selectable("The whole window", m_settings.panel.empty())) m_settings.panel.clear();
    for (const Panel& p : ctx.panels.panels())
        if (p.open && ImGui::Selectable(p.name, m_settings.panel == p.name)) m_settings.panel = p.name;
    ImGui::EndCombo();
}

void RecordWindow::draw_dialog(PanelContext& ctx, Recorder& recorder) {
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::Begin("Record###record", &m_open, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return;
    }
    draw_target_choice(ctx);
    ImGui::InputInt("Every (steps)", &m_settings.every);
    m_settings.every = std::clamp(m_settings.every, 1, 1000000);
    ImGui::InputInt("Frames (0: until Stop)", &m_settings.frames);
    m_settings.frames = std::clamp(m_settings.frames, 0, 100000);
    ImGui::RadioButton("1×", &m_settings.scale, 1);
    ImGui::SameLine();
    ImGui::RadioButton("2× (sharper slides)", &m_settings.scale, 2);
    ImGui::Checkbox("Stamp the step in a corner", &m_settings.stamp_step);
    ImGui::InputText("File", m_path, sizeof m_path);
    ImGui::TextDisabled(records_gif(m_path) ? "an animated GIF" : "a folder of numbered PNGs (no .gif at the end)");
    const bool busy = recorder.progress().busy;
    if (ImGui::Button("Start recording") && !busy) start(ctx, recorder);
    if (busy) {
        ImGui::SameLine();
        ImGui::TextDisabled("a recording is under way");
    }
    if (!m_error.empty()) ImGui::TextColored(ImVec4(0.85f, 0.1f, 0.1f, 1), "%s", m_error.c_str());
    ImGui::End();
}

void RecordWindow::start(PanelContext& ctx, Recorder& recorder) {
    m_settings.path = m_path;
    if (auto error = recorder.start(m_settings, ctx.snapshot.progress.step)) {
        m_error = error->message;
        ctx.log.add("Recording not started: " + error->message, ctx.time, Severity::Error);
        return;
    }
    m_open = false;  // the dialog would be in the frames
    const std::string what = m_settings.panel.empty() ? "the window" : m_settings.panel;
    ctx.log.add("Recording " + what + " every " + std::to_string(m_settings.every) + " steps to " +
                    m_settings.path,
                ctx.time);
}

void RecordWindow::draw_counter(Recorder& recorder) {
    // Appended to the main menu bar, right-aligned: in the frames of a whole-window
    // recording too, where it says what is being made.
    if (!ImGui::BeginMainMenuBar()) return;
    const Recorder::Progress p = recorder.progress();
    char text[128];
    std::snprintf(text, sizeof text, "%s %d frames, %s", p.recording ? "REC" : "writing", p.frames,
                  format_file_size(uintmax_t(p.bytes)).c_str());
    const float width = ImGui::CalcTextSize(text).x + ImGui::CalcTextSize("Stop").x +
                        ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetStyle().ItemSpacing.x * 2;
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowWidth() - width));
    ImGui::TextColored(ImVec4(0.85f, 0.1f, 0.1f, 1), "%s", text);
    if (p.recording && ImGui::SmallButton("Stop")) recorder.stop();
    ImGui::EndMainMenuBar();
}
