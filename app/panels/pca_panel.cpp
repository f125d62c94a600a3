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

// Lines over the training steps of the view's history.
void draw_curves(PcaState& state, const char* id, const char* y_label, std::initializer_list<Curve> curves,
                 ImVec2 size) {
    plot::PlotOptions o;
    o.x_label = "step";
    o.y_label = y_label;
    if (!plot::begin_plot(id, size, o)) return;
    for (const Curve& c : curves)
        plot::plot_line(c.label, state.steps.data(), c.ys->data(), int(state.steps.size()),
                        plot::palette_color(c.color));
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

void draw_images(PcaState& state, PanelContext& ctx, const PcaView& v, float width) {
    const int k = v.comparison.k, p = int(v.probe_input.cols());
    const float label_w = ImGui::CalcTextSize("span(W*) turned ").x + 8;
    const int per_row = std::max(k, p);
    const float tile = std::clamp((width - label_w) / per_row - 3, 10.0f, 56.0f);
    ImGui::TextDisabled("unit i / component i (each tile scaled to its largest |value|)");
    const auto tip = [&](int i, const char* what) {
        if (i >= 0) ImGui::SetTooltip("%s %d", what, i + 1);
    };
    tip(image_views::tile_row(ctx.images, "pca/eigen", state.version, v.eigen_images, v.width,
                              v.height, "PCA u_i", label_w, tile, true, state.scratch),
        "eigen-image (principal component)");
    tip(image_views::tile_row(ctx.images, "pca/decoder", state.version, v.decoder_columns,
                              v.width, v.height, "decoder W*", label_w, tile, true, state.scratch),
        "column of W*: unit");
    tip(image_views::tile_row(ctx.images, "pca/aligned", state.version, v.aligned_basis, v.width,
                              v.height, "span(W*) turned", label_w, tile, true, state.scratch),
        "span(W*)'s orthonormal basis, rotated onto the eigen-images: vector");
    ImGui::Spacing();
    ImGui::TextDisabled("probe images reconstructed");
    const std::string pca_label = "PCA-" + std::to_string(k);
    for (auto [key, images, label] :
         {std::tuple{"pca/probe", &v.probe_input, "input"},
          std::tuple{"pca/probe_pca", &v.probe_pca, pca_label.c_str()},
          std::tuple{"pca/probe_ae", &v.probe_ae, "autoencoder"}})
        tip(image_views::tile_row(ctx.images, key, state.version, *images, v.width, v.height,
                                  label, label_w, tile, false, state.scratch),
            "probe");
}

}  // namespace

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
    ImGui::Text("k = %d:  largest angle %.1f°, mean %.1f°   ·   error per pixel: autoencoder %.5f,"
                " PCA-%d %.5f (%+.1f %%)   ·   PCA-%d explains %.1f %% of the variance",
                c.k, c.max_angle_deg(), c.mean_angle_deg(), c.ae_mse, c.k, c.pca_mse, gap, c.k,
                100 * c.explained_variance);
    ImGui::TextDisabled("PCA of %d training images (normalize = %s): %.2f s, once for this data."
                        " Comparison on %d of them: %.0f ms every %.1f s while training.",
                        int(s.data.train_samples), to_string(s.config.normalize), v.pca->seconds,
                        c.samples, 1000 * v.pass_seconds, v.interval);
    const bool linear = hidden_activation(s.config, 0) == Activation::Linear &&
                        s.config.decoder_act == Activation::Linear;
    if (!linear)
        widgets::text_wrapped(
            "Non-linear units: the decoder is no longer a linear map of the code, so its columns "
            "need not line up with PCA's and the error need not approach PCA-k's. Set both "
            "activations to linear (and loss = mse, normalize = center) to see them converge.");
    else if (s.config.normalize == NormalizeKind::None)
        ImGui::TextDisabled("The data are not centred: the biases must learn the mean image that "
                            "PCA subtracts (normalize = center is the textbook setting).");

    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float left_w = std::floor(avail.x * 0.42f);
    const float right_w = avail.x - left_w - ImGui::GetStyle().ItemSpacing.x;
    ImGui::BeginChild("##pca left", ImVec2(left_w, avail.y), false);
    if (v.pca->dims() == 3)
        draw_planes(state, v, ImGui::GetContentRegionAvail());
    else
        draw_images(state, ctx, v, left_w);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##pca plots", ImVec2(right_w, avail.y), false,
                      ImGuiWindowFlags_NoScrollbar);
    // Four plots: a 2×2 grid when the panel is tall enough, else one row.
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const bool grid = avail.y >= 2 * 150;
    const ImVec2 cell = grid ? ImVec2((right_w - spacing) / 2, (avail.y - spacing) / 2)
                             : ImVec2((right_w - 3 * spacing) / 4, avail.y);
    draw_angle_bars(state, v, cell);
    ImGui::SameLine();
    draw_curves(state, "##angle curves", "degrees",
                {{"max, W*", &state.max_angle, 0},
                 {"mean, W*", &state.mean_angle, 2},
                 {"max, Wᵀ", &state.encoder_max, 1}},
                cell);
    if (!grid) ImGui::SameLine();
    const std::string pca_k = "PCA-" + std::to_string(v.comparison.k);
    draw_curves(state, "##pca errors", "error per pixel",
                {{"AE", &state.ae_mse, 0}, {pca_k.c_str(), &state.pca_mse, 3}}, cell);
    ImGui::SameLine();
    draw_scree(state, v, cell);
    ImGui::EndChild();
}
