// Anomaly detection: flag a test image when its reconstruction error exceeds t = μ + kσ of
// the training errors (seed 000, question 5). Histograms of normal and held-out test errors
// with μ, μ ± σ and t; the false-alarm and detection rates as k moves (computed here from
// the published errors: no retraining); what a Gaussian would promise; the ROC curve with
// its AUC; galleries of the most anomalous normal images and the held-out images the rule
// misses (click one: it becomes probe 1); the per-class AUC table, computed when asked.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "app/panels/image_views.h"
#include "app/panels/panel_needs.h"
#include "app/panels/panels.h"
#include "core/lessons/lesson.h"
#include "app/panels/widgets.h"
#include "app/plot/plot.h"
#include "core/views/anomaly_view.h"

using namespace aelab;

namespace {

constexpr int kBins = 60;
// The fewest images a gallery row shows, and the gallery's row label.
constexpr int kLeastGallery = 5;
float gallery_label_width() {
    return ImGui::CalcTextSize("reconstruction ").x + 8;
}

struct AnomalyState {
    AnomalyRequest request;
    float k = 3;
    uint64_t shown_pass = 0;  // the pass the arrays and textures below were built from
    uint64_t version = 0;
    std::vector<float> roc_x, roc_y, scratch;
    double x_hi = 1;  // histogram range: [0, the 99.5th percentile of all test errors]
};
// The panel's object: the registry owns one, and a reset replaces it (state and all).
struct AnomalyPanel final : PanelObject {
    AnomalyState state;
    void draw(PanelContext& ctx) override;
    PanelNeeds needs(const PanelContext& ctx) const override;
    // k in t = μ + kσ, which a lesson's Try button may set.
    std::optional<double> view_setting(ViewSetting setting) const override {
        if (setting == ViewSetting::AnomalyK) return state.k;
        return std::nullopt;
    }
    bool set_view_setting(ViewSetting setting, double value) override {
        if (setting != ViewSetting::AnomalyK) return false;
        state.k = float(value);
        return true;
    }
};

void rebuild_arrays(AnomalyState& state, const AnomalyView& v) {
    state.roc_x.clear(), state.roc_y.clear();
    for (const RocPoint& p : v.roc) {
        state.roc_x.push_back(p.false_alarm_rate);
        state.roc_y.push_back(p.detection_rate);
    }
    std::vector<float> all = v.errors.test;
    if (all.empty()) return;
    const size_t q = std::min(all.size() - 1, size_t(0.995 * double(all.size())));
    std::nth_element(all.begin(), all.begin() + q, all.end());
    const double mu = v.errors.train_stats.mean, sigma = v.errors.train_stats.sigma;
    state.x_hi = std::max({double(all[q]), mu + 6.2 * sigma, 1e-9});
}

void draw_histogram(AnomalyState& state, const AnomalyView& v, const std::string& held_name, const AnomalyRates& r,
                    ImVec2 size) {
    plot::PlotOptions o;
    o.x_label = v.errors.measure == ErrorMeasure::NegativeElbo ? "−ELBO (z = μ)"
                                                                : "squared error per pixel";
    o.y_label = "density";
    o.hover_readout = false;
    o.legend = false;  // the key is the line above: a box would hide the tail
    // The key's entries on one line while they fit in the plot's width, else on the next.
    const ImGuiStyle& style = ImGui::GetStyle();
    float used = -1;  // the width taken on this line; −1 before the first entry
    const auto key = [&](int color, float alpha, const char* text) {
        const float width = ImGui::CalcTextSize("■").x + 3 + ImGui::CalcTextSize(text).x;
        if (used >= 0 && used + style.ItemSpacing.x + width <= size.x) {
            ImGui::SameLine();
            used += style.ItemSpacing.x + width;
        } else {
            used = width;
        }
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(plot::palette_color(color, alpha)), "■");
        ImGui::SameLine(0, 3);
        ImGui::TextUnformatted(text);
    };
    ImGui::BeginGroup();
    const float key_top = ImGui::GetCursorPosY();
    key(0, 0.55f, "normal test images");
    if (!v.errors.holdout_sorted.empty()) key(3, 0.55f, held_name.c_str());
    key(2, 1, "μ");
    key(2, 0.45f, "μ ± σ");
    key(6, 1, "t");
    size.y -= ImGui::GetCursorPosY() - key_top;
    if (!plot::begin_plot("##errors", size, o)) {
        ImGui::EndGroup();
        return;
    }
    plot::setup_axis_limits(plot::Axis::X, 0, state.x_hi);
    const AnomalyErrors& e = v.errors;
    plot::plot_histogram("normal test images", e.normal_sorted.data(), int(e.normal_sorted.size()),
                         kBins, 0, state.x_hi, plot::palette_color(0, 0.55f), true);
    if (!e.holdout_sorted.empty())
        plot::plot_histogram(held_name.c_str(), e.holdout_sorted.data(),
                             int(e.holdout_sorted.size()), kBins, 0, state.x_hi,
                             plot::palette_color(3, 0.55f), true);
    const double mu = e.train_stats.mean, sigma = e.train_stats.sigma;
    plot::plot_vline("μ (training)", mu, plot::palette_color(2));
    plot::plot_vline("μ ± σ", mu - sigma, plot::palette_color(2, 0.45f));
    plot::plot_vline("μ ± σ", mu + sigma, plot::palette_color(2, 0.45f));
    char label[48];
    std::snprintf(label, sizeof label, "t = μ + %.1fσ", state.k);
    plot::plot_vline(label, r.threshold, plot::palette_color(6));
    plot::end_plot();
    ImGui::EndGroup();
}

void draw_roc(AnomalyState& state, const AnomalyView& v, const AnomalyRates& r, ImVec2 size) {
    plot::PlotOptions o;
    o.x_label = "false-alarm rate";
    o.y_label = "detection rate";
    o.hover_readout = false;
    o.legend = false;  // too small a plot for a box: the AUC is written inside instead
    o.equal_aspect = true;
    if (!plot::begin_plot("##roc", size, o)) return;
    plot::setup_axis_limits(plot::Axis::X, 0, 1);
    plot::setup_axis_limits(plot::Axis::Y, 0, 1);
    static const float diagonal[2] = {0, 1};
    plot::plot_line("chance", diagonal, diagonal, 2, plot::palette_color(7, 0.5f));
    char label[48];
    std::snprintf(label, sizeof label, "ROC, AUC = %.3f", v.errors.auc);
    plot::plot_line(label, state.roc_x.data(), state.roc_y.data(), int(state.roc_x.size()),
                    plot::palette_color(0));
    static float mark_x, mark_y;  // plotted data must outlive end_plot()
    mark_x = float(r.false_alarm_rate);
    mark_y = float(r.detection_rate);
    std::snprintf(label, sizeof label, "k = %.1f", state.k);
    plot::plot_scatter(label, &mark_x, &mark_y, 1, plot::palette_color(6), 5);
    std::snprintf(label, sizeof label, "AUC %.3f", v.errors.auc);
    plot::plot_text(0.62, 0.12, label);
    plot::end_plot();
}

// One gallery: images over their reconstructions, each with its error; a click makes the
// image probe 1.
void draw_gallery(AnomalyState& state, PanelContext& ctx, const char* title, const char* key,
                  const AnomalyView::Gallery& g, const AnomalyView& v, double threshold,
                  float width, float max_tile) {
    widgets::text_wrapped("%s", title);
    const int count = int(g.indices.size());
    if (count == 0) {
        ImGui::TextDisabled("  (none)");
        return;
    }
    const Snapshot& s = ctx.snapshot;
    const float label_w = gallery_label_width();
    // As many as fit at kMinTile or more (the most anomalous first), as large as allowed.
    const int shown = std::clamp(int((width - label_w) / (kMinTile + 3)), 1, count);
    const float tile = std::clamp((width - label_w) / shown - 3, kMinTile,
                                  std::max(kMinTile, std::min(64.0f * ctx.settings.zoom, max_tile)));
    const std::string images_key = std::string(key) + "/images";
    const std::string recon_key = std::string(key) + "/recon";
    int hovered = image_views::tile_row(ctx.images, images_key.c_str(), state.version, g.images,
                                        s.data.image_width, s.data.image_height, "test image", label_w,
                                        tile, false, state.scratch, shown);
    const bool clicked = hovered >= 0 && ImGui::IsMouseClicked(ImGuiMouseButton_Left);
    const int under =
        image_views::tile_row(ctx.images, recon_key.c_str(), state.version, g.reconstructions,
                              s.data.image_width, s.data.image_height, "reconstruction", label_w, tile,
                              false, state.scratch, shown);
    if (hovered < 0) hovered = under;
    // Flagged images (error above t) get a frame in t's colour.
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 end = ImGui::GetCursorScreenPos();
    for (int i = 0; i < shown; ++i) {
        if (g.errors[i] <= threshold) continue;
        const float x = end.x + label_w + i * (tile + 3);
        draw->AddRect(ImVec2(x - 2, end.y - 2 * (tile + 3) - 2), ImVec2(x + tile + 2, end.y - 1),
                      plot::palette_color(6), 0, 0, 2);
    }
    if (hovered >= 0) {
        const int index = g.indices[hovered];
        const int label = v.test_labels[index];
        ImGui::SetTooltip("test image %d: %s\nerror %.4g (%s t)\nclick: make it probe 1", index,
                          label < int(s.data.class_names.size()) ? s.data.class_names[label].c_str() : "?",
                          g.errors[hovered], g.errors[hovered] > threshold ? "above" : "below");
    }
    if (clicked) ctx.trainer.send(commands::SetProbe{g.indices[hovered]});
}

void draw_class_table(AnomalyState& state, const Snapshot& s, const AnomalyView& v) {
    if (!state.request.class_table || v.class_auc.empty()) return;
    std::string line;
    int done = 0;
    for (size_t c = 0; c < v.class_auc.size(); ++c) {
        const std::string name = c < s.data.class_names.size() ? s.data.class_names[c] : std::to_string(c);
        char cell[64];
        if (std::isnan(v.class_auc[c]))
            std::snprintf(cell, sizeof cell, "%s …", name.c_str());
        else
            std::snprintf(cell, sizeof cell, "%s %.2f", name.c_str(), v.class_auc[c]), ++done;
        line += (c ? "  ·  " : "") + std::string(cell);
    }
    widgets::text_wrapped("PCA-%d stand-in, AUC: %s", v.class_table_k, line.c_str());
    if (done < int(v.class_auc.size()))
        ImGui::TextDisabled("computing… %d of %d classes", done, int(v.class_auc.size()));
}

// The plots' sizes: the histogram and (with a class held out) the ROC curve, each at least
// the smallest readable plot; the key's line over the histogram.
plot::PlotOptions histogram_options() {
    return {.x_label = "squared error per pixel", .y_label = "density"};
}
plot::PlotOptions roc_options() {
    return {.x_label = "false-alarm rate", .y_label = "detection rate"};
}

// Under the figures: the histogram and the ROC curve side by side, as tall as the panel
// allows; the galleries beside them where there is room for kLeastGallery images a row, else
// under them (the panel scrolls to them: they never take the plots' room).
void draw_body(AnomalyState& state, PanelContext& ctx, const AnomalyView& v, const AnomalyRates& r,
               bool held, const std::string& held_name) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float table_h = state.request.class_table ? 2.5f * needs::line() : 0;
    const ImVec2 hist_min = needs::smallest_plot(histogram_options());
    const ImVec2 roc_min = held ? needs::smallest_plot(roc_options()) : ImVec2(0, 0);
    const float plots_h = std::max(hist_min.y + 2 * needs::line(), avail.y - table_h);
    const float gallery_least = gallery_label_width() + kLeastGallery * (kMinTile + 3);
    const float plots_least = hist_min.x + (held ? roc_min.x + spacing : 0);
    const bool beside = avail.x >= plots_least + spacing + gallery_least;
    // The plots share what the galleries leave: about 60 % of the width, or all of it.
    const float plots_w = beside ? std::max(plots_least, std::floor((avail.x - spacing) * 0.6f)) : avail.x;
    const float roc_w = held ? std::max(roc_min.x, std::min(plots_h, plots_w * 0.4f)) : 0;
    const float hist_w = plots_w - roc_w - (held ? spacing : 0);
    draw_histogram(state, v, held_name, r, ImVec2(hist_w, plots_h));
    if (held) {
        ImGui::SameLine();
        draw_roc(state, v, r, ImVec2(roc_w, plots_h));
    }
    const float gallery_w = beside ? avail.x - plots_w - spacing : avail.x;
    if (beside) ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + gallery_w);
    // Two galleries of two rows each, a title apiece, and the notes: tiles as large as the
    // height beside the plots allows (under them, as the width does).
    const float titles = (held ? 2 : 1) * 2 * needs::line() + 3 * needs::line();
    const float max_tile = beside ? (plots_h - titles) / (held ? 4 : 2) - 4 : 64 * ctx.settings.zoom;
    const AnomalyErrors& e = v.errors;
    draw_gallery(state, ctx, "Most anomalous normal test images", "anomaly/normal", v.top_normal, v,
                 r.threshold, gallery_w, max_tile);
    if (held)
        draw_gallery(state, ctx, "Held-out images with the lowest errors (missed while below t)",
                     "anomaly/held", v.lowest_holdout, v, r.threshold, gallery_w, max_tile);
    widgets::note("Framed: above t, flagged. Hover for the error; click to make it probe 1.");
    char cost[128];
    std::snprintf(cost, sizeof cost, "Errors of %d images: %.0f ms, every %.1f s while training.",
                  int(e.train.size() + e.test.size()), 1000 * v.pass_seconds, v.interval);
    widgets::note(cost);
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
}

}  // namespace

PanelNeeds AnomalyPanel::needs(const PanelContext& ctx) const {
    // The controls and the figures (a few lines, wrapped), then the plots side by side.
    const ImVec2 hist = needs::smallest_plot(histogram_options());
    const ImVec2 roc = needs::smallest_plot(roc_options());
    const bool held = ctx.snapshot.config.holdout_class != "none";
    const float width = hist.x + (held ? roc.x + ImGui::GetStyle().ItemSpacing.x : 0.0f);
    const float height = 2 * needs::widget_line() + 5 * needs::line() + hist.y + 2 * needs::line();
    return {ImVec2(width, height), 1.5f};
}

std::unique_ptr<PanelObject> make_anomaly_panel() { return std::make_unique<AnomalyPanel>(); }

void AnomalyPanel::draw(PanelContext& ctx) {
    const Snapshot& s = ctx.snapshot;
    ctx.views.want(ViewId::Anomaly, state.request);
    const AnomalyView* view = s.view<AnomalyView>(ViewId::Anomaly);
    const bool vae = s.config.model == ModelKind::Vae;

    // Controls: the measure, k.
    const char* measures[] = {"squared error", "−ELBO (VAE)"};
    int measure = int(state.request.measure);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    ImGui::BeginDisabled(!vae);
    if (ImGui::Combo("error", &measure, measures, 2))
        state.request.measure = ErrorMeasure(measure);
    ImGui::EndDisabled();
    if (!vae) state.request.measure = ErrorMeasure::SquaredError;
    widgets::help_marker(
        "squared error: mean over pixels of (x̂ − x)², clean input (a VAE decodes z = μ). "
        "−ELBO: the VAE's reconstruction loss at z = μ plus KL(q(z|x) ‖ N(0, I)), β = 1.");
    const float k_w = ImGui::GetFontSize() * 10;
    widgets::same_line_if_fits(k_w + ImGui::CalcTextSize(" k (?)").x + 2 * ImGui::GetStyle().ItemSpacing.x);
    ImGui::SetNextItemWidth(k_w);
    widgets::slider_float("k", &state.k, 0.5f, 6.0f, "%.1f σ");
    widgets::help_marker("Threshold t = μ + kσ of the training errors. Moves the numbers at once.");
    const char* table_label = "AUC of each class if held out";
    widgets::same_line_if_fits(ImGui::CalcTextSize(table_label).x + ImGui::GetFrameHeight() +
                               ImGui::CalcTextSize(" (?)").x + 3 * ImGui::GetStyle().ItemSpacing.x);
    ImGui::Checkbox(table_label, &state.request.class_table);
    widgets::help_marker(
        "Retraining ten autoencoders would take minutes, so a stand-in answers: PCA with k "
        "components (k = the code size) fitted on the training set without that class (and "
        "without the class held out now), scored by the per-pixel error of every test image. "
        "Computed one class per update while this is ticked.");
    if (!view) {
        ImGui::TextDisabled(s.data.set ? "Measuring the errors…" : "No model yet.");
        return;
    }
    const AnomalyView& v = *view;
    if (v.pass != state.shown_pass) {  // not for a new row of the class table
        state.shown_pass = v.pass;
        ++state.version;
        rebuild_arrays(state, v);
    }
    const AnomalyErrors& e = v.errors;
    const AnomalyRates r = rates_at(e, state.k);
    const bool held = v.holdout_class >= 0 && !e.holdout_sorted.empty();
    const std::string held_name =
        held && v.holdout_class < int(s.data.class_names.size())
            ? "held out: " + s.data.class_names[v.holdout_class]
            : "held out";

    if (!v.note.empty()) ImGui::TextColored(ImVec4(0.85f, 0.45f, 0.1f, 1), "%s", v.note.c_str());
    // The figures wrap in a narrow panel rather than run out of it.
    widgets::text_wrapped("t = μ + %.1fσ = %.4g   (μ = %.4g, σ = %.4g of %d training images' errors)",
                          state.k, r.threshold, e.train_stats.mean, e.train_stats.sigma, int(e.train.size()));
    std::vector<std::string> rates = {"Above t: normal test images " + format_rate(r.false_alarm_rate) +
                                      " (false alarms)"};
    if (held) rates.push_back("·  " + held_name + " " + format_rate(r.detection_rate) + " (detections)");
    for (size_t i = 0; i < rates.size(); ++i) {
        if (i > 0) widgets::same_line_if_fits(ImGui::CalcTextSize(rates[i].c_str()).x);
        widgets::text_wrapped("%s", rates[i].c_str());
    }
    // Built from the rates on screen: the tail is called long only when it is.
    widgets::note(gaussian_comparison_sentence(state.k, r.false_alarm_rate, int(e.normal_sorted.size())).c_str());
    if (!held)
        widgets::note("Hold out a class (Controls → Data → hold out) to see detections, the ROC curve "
                      "and the AUC.");
    draw_body(state, ctx, v, r, held, held_name);
    draw_class_table(state, s, v);
}
