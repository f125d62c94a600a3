// The timeline, a strip along the bottom of the window above the status bar, under the
// panels: a slider over the checkpoints the trainer keeps (core/timeline.h) that puts every
// model view at a past step, the memory they take, "back to live", "continue from here" (a
// branch: the run that was live stays on the loss curves, faded, for comparison), the live
// run's name, and the Runs button: back to a run kept whole (one a rebuild, a reset or a
// branch replaced), or forget them.
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "app/panels/config_changes.h"
#include "app/panels/panels.h"
#include "app/panels/widgets.h"
#include "core/run/memory_budget.h"
#include "core/run/timeline.h"

using namespace aelab;

namespace {

// The checkpoint index of `step` (the nearest kept one).
int index_of(const std::vector<int64_t>& steps, int64_t step) {
    const auto it = std::lower_bound(steps.begin(), steps.end(), step);
    if (it == steps.end()) return int(steps.size()) - 1;
    if (it != steps.begin() && step - *(it - 1) < *it - step) return int(it - steps.begin()) - 1;
    return int(it - steps.begin());
}

// The runs beside the live one: back to one kept whole (the run live now is kept in its
// place), and forget them all.
void draw_runs_popup(PanelContext& ctx) {
    const Snapshot& s = ctx.snapshot;
    if (!ImGui::BeginPopup("##runs")) return;
    for (const auto& run : s.timeline.compared) {
        if (!run->kept) {
            ImGui::TextDisabled("%s: its curves only", run->name.c_str());
            continue;
        }
        const std::string item = "Back to " + run->name + " (step " +
                                 widgets::format_step(run->kept->state.step) + ")";
        if (ImGui::MenuItem(item.c_str())) {
            const uint64_t id = run->kept->id;
            ctx.changes.replace_run(ctx, "going back to " + run->name, [id](PanelContext& c) {
                c.trainer.send(commands::ReturnTo{id});
            });
        }
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Continue %s where it stopped; %s is kept in its place",
                              run->name.c_str(), s.timeline.run_name.c_str());
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Forget them")) ctx.trainer.send(commands::ForgetCompared{});
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Take these runs off the loss curves, and free the weights kept");
    ImGui::EndPopup();
}

}  // namespace

float timeline_bar_height() {
    return ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().WindowPadding.y;
}

void TimelineBar::draw(PanelContext& ctx) {
    const Snapshot& s = ctx.snapshot;
    const std::vector<int64_t>& steps = s.timeline.checkpoint_steps;
    const int live = int(steps.size());
    const bool viewing = s.timeline.viewing_step >= 0;
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float h = timeline_bar_height();
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x, viewport->WorkPos.y + viewport->WorkSize.y -
                                                            status_bar_height() - h));
    ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x, h));
    const ImGuiWindowFlags flags =
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
        ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoBringToFrontOnFocus;
    if (!ImGui::Begin("##timeline", nullptr, flags)) {
        ImGui::End();
        return;
    }
    const float x_spacing = ImGui::GetStyle().ItemSpacing.x;
    const auto button_width = [](const char* text) {
        return ImGui::CalcTextSize(text).x + 2 * ImGui::GetStyle().FramePadding.x;
    };

    // The slider, then what the checkpoints take, then the buttons and the name. While dragged
    // the slider keeps its own position; otherwise it follows the trainer (checkpoints are
    // thinned as the run goes on, so indices move).
    const bool dragging = m_dragging;
    if (!dragging) m_index = viewing && live > 0 ? index_of(steps, s.timeline.viewing_step) : live;
    char label[128];
    if (m_index >= live)
        std::snprintf(label, sizeof label, "live, step %s", widgets::format_step(s.progress.step).c_str());
    else
        std::snprintf(label, sizeof label, "step %s of %s",
                      widgets::format_step(steps[m_index]).c_str(),
                      widgets::format_step(s.progress.step).c_str());
    // The runs kept whole share the checkpoints' budget (Lineage).
    size_t kept_bytes = 0;
    int kept_runs = 0;
    for (const auto& run : s.timeline.compared)
        if (run->kept) kept_bytes += run->kept->bytes(), ++kept_runs;
    std::string memory_text = std::to_string(live) + " kept";
    if (kept_runs > 0)
        memory_text += " + " + std::to_string(kept_runs) + (kept_runs == 1 ? " run" : " runs");
    memory_text += ", " + format_bytes(double(s.timeline.bytes + kept_bytes)) + " of " +
                   format_bytes(double(s.timeline.budget));
    const char* memory = memory_text.c_str();
    const bool compared = !s.timeline.compared.empty();
    const std::string runs_label = "Runs (" + std::to_string(s.timeline.compared.size()) + ")";
    const float name_width = ImGui::GetFontSize() * 9;
    const float rest = ImGui::CalcTextSize("Timeline").x + ImGui::CalcTextSize(memory).x +
                       button_width("Back to live") + button_width("Continue from here") +
                       name_width + (compared ? button_width(runs_label.c_str()) + x_spacing : 0) +
                       6 * x_spacing;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Timeline");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(std::max(ImGui::GetFontSize() * 10, ImGui::GetContentRegionAvail().x - rest));
    // On a past step the slider takes the colour of the past panels' title bars.
    if (viewing) {
        ImVec4 tint = ImGui::GetStyleColorVec4(ImGuiCol_PlotHistogram);
        tint.w = 0.45f;
        ImGui::PushStyleColor(ImGuiCol_FrameBg, tint);
        ImGui::PushStyleColor(ImGuiCol_FrameBgHovered, tint);
        ImGui::PushStyleColor(ImGuiCol_FrameBgActive, tint);
    }
    int index = m_index;
    if (ImGui::SliderInt("##steps", &index, 0, std::max(live, 1), label,
                         ImGuiSliderFlags_NoInput | ImGuiSliderFlags_AlwaysClamp) &&
        live > 0 && index != m_index) {
        m_index = index;
        ctx.trainer.send(commands::ViewStep{index >= live ? -1 : steps[index]});
    }
    m_dragging = ImGui::IsItemActive();
    if (viewing) ImGui::PopStyleColor(3);
    if (ImGui::IsItemHovered() && !dragging)
        ImGui::SetTooltip(
            "The timeline: drag left to show every model view (reconstructions, filters,\n"
            "activations, p̂, latent space, PCA, anomaly) as the model was at a kept step;\n"
            "training goes on. The right end is the live model.");
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("%s", memory);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "%d checkpoints of the whole training state: the start densely, then evenly\n"
            "spaced (the spacing doubles when the memory budget is full), and the newest few.\n"
            "The runs kept to go back to (Runs) take at most half of the budget.\n"
            "Budget: --checkpoint-budget-mb on the command line (default 256).",
            live);

    ImGui::SameLine();
    ImGui::BeginDisabled(!viewing);
    if (ImGui::Button("Back to live")) ctx.trainer.send(commands::ViewStep{-1});
    ImGui::SameLine();
    if (ImGui::Button("Continue from here")) ctx.trainer.send(commands::Branch{});
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip(
            "Start a new run from the step on view, with the knobs as they are set now.\n"
            "The run that was live stays on the loss curves, faded, under its name.");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (!ImGui::IsItemActive() && m_synced_name != s.timeline.run_name) {
        m_synced_name = s.timeline.run_name;
        std::snprintf(m_name, sizeof m_name, "%s", s.timeline.run_name.c_str());
    }
    ImGui::SetNextItemWidth(name_width);
    ImGui::InputTextWithHint("##name", "name of this run", m_name, sizeof m_name);
    if (ImGui::IsItemDeactivatedAfterEdit() && m_name[0] != '\0')
        ctx.trainer.send(commands::NameRun{m_name});
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("The live run's name, in the legend when runs are compared");
    if (compared) {
        ImGui::SameLine();
        if (ImGui::Button(runs_label.c_str())) ImGui::OpenPopup("##runs");
        if (ImGui::IsItemHovered()) {
            std::string names;
            for (const auto& run : s.timeline.compared) names += (names.empty() ? "" : ", ") + run->name;
            ImGui::SetTooltip("The runs kept beside the live one (%s): go back to one, or forget them",
                              names.c_str());
        }
        draw_runs_popup(ctx);
    }
    ImGui::End();
}
