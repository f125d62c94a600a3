// Average activation p̂_j of each code unit (over recent training batches), one bar per unit,
// coloured by how far it is from the sparsity target: KL(p‖p̂_j). The target p is a line.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "app/panels/panel_needs.h"
#include "app/panels/panels.h"
#include "app/panels/widgets.h"
#include "app/plot/plot.h"
#include "core/views/metrics.h"

using namespace aelab;

namespace {

struct PHatState {
    bool sorted = false;
    uint64_t built_version = ~0ull;
    std::vector<float> values;
    std::vector<int> units;  // which unit each bar shows (sorted view)
    std::vector<ImU32> colors;
};
// The panel's object: the registry owns one, and a reset replaces it (state and all).
struct PHatPanel final : PanelObject {
    PHatState state;
    void draw(PanelContext& ctx) override;
    PanelNeeds needs(const PanelContext& ctx) const override;
};

const char* const kNoPenalty = "No sparsity penalty: p is only drawn for reference (Controls ▸ sparsity).";
const char* const kNotSigmoid = "KL(p‖p̂) assumes activations in (0, 1), as a sigmoid code gives.";

// The hint under the figures, if the run needs one.
const char* hint_for(const Config& config) {
    if (config.knobs.sparsity == SparsityKind::None) return kNoPenalty;
    if (code_activation(config) != Activation::Sigmoid && config.knobs.sparsity == SparsityKind::Kl)
        return kNotSigmoid;
    return nullptr;
}

plot::PlotOptions plot_options(bool sorted) {
    plot::PlotOptions options;
    options.x_label = sorted ? "units, most active first" : "hidden unit";
    options.y_label = "p̂";
    options.hover_readout = false;
    options.legend = false;  // the key above says what the colours and the line are
    return options;
}

double kl(double p, double q) {
    q = std::clamp(q, 1e-6, 1 - 1e-6);
    return p * std::log(p / q) + (1 - p) * std::log((1 - p) / (1 - q));
}

// Where a divergence falls on the colour scale: 0 on target, 1 at KL ≥ 0.99 (log-like, so
// that small misses already show).
float kl_position(double divergence) {
    return float(std::clamp(std::log10(1 + 100 * divergence) / 2.0, 0.0, 1.0));
}

// Near the target: the theme's first palette colour; far: red, through the KL's range.
ImU32 color_at(float t) {
    const ImVec4 near = ImGui::ColorConvertU32ToFloat4(plot::palette_color(0));
    const ImVec4 far(0.84f, 0.15f, 0.16f, 1.0f);
    return ImGui::GetColorU32(ImVec4(near.x + (far.x - near.x) * t, near.y + (far.y - near.y) * t,
                                     near.z + (far.z - near.z) * t, 1.0f));
}

void rebuild(PHatState& state, const Snapshot& s, float p) {
    const int m = int(s.model.p_hat.size());
    state.units.resize(m);
    std::iota(state.units.begin(), state.units.end(), 0);
    if (state.sorted)
        std::stable_sort(state.units.begin(), state.units.end(),
                         [&](int a, int b) { return s.model.p_hat[a] > s.model.p_hat[b]; });
    state.values.resize(m);
    state.colors.resize(m);
    for (int i = 0; i < m; ++i) {
        state.values[i] = s.model.p_hat[state.units[i]];
        state.colors[i] = color_at(kl_position(kl(p, state.values[i])));
    }
    state.built_version = s.version;
}

}  // namespace

std::unique_ptr<PanelObject> make_p_hat_panel() { return std::make_unique<PHatPanel>(); }

PanelNeeds PHatPanel::needs(const PanelContext& ctx) const {
    const ImVec2 plot = needs::smallest_plot(plot_options(state.sorted));
    const char* hint = hint_for(ctx.snapshot.config);
    // The figures (two lines where narrow), the hint, the colour key, the plot.
    const float height = 2 * needs::widget_line() + (hint ? needs::text_height(hint, plot.x) : 0.0f) +
                         needs::widget_line() + plot.y;
    return {ImVec2(plot.x, height), 1.0f};
}

void PHatPanel::draw(PanelContext& ctx) {
    const Snapshot& s = ctx.snapshot;
    if (s.config.model == ModelKind::Vae) {
        widgets::note("p̂ is shown for autoencoders; the VAE's code is μ and log σ².");
        return;
    }
    const int m = int(s.model.p_hat.size());
    if (m == 0) {
        ImGui::TextDisabled("No model yet.");
        return;
    }
    const float p = s.config.knobs.sparsity_p;
    if (ImGui::Checkbox("sorted", &state.sorted)) state.built_version = ~0ull;
    // (The size too: another trainer's snapshot — a test's, or after a new window — may
    // carry the same version number.)
    if (state.built_version != s.version || int(state.values.size()) != m) rebuild(state, s, p);
    const int dead = int((s.model.p_hat.array() < kDeadUnit).count());
    const int saturated = int((s.model.p_hat.array() > kSaturatedUnit).count());
    char mean[40], target[40], dead_text[32], saturated_text[32];
    std::snprintf(mean, sizeof mean, "mean p̂ %.3f", s.model.p_hat.mean());
    std::snprintf(target, sizeof target, "target p %.3f", p);
    std::snprintf(dead_text, sizeof dead_text, "dead %d", dead);
    std::snprintf(saturated_text, sizeof saturated_text, "saturated %d", saturated);
    for (const char* item : {mean, target, dead_text, saturated_text}) {
        widgets::same_line_if_fits(ImGui::CalcTextSize(item).x);
        ImGui::TextUnformatted(item);
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "p̂_j: unit j's mean activation over recent training batches\n"
            "dead: p̂ < %.2f   saturated: p̂ > %.2f\n"
            "bar colour: KL(p‖p̂_j), blue on target → red far from it",
            kDeadUnit, kSaturatedUnit);
    if (const char* hint = hint_for(s.config)) widgets::hint(hint);

    // The bars' colour says how far each p̂_j is from p: a key, not a legend swatch.
    widgets::color_key("bar colour: KL(p‖p̂_j)", "0", "≥ 1", color_at,
                       "Each bar is coloured by KL(p‖p̂_j): on target at the left end, far from "
                       "it (KL ≥ 1) at the right. The black line is the target p.");
    if (plot::begin_plot("##p_hat", ImVec2(-1, -1), plot_options(state.sorted))) {
        // Headroom over the tallest bar and over the line p, so the line stays in sight.
        const float top = std::min(1.0f, std::max({2.5f * p, s.model.p_hat.maxCoeff() * 1.1f, 0.02f}));
        plot::setup_axis_limits(plot::Axis::Y, 0, top);
        plot::setup_axis_limits(plot::Axis::X, 0.5, m + 0.5);
        plot::plot_bars("p̂_j", state.values.data(), m, 1, 1, m > 200 ? 1.0 : 0.8, 0,
                        state.colors.data());
        plot::plot_hline("target p", p, ImGui::GetColorU32(ImGuiCol_Text));  // over the bars
        if (plot::is_plot_hovered()) {
            const int i = int(std::lround(plot::mouse_position().x)) - 1;
            if (i >= 0 && i < m)
                ImGui::SetTooltip("unit %d: p̂ = %.4f\nKL(p‖p̂) = %.4f", state.units[i] + 1,
                                  state.values[i], kl(p, state.values[i]));
        }
        plot::end_plot();
    }
}
