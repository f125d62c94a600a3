// PNG grids at native pixel size (core/image_grid.h): one image pixel is one PNG pixel, in
// the right place, with the right colour — checked by decoding the PNG with stb_image.
#include <gtest/gtest.h>

#include <stb/stb_image.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "core/files/image_grid.h"
#include "core/run/session.h"

using namespace aelab;
namespace fs = std::filesystem;

namespace {

struct Decoded {
    int width = 0, height = 0;
    std::vector<uint8_t> rgba;
    std::array<int, 3> at(int x, int y) const {
        const uint8_t* p = &rgba[(size_t(y) * width + x) * 4];
        return {p[0], p[1], p[2]};
    }
};

Decoded decode(const std::string& png) {
    Decoded d;
    int channels = 0;
    unsigned char* pixels =
        stbi_load_from_memory(reinterpret_cast<const unsigned char*>(png.data()), int(png.size()),
                              &d.width, &d.height, &channels, 4);
    EXPECT_NE(pixels, nullptr) << "not a PNG stb_image reads";
    if (pixels) d.rgba.assign(pixels, pixels + size_t(d.width) * d.height * 4);
    stbi_image_free(pixels);
    return d;
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

int grey(float v) { return int(std::lround(std::clamp(v, 0.0f, 1.0f) * 255)); }

}  // namespace

TEST(ImageGrid, GreyRowsPutEveryPixelInPlaceWithWhiteGaps) {
    // Two rows of two 3×2 images; pixel (x, y) of image i in row r is (10r + 3i + x + y·3)/40.
    Mat a(6, 2), b(6, 2);
    for (int i = 0; i < 2; ++i)
        for (int p = 0; p < 6; ++p) {
            a(p, i) = float(0 + 3 * i + p) / 40;
            b(p, i) = float(10 + 3 * i + p) / 40;
        }
    b(5, 1) = 7.0f;  // out of range: clamped to white
    const Decoded d = decode(encode_png(grey_rows({&a, &b}, 3, 2, 2)));
    ASSERT_EQ(d.width, 2 * 3 + 2);
    ASSERT_EQ(d.height, 2 * 2 + 2);
    for (int r = 0; r < 2; ++r)
        for (int i = 0; i < 2; ++i)
            for (int y = 0; y < 2; ++y)
                for (int x = 0; x < 3; ++x) {
                    const float v = (r == 0 ? a : b)(y * 3 + x, i);
                    const auto rgb = d.at(i * 5 + x, r * 4 + y);
                    EXPECT_EQ(rgb, (std::array<int, 3>{grey(v), grey(v), grey(v)}))
                        << "row " << r << " image " << i << " pixel " << x << "," << y;
                }
    EXPECT_EQ(d.at(3, 0), (std::array<int, 3>{255, 255, 255})) << "the gap between tiles";
    EXPECT_EQ(d.at(0, 2), (std::array<int, 3>{255, 255, 255})) << "the gap between rows";
}

TEST(ImageGrid, FiltersAreScaledPerTileOnTheDivergingMap) {
    // One 2×2 tile with −2, 0, 2, 1 (largest |w| 2): blue, white, red and the stop between.
    Mat tile(4, 1);
    tile << -2, 0, 2, 1;
    const Decoded d = decode(encode_png(diverging_grid(tile, 2, 2, 1)));
    ASSERT_EQ(d.width, 2);
    ASSERT_EQ(d.height, 2);
    EXPECT_EQ(d.at(0, 0), (std::array<int, 3>{33, 102, 172}));   // −1: blue
    EXPECT_EQ(d.at(1, 0), (std::array<int, 3>{247, 247, 247}));  // 0: white
    EXPECT_EQ(d.at(0, 1), (std::array<int, 3>{178, 24, 43}));    // +1: red
    EXPECT_EQ(d.at(1, 1), (std::array<int, 3>{239, 138, 98}));   // +½: the fourth stop
}

TEST(ImageGrid, ExportsTheProbesAndFiltersOfAModelAtNativeSize) {
    const fs::path dir = fs::temp_directory_path() / ("aelab_grid_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    Config c;
    c.dataset = "bars";  // 16×16 images
    c.hidden = {9};
    c.knobs.noise = NoiseKind::Mask;
    auto data = prepare_dataset(make_synthetic(c.dataset), c);
    ASSERT_TRUE(data);
    auto session = std::move(*Session::create(c, *data));
    for (int i = 0; i < 20; ++i) session->train_step();

    ASSERT_FALSE(export_probes_png((dir / "p.png").string(), *session));
    const Decoded probes = decode(read(dir / "p.png"));
    const int count = Session::kProbeCount;
    EXPECT_EQ(probes.width, count * (16 + kGridGap) - kGridGap);
    EXPECT_EQ(probes.height, 3 * (16 + kGridGap) - kGridGap) << "input, noisy input, output";
    Snapshot shown;
    session->fill_model_views(shown);
    const int last = count - 1, x0 = last * (16 + kGridGap), y0 = 2 * (16 + kGridGap);
    for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 16; ++x) {
            ASSERT_EQ(probes.at(x, y)[0], grey(shown.model.probes.input(y * 16 + x, 0)));
            ASSERT_EQ(probes.at(x0 + x, y0 + y)[0], grey(shown.model.probes.output(y * 16 + x, last)));
        }

    ASSERT_FALSE(export_filters_png((dir / "f.png").string(), *session));
    const Decoded filters = decode(read(dir / "f.png"));
    EXPECT_EQ(filters.width, 3 * (16 + kGridGap) - kGridGap) << "9 units: 3 to a row";
    EXPECT_EQ(filters.height, 3 * (16 + kGridGap) - kGridGap);
    // Unit 4 (middle of the grid): its largest weight is full red, its smallest |w| nearly white.
    const auto w = session->network().weight(0).row(4);
    Eigen::Index peak;
    w.cwiseAbs().maxCoeff(&peak);
    const auto rgb = filters.at(18 + int(peak % 16), 18 + int(peak / 16));
    EXPECT_EQ(rgb, (w(peak) > 0 ? std::array<int, 3>{178, 24, 43} : std::array<int, 3>{33, 102, 172}));

    // An unwritable path is an error naming it, not a crash.
    auto error = export_filters_png("/no/such/dir/f.png", *session);
    ASSERT_TRUE(error);
    EXPECT_NE(error->message.find("/no/such/dir/f.png"), std::string::npos) << error->message;
    fs::remove_all(dir);
}
