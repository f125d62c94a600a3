// Filters: each hidden unit's incoming encoder weights (a row of W) and outgoing decoder
// weights (a column of W*) drawn as images — the classic feature view. Each tile is scaled
// to its own largest |weight|; blue is negative, white zero, red positive.
#include <algorithm>
#include <cmath>
#include <vector>

#include "app/panels/image_views.h"
#include "app/panels/panel_needs.h"
#include "app/panels/panels.h"
#include "app/panels/widgets.h"
#include "core/files/image_grid.h"
#include "core/views/filters_view.h"

using namespace aelab;

namespace {

constexpr double kUploadInterval = 0.25;  // seconds: thousands of tiles need not move at 30 Hz
constexpr int kTextureColumns = 32;       // the tiles' texture is a grid, 32 tiles wide
const char* const kViews[] = {"W and W*", "W (encoder)", "W* (decoder)"};
constexpr float kTileGap = 2, kSideGap = 12;  // between tiles; between the two grids
constexpr int kLeastColumns = 3, kLeastRows = 2;  // in each grid: the smallest view worth showing

struct FiltersState {
    int view = 0;
    float tile = kMinTile;  // at 100 % zoom; never under kMinTile on screen
    float shown_tile = kMinTile;  // tile × the zoom: what is drawn, in screen pixels
    int page = 0;
    double uploaded_at = -1e9;
    uint64_t uploaded_version = 0, uploaded_model = ~0ull;
    std::vector<float> pixels;
    Mat tiles;
};
// The panel's object: the registry owns one, and a reset replaces it (state and all).
struct FiltersPanel final : PanelObject {
    FiltersState state;
    void draw(PanelContext& ctx) override;
    PanelNeeds needs(const PanelContext& ctx) const override;
};

// The footer — page slider, "units a–b of m", the colour key — on as many lines as `width`
// needs.
int footer_lines(float width) {
    const float footer_w = ImGui::GetFontSize() * 32 + ImGui::CalcTextSize("units 000–000 of 000").x;
    return width >= footer_w ? 1 : width >= footer_w / 2 ? 2 : 3;
}

// One grid of filter tiles in [origin, origin + size]; returns the hovered unit or −1.
// Unit j's weights are row j of `weights` (encoder W, m×n) or its column j (decoder W*, n×m).
int draw_grid(FiltersState& state, PanelContext& ctx, const char* key, const Mat& weights, bool unit_per_row,
              uint64_t version, ImVec2 origin, ImVec2 size, int first, int count) {
    const Snapshot& s = ctx.snapshot;
    const int m = int(unit_per_row ? weights.rows() : weights.cols());
    const image_views::TileGrid grid{m, std::min(m, kTextureColumns), s.data.image_width,
                                     s.data.image_height};
    const ImTextureID texture = ctx.images.image(key, version, [&] {
        if (unit_per_row) state.tiles = weights.transpose();  // only when re-uploading
        image_views::make_tiles(unit_per_row ? state.tiles : weights, grid, true, state.pixels);
        return ImageRequest{state.pixels.data(), grid.width(), grid.height(),
                            Colormap::Diverging, -1.0f,        1.0f};
    });
    const float step = state.shown_tile + kTileGap;
    const int per_row = std::max(1, int(size.x / step));
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    int hovered = -1;
    for (int k = 0; k < count && first + k < m; ++k) {
        const ImVec2 p0(origin.x + (k % per_row) * step, origin.y + (k / per_row) * step);
        const ImVec2 p1(p0.x + state.shown_tile, p0.y + state.shown_tile);
        image_views::draw_tile(draw, texture, grid, first + k, p0, p1);
        if (mouse.x >= p0.x && mouse.x < p1.x && mouse.y >= p0.y && mouse.y < p1.y)
            hovered = first + k;
    }
    return hovered;
}

}  // namespace

std::unique_ptr<PanelObject> make_filters_panel() { return std::make_unique<FiltersPanel>(); }

PanelNeeds FiltersPanel::needs(const PanelContext& ctx) const {
    const float tile = std::max(kMinTile, std::round(state.tile * ctx.settings.zoom));
    const float width = std::max(2 * kLeastColumns * (tile + kTileGap) + kSideGap, ImGui::GetFontSize() * 16);
    // The view's combo and the tile slider (two lines when narrow), the grids' titles, the
    // grids and the footer.
    const float height = 2 * needs::widget_line() + needs::line() + kLeastRows * (tile + kTileGap) +
                         footer_lines(width) * needs::widget_line();
    return {ImVec2(width, height), 1.0f};
}

void FiltersPanel::draw(PanelContext& ctx) {
    const Snapshot& s = ctx.snapshot;
    ctx.views.want(ViewId::Filters, FiltersRequest{});
    const FiltersView* weights = s.view<FiltersView>(ViewId::Filters);
    if (!weights || weights->encoder_weights.size() == 0 ||
        s.data.image_width * s.data.image_height != weights->encoder_weights.cols()) {
        ImGui::TextDisabled(s.data.set ? "Copying the weights…" : "No model yet.");
        return;
    }
    const FiltersView& w = *weights;
    const int m = int(w.encoder_weights.rows());
    ImGui::SetNextItemWidth(widgets::combo_width(kViews[2]));
    ImGui::Combo("##view", &state.view, kViews, 3);
    const float slider_w = ImGui::GetFontSize() * 7;
    widgets::same_line_if_fits(slider_w + ImGui::CalcTextSize(" tile").x + ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::SetNextItemWidth(slider_w);
    ImGui::SliderFloat("tile", &state.tile, kMinTile, 160, "%.0f px");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Tile size at 100 %% zoom (View ▸ Zoom)");
    state.tile = std::max(state.tile, kMinTile);  // a typed value too
    state.shown_tile = std::max(kMinTile, std::round(state.tile * ctx.settings.zoom));
    if (s.config.tied) widgets::info_after("tied: W* = Wᵀ, the two grids are the same");

    const bool both = state.view == 0;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float label_h = ImGui::GetTextLineHeightWithSpacing();
    // The footer — page slider, "units a–b of m", the colour key — takes a second line when
    // the panel is too narrow for it on one.
    const float footer = ImGui::GetFrameHeightWithSpacing() * float(footer_lines(avail.x));
    const float grid_w = both ? (avail.x - kSideGap) / 2 : avail.x;
    const float grid_h = std::max(0.0f, avail.y - label_h - footer);
    const float step = state.shown_tile + kTileGap;
    const int rows = std::max(1, int(grid_h / step));
    const int per_page = std::max(1, int(grid_w / step)) * rows;
    const int pages = (m + per_page - 1) / per_page;
    state.page = std::clamp(state.page, 0, pages - 1);

    // Uploads are throttled: re-colouring every tile 30 times a second buys nothing.
    const bool fresh =
        s.model_version != state.uploaded_model || ctx.time - state.uploaded_at >= kUploadInterval;
    if (fresh) {
        state.uploaded_version = s.version;
        state.uploaded_model = s.model_version;
        state.uploaded_at = ctx.time;
    }
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const int first = state.page * per_page;
    int hovered = -1;
    const char* hovered_side = "";
    // A grid's title, shortened when its grid is too narrow for it.
    auto side = [&](int index, const char* title, const char* short_title, const char* key, bool encoder) {
        const float x = origin.x + index * (grid_w + kSideGap);
        const char* shown = ImGui::CalcTextSize(title).x <= grid_w ? title
                            : ImGui::CalcTextSize(short_title).x <= grid_w ? short_title
                                                                           : "";
        ImGui::GetWindowDrawList()->AddText(ImVec2(x, origin.y), ImGui::GetColorU32(ImGuiCol_Text),
                                            shown);
        const int h = draw_grid(state, ctx, key, encoder ? w.encoder_weights : w.decoder_weights, encoder,
                                state.uploaded_version, ImVec2(x, origin.y + label_h),
                                ImVec2(grid_w, grid_h), first, per_page);
        if (h >= 0) hovered = h, hovered_side = title;
    };
    if (state.view != 2) side(0, "encoder W, row j", "W, row j", "filters/encoder", true);
    if (state.view != 1) side(both ? 1 : 0, "decoder W*, column j", "W*, col. j", "filters/decoder", false);
    // At least the one row of tiles drawn: the footer goes under it (the panel scrolls).
    ImGui::Dummy(ImVec2(avail.x, label_h + std::max(grid_h, rows * step)));
    if (hovered >= 0 && ImGui::IsWindowHovered())
        ImGui::SetTooltip(
            "unit %d — %s\n(row j of W: what unit j responds to; column j of "
            "W*: what it draws)",
            hovered + 1, hovered_side);

    if (pages > 1) {
        const float label_w = ImGui::CalcTextSize(" page").x + ImGui::GetStyle().ItemInnerSpacing.x;
        ImGui::SetNextItemWidth(std::min(ImGui::GetFontSize() * 10, ImGui::GetContentRegionAvail().x - label_w));
        int page = state.page + 1;
        if (ImGui::SliderInt("page", &page, 1, pages)) state.page = page - 1;
    }
    char units[64];
    std::snprintf(units, sizeof units, "units %d–%d of %d", first + 1, std::min(m, first + per_page), m);
    if (pages > 1) widgets::same_line_if_fits(ImGui::CalcTextSize(units).x);
    ImGui::TextDisabled("%s", units);
    widgets::same_line_if_fits(ImGui::GetFontSize() * 16);
    widgets::color_key("weight:", "−max", "+max",
                       [](float t) {
                           const auto [r, g, b] = diverging_color(2 * t - 1);
                           return ImGui::GetColorU32(ImVec4(r, g, b, 1));
                       },
                       "Blue negative, white 0, red positive; each tile is scaled to its own "
                       "largest |weight| (max)");
}
