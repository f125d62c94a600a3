// Hidden activations: a heat map of one encoder layer, units across × probe images down,
// each row labelled by its probe image (a tile of kMinTile pixels or more: as many rows as
// the panel holds, up to 16), with a colour bar.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "app/panels/image_views.h"
#include "app/panels/panel_needs.h"
#include "app/panels/panels.h"
#include "app/panels/widgets.h"
#include "core/run/session.h"

using namespace aelab;

namespace {

struct HiddenState {
    int layer = -1;  // -1: the code layer
    uint64_t checked_version = ~0ull;
    int checked_layer = -1;
    bool identical = false;  // every unit responds alike (checked once per snapshot)
    std::vector<float> heat, thumbnails;
};
// The panel's object: the registry owns one, and a reset replaces it (state and all).
struct HiddenPanel final : PanelObject {
    HiddenState state;
    void draw(PanelContext& ctx) override;
    PanelNeeds needs(const PanelContext& ctx) const override;
};

constexpr int kLeastRows = 4;  // probe images: fewer rows would not show a pattern
constexpr float kRowHeight = kMinTile + 1;  // a row's image and the pixel between rows
const char* const kFooter = "hidden unit →   (rows: the probe images at the left)";
const char* const kIdentical =
    "Every unit responds identically to every image: with equal initial weights all units get "
    "the same gradient and stay copies of each other.";

// The activation's own range where it has one, so colours mean the same thing over time.
void value_range(Activation act, const ConstMatRef& a, float& lo, float& hi) {
    switch (act) {
        case Activation::Sigmoid:
            lo = 0, hi = 1;
            return;
        case Activation::Tanh:
            lo = -1, hi = 1;
            return;
        case Activation::Relu:
            lo = 0, hi = std::max(1e-3f, a.size() ? a.maxCoeff() : 1.0f);
            return;
        case Activation::Linear:
            lo = a.size() ? a.minCoeff() : 0;
            hi = a.size() ? a.maxCoeff() : 1;
            if (hi - lo < 1e-6f) hi = lo + 1e-6f;
            return;
    }
}

// True when every unit responds like unit 0 to every probe: the symmetry problem. (Up to
// float rounding, which differs between rows of a BLAS product.)
bool units_identical(const ConstMatRef& a) {
    if (a.rows() < 2) return false;
    for (Eigen::Index j = 1; j < a.rows(); ++j)
        if ((a.row(j) - a.row(0)).cwiseAbs().maxCoeff() > 1e-4f) return false;
    return true;
}

}  // namespace

std::unique_ptr<PanelObject> make_hidden_panel() { return std::make_unique<HiddenPanel>(); }

PanelNeeds HiddenPanel::needs(const PanelContext&) const {
    // The layer's combo, its line of figures, the rows, the footer; a heat map at least as
    // wide as the rows are tall, and the colour bar.
    const float width = kRowHeight + 4 + kLeastRows * kRowHeight + image_views::colorbar_width(14, -1, 1) + 8;
    const float height = needs::widget_line() + needs::line() + kLeastRows * kRowHeight +
                         needs::text_height(kFooter, width);
    return {ImVec2(width, height), 0.8f};
}

void HiddenPanel::draw(PanelContext& ctx) {
    const Snapshot& s = ctx.snapshot;
    const int layers = int(s.model.probes.hidden.size());
    if (layers == 0) {
        ImGui::TextDisabled("No model yet.");
        return;
    }
    int layer = state.layer < 0 || state.layer >= layers ? layers - 1 : state.layer;
    // As wide as a layer's name needs, less in a narrow panel: the label stays in view.
    const float label_w = ImGui::CalcTextSize("layer").x + ImGui::GetStyle().ItemInnerSpacing.x;
    ImGui::SetNextItemWidth(
        std::min(ImGui::GetFontSize() * 12, ImGui::GetContentRegionAvail().x - label_w));
    if (ImGui::BeginCombo("layer", s.model.probes.hidden_names[layer].c_str())) {
        for (int l = 0; l < layers; ++l)
            if (ImGui::Selectable(s.model.probes.hidden_names[l].c_str(), l == layer))
                state.layer = layer = l;
        ImGui::EndCombo();
    }
    // A row per probe, each row's image at least kMinTile: the first kProbesInRows (one of
    // each class first) as far as the panel holds them; Reconstructions shows the rest.
    const float width = ImGui::GetContentRegionAvail().x;
    const float rows_h = ImGui::GetContentRegionAvail().y - needs::line() - needs::text_height(kFooter, width) -
                         (state.identical ? needs::text_height(kIdentical, width) : 0.0f);
    const int p = std::clamp(int(rows_h / kRowHeight), 1,
                             std::min<int>(Session::kProbesInRows, int(s.model.probes.hidden[layer].cols())));
    const auto a = s.model.probes.hidden[layer].leftCols(p);  // m×p
    const int m = int(a.rows());
    const bool vae_heads = s.config.model == ModelKind::Vae && layer == layers - 1;
    const Activation act = vae_heads                               ? Activation::Linear
                           : size_t(layer) < s.config.hidden.size() ? hidden_activation(s.config, size_t(layer))
                                                                   : s.config.encoder_act;
    float lo = 0, hi = 1;
    value_range(act, a, lo, hi);
    char info[96];
    std::snprintf(info, sizeof info, "%d units × %d probe images, %s", m, p, to_string(act));
    widgets::info_after(info);
    if (state.checked_version != s.version || state.checked_layer != layer) {
        state.identical = units_identical(a);
        state.checked_version = s.version;
        state.checked_layer = layer;
    }
    if (state.identical) widgets::hint(kIdentical);

    const ImTextureID heat =
        ctx.images.image("hidden/heat", s.version ^ (uint64_t(layer) << 56) ^ (uint64_t(p) << 48), [&] {
            state.heat.resize(size_t(m) * p);
            for (int i = 0; i < p; ++i)
                for (int j = 0; j < m; ++j) state.heat[size_t(i) * m + j] = a(j, i);
            return ImageRequest{state.heat.data(), m, p, Colormap::Viridis, lo, hi};
        });
    const int w = s.data.image_width, h = s.data.image_height;
    const ImTextureID thumbs = ctx.images.image("hidden/probes", s.model_version ^ (uint64_t(p) << 48), [&] {
        image_views::make_tiles(s.model.probes.input, {p, p, w, h}, false, state.thumbnails);
        return ImageRequest{state.thumbnails.data(), p * w, h, Colormap::Grey, 0, 1};
    });

    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float bar_w = image_views::colorbar_width(14, lo, hi) + 8;
    const float footer_h = needs::text_height(kFooter, avail.x);
    const float row_h = std::max(kRowHeight, std::floor((avail.y - footer_h) / p));
    const float thumb = row_h;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 map0(origin.x + thumb + 4, origin.y);
    const ImVec2 map1(origin.x + avail.x - bar_w, origin.y + row_h * p);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    for (int i = 0; i < p; ++i)
        image_views::draw_tile(draw, thumbs, {p, p, w, h}, i,
                               ImVec2(origin.x, origin.y + i * row_h),
                               ImVec2(origin.x + thumb - 1, origin.y + (i + 1) * row_h - 1));
    draw->AddImage(heat, map0, map1);
    ImGui::SetCursorScreenPos(ImVec2(map1.x + 8, origin.y));
    image_views::colorbar(ctx.images, "hidden/colorbar", Colormap::Viridis, lo, hi,
                          ImVec2(bar_w - 8, map1.y - map0.y));
    ImGui::SetCursorScreenPos(ImVec2(origin.x, map1.y + 2));
    widgets::note(kFooter);

    const ImVec2 mouse = ImGui::GetIO().MousePos;
    if (ImGui::IsWindowHovered() && mouse.x >= map0.x && mouse.x < map1.x && mouse.y >= map0.y &&
        mouse.y < map1.y) {
        const int j = std::clamp(int((mouse.x - map0.x) / (map1.x - map0.x) * m), 0, m - 1);
        const int i = std::clamp(int((mouse.y - map0.y) / row_h), 0, p - 1);
        ImGui::SetTooltip("unit %d, probe %d: %.4g", j + 1, i + 1, a(j, i));
    }
}
