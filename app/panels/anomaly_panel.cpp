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
#include "app/panels/panels.h"
#include "core/lessons/lesson.h"
#include "app/panels/widgets.h"
#include "app/plot/plot.h"
#include "core/views/anomaly_view.h"

using namespace aelab;

namespace {

constexpr int kBins = 60;

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
    const auto key = [](int color, float alpha, const char* text) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(plot::palette_color(color, alpha)), "■");
        ImGui::SameLine(0, 3);
        ImGui::TextUnformatted(text);
        ImGui::SameLine();
    };
    ImGui::BeginGroup();
    key(0, 0.55f, "normal test images");
    if (!v.errors.holdout_sorted.empty()) key(3, 0.55f, held_name.c_str());
    key(2, 1, "μ");
    key(2, 0.45f, "μ ± σ");
    key(6, 1, "t");
    ImGui::NewLine();
    size.y -= ImGui::GetTextLineHeightWithSpacing();
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
    ImGui::TextUnformatted(title);
    const int count = int(g.indices.size());
    if (count == 0) {
        ImGui::TextDisabled("  (none)");
        return;
    }
    const Snapshot& s = ctx.snapshot;
    const float label_w = ImGui::CalcTextSize("reconstruction ").x + 8;
    const float tile = std::clamp((width - label_w) / count - 3, 12.0f,
                                  std::min(64.0f * ctx.settings.zoom, max_tile));
    const std::string images_key = std::string(key) + "/images";
    const std::string recon_key = std::string(key) + "/recon";
    int hovered = image_views::tile_row(ctx.images, images_key.c_str(), state.version, g.images,
                                        s.data.image_width, s.data.image_height, "test image", label_w,
                                        tile, false, state.scratch);
    const bool clicked = hovered >= 0 && ImGui::IsMouseClicked(ImGuiMouseButton_Left);
    const int under =
        image_views::tile_row(ctx.images, recon_key.c_str(), state.version, g.reconstructions,
                              s.data.image_width, s.data.image_height, "reconstruction", label_w, tile,
                              false, state.scratch);
    if (hovered < 0) hovered = under;
    // Flagged images (error above t) get a frame in t's colour.
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 end = ImGui::GetCursorScreenPos();
    for (int i = 0; i < count; ++i) {
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

}  // namespace


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
    ImGui::Text("t = μ + %.1fσ = %.4g   (μ = %.4g, σ = %.4g of %d training images' errors)",
                state.k, r.threshold, e.train_stats.mean, e.train_stats.sigma, int(e.train.size()));
    ImGui::Text("Above t: normal test images %s (false alarms)",
                format_rate(r.false_alarm_rate).c_str());
    if (held) {
        ImGui::SameLine();
        ImGui::Text("  ·  %s %s (detections)", held_name.c_str(),
                    format_rate(r.detection_rate).c_str());
    }
    // Built from the rates on screen: the tail is called long only when it is.
    widgets::note(
        gaussian_comparison_sentence(state.k, r.false_alarm_rate, int(e.normal_sorted.size()))
            .c_str());
    if (!held)
        ImGui::TextDisabled("Hold out a class (Controls → Data → hold out) to see detections, the "
                            "ROC curve and the AUC.");

    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float table_h =
        state.request.class_table ? 2.5f * ImGui::GetTextLineHeightWithSpacing() : 0;
    const float plots_h = std::max(140.0f, avail.y - table_h);
    const float hist_w = std::floor(avail.x * 0.36f);
    const float roc_w = held ? std::min(plots_h, avail.x * 0.24f) : 0;
    const float gallery_w = avail.x - hist_w - roc_w - spacing * (held ? 2 : 1);
    draw_histogram(state, v, held_name, r, ImVec2(hist_w, plots_h));
    if (held) {
        ImGui::SameLine();
        draw_roc(state, v, r, ImVec2(roc_w, plots_h));
    }
    ImGui::SameLine();
    ImGui::BeginChild("##galleries", ImVec2(gallery_w, plots_h), false);
    // Two galleries of two rows each, a title and an error line apiece, and a footnote.
    const float text_h = ImGui::GetTextLineHeightWithSpacing();
    const float max_tile = (plots_h - 5 * text_h) / (held ? 4 : 2) - 4;
    draw_gallery(state, ctx, "Most anomalous normal test images", "anomaly/normal", v.top_normal, v,
                 r.threshold, gallery_w, max_tile);
    if (held)
        draw_gallery(state, ctx, "Held-out images with the lowest errors (missed while below t)",
                     "anomaly/held", v.lowest_holdout, v, r.threshold, gallery_w, max_tile);
    ImGui::TextDisabled("Framed: above t, flagged. Hover for the error; click to make it probe 1.");
    ImGui::TextDisabled("Errors of %d images: %.0f ms, every %.1f s while training.",
                        int(e.train.size() + e.test.size()), 1000 * v.pass_seconds, v.interval);
    ImGui::EndChild();
    draw_class_table(state, s, v);
}
