// Animated GIFs (core/files/gif_writer.h): every frame decoded back with giflib's DGif* and
// composited as a viewer does, then compared pixel by pixel with what was recorded.
#include <gtest/gtest.h>

#include <gif_lib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "core/files/gif_writer.h"

using namespace aelab;
namespace fs = std::filesystem;

namespace {

RgbaImage flat(int w, int h, Rgb colour) {
    RgbaImage image{w, h, std::vector<uint8_t>(size_t(w) * h * 4, 255)};
    for (size_t i = 0; i < size_t(w) * h; ++i) {
        image.rgba[i * 4] = uint8_t(colour >> 16);
        image.rgba[i * 4 + 1] = uint8_t(colour >> 8);
        image.rgba[i * 4 + 2] = uint8_t(colour);
    }
    return image;
}

void put(RgbaImage& image, int x, int y, Rgb colour) {
    uint8_t* p = &image.rgba[(size_t(y) * image.width + x) * 4];
    p[0] = uint8_t(colour >> 16), p[1] = uint8_t(colour >> 8), p[2] = uint8_t(colour);
}

// Each frame as a viewer shows it: sub-images drawn over the frame before, transparent
// pixels left as they were (the writer's disposal is "do not dispose").
std::vector<RgbaImage> decode_frames(const std::string& path) {
    int error = 0;
    GifFileType* gif = DGifOpenFileName(path.c_str(), &error);
    EXPECT_NE(gif, nullptr) << path << ": " << GifErrorString(error);
    if (!gif) return {};
    EXPECT_EQ(DGifSlurp(gif), GIF_OK) << GifErrorString(gif->Error);
    std::vector<RgbaImage> frames;
    RgbaImage canvas = flat(gif->SWidth, gif->SHeight, 0);
    for (int n = 0; n < gif->ImageCount; ++n) {
        const SavedImage& image = gif->SavedImages[n];
        GraphicsControlBlock control{};
        DGifSavedExtensionToGCB(gif, n, &control);
        const ColorMapObject* map = image.ImageDesc.ColorMap ? image.ImageDesc.ColorMap : gif->SColorMap;
        EXPECT_NE(map, nullptr);
        const GifImageDesc& d = image.ImageDesc;
        for (int y = 0; y < d.Height; ++y)
            for (int x = 0; x < d.Width; ++x) {
                const int index = image.RasterBits[y * d.Width + x];
                if (index == control.TransparentColor) continue;
                const GifColorType c = map->Colors[index];
                put(canvas, d.Left + x, d.Top + y, Rgb(c.Red) << 16 | Rgb(c.Green) << 8 | c.Blue);
            }
        frames.push_back(canvas);
    }
    DGifCloseFile(gif, &error);
    return frames;
}

std::string temp_path(const std::string& name) {
    return (fs::temp_directory_path() / ("aelab-gif-" + std::to_string(getpid()) + "-" + name)).string();
}

std::string bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A plot-like frame: white, grey axes, a blue and an orange curve that grow with `t`.
RgbaImage plot_frame(int t) {
    RgbaImage image = flat(120, 80, 0xffffff);
    for (int x = 5; x < 115; ++x) put(image, x, 75, 0x808080);
    for (int y = 5; y < 76; ++y) put(image, 5, y, 0x808080);
    for (int x = 6; x < 6 + t; ++x) {
        put(image, x, 10 + (x * 7) % 60, 0x1f77b4);
        put(image, x, 20 + (x * 3) % 50, 0xff7f0e);
    }
    return image;
}

// Every colour different: 64 × 64 pixels in a smooth gradient, more than 256 colours.
RgbaImage gradient_frame(int shift) {
    RgbaImage image = flat(64, 64, 0);
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x) put(image, x, y, Rgb(x * 4) << 16 | Rgb(y * 4) << 8 | Rgb((x + y + shift) * 2));
    return image;
}

}  // namespace

TEST(GifWriter, FewColoursDecodeToExactlyTheRecordedPixels) {
    const std::string path = temp_path("plot.gif");
    auto writer = GifWriter::create(path, 10);
    ASSERT_TRUE(writer) << writer.error();
    std::vector<RgbaImage> recorded;
    for (int t = 0; t < 12; t += 3) {
        recorded.push_back(plot_frame(t));
        ASSERT_FALSE((*writer)->add_frame(recorded.back()));
    }
    recorded.push_back(recorded.back());  // an unchanged frame is still a frame
    ASSERT_FALSE((*writer)->add_frame(recorded.back()));
    EXPECT_EQ((*writer)->frames(), 5);
    ASSERT_FALSE((*writer)->finish());
    EXPECT_EQ(int64_t(fs::file_size(path)), (*writer)->bytes_written());

    const std::vector<RgbaImage> decoded = decode_frames(path);
    ASSERT_EQ(decoded.size(), recorded.size());
    for (size_t n = 0; n < decoded.size(); ++n) {
        ASSERT_EQ(decoded[n].width, 120);
        ASSERT_EQ(decoded[n].height, 80);
        EXPECT_EQ(decoded[n].rgba, recorded[n].rgba) << "frame " << n;
    }
    fs::remove(path);
}

TEST(GifWriter, LaterFramesStoreOnlyWhatChanged) {
    const std::string path = temp_path("small.gif");
    auto writer = GifWriter::create(path, 10);
    ASSERT_TRUE(writer) << writer.error();
    ASSERT_FALSE((*writer)->add_frame(plot_frame(0)));
    const int64_t first = (*writer)->bytes_written();
    ASSERT_FALSE((*writer)->add_frame(plot_frame(2)));
    // Two curves grew by two pixels each: far less than the first, whole frame.
    EXPECT_LT((*writer)->bytes_written() - first, first / 4);
    ASSERT_FALSE((*writer)->finish());
    fs::remove(path);
}

TEST(GifWriter, ManyColoursStayCloseAndTheFileIsTheSameEveryTime) {
    std::string bytes[2];
    for (int run = 0; run < 2; ++run) {
        const std::string path = temp_path("gradient" + std::to_string(run) + ".gif");
        auto writer = GifWriter::create(path, 4);
        ASSERT_TRUE(writer) << writer.error();
        for (int shift = 0; shift < 3; ++shift) ASSERT_FALSE((*writer)->add_frame(gradient_frame(shift * 5)));
        ASSERT_FALSE((*writer)->finish());
        const auto decoded = decode_frames(path);
        ASSERT_EQ(decoded.size(), 3u);
        for (int shift = 0; shift < 3; ++shift) {
            const RgbaImage want = gradient_frame(shift * 5);
            int worst = 0;
            for (size_t i = 0; i < want.rgba.size(); ++i)
                worst = std::max(worst, std::abs(int(want.rgba[i]) - int(decoded[shift].rgba[i])));
            EXPECT_LE(worst, 24) << "frame " << shift;  // 4096 colours in 256: a few steps off
        }
        bytes[run] = bytes_of(path);
        fs::remove(path);
    }
    EXPECT_EQ(bytes[0], bytes[1]);
}

TEST(GifWriter, PaletteIsExactForFewColoursAndKeepsTheCommonOnesExact) {
    std::vector<Rgb> few = {0xffffff, 0x000000, 0xffffff, 0x1f77b4};
    EXPECT_EQ(choose_palette(few, 256), (std::vector<Rgb>{0x000000, 0x1f77b4, 0xffffff}));
    std::vector<Rgb> many(5000, 0xffffff);  // a white background …
    for (Rgb c = 0; c < 1000; ++c) many.push_back(c * 16411);  // … and 1000 rare colours
    const auto palette = choose_palette(many, 256);
    EXPECT_EQ(palette.size(), 256u);
    EXPECT_NE(std::find(palette.begin(), palette.end(), 0xffffffu), palette.end());
    std::vector<Rgb> shuffled(many.rbegin(), many.rend());
    EXPECT_EQ(choose_palette(shuffled, 256), palette);  // the order of pixels does not matter
}

TEST(GifWriter, OtherSizesAreCutOrPaddedToTheFirst) {
    const std::string path = temp_path("sizes.gif");
    auto writer = GifWriter::create(path, 10);
    ASSERT_TRUE(writer) << writer.error();
    ASSERT_FALSE((*writer)->add_frame(flat(10, 10, 0xff0000)));
    ASSERT_FALSE((*writer)->add_frame(flat(6, 14, 0x00ff00)));
    ASSERT_FALSE((*writer)->finish());
    const auto decoded = decode_frames(path);
    ASSERT_EQ(decoded.size(), 2u);
    EXPECT_EQ(decoded[1].rgba, flat(10, 10, 0x00ff00).rgba);
    fs::remove(path);
}

TEST(GifWriter, UnwritablePathIsAnErrorNamingTheFile) {
    const std::string path = temp_path("no-such-folder") + "/out.gif";
    auto writer = GifWriter::create(path, 10);
    ASSERT_FALSE(writer);
    EXPECT_NE(writer.error().find(path), std::string::npos) << writer.error();
    EXPECT_FALSE(fs::exists(path));
}

TEST(GifWriter, FullDiskIsAnErrorNamingTheFile) {
    if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full here";
    auto writer = GifWriter::create("/dev/full", 10);
    ASSERT_TRUE(writer) << writer.error();
    std::optional<Error> error;
    for (int n = 0; n < 4 && !error; ++n) error = (*writer)->add_frame(plot_frame(n));
    ASSERT_TRUE(error) << "writing to /dev/full succeeded";
    EXPECT_NE(error->message.find("/dev/full"), std::string::npos) << error->message;
    EXPECT_NE(error->message.find("No space left"), std::string::npos) << error->message;
    EXPECT_TRUE(fs::exists("/dev/full"));  // a device is never removed
}

TEST(GifWriter, AnAbandonedRecordingLeavesNoFile) {
    const std::string path = temp_path("abandoned.gif");
    {
        auto writer = GifWriter::create(path, 10);
        ASSERT_TRUE(writer) << writer.error();
        ASSERT_FALSE((*writer)->add_frame(plot_frame(3)));
        EXPECT_TRUE(fs::exists(path));
    }  // destroyed unfinished
    EXPECT_FALSE(fs::exists(path));
    auto empty = GifWriter::create(path, 10);
    ASSERT_TRUE(empty);
    EXPECT_TRUE((*empty)->finish());  // no frame: an error, and no file
    EXPECT_FALSE(fs::exists(path));
}
