// The contractive penalty's quantity over time: the mean ‖J_x(h)‖²_F of the first encoder
// layer over the probe images. The penalty λ‖J‖² pushes it down: h moves less when x moves.
#include "app/panels/panels.h"
#include "app/plot/plot.h"

using namespace aelab;

namespace {
struct ContractiveState {
    bool log_scale = true;
};
ContractiveState state;
}  // namespace

void draw_contractive_panel(PanelContext& ctx) {
    const Snapshot& s = ctx.snapshot;
    const ThinnedSeries& j = s.history.probe_jacobian;
    ImGui::Checkbox("log scale", &state.log_scale);
    ImGui::SameLine();
    ImGui::Text("‖J‖²_F now %.4g   contractive λ %.3g", j.empty() ? 0.0 : j.last(),
                s.config.knobs.contractive);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    ImGui::TextWrapped(
        "‖J_x(h)‖²_F = Σ_l Σ_j (∂h_l/∂x_j)² = Σ_l g′(z_l)² Σ_j W_lj²; "
        "for a sigmoid g′ = h(1−h)");
    ImGui::PopStyleColor();
    plot::PlotOptions options;
    options.x_label = "step";
    options.y_label = "mean ‖J‖²_F over the probe";
    options.legend = false;
    if (plot::begin_plot("##jacobian", ImVec2(-1, -1), options)) {
        if (state.log_scale) plot::setup_axis(plot::Axis::Y, plot::Scale::Log10);
        if (!j.empty())
            plot::plot_line("‖J‖²_F", j.x().data(), j.mean().data(), j.size(),
                            plot::palette_color(4));
        plot::end_plot();
    }
}
