#include "app/panels/image_views.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "app/plot/plot.h"

namespace image_views {

void make_tiles(const aelab::Mat& images, const TileGrid& grid, bool normalise_each,
                std::vector<float>& out) {
    const int stride = grid.width();
    out.assign(size_t(stride) * grid.height(), 0.0f);
    for (int i = 0; i < grid.count && i < images.cols(); ++i) {
        const float* src = images.col(i).data();
        float scale = 1.0f;
        if (normalise_each) {
            const float peak = images.col(i).cwiseAbs().maxCoeff();
            scale = peak > 0 ? 1.0f / peak : 1.0f;
        }
        const int x0 = (i % grid.cols) * grid.w, y0 = (i / grid.cols) * grid.h;
        for (int r = 0; r < grid.h; ++r)
            for (int c = 0; c < grid.w; ++c)
                out[size_t(y0 + r) * stride + x0 + c] = src[r * grid.w + c] * scale;
    }
}

BlockLayout fill_with_blocks(ImVec2 space, int row_kinds, int count, float gap, float min_tile,
                             int show_first) {
    // Picture area alone (shown × tile²) favours a few huge tiles, the count alone many tiny
    // ones; shown × tile^1.5 weighs both and fills the space at readable sizes.
    const auto score = [](const BlockLayout& l) { return l.shown * l.tile * std::sqrt(l.tile); };
    const int wanted = std::min(count, show_first);
    BlockLayout best, largest;  // best readable; largest tiles whatever their size
    for (int per_line = 1; per_line <= std::min(count, 16); ++per_line)
        for (int blocks = 1; per_line * blocks <= count; ++blocks) {
            BlockLayout l{per_line, per_line * blocks, 0.0f};
            l.tile = std::floor(std::min(space.x / per_line - gap,
                                         (space.y - blocks * 2 * gap) / (row_kinds * blocks) - gap));
            if (l.tile < 1) continue;
            if (largest.shown == 0 || score(l) > score(largest)) largest = l;
            if (l.tile < min_tile) continue;
            const int l_first = std::min(l.shown, wanted), best_first = std::min(best.shown, wanted);
            if (best.shown == 0 || l_first > best_first ||
                (l_first == best_first && score(l) > score(best)))
                best = l;
        }
    if (best.shown > 0) return best;
    if (largest.shown > 0) return largest;                                // nothing readable fits
    return {std::min(count, 16), std::min(count, 16), 8.0f};               // no room at all
}

void draw_tile(ImDrawList* draw, ImTextureID texture, const TileGrid& grid, int i, ImVec2 p0,
               ImVec2 p1) {
    const float u0 = float(i % grid.cols) / grid.cols, v0 = float(i / grid.cols) / grid.rows();
    draw->AddImage(texture, p0, p1, ImVec2(u0, v0),
                   ImVec2(u0 + 1.0f / grid.cols, v0 + 1.0f / grid.rows()));
    plot::note_tile(p0, p1);  // for the layout audit: every picture, at the size it is shown
}

void grid_image(ImTextureID texture, const TileGrid& grid, ImVec2 size) {
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::Image(texture, size);
    const float w = size.x / grid.cols, h = size.y / grid.rows();
    for (int i = 0; i < grid.count; ++i) {
        const ImVec2 t0(p0.x + (i % grid.cols) * w, p0.y + (i / grid.cols) * h);
        plot::note_tile(t0, ImVec2(t0.x + w, t0.y + h));
    }
}

int tile_row(ImageStore& store, const char* key, uint64_t version, const aelab::Mat& images,
             int w, int h, const char* label, float label_width, float tile, bool normalise_each,
             std::vector<float>& scratch, int shown) {
    const int all = int(images.cols());
    const int count = shown < 0 ? all : std::min(shown, all);
    const TileGrid grid{all, std::max(1, all), w, h};
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddText(ImVec2(origin.x, origin.y + tile / 2 - ImGui::GetTextLineHeight() / 2),
                  ImGui::GetColorU32(ImGuiCol_Text), label);
    int hovered = -1;
    if (count > 0 && images.rows() == w * h) {
        const ImTextureID texture = store.image(key, version, [&] {
            make_tiles(images, grid, normalise_each, scratch);
            return normalise_each
                       ? ImageRequest{scratch.data(), grid.width(), grid.height(),
                                      Colormap::Diverging, -1.0f, 1.0f}
                       : ImageRequest{scratch.data(), grid.width(), grid.height(), Colormap::Grey,
                                      0.0f, 1.0f};
        });
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        constexpr float gap = 3;
        for (int i = 0; i < count; ++i) {
            const ImVec2 p0(origin.x + label_width + i * (tile + gap), origin.y);
            const ImVec2 p1(p0.x + tile, p0.y + tile);
            draw_tile(draw, texture, grid, i, p0, p1);
            if (ImGui::IsWindowHovered() && mouse.x >= p0.x && mouse.x < p1.x && mouse.y >= p0.y &&
                mouse.y < p1.y)
                hovered = i;
        }
    }
    ImGui::Dummy(ImVec2(label_width + count * (tile + 3), tile + 3));
    return hovered;
}

namespace {
std::vector<std::string> tick_labels(float lo, float hi, std::vector<double>& ticks) {
    ticks = plot::nice_ticks(lo, hi, 5);
    const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : std::max(1e-6f, hi - lo);
    std::vector<std::string> labels;
    for (double t : ticks) labels.push_back(plot::format_tick(t, step));
    return labels;
}
}  // namespace

float colorbar_width(float bar_width, float lo, float hi) {
    std::vector<double> ticks;
    float widest = 0;
    for (const std::string& label : tick_labels(lo, hi, ticks))
        widest = std::max(widest, ImGui::CalcTextSize(label.c_str()).x);
    return bar_width + 6 + widest;
}

void colorbar(ImageStore& images, const char* key, Colormap colormap, float lo, float hi,
              ImVec2 size) {
    // A 1×256 ramp, top = hi; uploaded once per (colormap, range).
    const uint64_t version =
        (uint64_t(colormap) << 60) ^ std::hash<float>()(lo) ^ (std::hash<float>()(hi) << 1);
    std::vector<float> ramp;  // uploaded within images.image(), when the range changed
    const ImTextureID texture = images.image(key, version, [&] {
        ramp.resize(256);
        for (int i = 0; i < 256; ++i) ramp[i] = hi + (lo - hi) * (i / 255.0f);
        return ImageRequest{ramp.data(), 1, 256, colormap, lo, hi};
    });
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float bar = std::min(size.x, 14.0f);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddImage(texture, p0, ImVec2(p0.x + bar, p0.y + size.y));
    draw->AddRect(p0, ImVec2(p0.x + bar, p0.y + size.y), ImGui::GetColorU32(ImGuiCol_Border));
    std::vector<double> ticks;
    const std::vector<std::string> labels = tick_labels(lo, hi, ticks);
    const float text_h = ImGui::GetTextLineHeight();
    for (size_t i = 0; i < ticks.size(); ++i) {
        const float t = hi > lo ? float((hi - ticks[i]) / (hi - lo)) : 0.5f;
        const float y = p0.y + t * size.y;
        draw->AddLine(ImVec2(p0.x + bar, y), ImVec2(p0.x + bar + 4, y),
                      ImGui::GetColorU32(ImGuiCol_Text));
        const float ty = std::clamp(y - text_h / 2, p0.y - text_h / 2, p0.y + size.y - text_h / 2);
        draw->AddText(ImVec2(p0.x + bar + 6, ty), ImGui::GetColorU32(ImGuiCol_Text),
                      labels[i].c_str());
    }
    ImGui::Dummy(size);
}

}  // namespace image_views
