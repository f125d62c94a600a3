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
        // Live: 0 while paused, the capped rate in slow motion (the trainer measures it over
        // wall-clock time); the pure training speed, averaged over the run, is in the tooltip.
        ImGui::Text("  %.0f samples/s on %d %s   %.0f frames/s",
                    s.status.running ? s.progress.samples_per_second : 0.0, s.status.threads,
                    s.status.threads == 1 ? "thread" : "threads", ctx.fps);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(
                "training samples per second now (evaluation and slow motion included)\n"
                "training alone, over this run: %.0f samples/s\n"
                "threads: %d, training and computing the views (config key threads; auto leaves "
                "the window a core)\nmatrix products: %s",
                s.progress.training_seconds > 0
                    ? double(s.progress.samples_seen) / s.progress.training_seconds
                    : 0.0,
                s.status.threads, s.status.gemm_backend);
        if (const MessageLog::Entry* message = ctx.log.current(ctx.time)) {
            ImGui::SameLine();
            ImGui::TextDisabled("  |  ");
            ImGui::SameLine();
            // Info in the text colour; only warnings are orange and errors red.
            const bool coloured = message->severity != aelab::Severity::Info;
            if (coloured)
                ImGui::PushStyleColor(ImGuiCol_Text, message->severity == aelab::Severity::Error
                                                         ? widgets::error_color()
                                                         : widgets::warning_color());
            // One line: cut with "…" when long, whole in the tooltip.
            const std::string shown =
                widgets::fit_text(message->text, ImGui::GetContentRegionAvail().x);
            ImGui::TextUnformatted(shown.c_str());
            if (coloured) ImGui::PopStyleColor();
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("%s%sView ▸ Messages shows them all",
                                  shown != message->text ? message->text.c_str() : "",
                                  shown != message->text ? "\n\n" : "");
        }
    }
    ImGui::End();
}
