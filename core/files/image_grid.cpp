#include "core/files/image_grid.h"

#include <stb/stb_image_write.h>

#include <algorithm>
#include <cmath>

#include "core/base/atomic_file.h"
#include "core/run/session.h"

namespace aelab {

namespace {

// The diverging colormap of shaders/colormap.frag (matplotlib's RdBu, reversed, five stops).
constexpr float kDiverging[5][3] = {{0.129f, 0.400f, 0.675f},
                                    {0.404f, 0.663f, 0.812f},
                                    {0.969f, 0.969f, 0.969f},
                                    {0.937f, 0.541f, 0.384f},
                                    {0.698f, 0.094f, 0.169f}};

uint8_t byte(float v) { return uint8_t(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); }

RgbaImage blank(int width, int height) {
    RgbaImage image;
    image.width = width;
    image.height = height;
    image.rgba.assign(size_t(width) * height * 4, 255);  // white, opaque
    return image;
}

void put(RgbaImage& image, int x, int y, float r, float g, float b) {
    uint8_t* p = &image.rgba[(size_t(y) * image.width + x) * 4];
    p[0] = byte(r);
    p[1] = byte(g);
    p[2] = byte(b);
}

}  // namespace

std::array<float, 3> diverging_color(float v) {
    const float t = std::clamp((v + 1.0f) * 2.0f, 0.0f, 4.0f);
    const int k = std::min(int(t), 3);
    const float f = t - float(k);
    const float* a = kDiverging[k];
    const float* b = kDiverging[k + 1];
    return {a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f};
}

RgbaImage grey_rows(const std::vector<const Mat*>& rows, int w, int h, int gap) {
    int cols = 0;
    for (const Mat* row : rows) cols = std::max(cols, int(row->cols()));
    RgbaImage image = blank(std::max(0, cols * (w + gap) - gap),
                            std::max(0, int(rows.size()) * (h + gap) - gap));
    for (size_t r = 0; r < rows.size(); ++r)
        for (int i = 0; i < rows[r]->cols(); ++i)
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x) {
                    const float v = (*rows[r])(y * w + x, i);
                    put(image, i * (w + gap) + x, int(r) * (h + gap) + y, v, v, v);
                }
    return image;
}

RgbaImage diverging_grid(const Mat& tiles, int w, int h, int cols, int gap) {
    const int count = int(tiles.cols());
    cols = std::max(1, std::min(cols, count));
    const int rows = (count + cols - 1) / cols;
    RgbaImage image = blank(std::max(0, cols * (w + gap) - gap), std::max(0, rows * (h + gap) - gap));
    for (int i = 0; i < count; ++i) {
        const float peak = tiles.col(i).cwiseAbs().maxCoeff();
        const float scale = peak > 0 ? 1.0f / peak : 1.0f;
        const int x0 = (i % cols) * (w + gap), y0 = (i / cols) * (h + gap);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const auto [r, g, b] = diverging_color(tiles(y * w + x, i) * scale);
                put(image, x0 + x, y0 + y, r, g, b);
            }
    }
    return image;
}

std::string encode_png(const RgbaImage& image) {
    std::string png;
    auto append = [](void* context, void* data, int size) {
        static_cast<std::string*>(context)->append(static_cast<const char*>(data), size_t(size));
    };
    if (image.width == 0 || image.height == 0 ||
        !stbi_write_png_to_func(append, &png, image.width, image.height, 4, image.rgba.data(),
                                image.width * 4))
        return {};
    return png;
}

std::optional<Error> write_png(const std::string& path, const RgbaImage& image) {
    const std::string png = encode_png(image);
    if (png.empty()) return Error{path + ": nothing to save (an empty image)"};
    return write_file_atomically(path, png);
}

std::optional<Error> export_probes_png(const std::string& path, Session& session) {
    const Dataset& data = session.data();
    if (data.width * data.height != data.input_size() || data.width <= 0)
        return Error{path + ": the inputs are not images, so there is no grid to draw"};
    Snapshot shown;
    session.fill_model_views(shown);
    std::vector<const Mat*> rows = {&shown.model.probes.input};
    if (shown.model.probes.is_corrupted) rows.push_back(&shown.model.probes.corrupted);
    rows.push_back(&shown.model.probes.output);
    return write_png(path, grey_rows(rows, data.width, data.height));
}

std::optional<Error> export_filters_png(const std::string& path, const Session& session) {
    const Dataset& data = session.data();
    if (data.width * data.height != data.input_size() || data.width <= 0)
        return Error{path + ": the inputs are not images, so there is no grid to draw"};
    const Mat filters = session.network().weight(0).transpose();  // n×m: unit j's weights
    const int cols = int(std::ceil(std::sqrt(double(filters.cols()))));
    return write_png(path, diverging_grid(filters, data.width, data.height, cols));
}

}  // namespace aelab
