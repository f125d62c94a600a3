// What the contractive penalty does, over time: the mean ‖J_x(h₁)‖²_F of the first encoder
// layer over the probe images — the quantity the penalty λ‖J‖² weighs — and, for a stack,
// the code's own ‖J_x(h)‖²_F, which is not what is penalised. Both fall when h moves less
// as x moves.
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
    const ThinnedSeries& layer1 = s.history.probe_jacobian;
    const ThinnedSeries& code = s.history.probe_code_jacobian;
    // The penalty acts on layer 1; for a one-layer autoencoder that is the code itself (a
    // VAE's μ is a layer of its own).
    const bool code_is_layer1 = s.probe_hidden.size() == 1 && s.config.model != ModelKind::Vae;
    ImGui::Checkbox("log scale", &state.log_scale);
    ImGui::SameLine();
    // Short enough for a third of the window; the long names are in the lines below.
    if (code_is_layer1)
        ImGui::Text("‖J‖²_F %.4g   λ %.3g", layer1.empty() ? 0.0 : layer1.last(),
                    s.config.knobs.contractive);
    else
        ImGui::Text("layer 1 %.4g   code %.4g   λ %.3g", layer1.empty() ? 0.0 : layer1.last(),
                    code.empty() ? 0.0 : code.last(), s.config.knobs.contractive);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    ImGui::TextWrapped(
        "Penalised: λ‖J_x(h₁)‖²_F of %s, ‖J_x(h₁)‖²_F = Σ_l Σ_j (∂h₁_l/∂x_j)² = "
        "Σ_l g′(z_l)² Σ_j W_lj²; for a sigmoid g′ = h(1−h).",
        code_is_layer1 ? "the code (here the first and only encoder layer)"
                       : "layer 1, the first encoder layer");
    if (!code_is_layer1)
        ImGui::TextWrapped(
            "%s: J = D_c W_c ⋯ D₁ W₁ through every layer; not penalised, shown to see what the "
            "penalty on layer 1 does to it.",
            s.config.model == ModelKind::Vae ? "The code μ" : "The code h");
    ImGui::PopStyleColor();
    plot::PlotOptions options;
    options.x_label = "step";
    options.y_label = "mean over the probe images";
    options.legend = !code_is_layer1;
    if (plot::begin_plot("##jacobian", ImVec2(-1, -1), options)) {
        if (state.log_scale) plot::setup_axis(plot::Axis::Y, plot::Scale::Log10);
        if (!layer1.empty())
            plot::plot_line(code_is_layer1 ? "‖J_x(h)‖²_F" : "layer 1 (penalised)",
                            layer1.x().data(), layer1.mean().data(), layer1.size(),
                            plot::palette_color(4));
        if (!code_is_layer1 && !code.empty())
            plot::plot_line("code", code.x().data(), code.mean().data(), code.size(),
                            plot::palette_color(0));
        plot::end_plot();
    }
}
