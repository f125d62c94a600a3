// The status bar along the bottom: state, step, epoch progress, speed, frame rate, newest message.
#include <cstdio>

#include "app/panels/panels.h"
#include "app/panels/widgets.h"

float status_bar_height() {
    return ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().WindowPadding.y;
}

void draw_status_bar(PanelContext& ctx) {
    const aelab::Snapshot& s = ctx.snapshot;
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float h = status_bar_height();
    ImGui::SetNextWindowPos(
        ImVec2(viewport->WorkPos.x, viewport->WorkPos.y + viewport->WorkSize.y - h));
    ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x, h));
    const ImGuiWindowFlags flags =
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
        ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoBringToFrontOnFocus;
    if (ImGui::Begin("##status", nullptr, flags)) {
        const char* state = s.status.loading          ? "loading"
                            : !s.status.error.empty() ? "stopped"
                            : s.status.running        ? "training"
                                               : "paused";
        ImGui::AlignTextToFramePadding();
        ImGui::Text("%s   step %lld   epoch %lld", state, (long long)s.progress.step, (long long)s.progress.epoch);
        if (s.timeline.viewing_step >= 0) {  // the timeline has a past step on view
            ImGui::SameLine();
            ImGui::PushStyleColor(ImGuiCol_Text, widgets::warning_color());
            ImGui::Text("  viewing step %s", widgets::format_step(s.timeline.viewing_step).c_str());
            ImGui::PopStyleColor();
            ImGui::SameLine();
            if (ImGui::SmallButton("back to live")) ctx.trainer.send(aelab::commands::ViewStep{-1});
        }
        ImGui::SameLine();
        char progress[32];
        std::snprintf(progress, sizeof progress, "%.0f %%", s.progress.epoch_progress * 100);
        ImGui::ProgressBar(float(s.progress.epoch_progress), ImVec2(ImGui::GetFontSize() * 8, 0), progress);
        ImGui::SameLine();
        ImGui::Text("  %.0f samples/s on %d %s   %.0f frames/s", s.progress.samples_per_second, s.status.threads,
                    s.status.threads == 1 ? "thread" : "threads", ctx.fps);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(
                "training samples per second of training time (evaluation "
                "excluded)\nthreads: %d, training and computing the views (config key "
                "threads; auto leaves the window a core)\nmatrix products: %s",
                s.status.threads, s.status.gemm_backend);
        if (const MessageLog::Entry* newest = ctx.log.newest()) {
            ImGui::SameLine();
            ImGui::TextDisabled("  |  ");
            ImGui::SameLine();
            const bool fresh = ctx.time - newest->time < 8.0;
            if (fresh) ImGui::PushStyleColor(ImGuiCol_Text, widgets::warning_color());
            // One line: cut with "…" when long, whole in the tooltip.
            const std::string shown =
                widgets::fit_text(newest->text, ImGui::GetContentRegionAvail().x);
            ImGui::TextUnformatted(shown.c_str());
            if (fresh) ImGui::PopStyleColor();
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("%s%sView ▸ Messages shows them all",
                                  shown != newest->text ? newest->text.c_str() : "",
                                  shown != newest->text ? "\n\n" : "");
        }
    }
    ImGui::End();
}
