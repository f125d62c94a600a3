// Reconstructions of the fixed probe images: input, corrupted input (when noise is on),
// output and |error|, one row each, one column per probe image, in as many blocks of lines
// as fill the panel at a readable size (tiles of kMinTile pixels or more; the first ten, one
// of each class, first).
#include <algorithm>
#include <cstdio>
#include <cmath>
#include <string>
#include <vector>

#include "app/panels/image_views.h"
#include "app/panels/panel_needs.h"
#include "app/panels/panels.h"
#include "app/panels/widgets.h"

using namespace aelab;

namespace {

constexpr float kErrorRange = 0.5f;  // |x̂ − x| shown from 0 (black) to 0.5 (bright)
constexpr int kOneOfEachClass = 10;  // the first probes: one of each class (Fashion-MNIST's 10)
constexpr float kGap = 3;            // pixels between tiles (two between blocks)
// The smallest useful view: the ten, in two blocks of five.
constexpr int kLeastPerLine = 5, kLeastBlocks = 2;

struct ReconstructionsState {
    std::vector<float> strip;
    Mat error;
    uint64_t error_version = ~0ull;
};
// The panel's object: the registry owns one, and a reset replaces it (state and all).
struct ReconstructionsPanel final : PanelObject {
    ReconstructionsState state;
    void draw(PanelContext& ctx) override;
    PanelNeeds needs(const PanelContext& ctx) const override;
};

float row_label_width() {
    return ImGui::CalcTextSize("noisy input").x + 8;
}

// The line under the tiles: how many are shown, and the error's colour scale.
std::string footer(int shown, int count) {
    char text[96];
    std::snprintf(text, sizeof text, "%d of %d probe images.  |error|: black 0 → yellow %.1f",
                  shown, count, kErrorRange);
    return text;
}

struct Row {
    const char* label;
    const char* key;
    const Mat* images;
    Colormap colormap;
    float lo, hi;
};

}  // namespace

std::unique_ptr<PanelObject> make_reconstructions_panel() { return std::make_unique<ReconstructionsPanel>(); }

PanelNeeds ReconstructionsPanel::needs(const PanelContext& ctx) const {
    const int rows = ctx.snapshot.model.probes.is_corrupted ? 4 : 3;
    const float width = row_label_width() + kLeastPerLine * (kMinTile + kGap);
    const float tiles = kLeastBlocks * (rows * (kMinTile + kGap) + 2 * kGap);
    return {ImVec2(width, tiles + needs::text_height(footer(32, 32).c_str(), width)), 1.2f};
}

void ReconstructionsPanel::draw(PanelContext& ctx) {
    const Snapshot& s = ctx.snapshot;
    const int w = s.data.image_width, h = s.data.image_height, p = int(s.model.probes.input.cols());
    if (p == 0 || w == 0) {
        ImGui::TextDisabled("No model yet.");
        return;
    }
    if (state.error_version != s.version ||  // per snapshot, not per frame (and never stale:
        state.error.rows() != s.model.probes.input.rows() ||  // another trainer's snapshot may share
        state.error.cols() != s.model.probes.input.cols()) {   // the version number)
        state.error = (s.model.probes.output - s.model.probes.input).cwiseAbs();
        state.error_version = s.version;
    }
    std::vector<Row> rows = {{"input", "recon/input", &s.model.probes.input, Colormap::Grey, 0, 1}};
    if (s.model.probes.is_corrupted)
        rows.push_back({"noisy input", "recon/noisy", &s.model.probes.corrupted, Colormap::Grey, 0, 1});
    rows.push_back({"output", "recon/output", &s.model.probes.output, Colormap::Grey, 0, 1});
    rows.push_back({"|error|", "recon/error", &state.error, Colormap::Inferno, 0, kErrorRange});

    // The tiles fill the panel less the row labels and the footer's lines.
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float label_w = row_label_width();
    const float gap = kGap;
    const float footer_h = needs::text_height(footer(p, p).c_str(), avail.x);
    const image_views::BlockLayout layout = image_views::fill_with_blocks(
        ImVec2(avail.x - label_w, avail.y - footer_h), int(rows.size()), p, gap, kMinTile,
        kOneOfEachClass);
    const float tile = layout.tile;
    const int per_line = layout.per_line, shown = layout.shown;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    float y = origin.y;
    for (int block = 0; block * per_line < shown; ++block) {
        for (const Row& row : rows) {
            const ImTextureID texture = ctx.images.image(row.key, s.version, [&] {
                image_views::make_tiles(*row.images, {p, p, w, h}, false, state.strip);
                return ImageRequest{state.strip.data(), p * w, h, row.colormap, row.lo, row.hi};
            });
            draw->AddText(ImVec2(origin.x, y + tile / 2 - ImGui::GetTextLineHeight() / 2),
                          ImGui::GetColorU32(ImGuiCol_Text), row.label);
            for (int j = 0; j < per_line && block * per_line + j < shown; ++j) {
                const int i = block * per_line + j;
                const ImVec2 p0(origin.x + label_w + j * (tile + gap), y);
                const ImVec2 p1(p0.x + tile, p0.y + tile);
                image_views::draw_tile(draw, texture, {p, p, w, h}, i, p0, p1);
                if (ImGui::IsWindowHovered() && mouse.x >= p0.x && mouse.x < p1.x &&
                    mouse.y >= p0.y && mouse.y < p1.y) {
                    const int label = s.model.probes.labels[i];
                    const double mse =
                        (s.model.probes.output.col(i) - s.model.probes.input.col(i)).squaredNorm() / (w * h);
                    ImGui::SetTooltip(
                        "probe %d: %s\nsquared error %.4f per pixel", i + 1,
                        label < int(s.data.class_names.size()) ? s.data.class_names[label].c_str() : "?",
                        mse);
                }
            }
            y += tile + gap;
        }
        y += gap * 2;
    }
    ImGui::Dummy(ImVec2(avail.x, y - origin.y - ImGui::GetStyle().ItemSpacing.y));
    widgets::note(footer(shown, p).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Hover an image for its class and error.");
}
