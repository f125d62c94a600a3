// The real executable in a real window (run under xvfb-run by CTest): it trains, saves
// screenshots of the window and of each panel, and every panel's picture has content.
// Also the command-line contract: exit code 2 with one clear line on bad input.
#include <gtest/gtest.h>

#include <stb/stb_image.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

namespace fs = std::filesystem;

namespace {

struct Result {
    int exit_code = -1;
    std::string output;  // stdout and stderr
};

Result run(const std::string& arguments, const std::string& environment = "") {
    const std::string command = environment + " " + AELAB_EXECUTABLE + " " + arguments + " 2>&1";
    Result r;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return r;
    std::array<char, 4096> buffer;
    size_t n;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        r.output.append(buffer.data(), n);
    const int status = pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

struct Image {
    int width = 0, height = 0;
    std::vector<uint8_t> rgb;
};

Image load(const std::string& path) {
    Image image;
    int channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &image.width, &image.height, &channels, 3);
    if (data) {
        image.rgb.assign(data, data + size_t(image.width) * image.height * 3);
        stbi_image_free(data);
    }
    return image;
}

// Fraction of pixels that differ clearly from the most common colour (the background), and
// how many distinct colours (quantised to 32 levels) the picture holds.
void content(const Image& image, double& busy_fraction, int& colours) {
    std::map<uint32_t, int> histogram;
    const size_t pixels = image.rgb.size() / 3;
    for (size_t i = 0; i < pixels; ++i) {
        const uint8_t* p = &image.rgb[3 * i];
        ++histogram[(p[0] >> 3) << 10 | (p[1] >> 3) << 5 | (p[2] >> 3)];
    }
    uint32_t background = 0;
    int most = 0;
    for (auto [colour, count] : histogram)
        if (count > most) most = count, background = colour;
    size_t busy = 0;
    for (size_t i = 0; i < pixels; ++i) {
        const uint8_t* p = &image.rgb[3 * i];
        const int dr = std::abs(int(p[0] >> 3) - int(background >> 10 & 31));
        const int dg = std::abs(int(p[1] >> 3) - int(background >> 5 & 31));
        const int db = std::abs(int(p[2] >> 3) - int(background & 31));
        if (std::max({dr, dg, db}) > 3) ++busy;
    }
    busy_fraction = pixels ? double(busy) / pixels : 0;
    colours = int(histogram.size());
}

class Gui : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("aelab_gui_" + std::to_string(::getpid()));
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }
    fs::path dir;
};

}  // namespace

TEST_F(Gui, TrainsAndSavesTheWholeWindow) {
    const std::string shot = (dir / "window.png").string();
    const Result r = run("--steps 300 --screenshot " + shot);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("Screenshot saved to " + shot), std::string::npos) << r.output;
    const Image image = load(shot);
    EXPECT_EQ(image.width, 1600);
    EXPECT_EQ(image.height, 900);
    double busy = 0;
    int colours = 0;
    content(image, busy, colours);
    EXPECT_GT(busy, 0.15) << "the window is mostly background";
    EXPECT_GT(colours, 200);
    EXPECT_FALSE(fs::exists(shot + ".tmp-" + std::to_string(::getpid())));
}

TEST_F(Gui, EveryPanelHasContent) {
    for (const char* panel : {"Controls", "Loss curves", "Reconstructions", "Hidden activations"}) {
        const std::string shot = (dir / "panel.png").string();
        const Result r =
            run("--steps 200 --screenshot " + shot + " --screenshot-panel \"" + panel + "\"");
        ASSERT_EQ(r.exit_code, 0) << panel << ": " << r.output;
        const Image image = load(shot);
        EXPECT_GT(image.width, 250) << panel;
        EXPECT_GT(image.height, 250) << panel;
        double busy = 0;
        int colours = 0;
        content(image, busy, colours);
        EXPECT_GT(busy, 0.04) << panel << " looks blank";
        EXPECT_GT(colours, 20) << panel << " has almost no colours";
    }
}

TEST_F(Gui, VaeLatentSpaceHasContent) {
    const std::string shot = (dir / "latent.png").string();
    const Result r = run("--steps 500 --screenshot " + shot +
                         " --screenshot-panel \"Latent space\""
                         " --set model=vae --set hidden=512 --set encoder_act=relu");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const Image image = load(shot);
    EXPECT_GT(image.width, 800);
    double busy = 0;
    int colours = 0;
    content(image, busy, colours);
    EXPECT_GT(busy, 0.15) << "scatter, manifold and samples should fill the panel";
    EXPECT_GT(colours, 100) << "ten class colours and grey images";
}

TEST_F(Gui, TwiceTheScaleForSlides) {
    const std::string shot = (dir / "big.png").string();
    const Result r =
        run("--steps 50 --screenshot " + shot + " --screenshot-scale 2 --size 1000x700");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const Image image = load(shot);
    EXPECT_EQ(image.width, 2000);
    EXPECT_EQ(image.height, 1400);
}

TEST_F(Gui, BadDataFileIsReportedAndExitsWith2) {
    fs::create_directories(dir / "idx");
    FILE* f = std::fopen((dir / "idx" / "train-images-idx3-ubyte").c_str(), "wb");
    std::fputs("not an idx file", f);
    std::fclose(f);
    const std::string shot = (dir / "error.png").string();
    const Result r = run("--steps 10 --screenshot " + shot + " --data " + (dir / "idx").string());
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("no training labels"), std::string::npos) << r.output;
    EXPECT_TRUE(fs::exists(shot)) << "the window showed the message; the picture is saved";
}

TEST(Cli, NoDisplayIsOneClearLineAndExitCode2) {
    const Result r = run("", "env -u DISPLAY -u WAYLAND_DISPLAY");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("no display"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("--headless"), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
}

TEST(Cli, BadKeysAndValuesExitWith2NamingThem) {
    Result r = run("--headless --set lr=fast");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("'lr'"), std::string::npos) << r.output;
    r = run("--headless --set colour=red");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("'colour'"), std::string::npos) << r.output;
    r = run("--headless --steps 5 --data /no/such/dir");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("/no/such/dir"), std::string::npos) << r.output;
    r = run("--screenshot x.png --screenshot-panel Nope");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("Loss curves"), std::string::npos) << "lists the panels: " << r.output;
    r = run("--help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.output.find("sparsity_beta"), std::string::npos) << "--help lists every key";
}

TEST(Cli, HeadlessWritesMetrics) {
    const fs::path metrics =
        fs::temp_directory_path() / ("aelab_cli_" + std::to_string(::getpid()) + ".json");
    const Result r = run("--headless --steps 20 --set dataset=bars --set hidden=16 --metrics " +
                         metrics.string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("20 steps"), std::string::npos) << r.output;
    EXPECT_TRUE(fs::exists(metrics));
    fs::remove(metrics);
}
