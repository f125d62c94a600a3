// The latent space: the test set's codes (μ for a VAE) as a scatter coloured by class, the
// decoder's images over the visible window, the point under a click decoded live, samples
// from the prior, and one probe image's posterior N(μ, σ²) with the z the trainer draws.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

#include "app/panels/image_views.h"
#include "app/panels/panel_needs.h"
#include "app/panels/panels.h"
#include "app/panels/widgets.h"
#include "app/plot/plot.h"
#include "core/views/latent.h"

using namespace aelab;

namespace {

constexpr double kPriorUploadInterval = 0.25;

struct LatentState {
    LatentRequest request;
    int grid = 15;  // the grid slider: request.grid is this, or as many as show kMinTile tiles
    uint64_t built_codes = ~0ull, built_model = ~0ull;
    int built_dims[2] = {-1, -1};
    std::vector<std::vector<float>> xs, ys;  // codes per class, for one scatter item each
    std::vector<std::vector<int>> index;     // the test image behind each point
    std::vector<float> pixels;
    // Plotted data must outlive end_plot(): the probe's marks live here, not on the stack.
    std::vector<float> ellipse_x[3], ellipse_y[3], trail_x, trail_y;
    float mu_x = 0, mu_y = 0;
    double prior_uploaded_at = -1e9;
    uint64_t prior_version = 0;
};
// The panel's object: the registry owns one, and a reset replaces it (state and all).
struct LatentPanel final : PanelObject {
    LatentState state;
    void draw(PanelContext& ctx) override;
    PanelNeeds needs(const PanelContext& ctx) const override;
};

// The sizes of the panel's row: the scatter and the manifold (squares of `side`), and a
// third column with the legend over the prior's 4×4 samples.
constexpr int kLeastGrid = 4;  // the fewest decoded images a side of the manifold shows
constexpr float kPriorGap = 2;  // between the prior's samples

enum class Mark { ProbeMean, Draw, Clicked };
constexpr const char* kMarkNames[] = {"μ(x) of the probe", "z drawn in training", "decoded point"};

// The legend's entries in two columns: each column's width, and the legend's height.
ImVec2 legend_size(const Snapshot& s, bool vae, bool point) {
    const float h = ImGui::GetTextLineHeight(), row = ImGui::GetTextLineHeightWithSpacing();
    float widest = 0;
    for (size_t c = 0; c < s.data.class_names.size() && c < 10; ++c)
        widest = std::max(widest, ImGui::CalcTextSize(s.data.class_names[c].c_str()).x);
    const float column = h + ImGui::GetStyle().ItemSpacing.x + widest + ImGui::GetStyle().ItemSpacing.x;
    const int class_rows = (int(std::min<size_t>(s.data.class_names.size(), 10)) + 1) / 2;
    const int mark_rows = (vae ? 3 : 0) + (point ? 1 : 0);
    float marks = 0;
    for (const char* mark : {kMarkNames[0], kMarkNames[1], kMarkNames[2], "1, 2, 3σ around it"})
        marks = std::max(marks, h + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(mark).x);
    return ImVec2(std::max(2 * column, mark_rows ? marks : 0.0f), (class_rows + mark_rows) * row + (vae ? row : 0));
}

// The scatter holds a readable plot; the manifold shows kLeastGrid tiles a side.
float least_scatter_side() {
    const ImVec2 plot = needs::smallest_plot({.x_label = "x", .y_label = "y"});
    return std::max(plot.x, plot.y);
}
float least_manifold_side() {
    return kLeastGrid * kMinTile + needs::line();
}

float third_column_width(const Snapshot& s, bool vae, bool point) {
    return std::max({legend_size(s, vae, point).x, 4 * kMinTile + 3 * kPriorGap,
                     ImGui::CalcTextSize("samples from the prior").x});
}

// A 1-D code's strip for class c: centred on c, spread by a fixed hash of the image index.
float strip_y(int c, int i) {
    const uint32_t hash = uint32_t(i) * 2654435761u;
    return float(c) + 0.6f * (float(hash % 1000) / 1000.0f - 0.5f);
}

void build_scatter(LatentState& state, const Snapshot& s, const LatentView& v) {
    const int classes = std::max(1, int(s.data.class_names.size()));
    state.xs.assign(classes, {});
    state.ys.assign(classes, {});
    state.index.assign(classes, {});
    const Mat& codes = *v.codes;
    for (int i = 0; i < codes.cols(); ++i) {
        const int c = std::min(int(s.data.set->test_y[i]), classes - 1);
        state.xs[c].push_back(codes(v.request.dim_x, i));
        // A 1-D code is a line: its points are spread vertically by class, in strips.
        state.ys[c].push_back(v.dims == 1 ? strip_y(c, i) : codes(v.request.dim_y, i));
        state.index[c].push_back(i);
    }
    state.built_codes = v.codes_version;
    state.built_model = s.model_version;
    state.built_dims[0] = v.request.dim_x;
    state.built_dims[1] = v.request.dim_y;
}

// The probe's posterior on the plane: 1σ, 2σ, 3σ ellipses around μ, and the recent draws.
// A 1-D code draws them as intervals on the probe's class strip.
void draw_posterior(LatentState& state, const Snapshot& s, const LatentView& v) {
    const bool line = v.dims == 1;
    const float strip = line && v.request.probe < int(s.model.probes.labels.size())
                            ? float(s.model.probes.labels[v.request.probe])
                            : 0.0f;
    const float mx = state.mu_x = v.probe_mu[v.request.dim_x];
    const float my = state.mu_y = line ? strip : v.probe_mu[v.request.dim_y];
    const float sx = v.probe_sigma[v.request.dim_x];
    const float sy = line ? 0.0f : v.probe_sigma[v.request.dim_y];
    for (int k = 0; k < 3; ++k) {
        auto& ex = state.ellipse_x[k];
        auto& ey = state.ellipse_y[k];
        ex.resize(65);
        ey.resize(65);
        for (int i = 0; i <= 64; ++i) {
            const float a = 6.2831853f * i / 64;
            ex[i] = mx + (k + 1) * sx * std::cos(a);
            ey[i] = my + (k + 1) * sy * std::sin(a);
        }
        plot::plot_line("σ ellipses (1, 2, 3σ)", ex.data(), ey.data(), 65,
                        ImGui::GetColorU32(ImGuiCol_Text));
    }
    state.trail_x.clear();
    state.trail_y.clear();
    for (int i = 0; i < v.probe_z.cols(); ++i) {
        state.trail_x.push_back(v.probe_z(v.request.dim_x, i));
        state.trail_y.push_back(line ? strip : v.probe_z(v.request.dim_y, i));
    }
    // The draws and μ are drawn as marks after the plot (draw_marks), in shapes of their own.
}

// The plane's marks, each a shape of its own (the classes are filled dots), in the text
// colour (never a class's colour, which would read as a class), drawn alike on the plane and
// in the legend.

void draw_mark(ImDrawList* draw, ImVec2 c, Mark mark) {
    const float u = ImGui::GetFontSize() / 13;  // the zoom
    const ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
    switch (mark) {
        case Mark::ProbeMean:  // a ring with a hole of the background, over the points
            draw->AddCircleFilled(c, 6 * u, ImGui::GetColorU32(ImGuiCol_WindowBg), 20);
            draw->AddCircle(c, 6 * u, ink, 20, 2 * u);
            draw->AddCircleFilled(c, 1.5f * u, ink, 8);
            break;
        case Mark::Draw:  // a small ×
            draw->AddLine(ImVec2(c.x - 2.5f * u, c.y - 2.5f * u),
                          ImVec2(c.x + 2.5f * u, c.y + 2.5f * u), ink, 1.5f * u);
            draw->AddLine(ImVec2(c.x - 2.5f * u, c.y + 2.5f * u),
                          ImVec2(c.x + 2.5f * u, c.y - 2.5f * u), ink, 1.5f * u);
            break;
        case Mark::Clicked:  // a diamond with a cross hair
            draw->AddQuad(ImVec2(c.x, c.y - 7 * u), ImVec2(c.x + 7 * u, c.y),
                          ImVec2(c.x, c.y + 7 * u), ImVec2(c.x - 7 * u, c.y), ink, 2 * u);
            draw->AddLine(ImVec2(c.x - 3 * u, c.y), ImVec2(c.x + 3 * u, c.y), ink, u);
            draw->AddLine(ImVec2(c.x, c.y - 3 * u), ImVec2(c.x, c.y + 3 * u), ink, u);
            break;
    }
}

// After end_plot, in the frame the plot was just drawn in (its transform), clipped to it.
void draw_marks(const LatentState& state, const LatentView& v) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const plot::PixelRect r = plot::plot_rect();
    draw->PushClipRect(r.min, r.max, true);
    const auto at = [](float x, float y) { return plot::plot_to_pixels(x, y); };
    if (v.is_vae && v.probe_sigma.size() == v.dims) {
        for (size_t i = 0; i < state.trail_x.size(); ++i)
            draw_mark(draw, at(state.trail_x[i], state.trail_y[i]), Mark::Draw);
        draw_mark(draw, at(state.mu_x, state.mu_y), Mark::ProbeMean);
    }
    if (state.request.has_point)
        draw_mark(draw, at(state.request.point_x, state.request.point_y), Mark::Clicked);
    draw->PopClipRect();
}

// The test image nearest the mouse within a few pixels, or −1.
int hovered_point(LatentState& state) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    float best = 36.0f;  // (6 px)²
    int found = -1;
    for (size_t c = 0; c < state.xs.size(); ++c)
        for (size_t i = 0; i < state.xs[c].size(); ++i) {
            const ImVec2 p = plot::plot_to_pixels(state.xs[c][i], state.ys[c][i]);
            const float d2 = (p.x - mouse.x) * (p.x - mouse.x) + (p.y - mouse.y) * (p.y - mouse.y);
            if (d2 < best) best = d2, found = state.index[c][i];
        }
    return found;
}

void image_tooltip(LatentState& state, PanelContext& ctx, int test_index) {
    const Snapshot& s = ctx.snapshot;
    const ImTextureID texture = ctx.images.image("latent/hover", uint64_t(test_index) + 1, [&] {
        Eigen::VectorXf image = s.data.set->test_x.col(test_index);
        s.data.set->denormalise(image);
        state.pixels.assign(image.data(), image.data() + image.size());
        return ImageRequest{
            state.pixels.data(), s.data.image_width, s.data.image_height, Colormap::Grey, 0, 1};
    });
    ImGui::BeginTooltip();
    ImGui::Image(texture, ImVec2(112, 112));
    const int label = s.data.set->test_y[test_index];
    ImGui::Text("test image %d: %s", test_index + 1,
                label < int(s.data.class_names.size()) ? s.data.class_names[label].c_str() : "?");
    ImGui::EndTooltip();
}

void draw_scatter(LatentState& state, PanelContext& ctx, const LatentView& v, float side) {
    const Snapshot& s = ctx.snapshot;
    const char* axis = v.is_vae ? "μ" : "h";
    char x_label[32], y_label[32];
    std::snprintf(x_label, sizeof x_label, "%s%d", axis, v.request.dim_x + 1);
    std::snprintf(y_label, sizeof y_label, "%s%d", axis, v.request.dim_y + 1);
    if (v.dims == 1) std::snprintf(y_label, sizeof y_label, "class (spread)");
    plot::PlotOptions options;
    options.x_label = x_label;
    options.y_label = y_label;
    options.pan_zoom = true;
    options.pan_button = ImGuiMouseButton_Right;
    options.equal_aspect = v.dims > 1;
    options.hover_readout = false;
    options.legend = false;  // ten classes would cover the points: the legend stands beside
    if (!plot::begin_plot("##latent", ImVec2(side, side), options)) return;
    for (size_t c = 0; c < state.xs.size(); ++c)
        plot::plot_scatter(c < s.data.class_names.size() ? s.data.class_names[c].c_str() : "?",
                           state.xs[c].data(), state.ys[c].data(), int(state.xs[c].size()),
                           plot::palette_color(int(c), 0.75f), 1.5f);
    if (v.is_vae && v.probe_sigma.size() == v.dims) draw_posterior(state, s, v);
    if (plot::is_plot_hovered()) {
        if (ImGui::IsMouseDown(ImGuiMouseButton_Left)) {  // click or drag: decode there
            const plot::PlotPoint p = plot::mouse_position();
            state.request.has_point = true;
            state.request.point_x = float(p.x);
            state.request.point_y = float(p.y);
        } else if (!ImGui::IsMouseDown(ImGuiMouseButton_Right)) {
            if (const int i = hovered_point(state); i >= 0) image_tooltip(state, ctx, i);
        }
    }
    const plot::Limits view = plot::current_limits();
    state.request.x0 = view.x_lo;
    state.request.x1 = view.x_hi;
    state.request.y0 = view.y_lo;
    state.request.y1 = view.y_hi;
    plot::end_plot();
    draw_marks(state, v);
}

void draw_manifold(LatentState& state, PanelContext& ctx, const LatentView& v, float side) {
    const Snapshot& s = ctx.snapshot;
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const int rows = std::max(1, v.manifold_rows);
    char title[96];
    std::snprintf(title, sizeof title, "decoder over the visible %s (%d×%d%s)", rows == 1 ? "line" : "window",
                  rows, v.request.grid, v.request.inverse_cdf ? ", Φ⁻¹ spacing" : "");
    if (ImGui::CalcTextSize(title).x > side)  // a narrow square: the figures alone
        std::snprintf(title, sizeof title, "decoded, %d×%d", rows, v.request.grid);
    ImGui::TextDisabled("%s", title);
    const ImVec2 img0(p0.x, p0.y + ImGui::GetTextLineHeightWithSpacing());
    const float size = side - ImGui::GetTextLineHeightWithSpacing();
    if (!v.manifold || v.request.grid == 0) {
        ImGui::Dummy(ImVec2(side, size));
        return;
    }
    const int n = v.request.grid;
    if (n != state.request.grid && size / n < kMinTile) {  // asked for a smaller grid: not yet here
        ImGui::SetCursorScreenPos(img0);
        ImGui::TextDisabled("decoding…");
        ImGui::Dummy(ImVec2(size, size - ImGui::GetTextLineHeightWithSpacing()));
        return;
    }
    const image_views::TileGrid grid{rows * n, n, s.data.image_width, s.data.image_height};
    const ImTextureID texture = ctx.images.image("latent/manifold", v.manifold_version, [&] {
        image_views::make_tiles(*v.manifold, grid, false, state.pixels);
        return ImageRequest{state.pixels.data(), grid.width(), grid.height(), Colormap::Grey, 0, 1};
    });
    ImGui::SetCursorScreenPos(img0);
    const float height = size * rows / n;
    image_views::grid_image(texture, grid, ImVec2(size, height));
    if (ImGui::IsItemHovered() && int(v.grid_x.size()) == n && int(v.grid_y.size()) == rows) {
        const ImVec2 m = ImGui::GetIO().MousePos;
        const int col = std::clamp(int((m.x - img0.x) / size * n), 0, n - 1);
        const int row = std::clamp(int((m.y - img0.y) / height * rows), 0, rows - 1);
        if (rows == 1)
            ImGui::SetTooltip("z = %.2f", v.grid_x[col]);
        else
            ImGui::SetTooltip("z = (%.2f, %.2f)", v.grid_x[col], v.grid_y[row]);
    }
    if (rows < n) ImGui::Dummy(ImVec2(size, size - height));
}

// Class colours in two columns, and the marks of the probe's posterior.
void draw_legend(LatentState& state, const Snapshot& s, const LatentView& v) {
    ImGui::BeginGroup();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float h = ImGui::GetTextLineHeight();
    // Each entry's key drawn by `key` in an h × h box before its text.
    auto entry = [&](const std::function<void(ImVec2)>& key, const char* text) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        key(ImVec2(p.x + h * 0.5f, p.y + h * 0.5f));
        ImGui::Dummy(ImVec2(h, h));
        ImGui::SameLine();
        ImGui::TextUnformatted(text);
    };
    const float column = legend_size(s, false, false).x / 2;
    const size_t classes = std::min<size_t>(s.data.class_names.size(), 10);
    for (size_t c = 0; c < classes; ++c) {
        if (c % 2 == 1) ImGui::SameLine(column);  // from the group's left edge
        const ImU32 color = plot::palette_color(int(c));
        entry(
            [&](ImVec2 k) {
                draw->AddRectFilled(ImVec2(k.x - h * 0.3f, k.y - h * 0.3f),
                                    ImVec2(k.x + h * 0.3f, k.y + h * 0.3f), color);
            },
            s.data.class_names[c].c_str());
    }
    const auto mark = [&](Mark m) { return [&draw, m](ImVec2 k) { draw_mark(draw, k, m); }; };
    if (v.is_vae) {
        ImGui::Spacing();
        entry(mark(Mark::ProbeMean), kMarkNames[int(Mark::ProbeMean)]);
        entry(
            [&](ImVec2 k) {
                draw->AddCircle(k, h * 0.35f, ImGui::GetColorU32(ImGuiCol_Text), 16, 1.5f);
            },
            "1, 2, 3σ around it");
        entry(mark(Mark::Draw), kMarkNames[int(Mark::Draw)]);
    }
    if (state.request.has_point) entry(mark(Mark::Clicked), kMarkNames[int(Mark::Clicked)]);
    ImGui::EndGroup();
}

// The clicked point, decoded, under the manifold: a tile as large as the space left allows.
void draw_point(LatentState& state, PanelContext& ctx, const LatentView& v, float width, float height) {
    const Snapshot& s = ctx.snapshot;
    const float size = std::min(width, height - ImGui::GetTextLineHeightWithSpacing());
    if (state.request.has_point && v.point_image.size() == s.data.image_width * s.data.image_height &&
        size >= kMinTile) {
        ImGui::Text("decoded (%.2f, %.2f)", state.request.point_x, state.request.point_y);
        const ImTextureID texture = ctx.images.image("latent/point", s.version, [&] {
            state.pixels.assign(v.point_image.data(), v.point_image.data() + v.point_image.size());
            return ImageRequest{
                state.pixels.data(), s.data.image_width, s.data.image_height, Colormap::Grey, 0, 1};
        });
        image_views::grid_image(texture, {1, 1, s.data.image_width, s.data.image_height}, ImVec2(size, size));
    } else if (!state.request.has_point) {
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
        widgets::text_wrapped("Click or drag on the plane: the decoder draws that point here.");
        ImGui::PopTextWrapPos();
    }
}

// Samples from the prior, 4 × 4, `width` wide, with the resample button.
void draw_prior(LatentState& state, PanelContext& ctx, const LatentView& v, float width) {
    const Snapshot& s = ctx.snapshot;
    if (v.is_vae && v.prior_samples.cols() == kPriorSamples) {
        ImGui::TextUnformatted("samples from the prior");
        widgets::same_line_if_fits(ImGui::CalcTextSize("resample").x + 2 * ImGui::GetStyle().FramePadding.x);
        if (ImGui::SmallButton("resample")) ++state.request.prior_seed;
        // Sixteen decodes change at every step; 4 refreshes a second are plenty to watch.
        if (ctx.time - state.prior_uploaded_at >= kPriorUploadInterval) {
            state.prior_version = s.version ^ (uint64_t(state.request.prior_seed) << 40);
            state.prior_uploaded_at = ctx.time;
        }
        const image_views::TileGrid grid{kPriorSamples, 4, s.data.image_width, s.data.image_height};
        const ImTextureID texture = ctx.images.image("latent/prior", state.prior_version, [&] {
            image_views::make_tiles(v.prior_samples, grid, false, state.pixels);
            return ImageRequest{
                state.pixels.data(), grid.width(), grid.height(), Colormap::Grey, 0, 1};
        });
        image_views::grid_image(texture, grid, ImVec2(width, width));
    } else if (!v.is_vae) {
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
        widgets::text_wrapped(
            "An autoencoder has no prior to sample z from: switch the model to "
            "vae to generate.");
        ImGui::PopTextWrapPos();
    }
}

}  // namespace

std::unique_ptr<PanelObject> make_latent_panel() { return std::make_unique<LatentPanel>(); }

PanelNeeds LatentPanel::needs(const PanelContext& ctx) const {
    const Snapshot& s = ctx.snapshot;
    const bool vae = s.config.model == ModelKind::Vae;
    const float third = third_column_width(s, vae, state.request.has_point);
    // The prior's title and button take two lines where the column is narrow.
    const float third_h = legend_size(s, vae, state.request.has_point).y + 2 * needs::widget_line() +
                          ImGui::GetStyle().ItemSpacing.y + 4 * kMinTile + 3 * kPriorGap;
    const float height = 2 * needs::widget_line() +
                         std::max({least_scatter_side(), least_manifold_side(), third_h});
    return {ImVec2(least_scatter_side() + least_manifold_side() + third + 2 * ImGui::GetStyle().ItemSpacing.x,
                   height),
            1.5f};
}

void LatentPanel::draw(PanelContext& ctx) {
    const Snapshot& s = ctx.snapshot;
    ctx.views.want(ViewId::Latent, state.request);  // sent after the panels are drawn
    const LatentView* view = s.view<LatentView>(ViewId::Latent);
    if (!s.data.set || s.model.probes.input.cols() == 0) {
        ImGui::TextDisabled("No model yet.");
        return;
    }
    // Controls of the view.
    const int dims = view ? std::max(view->dims, 2) : 2;
    if (dims > 2) {
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
        int x = state.request.dim_x + 1, y = state.request.dim_y + 1;
        if (widgets::slider_int("x dim", &x, 1, dims)) state.request.dim_x = x - 1;
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
        if (widgets::slider_int("y dim", &y, 1, dims)) state.request.dim_y = y - 1;
        ImGui::SameLine();
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    widgets::slider_int("grid", &state.grid, kLeastGrid, 30);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Decoded images per side: at most this many, and as many as show at "
                          "least %.0f px each", kMinTile);
    ImGui::SameLine();
    ImGui::Checkbox("Φ⁻¹ spacing", &state.request.inverse_cdf);
    widgets::help_marker(
        "As in the VAE paper: grid points evenly spaced in probability under "
        "N(0, 1), mapped back through the inverse normal CDF.");
    if (view && view->is_vae) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
        int probe = state.request.probe + 1;
        if (widgets::slider_int("probe", &probe, 1, int(s.model.probes.input.cols())))
            state.request.probe = probe - 1;
        widgets::help_marker(
            "The probe image whose posterior N(μ(x), σ(x)²) is drawn on the "
            "plane: its μ, the 1σ/2σ/3σ ellipses, and the z the trainer draws.");
    }
    if (!view || !view->codes) {
        ImGui::TextDisabled("Encoding the test set…");
        ctx.views.want(ViewId::Latent, state.request);
        return;
    }
    const LatentView& v = *view;
    if (v.codes_version != state.built_codes || s.model_version != state.built_model ||
        v.request.dim_x != state.built_dims[0] || v.request.dim_y != state.built_dims[1])
        build_scatter(state, s, v);

    // One row that the images fill: the scatter and the manifold, squares of `side`; the
    // decoded point under the manifold; the legend over the prior's samples. The notes come
    // after it (below the fold in a short panel: they never take the images' room).
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float row_top = ImGui::GetCursorScreenPos().y;
    const float third = third_column_width(s, v.is_vae, state.request.has_point);
    const float pair = avail.x - third - 2 * spacing, least_side = least_scatter_side();
    const float side = std::floor(std::min(
        avail.y, std::max(least_side, std::min(pair / 2, pair - least_manifold_side()))));
    const float manifold_side = std::floor(std::min(avail.y, std::max(pair - side, least_manifold_side())));
    const float manifold = manifold_side - ImGui::GetTextLineHeightWithSpacing();
    state.request.grid = std::clamp(int(manifold / kMinTile), kLeastGrid, state.grid);
    draw_scatter(state, ctx, v, side);
    ImGui::SameLine();
    ImGui::BeginGroup();
    draw_manifold(state, ctx, v, manifold_side);
    draw_point(state, ctx, v, manifold_side, avail.y - manifold_side - ImGui::GetStyle().ItemSpacing.y);
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    draw_legend(state, s, v);
    ImGui::Spacing();
    // The samples as large as the column and the row's height allow, never under kMinTile.
    const float below = row_top + avail.y - ImGui::GetCursorScreenPos().y - 2 * needs::widget_line();
    draw_prior(state, ctx, v, std::max(4 * kMinTile + 3 * kPriorGap, std::min(third, below)));
    ImGui::EndGroup();

    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    if (v.is_vae)
        widgets::text_wrapped(
            "Training samples z = μ(x) + σ(x) ⊙ ε around the encoder's μ (the "
            "ellipses and the ×); generation draws z ~ N(0, I) and uses the "
            "decoder alone. Left: click/drag decodes, right-drag pans, wheel zooms.");
    else
        widgets::text_wrapped(
            "The codes h of the test images. Left: click/drag decodes, "
            "right-drag pans, wheel zooms, double-right-click refits.");
    if (v.dims == 1)
        widgets::text_wrapped(
            "A 1-D code: the plane is a line (μ1 across, the points spread vertically by "
            "class); the decoder's images run along it.");
    else if (v.dims > 2)
        widgets::text_wrapped(
            v.is_vae ? "Decoded points: the %d %s not shown sit at 0, the prior's mean."
                     : "Decoded points: the %d %s not shown sit at the test set's mean code.",
            v.dims - 2, v.is_vae ? "latent dims" : "code units");
    widgets::text_wrapped(
        "Codes of all %d test images recomputed every %.1f s (last pass %.0f ms, "
        "at step %lld).",
        int(v.codes->cols()), v.codes_interval, v.codes_seconds * 1000, (long long)v.codes_step);
    ImGui::PopStyleColor();
    // The plot updated the visible window: that is what the next request asks for.
    ctx.views.want(ViewId::Latent, state.request);
}
