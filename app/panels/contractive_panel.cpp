// What the contractive penalty does, over time: the mean ‖J_x(h₁)‖²_F of the first encoder
// layer over the probe images — the quantity the penalty λ‖J‖² weighs — and, for a stack,
// the code's own ‖J_x(h)‖²_F, which is not what is penalised. Both fall when h moves less
// as x moves.
#include <cstdio>
#include <string>
#include <vector>

#include "app/panels/panel_needs.h"
#include "app/panels/panels.h"
#include "app/panels/widgets.h"
#include "app/plot/plot.h"

using namespace aelab;

namespace {
struct ContractiveState {
    bool log_scale = true;
};
// The panel's object: the registry owns one, and a reset replaces it (state and all).
struct ContractivePanel final : PanelObject {
    ContractiveState state;
    void draw(PanelContext& ctx) override;
    // The checkbox and figures, a line (the notes fold into a (?)), the plot.
    PanelNeeds needs(const PanelContext&) const override {
        const ImVec2 plot = needs::smallest_plot({.x_label = "step", .y_label = "mean over probes"});
        return {ImVec2(plot.x, 2 * needs::widget_line() + plot.y), 1.0f};
    }
};
}  // namespace

std::unique_ptr<PanelObject> make_contractive_panel() { return std::make_unique<ContractivePanel>(); }

void ContractivePanel::draw(PanelContext& ctx) {
    const Snapshot& s = ctx.snapshot;
    const ThinnedSeries& layer1 = s.curves.history.probe_jacobian;
    const ThinnedSeries& code = s.curves.history.probe_code_jacobian;
    // The penalty acts on layer 1; for a one-layer autoencoder that is the code itself (a
    // VAE's μ is a layer of its own).
    const bool code_is_layer1 = s.model.probes.hidden.size() == 1 && s.config.model != ModelKind::Vae;
    ImGui::Checkbox("log scale", &state.log_scale);
    // The latest figures after the checkbox, wrapping between figures in a narrow panel; the
    // long names are in the lines below.
    char first[48], code_now[48], lambda[32];
    std::snprintf(first, sizeof first, code_is_layer1 ? "‖J‖²_F %.4g" : "layer 1 %.4g",
                  layer1.empty() ? 0.0 : layer1.last());
    std::snprintf(code_now, sizeof code_now, "code %.4g", code.empty() ? 0.0 : code.last());
    std::snprintf(lambda, sizeof lambda, "λ %.3g", s.config.knobs.contractive);
    widgets::info_items(code_is_layer1 ? std::vector<std::string>{first, lambda}
                                       : std::vector<std::string>{first, code_now, lambda});
    std::string notes = std::string("Penalised: λ‖J_x(h₁)‖²_F of ") +
                        (code_is_layer1 ? "the code (here the first and only encoder layer)"
                                        : "layer 1, the first encoder layer") +
                        ", ‖J_x(h₁)‖²_F = Σ_l Σ_j (∂h₁_l/∂x_j)² = Σ_l g′(z_l)² Σ_j W_lj²; for a "
                        "sigmoid g′ = h(1−h).";
    if (!code_is_layer1)
        notes += std::string("\n") + (s.config.model == ModelKind::Vae ? "The code μ" : "The code h") +
                 ": J = D_c W_c ⋯ D₁ W₁ through every layer; not penalised, shown to see what the "
                 "penalty on layer 1 does to it.";
    plot::PlotOptions options;
    options.x_label = "step";
    options.y_label = "mean over probes";
    options.legend = !code_is_layer1;
    // The plot keeps its readable height: in a short panel the notes move into a (?).
    const float notes_h =
        ImGui::CalcTextSize(notes.c_str(), nullptr, false, ImGui::GetContentRegionAvail().x).y;
    if (ImGui::GetContentRegionAvail().y - notes_h < needs::smallest_plot(options).y) {
        ImGui::TextDisabled("what is penalised");
        ImGui::SameLine();
        widgets::help_marker(notes.c_str());
    } else {
        widgets::note(notes.c_str());
    }
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
