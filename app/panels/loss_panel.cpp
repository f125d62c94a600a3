// Loss curves: train (mini-batch objective, mean line with its min–max band) and test
// (held-out subset, measured every N steps and drawn as measured: a dot per point, "test,
// every N steps" in the legend), a marker wherever a knob changed, optional log
// scale; under them, when a penalty is on, one line per term of the objective (each can be
// hidden in the legend).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "app/panels/panel_needs.h"
#include "app/panels/panels.h"
#include "app/panels/widgets.h"
#include "app/plot/plot.h"
#include "core/views/run_hints.h"

using namespace aelab;

namespace {

struct LossState {
    bool log_scale = true;
    std::vector<double> marker_steps;
    std::vector<const char*> marker_labels;
    std::vector<std::string> labels;  // legend labels of the compared runs (kept till end_plot)
};
// The panel's object: the registry owns one, and a reset replaces it (state and all).
struct LossPanel final : PanelObject {
    LossState state;
    void draw(PanelContext& ctx) override;
    PanelNeeds needs(const PanelContext& ctx) const override;
};

// Terms that have been non-zero at some point of this run: each gets a curve of its own.
int active_terms(const History& h, bool active[kTermCount]) {
    int count = 0;
    for (int t = 0; t < kTermCount; ++t) {
        const auto& series = h.train_terms[t];
        active[t] =
            !series.empty() && *std::max_element(series.max().begin(), series.max().end()) > 0.0f;
        count += active[t];
    }
    return count;
}

void plot_series(const char* label, const char* band_label, const ThinnedSeries& series,
                 ImU32 color) {
    if (series.empty()) return;
    if (band_label && series.samples_per_bucket() > 1)
        plot::plot_band(band_label, series.x().data(), series.min().data(), series.max().data(),
                        series.size(), color);
    plot::plot_line(label, series.x().data(), series.mean().data(), series.size(), color);
}

// A series measured every N steps, as measured: a dot at each point and nothing between them
// (a line between points far apart shows a slope nobody measured, and after a knob change or
// a branch a gap between the curves that is not there).
void plot_measured(const char* label, const ThinnedSeries& series, ImU32 color) {
    if (series.empty()) return;
    plot::plot_points(label, series.x().data(), series.mean().data(), series.size(), color,
                      2.5f * ImGui::GetFontSize() / 13);
}

}  // namespace

std::unique_ptr<PanelObject> make_loss_panel() { return std::make_unique<LossPanel>(); }

PanelNeeds LossPanel::needs(const PanelContext& ctx) const {
    // The checkbox and the figures, then the objective's plot, at least the smallest
    // readable one. The terms' plot, while a penalty is on, comes when there is room for it
    // too (a line says so until then), and the panel weighs more for it.
    bool active[kTermCount] = {};
    const bool breakdown = active_terms(ctx.snapshot.curves.history, active) > 1;
    const ImVec2 plot = needs::smallest_plot({.x_label = "step", .y_label = "objective"});
    return {ImVec2(plot.x, needs::widget_line() + plot.y + (breakdown ? needs::line() : 0.0f)),
            breakdown ? 1.6f : 1.2f};
}

void LossPanel::draw(PanelContext& ctx) {
    const Snapshot& s = ctx.snapshot;
    const History& h = s.curves.history;
    ImGui::Checkbox("log scale", &state.log_scale);
    // The latest numbers, each only when measured: "test, clean" only while the last test
    // evaluation had a noise to leave out.
    std::vector<std::string> figures;
    char text[48];
    std::snprintf(text, sizeof text, "train %.4g", s.curves.last_train_terms.total());
    figures.push_back(text);
    if (s.curves.has_test) {
        std::snprintf(text, sizeof text, "test %.4g", s.curves.last_test_terms.total());
        figures.push_back(text);
    }
    if (s.curves.has_test_clean) {
        std::snprintf(text, sizeof text, "test, clean %.4g", s.curves.last_test_clean);
        figures.push_back(text);
    }
    widgets::info_items(figures);
    const std::string cadence = test_cadence_words(h);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "train: the objective of each mini-batch (line: mean per bucket, band: min–max)\n"
            "test: the same objective on %d held-out test images — input noise included,\n"
            "from a fixed seed, so the two curves measure the same thing; measured %s%s%s\n"
            "(a dot each time; the figure above is also measured when training stops)\n"
            "test, clean input: the objective without the noise (while a noise is on)",
            std::min(s.data.test_samples, 1000), cadence.empty() ? "now and then" : cadence.c_str(),
            h.test_every_since > 0 ? " since step " : "",
            h.test_every_since > 0 ? widgets::format_step(h.test_every_since).c_str() : "");
    // A run that stopped learning without a NaN (the trainer stops those itself) gets a hint.
    // (Dead units are those of a sigmoid or ReLU code: a linear or tanh one can go negative.)
    const Activation code = code_activation(s.config);
    const bool units_can_die = s.config.model == ModelKind::Autoencoder &&
                               (code == Activation::Sigmoid || code == Activation::Relu);
    const Vec no_units;
    if (auto hint = stalled_run_hint(h, units_can_die ? s.model.p_hat : no_units, code == Activation::Sigmoid))
        widgets::hint(hint->c_str());

    state.marker_steps.clear();
    state.marker_labels.clear();
    for (const Marker& m : h.markers) {
        state.marker_steps.push_back(double(m.step));
        state.marker_labels.push_back(m.label.c_str());
    }
    bool active[kTermCount] = {};
    const int terms = active_terms(h, active);
    // The breakdown needs room: each plot must be readable (needs::smallest_plot) and hold
    // its legend, or its curves cannot be told apart. The terms' plot takes 42 % of the
    // height, more when it needs it, while the objective's plot keeps its own. In a short
    // panel (a projector's zoom, many panels open) the objective keeps the whole height and a
    // line says where the terms went.
    constexpr float kTermsShare = 0.42f;
    plot::PlotOptions terms_options;
    terms_options.x_label = "step";
    terms_options.y_label = "terms (train, weighted)";
    plot::PlotOptions objective_options;
    objective_options.y_label = "objective";  // no x label above the terms' plot
    const int objective_lines =
        2 + (h.test_clean.empty() ? 0 : 1) + 2 * int(s.timeline.compared.size());
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    float plots_height = ImGui::GetContentRegionAvail().y;
    const float terms_height_wanted =
        std::max({plots_height * kTermsShare, plot::height_for_legend(terms, terms_options),
                  needs::smallest_plot(terms_options).y});
    const bool room_for_terms =
        plots_height - terms_height_wanted - spacing >=
        std::max(plot::height_for_legend(objective_lines, objective_options),
                 needs::smallest_plot(objective_options).y);
    const bool breakdown = terms > 1 && room_for_terms;
    if (terms > 1 && !room_for_terms) {
        widgets::info_after("(the terms' plot needs a taller panel)");
        plots_height = ImGui::GetContentRegionAvail().y;
    }
    const float total_height = breakdown ? plots_height - terms_height_wanted - spacing : plots_height;
    const bool compared = !s.timeline.compared.empty();
    // Legend labels: the live run's (named when runs are compared), then each compared run's;
    // every test entry says how often it is measured.
    const auto test_label = [](const std::string& run, const History& of) {
        const std::string words = test_cadence_words(of);
        return (run.empty() ? "test" : run + " test") + (words.empty() ? "" : ", " + words);
    };
    state.labels.clear();
    state.labels.push_back(compared ? s.timeline.run_name + " train" : "train");
    state.labels.push_back(test_label(compared ? s.timeline.run_name : "", h));
    for (const auto& run : s.timeline.compared) {
        state.labels.push_back(run->name + " train");
        state.labels.push_back(test_label(run->name, run->history));
    }

    plot::PlotOptions options;
    options.x_label = breakdown ? nullptr : "step";
    options.y_label = "objective";
    if (plot::begin_plot("##loss", ImVec2(-1, total_height), options)) {
        if (state.log_scale) plot::setup_axis(plot::Axis::Y, plot::Scale::Log10);
        // Compared runs first, faded, so the live run is drawn over them.
        for (size_t i = 0; i < s.timeline.compared.size(); ++i) {
            const History& old = s.timeline.compared[i]->history;
            const ImU32 hue = plot::palette_color(3 + int(i), 0.45f);
            plot_series(state.labels[2 + 2 * i].c_str(), nullptr, old.train, hue);
            plot_measured(state.labels[3 + 2 * i].c_str(), old.test,
                          plot::palette_color(3 + int(i), 0.35f));
        }
        plot_series(state.labels[0].c_str(), "##train range", h.train, plot::palette_color(0));
        plot_measured(state.labels[1].c_str(), h.test, plot::palette_color(1));
        if (s.timeline.viewing_step >= 0)
            plot::plot_vline("##viewing", double(s.timeline.viewing_step),
                             ImGui::GetColorU32(ImGuiCol_PlotHistogram));
        plot_measured("test, clean input", h.test_clean, plot::palette_color(7));
        if (!state.marker_steps.empty())
            plot::plot_markers(state.marker_steps.data(), state.marker_labels.data(),
                               int(state.marker_steps.size()));
        plot::end_plot();
    }
    if (breakdown) {
        const float terms_height = plots_height - total_height - spacing;
        if (plot::begin_plot("##terms", ImVec2(-1, terms_height), terms_options)) {
            if (state.log_scale) plot::setup_axis(plot::Axis::Y, plot::Scale::Log10);
            for (int t = 0; t < kTermCount; ++t)
                if (active[t])
                    plot_series(term_name(Term(t)), nullptr, h.train_terms[t],
                                plot::palette_color(2 + t));
            if (!state.marker_steps.empty())
                plot::plot_markers(state.marker_steps.data(), state.marker_labels.data(),
                                   int(state.marker_steps.size()));
            plot::end_plot();
        }
    }
}
