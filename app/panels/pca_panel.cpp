// PCA: a one-hidden-layer autoencoder beside the PCA of its training set (SPEC §2). The
// principal angles between span(W*) and the top-k PCA subspace (bars now, curves over steps),
// the autoencoder's reconstruction error against PCA-k's (the best any rank-k linear map can
// do), the eigen-images beside the decoder's columns and beside span(W*) turned onto them,
// probe reconstructions by both, and the scree plot. For 3-D data (plane3d) the two planes
// are drawn in a view the mouse turns.
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string>
#include <vector>

#include "app/panels/image_views.h"
#include "app/panels/panel_needs.h"
#include "app/panels/panels.h"
#include "app/panels/widgets.h"
#include "app/plot/plot.h"
#include "app/plot/plot3d.h"
#include "core/views/pca_view.h"

using namespace aelab;

namespace {

constexpr int kScreeComponents = 200;  // the scree plot's x range (of 784)

struct PcaState {
    std::shared_ptr<const ViewResult> shown;  // the result the arrays below were built from
    uint64_t version = 0;                     // bumps when `shown` changes (texture uploads)
    std::vector<float> steps, max_angle, mean_angle, encoder_max, ae_mse, pca_mse;
    std::vector<float> decoder_angles, encoder_angles, scree;
    std::vector<float> scratch;
    plot::View3d view3d;
    const Pca* faced = nullptr;  // the PCA the view was turned to face (once per data set)
};
// The panel's object: the registry owns one, and a reset replaces it (state and all).
struct PcaPanel final : PanelObject {
    PcaState state;
    void draw(PanelContext& ctx) override;
    PanelNeeds needs(const PanelContext& ctx) const override;
};

void rebuild_arrays(PcaState& state, const PcaView& v) {
    state.steps.clear(), state.max_angle.clear(), state.mean_angle.clear();
    state.encoder_max.clear(), state.ae_mse.clear(), state.pca_mse.clear();
    for (const PcaPoint& p : *v.history) {
        state.steps.push_back(float(p.step));
        state.max_angle.push_back(p.max_angle_deg);
        state.mean_angle.push_back(p.mean_angle_deg);
        state.encoder_max.push_back(p.encoder_max_angle_deg);
        state.ae_mse.push_back(p.ae_mse);
        state.pca_mse.push_back(p.pca_mse);
    }
    state.decoder_angles.assign(v.comparison.decoder_angles_deg.begin(),
                                v.comparison.decoder_angles_deg.end());
    state.encoder_angles.assign(v.comparison.encoder_angles_deg.begin(),
                                v.comparison.encoder_angles_deg.end());
    const int shown = std::min(kScreeComponents, v.pca->dims());
    state.scree.resize(shown);
    for (int i = 0; i < shown; ++i) state.scree[i] = float(v.pca->explained(i + 1));
}

void draw_angle_bars(PcaState& state, const PcaView& v, ImVec2 size) {
    plot::PlotOptions o;
    o.x_label = "principal angle i";
    o.y_label = "degrees";
    o.hover_readout = false;
    if (plot::begin_plot("##angles", size, o)) {
        const int k = int(state.decoder_angles.size());
        plot::plot_bars("W* (decoder)", state.decoder_angles.data(), k, 1 - 0.2, 1, 0.38,
                        plot::palette_color(0));
        plot::plot_bars("Wᵀ (encoder)", state.encoder_angles.data(), k, 1 + 0.2, 1, 0.38,
                        plot::palette_color(1));
        plot::end_plot();
    }
    (void)v;
}

struct Curve {
    const char* label;
    const std::vector<float>* ys;
    int color;
};

// Lines over the training steps of the view's history. The comparison is measured now and
// then (its pass takes a share of the trainer's time), so a fast run may have few points: a
// dot marks each, so that a straight stretch between two reads as the gap it is, not as a
// measured straight fall.
void draw_curves(PcaState& state, const char* id, const char* y_label, std::initializer_list<Curve> curves,
                 ImVec2 size) {
    plot::PlotOptions o;
    o.x_label = "step";
    o.y_label = y_label;
    if (!plot::begin_plot(id, size, o)) return;
    constexpr int kMostDotted = 60;  // more points than this draw a line dense enough alone
    const int count = int(state.steps.size());
    for (const Curve& c : curves) {
        plot::plot_line(c.label, state.steps.data(), c.ys->data(), count, plot::palette_color(c.color));
        if (count <= kMostDotted && !plot::is_item_hidden(id, c.label))
            plot::plot_points((std::string("##measured ") + c.label).c_str(), state.steps.data(),
                              c.ys->data(), count, plot::palette_color(c.color));
    }
    plot::end_plot();
}

void draw_scree(PcaState& state, const PcaView& v, ImVec2 size) {
    plot::PlotOptions o;
    o.x_label = "components kept";
    o.y_label = "variance explained";
    if (plot::begin_plot("##scree", size, o)) {
        plot::setup_axis_limits(plot::Axis::Y, 0, 1.02);
        plot::plot_line("cumulative", state.scree.data(), int(state.scree.size()), 1, 1,
                        plot::palette_color(4));
        const std::string k = "k = " + std::to_string(v.comparison.k);
        plot::plot_vline(k.c_str(), v.comparison.k, plot::palette_color(0));
        plot::end_plot();
    }
}

// A first view of the plane at 35° from face-on: flat enough to see that it is a plane, open
// enough to see the two planes and the points on it (edge-on, all three collapse to a line).
void face_the_plane(PcaState& state, const Vec& normal) {
    float best = 1e9f;
    for (int i = 0; i < 72; ++i)
        for (int j = 0; j < 24; ++j) {
            plot::View3d view{float(i) * 0.0873f - 3.1416f, float(j) * 0.05f};
            const auto c = plot::rotate_to_camera(view, normal[0], normal[1], normal[2]);
            const float miss = std::abs(std::abs(float(c[2])) - 0.82f);
            if (miss < best) best = miss, state.view3d = view;
        }
}

// plane3d: the training points, PCA's plane and the autoencoder's decoded plane, turnable.
void draw_planes(PcaState& state, const PcaView& v, ImVec2 size) {
    if (state.faced != v.pca.get()) {
        state.faced = v.pca.get();
        face_the_plane(state, v.pca->components.col(2));
    }
    if (!plot::begin_plot3d("##planes", size, state.view3d)) return;
    // Half-edges of 2 standard deviations along each plane's own directions.
    const float spread[2] = {2 * std::sqrt(float(v.pca->variances[0])),
                             2 * std::sqrt(float(v.pca->variances[1]))};
    float centre[3], u[3], w[3];
    for (int i = 0; i < 3; ++i) {
        centre[i] = v.pca->mean[i];
        u[i] = v.eigen_images(i, 0) * spread[0];
        w[i] = v.eigen_images(i, 1) * spread[1];
    }
    plot::plot3d_plane("PCA plane", centre, u, w, plot::palette_color(3), 5);
    if (v.ae_plane_centre.size() == 3) {
        for (int i = 0; i < 3; ++i) {
            centre[i] = v.ae_plane_centre[i];
            u[i] = v.aligned_basis(i, 0) * spread[0];
            w[i] = v.aligned_basis(i, 1) * spread[1];
        }
        plot::plot3d_plane("autoencoder plane {W*h + b*}", centre, u, w, plot::palette_color(0),
                           5);
    }
    plot::plot3d_points("training points", v.points.data(), int(v.points.cols()),
                        plot::palette_color(7, 0.6f), 1.5f);
    plot::end_plot3d();
}

// The images' row label: as wide as the longest.
float image_label_width() {
    return ImGui::CalcTextSize("span(W*) turned ").x + 8;
}

// One row of `images` (a column each), in lines of `per_line` tiles: the first line carries
// the label.
void tile_lines(PcaState& state, PanelContext& ctx, const char* key, const Mat& images, const PcaView& v,
                const char* label, int per_line, float tile, bool normalise_each, const char* what) {
    const int count = int(images.cols());
    for (int first = 0; first < count; first += per_line) {
        const int n = std::min(per_line, count - first);
        // Each line is its own texture of n tiles (keyed by where it starts).
        const std::string line_key = std::string(key) + "/" + std::to_string(first);
        const int hovered = image_views::tile_row(ctx.images, line_key.c_str(), state.version,
                                                  images.middleCols(first, n), v.width, v.height,
                                                  first == 0 ? label : "", image_label_width(), tile,
                                                  normalise_each, state.scratch);
        if (hovered >= 0) ImGui::SetTooltip("%s %d", what, first + hovered + 1);
    }
}

// The bases (eigen-images, the decoder's columns, span(W*) turned onto them) and the probes
// reconstructed, in `width`: tiles of kMinTile or more, each row wrapped into lines.
void draw_images(PcaState& state, PanelContext& ctx, const PcaView& v, float width) {
    const int k = v.comparison.k, p = int(v.probe_input.cols());
    const float label_w = image_label_width();
    const int most = std::max(k, p);
    const int per_line = std::clamp(int((width - label_w) / (kMinTile + 3)), 1, most);
    const int lines = (most + per_line - 1) / per_line;
    const float tile = std::clamp((width - label_w) / ((most + lines - 1) / lines) - 3, kMinTile, 56.0f * ctx.settings.zoom);
    const int shown_per_line = (most + lines - 1) / lines;  // balanced lines
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    widgets::note("unit i / component i (each tile scaled to its largest |value|)");
    tile_lines(state, ctx, "pca/eigen", v.eigen_images, v, "PCA u_i", shown_per_line, tile, true,
               "eigen-image (principal component)");
    tile_lines(state, ctx, "pca/decoder", v.decoder_columns, v, "decoder W*", shown_per_line, tile, true,
               "column of W*: unit");
    tile_lines(state, ctx, "pca/aligned", v.aligned_basis, v, "span(W*) turned", shown_per_line, tile, true,
               "span(W*)'s orthonormal basis, rotated onto the eigen-images: vector");
    ImGui::Spacing();
    widgets::note("probe images reconstructed");
    ImGui::PopTextWrapPos();
    const std::string pca_label = "PCA-" + std::to_string(k);
    for (auto [key, images, label] :
         {std::tuple{"pca/probe", &v.probe_input, "input"},
          std::tuple{"pca/probe_pca", &v.probe_pca, pca_label.c_str()},
          std::tuple{"pca/probe_ae", &v.probe_ae, "autoencoder"}})
        tile_lines(state, ctx, key, *images, v, label, shown_per_line, tile, false, "probe");
}

// The four plots in `columns` columns of `cell`, the most telling first: the angles and the
// errors over the steps (what the lesson watches fall), the angles now, the scree.
void draw_plots(PcaState& state, const PcaView& v, int columns, ImVec2 cell) {
    const std::string pca_k = "PCA-" + std::to_string(v.comparison.k);
    for (int i = 0; i < 4; ++i) {
        if (i % columns != 0) ImGui::SameLine();
        if (i == 0)
            draw_curves(state, "##angle curves", "degrees",
                        {{"max, W*", &state.max_angle, 0}, {"mean, W*", &state.mean_angle, 2},
                         {"max, Wᵀ", &state.encoder_max, 1}},
                        cell);
        if (i == 1)
            draw_curves(state, "##pca errors", "error per pixel",
                        {{"AE", &state.ae_mse, 0}, {pca_k.c_str(), &state.pca_mse, 3}}, cell);
        if (i == 2) draw_angle_bars(state, v, cell);
        if (i == 3) draw_scree(state, v, cell);
    }
}

ImVec2 plot_cell() {
    // The largest of the four plots' smallest frames (the labels differ).
    ImVec2 cell(0, 0);
    for (const char* y : {"degrees", "error per pixel", "variance explained"}) {
        const ImVec2 f = needs::smallest_plot({.x_label = "components kept", .y_label = y});
        cell = ImVec2(std::max(cell.x, f.x), std::max(cell.y, f.y));
    }
    return cell;
}

// The images and the plots: side by side when the width holds a 2 × 2 grid of plots beside
// a useful width of tiles (kLeastTiles a line), else the plots first, as many to a row as
// fit, and the images under them (the panel scrolls to them).
constexpr int kLeastTiles = 8;
void draw_body(PcaState& state, PanelContext& ctx, const PcaView& v) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const ImVec2 least = plot_cell();
    const float images_least = image_label_width() + kLeastTiles * (kMinTile + 3);
    const bool beside = avail.x >= images_least + spacing + 2 * least.x + spacing &&
                        avail.y >= 2 * least.y + spacing;
    if (beside) {
        const float plots_w = std::max(2 * least.x + spacing, std::floor(avail.x * 0.55f));
        const float images_w = avail.x - plots_w - spacing;
        ImGui::BeginGroup();
        draw_images(state, ctx, v, images_w);
        ImGui::EndGroup();
        ImGui::SameLine();
        const ImVec2 cell((plots_w - spacing) / 2, std::max(least.y, (avail.y - spacing) / 2));
        ImGui::BeginGroup();
        draw_plots(state, v, 2, cell);
        ImGui::EndGroup();
        return;
    }
    const int columns = std::clamp(int((avail.x + spacing) / (least.x + spacing)), 1, 4);
    const int rows = (4 + columns - 1) / columns;
    // As tall as the panel allows for the first row, at least readable.
    const float height = std::max(least.y, std::min((avail.y - spacing) / float(std::min(rows, 2)), 1.2f * least.y));
    draw_plots(state, v, columns, ImVec2((avail.x - (columns - 1) * spacing) / columns, height));
    draw_images(state, ctx, v, avail.x);
}

// plane3d: the 3-D view at the left, the plots at its right.
void draw_planes_and_plots(PcaState& state, const PcaView& v) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const ImVec2 least = plot_cell();
    const float left_w = std::max(least.x, std::floor(avail.x * 0.42f));
    draw_planes(state, v, ImVec2(left_w, std::max(least.y, avail.y)));
    ImGui::SameLine();
    ImGui::BeginGroup();
    const float right_w = avail.x - left_w - spacing;
    const int columns = right_w >= 2 * least.x + spacing ? 2 : 1;
    draw_plots(state, v, columns,
               ImVec2(std::max(least.x, (right_w - (columns - 1) * spacing) / columns),
                      std::max(least.y, (avail.y - spacing) / 2)));
    ImGui::EndGroup();
}

}  // namespace

PanelNeeds PcaPanel::needs(const PanelContext&) const {
    // The figures (two lines), a row of two plots, and the bases' first lines of tiles.
    const ImVec2 cell = plot_cell();
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    return {ImVec2(2 * cell.x + spacing, 2 * needs::line() + cell.y + needs::line() + 3 * (kMinTile + 3)), 2.0f};
}

std::unique_ptr<PanelObject> make_pca_panel() { return std::make_unique<PcaPanel>(); }

void PcaPanel::draw(PanelContext& ctx) {
    const Snapshot& s = ctx.snapshot;
    ctx.views.want(ViewId::Pca, PcaRequest{});
    const std::shared_ptr<const ViewResult>& result = s.model.computed[int(ViewId::Pca)];
    const PcaView* view = s.view<PcaView>(ViewId::Pca);
    if (!view) {
        ImGui::TextDisabled(s.data.set ? "Computing the PCA of the training set…" : "No model yet.");
        return;
    }
    if (!view->refusal.empty()) {
        widgets::text_wrapped("%s", view->refusal.c_str());
        return;
    }
    const PcaView& v = *view;
    if (result != state.shown) {
        state.shown = result;
        ++state.version;
        rebuild_arrays(state, v);
    }
    const PcaComparison& c = v.comparison;
    const double gap = c.pca_mse > 0 ? 100.0 * (c.ae_mse / c.pca_mse - 1) : 0;
    widgets::text_wrapped("k = %d:  largest angle %.1f°, mean %.1f°   ·   error per pixel: autoencoder "
                          "%.5f, PCA-%d %.5f (%+.1f %%)   ·   PCA-%d explains %.1f %% of the variance",
                          c.k, c.max_angle_deg(), c.mean_angle_deg(), c.ae_mse, c.k, c.pca_mse, gap, c.k,
                          100 * c.explained_variance);
    const bool linear = hidden_activation(s.config, 0) == Activation::Linear &&
                        s.config.decoder_act == Activation::Linear;
    if (!linear)
        widgets::text_wrapped(
            "Non-linear units: the decoder is no longer a linear map of the code, so its columns "
            "need not line up with PCA's and the error need not approach PCA-k's. Set both "
            "activations to linear (and loss = mse, normalize = center) to see them converge.");
    if (v.pca->dims() == 3) {
        draw_planes_and_plots(state, v);
    } else {
        draw_body(state, ctx, v);
    }
    // What it cost, and a hint, after the views: they never take the images' room.
    if (linear && s.config.normalize == NormalizeKind::None)
        widgets::note("The data are not centred: the biases must learn the mean image that PCA "
                      "subtracts (normalize = center is the textbook setting).");
    char cost[256];
    std::snprintf(cost, sizeof cost,
                  "PCA of %d training images (normalize = %s): %.2f s, once for this data. Comparison "
                  "on %d of them: %.0f ms every %.1f s while training.",
                  int(s.data.train_samples), to_string(s.config.normalize), v.pca->seconds, c.samples,
                  1000 * v.pass_seconds, v.interval);
    widgets::note(cost);
}
