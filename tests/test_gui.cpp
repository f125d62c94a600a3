// The real executable in a real window (run under xvfb-run by CTest): it trains, saves
// screenshots of the window and of each panel, and every panel's picture has content.
// Also the command-line contract: exit code 2 with one clear line on bad input.
#include <gtest/gtest.h>

#include <stb/stb_image.h>
#include <gif_lib.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "core/files/run_file.h"

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

// No file named like an atomic save's temporary ("x.png.tmp-1234") is left in `dir`.
std::vector<std::string> leftover_temporaries(const fs::path& dir) {
    std::vector<std::string> found;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.path().filename().string().find(".tmp-") != std::string::npos)
            found.push_back(entry.path().string());
    return found;
}

// The real executable running in the background, driven with xdotool as a person would:
// clicks at the places a person clicks, keys. What it says goes to a log file, which the
// test reads to know what happened (the app echoes its message log to stderr).
class RunningApp {
public:
    RunningApp(const std::string& arguments, const fs::path& log) : m_log(log) {
        m_pid = fork();
        if (m_pid == 0) {
            // Screenshots (F12) land in the working directory: the test's own folder.
            if (chdir(log.parent_path().c_str()) != 0) _exit(126);
            const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(fd, 1);
            dup2(fd, 2);
            execl("/bin/sh", "sh", "-c",
                  (std::string("exec ") + AELAB_EXECUTABLE + " " + arguments).c_str(), nullptr);
            _exit(127);
        }
    }
    ~RunningApp() {
        if (m_pid > 0 && !m_exited) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, nullptr, 0);
        }
    }
    // Waits (xdotool --sync: for the X server, not a sleep) for the window; its X id.
    // xdotool's --sync can give up early (the X server busy under a loaded machine): the search
    // is repeated while the app lives, for up to a minute.
    std::string window() {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (m_window.empty() && alive() && std::chrono::steady_clock::now() < deadline) {
            const std::string search = "xdotool search --sync --pid " + std::to_string(m_pid);
            FILE* pipe = popen((search + " 2>/dev/null").c_str(), "r");
            char line[64] = "";
            if (pipe && std::fgets(line, sizeof line, pipe)) m_window = line;
            if (pipe) pclose(pipe);
            while (!m_window.empty() && std::isspace((unsigned char)m_window.back()))
                m_window.pop_back();
            if (m_window.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return m_window;
    }
    void click(int x, int y) {
        xdotool("mousemove --window " + window() + " " + std::to_string(x) + " " +
                std::to_string(y) + " click 1");
    }
    void double_click(int x, int y) {
        xdotool("mousemove --window " + window() + " " + std::to_string(x) + " " +
                std::to_string(y) + " click --repeat 2 --delay 150 1");
    }
    // The window's pixels in a rectangle (RGB), read from the X server with xwd.
    std::vector<uint8_t> pixels(int x, int y, int w, int h) {
        return pixels_of(window(), x, y, w, h);
    }
    // Another of its windows (the presenter), found by its title; "" when there is none
    // within `seconds` (polled).
    std::string window_named(const std::string& title, double seconds = 30) {
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        for (;;) {
            FILE* pipe =
                popen(("xdotool search --name '^" + title + "$' 2>/dev/null").c_str(), "r");
            char line[64] = "";
            std::string id;
            if (pipe && std::fgets(line, sizeof line, pipe)) id = line;
            if (pipe) pclose(pipe);
            while (!id.empty() && std::isspace((unsigned char)id.back())) id.pop_back();
            if (!id.empty() || std::chrono::steady_clock::now() >= deadline || !alive()) return id;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    void click_in(const std::string& window_id, int x, int y) {
        xdotool("mousemove --window " + window_id + " " + std::to_string(x) + " " +
                std::to_string(y) + " click 1");
    }
    // Clicks a menu in a window, then each item once it is drawn (polled, not waited for).
    // The pointer rests on the menu's title first: a tooltip left by the last click (a
    // group's "Click to fold") would otherwise come up late, over an item's place, and be
    // taken for the menu's list.
    void choose_in(const std::string& window_id, const std::vector<std::array<int, 2>>& path) {
        xdotool("mousemove --window " + window_id + " " + std::to_string(path[0][0]) + " " +
                std::to_string(path[0][1]));
        settles(0, 0, 300, 300, 0.5);
        const auto at = [&](const std::array<int, 2>& p) {
            return pixels_of(window_id, p[0] - 8, p[1] - 4, 40, 8);
        };
        for (size_t i = 0; i < path.size(); ++i) {
            const auto next_before = i + 1 < path.size() ? at(path[i + 1]) : std::vector<uint8_t>{};
            click_in(window_id, path[i][0], path[i][1]);
            if (i + 1 == path.size()) break;
            for (int tries = 0; tries < 200 && at(path[i + 1]) == next_before; ++tries)
                std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polled: up to 10 s
        }
    }
    std::vector<uint8_t> pixels_of(const std::string& window_id, int x, int y, int w, int h) {
        FILE* pipe = popen(("xwd -silent -id " + window_id).c_str(), "r");
        std::vector<uint8_t> xwd;
        if (pipe) {
            std::array<uint8_t, 65536> buffer;
            size_t n;
            while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
                xwd.insert(xwd.end(), buffer.begin(), buffer.begin() + n);
            pclose(pipe);
        }
        auto u32 = [&](size_t i) {
            return uint32_t(xwd[4 * i]) << 24 | uint32_t(xwd[4 * i + 1]) << 16 |
                   uint32_t(xwd[4 * i + 2]) << 8 | uint32_t(xwd[4 * i + 3]);
        };
        std::vector<uint8_t> rgb;
        if (xwd.size() < 100) return rgb;
        const size_t start = u32(0) + size_t(u32(19)) * 12;  // header, name, colour map
        const size_t per_line = u32(12), bytes = u32(11) / 8;
        for (int row = y; row < y + h; ++row)
            for (int col = x; col < x + w; ++col) {
                const size_t at = start + row * per_line + col * bytes;
                if (at + 3 > xwd.size()) return {};
                rgb.insert(rgb.end(), {xwd[at + 2], xwd[at + 1], xwd[at]});  // BGRX
            }
        return rgb;
    }
    // Waits until a rectangle holds still for `hold` seconds: after a rebuild the controls are
    // redrawn for a while, and a sanitizer build draws 2 frames a second.
    bool settles(int x, int y, int w, int h, double hold = 1.0, double seconds = 60) {
        return settles_in(window(), x, y, w, h, hold, seconds);
    }
    bool settles_in(const std::string& window_id, int x, int y, int w, int h, double hold = 1.0,
                    double seconds = 60) {
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        auto last = pixels_of(window_id, x, y, w, h);
        auto since = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            auto now = pixels_of(window_id, x, y, w, h);
            if (now != last) {
                last = std::move(now);
                since = std::chrono::steady_clock::now();
            } else if (std::chrono::steady_clock::now() - since >
                       std::chrono::duration<double>(hold)) {
                return true;
            }
        }
        return false;
    }
    // Waits until the pixels of a rectangle differ from `before` (a popup was drawn).
    bool changes(int x, int y, int w, int h, const std::vector<uint8_t>& before,
                 double seconds = 10) {
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (std::chrono::steady_clock::now() < deadline) {
            if (pixels(x, y, w, h) != before) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
        }
        return false;
    }
    // Chooses an item of a combo box as a person does: waits until the combo and where its
    // list opens hold still, opens it, waits for the list to be drawn where the item goes
    // (not for time), clicks the item, and waits for the log to say `expect`.
    bool choose(const int combo[2], const int item[2], const std::string& expect) {
        for (int attempt = 0; attempt < 5; ++attempt) {  // the first frames may still be coming
            settles(8, combo[1] - 10, 150, 60);
            const auto closed = pixels(item[0], item[1] - 4, 60, 8);
            click(combo[0], combo[1]);
            if (!changes(item[0], item[1] - 4, 60, 8, closed)) continue;
            settles(8, combo[1] - 10, 150, 60, 0.5);  // the list, fully drawn
            click(item[0], item[1]);
            if (says(expect, 10)) return true;
        }
        return false;
    }
    void key(const std::string& keys) {
        xdotool("windowfocus --sync " + window());
        xdotool("key " + keys);
    }
    void type(const std::string& text) {
        xdotool("windowfocus --sync " + window());
        xdotool("type '" + text + "'");
    }
    // Ctrl+Q as a person quits: an unsaved run is asked about (the log says so), D discards.
    // Ctrl+Q, and D (discard) when it asks. The log says the question once however often it
    // is asked, and a D typed before the question is drawn is lost on a loaded machine: while
    // the window lives, ask and answer again (each round waits for the exit, not for time).
    void quit() {
        key("ctrl+q");
        if (!says("save it before quitting", 30)) return;  // not asked: it quits
        for (int round = 0; round < 5 && alive(); ++round) {
            key("d");
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5 + 5 * round);
            while (alive() && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            if (alive()) key("ctrl+q");
        }
    }
    std::string log() const {
        std::ifstream in(m_log);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
    // Whether the log says `text` within `seconds` (polled: the condition, not a delay).
    bool says(const std::string& text, double seconds = 30) {
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (std::chrono::steady_clock::now() < deadline) {
            if (log().find(text) != std::string::npos) return true;
            if (!alive()) return log().find(text) != std::string::npos;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }
    pid_t pid() const { return m_pid; }
    // Clicks at each place in turn, all sent while the app is stopped (SIGSTOP), so that they
    // reach the window in one poll, as they do on a machine slower than the hand.
    void clicks_in_one_frame(const std::vector<std::array<int, 2>>& places,
                             std::string window_id = "") {
        if (window_id.empty()) window_id = window();
        std::string command;
        for (const auto& p : places)
            command += "mousemove --window " + window_id + " " + std::to_string(p[0]) + " " +
                       std::to_string(p[1]) + " click 1 ";
        kill(m_pid, SIGSTOP);
        xdotool(command);
        kill(m_pid, SIGCONT);
    }
    bool alive() {
        if (m_exited) return false;
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_exited = true;
            m_status = status;
        }
        return !m_exited;
    }
    // Exit code once the process ended (within `seconds`), or −1.
    int exit_code(double seconds = 30) {
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (alive() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return m_exited && WIFEXITED(m_status) ? WEXITSTATUS(m_status) : -1;
    }

private:
    static void xdotool(const std::string& arguments) {
        const std::string command = "xdotool " + arguments + " >/dev/null 2>&1";
        EXPECT_EQ(std::system(command.c_str()), 0) << command;
    }
    fs::path m_log;
    pid_t m_pid = -1;
    bool m_exited = false;
    int m_status = 0;
    std::string m_window;
};

class Gui : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("aelab_gui_" + std::to_string(::getpid()));
        fs::create_directories(dir);
        // Recent runs and autosaves go here: never $HOME's, whose autosaves of a killed test
        // window would be offered to the next test's window.
        setenv("XDG_DATA_HOME", dir.c_str(), 1);
        // A returning user: the first-run tour was seen (Gui.TheTourShowsOnceOnTheFirstStart
        // removes the mark).
        fs::create_directories(dir / "aelab");
        std::ofstream(dir / "aelab" / "tour-seen") << "seen\n";
    }
    void TearDown() override {
        unsetenv("XDG_DATA_HOME");
        fs::remove_all(dir);
    }
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
    EXPECT_TRUE(leftover_temporaries(dir).empty()) << "an atomic save left its temporary file";
}

TEST_F(Gui, EveryPanelHasContent) {
    // Every panel of the View menu, each saved alone after training with the penalties on
    // (so the loss breakdown, p̂ against p and the contractive curve have something to show).
    const std::map<std::string, double> min_busy = {
        {"Controls", 0.04},    {"Loss curves", 0.04},        {"Reconstructions", 0.04},
        {"Filters", 0.04},     {"Hidden activations", 0.04}, {"Average activation", 0.04},
        {"Contractive", 0.02}, {"Latent space", 0.04},       {"Messages", 0.002},
        {"PCA", 0.002},  // here only its line on why a two-layer model is not compared
        {"Anomaly detection", 0.04}};
    // One panel saved alone after `arguments`: it must be big enough and not blank.
    const auto expect_content = [&](const std::string& panel, const std::string& arguments,
                                    double busy_needed) {
        const std::string shot = (dir / "panel.png").string();
        const Result r = run(arguments + " --screenshot " + shot + " --screenshot-panel \"" +
                             panel + "\"");
        ASSERT_EQ(r.exit_code, 0) << panel << ": " << r.output;
        const Image image = load(shot);
        EXPECT_GT(image.width, 250) << panel;
        EXPECT_GT(image.height, 150) << panel;
        double busy = 0;
        int colours = 0;
        content(image, busy, colours);
        EXPECT_GT(busy, busy_needed) << panel << " looks blank";
        EXPECT_GT(colours, 8) << panel << " has almost no colours";
    };
    for (const auto& [panel, busy_needed] : min_busy)
        expect_content(panel, "--steps 200 --set sparsity=kl --set contractive=0.1", busy_needed);
    // The Lesson panel, with a lesson open: its text, formulas and buttons.
    expect_content("Lesson", "--lesson 07 --steps 100", 0.03);
    EXPECT_TRUE(leftover_temporaries(dir).empty());
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

TEST_F(Gui, PcaAndAnomalyPanelsShowTheirLessons) {
    // The settings of each lesson: a linear 784-16-784 on centred data; a class held out.
    const std::map<std::string, std::string> lessons = {
        {"PCA", "--set hidden=16 --set encoder_act=linear --set decoder_act=linear "
                "--set loss=mse --set normalize=center"},
        {"Anomaly detection", "--set holdout_class=Bag"}};
    for (const auto& [panel, settings] : lessons) {
        const std::string shot = (dir / "lesson.png").string();
        const Result r = run("--steps 300 --screenshot " + shot + " --screenshot-panel \"" +
                             panel + "\" " + settings);
        ASSERT_EQ(r.exit_code, 0) << panel << ": " << r.output;
        const Image image = load(shot);
        double busy = 0;
        int colours = 0;
        content(image, busy, colours);
        EXPECT_GT(busy, 0.15) << panel << ": images and plots should fill it";
        EXPECT_GT(colours, 100) << panel;
    }
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
    // A complete MNIST-style folder whose training images are not IDX data (wrong magic).
    fs::create_directories(dir / "idx");
    auto write = [&](const char* name, const std::string& bytes) {
        std::ofstream(dir / "idx" / name, std::ios::binary) << bytes;
    };
    write("train-images-idx3-ubyte", "not an idx file at all");
    write("train-labels-idx1-ubyte", std::string("\0\0\x08\x01\0\0\0\0", 8));
    write("t10k-images-idx3-ubyte", std::string("\0\0\x08\x03\0\0\0\0\0\0\0\0\0\0\0\0", 16));
    write("t10k-labels-idx1-ubyte", std::string("\0\0\x08\x01\0\0\0\0", 8));
    const std::string shot = (dir / "error.png").string();
    const Result r = run("--steps 10 --screenshot " + shot + " --data " + (dir / "idx").string());
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("train-images-idx3-ubyte: wrong magic number"), std::string::npos)
        << r.output;
    EXPECT_TRUE(fs::exists(shot)) << "the window showed the message; the picture is saved";
}

// Issue 19: a run file that does not fit the data hung a --screenshot run for ever; it now
// ends with exit code 2 and the message (the window shows it).
TEST_F(Gui, ARunFileThatDoesNotFitTheDataEndsAScreenshotRunWith2) {
    const std::string saved = (dir / "bars.aelab").string();
    Result r = run("--headless --steps 5 --set dataset=bars --set hidden=24 --save " + saved);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::string shot = (dir / "bad.png").string();
    r = run(saved + " --steps 5 --set dataset=shapes --screenshot " + shot, "timeout 120");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("not opened: " + saved), std::string::npos) << r.output;
}

TEST_F(Gui, SwitchesAeToVaeToAeInTheRealWindow) {
    // Found by a person: default start → model vae → model ae once aborted the program.
    // Clicked where a person clicks at 1600×900: the "model" combo, then its items (its
    // place does not move between ae and vae: VAE β is shown, disabled, for both).
    constexpr int kCombo[2] = {44, 504}, kAe[2] = {44, 530}, kVae[2] = {44, 550};
    RunningApp app("--size 1600x900", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    auto choose = [&](const int item[2], const std::string& expect) {
        return app.choose(kCombo, item, expect);
    };
    EXPECT_TRUE(choose(kVae, "model ae → vae")) << app.log();
    EXPECT_TRUE(choose(kAe, "model vae → ae")) << app.log();
    EXPECT_TRUE(choose(kVae, "model ae → vae")) << app.log();
    ASSERT_TRUE(app.alive()) << app.log();
    app.key("F12");  // a screenshot of the VAE, saved beside the test's log
    EXPECT_TRUE(app.says("Screenshot saved to")) << app.log();
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
    EXPECT_EQ(app.log().find("check failed"), std::string::npos) << app.log();
}

// A menu and its item clicked within one frame (a slow machine, a quick hand): each click lands
// where it was made. ImGui 1.86 alone saw one click, at the item, with the menu still shut.
TEST_F(Gui, ClicksThatArriveInOneFrameEachLandWhereTheyWereMade) {
    constexpr std::array<int, 2> kLessons = {156, 10}, kFirstLesson = {200, 58};  // at 1600×900
    RunningApp app("--size 1600x900 --paused", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    app.settles(0, 0, 600, 120);  // the menu bar drawn and still
    app.clicks_in_one_frame({kLessons, kFirstLesson});
    EXPECT_TRUE(app.says("Lesson 01-under-overcomplete")) << app.log();
    ASSERT_TRUE(app.alive()) << app.log();
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
}

// The same in the presenter's own window: its View menu and Close clicked within one frame.
TEST_F(Gui, ClicksInOneFrameLandWhereTheyWereMadeInThePresenterToo) {
    const std::array<int, 2> kPresenterView = {134, 16}, kCloseItem = {209, 212};  // at 150 %
    RunningApp app("--size 800x600 --paused --presenter --set dataset=bars", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    ASSERT_TRUE(app.says("Presenter: open as a second window")) << app.log();
    const std::string presenter = app.window_named("aelab presenter");
    ASSERT_FALSE(presenter.empty()) << "no second window";
    app.settles_in(presenter, 0, 0, 400, 300);  // its menu bar drawn and still
    app.clicks_in_one_frame({kPresenterView, kCloseItem}, presenter);
    EXPECT_TRUE(app.says("Presenter: closed; its panels are back in the main window")) << app.log();
    ASSERT_TRUE(app.alive()) << app.log();
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
}

// A folded group of the Controls hides its knobs from a class that does not know titles fold:
// View ▸ Default layout unfolds them, as at launch.
TEST_F(Gui, DefaultLayoutUnfoldsTheControlsGroups) {
    // At 1600×900 with every group unfolded: the Regularisers' title on y = 262, the model
    // combo's row on y = 504; the View menu and its Default layout item.
    constexpr int kRegularisers[2] = {60, 268}, kModelRow[2] = {8, 498};
    RunningApp app("--size 1600x900 --paused", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    app.settles(kModelRow[0], kModelRow[1], 300, 14);
    const auto unfolded = app.pixels(kModelRow[0], kModelRow[1], 300, 14);
    app.click(kRegularisers[0], kRegularisers[1]);
    ASSERT_TRUE(app.changes(kModelRow[0], kModelRow[1], 300, 14, unfolded)) << "the group folded";
    app.choose_in(app.window(), {{100, 10}, {130, 281}});
    bool back = false;
    for (int tries = 0; tries < 200 && !back; ++tries) {  // polled: up to 10 s
        back = app.pixels(kModelRow[0], kModelRow[1], 300, 14) == unfolded;
        if (!back) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(back) << "the model combo back in its place: the Regularisers unfolded";
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
}

// As a teacher would: a mistyped data folder is refused while the model goes on training,
// and Ctrl+Z takes back a knob changed with a combo, naming it.
TEST_F(Gui, ABadFolderKeepsTheModelAndCtrlZUndoes) {
    constexpr int kFolder[2] = {80, 767}, kSparsity[2] = {82, 346}, kKl[2] = {20, 393};
    RunningApp app("--size 1600x900", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    app.settles(8, 700, 300, 100);
    app.click(kFolder[0], kFolder[1]);
    app.type("/no/such/folder");
    app.key("Return");
    EXPECT_TRUE(app.says("not rebuilt: /no/such/folder")) << app.log();
    EXPECT_TRUE(app.says("the current model keeps training")) << app.log();
    EXPECT_TRUE(app.choose(kSparsity, kKl, "sparsity none → kl")) << app.log();
    app.click(900, 600);  // off the controls: Ctrl+Z is for the model, not a text field
    app.key("ctrl+z");
    EXPECT_TRUE(app.says("undo: sparsity kl → none")) << app.log();
    app.key("ctrl+shift+z");
    EXPECT_TRUE(app.says("redo: sparsity none → kl")) << app.log();
    ASSERT_TRUE(app.alive()) << app.log();
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
}

// The first start shows the tour's first callout beside the controls; "Skip the tour"
// dismisses it and leaves a mark, so the next start shows no tour.
TEST_F(Gui, TheTourShowsOnceOnTheFirstStart) {
    fs::remove(dir / "aelab" / "tour-seen");
    {
        RunningApp app("--size 1600x900", dir / "app.log");
        ASSERT_FALSE(app.window().empty()) << app.log();
        EXPECT_TRUE(app.says("Tour: 1 of 3")) << app.log();
        // The callout: right of the controls (x 348), 60 px under their top; at 1600×900 its
        // buttons "Next" and "Skip the tour" sit on y = 224.
        app.settles(356, 88, 300, 140);  // inside the callout: still once it is drawn
        app.click(452, 224);
        EXPECT_TRUE(app.says("Tour skipped")) << app.log();
        app.quit();
    }
    EXPECT_TRUE(fs::exists(dir / "aelab" / "tour-seen"));
    RunningApp again("--size 1600x900", dir / "again.log");
    ASSERT_FALSE(again.window().empty()) << again.log();
    again.settles(8, 0, 300, 20);  // the menu bar drawn and still: the tour would be up by now
    EXPECT_EQ(again.log().find("Tour: 1 of 3"), std::string::npos) << again.log();
    again.quit();
}

TEST_F(Gui, AnomalyPanelFollowsTheSliderAndSurvivesRebuilds) {
    // At 1600×900 with the default panels: the View menu (after File) and its "Anomaly detection" and
    // "PCA" items; the Anomaly panel then fills the last row, its k slider and the class-table
    // box on its first line, its numbers on the second.
    constexpr int kView[2] = {108, 12}, kAnomalyItem[2] = {158, 217}, kPcaItem[2] = {105, 198};
    constexpr int kSlider[2] = {637, 548}, kTableBox[2] = {782, 548};
    constexpr int kCombo[2] = {44, 504}, kAe[2] = {44, 530}, kVae[2] = {44, 550};
    // Paused from the start (a click on Pause could come before the window takes clicks on a
    // loaded machine), so that only the slider can move the numbers (training moves μ and σ).
    RunningApp app("--size 1600x900 --paused --set holdout_class=Bag", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    auto open_from_menu = [&](const int item[2]) {
        app.settles(0, 0, 300, 300, 0.5);
        const auto closed = app.pixels(item[0], item[1] - 4, 60, 8);
        app.click(kView[0], kView[1]);
        if (app.changes(item[0], item[1] - 4, 60, 8, closed)) app.click(item[0], item[1]);
    };
    open_from_menu(kAnomalyItem);
    // The numbers line follows the slider at once (no retraining, no waiting on a step).
    ASSERT_TRUE(app.settles(340, 559, 700, 22, 0.5)) << "the panel opened and measured";
    const auto numbers = app.pixels(340, 559, 700, 22);
    app.click(kSlider[0], kSlider[1]);  // focus the slider where a person grabs it
    std::system(("xdotool mousemove --window " + app.window() + " " +
                 std::to_string(kSlider[0]) + " " + std::to_string(kSlider[1]) +
                 " mousedown 1 mousemove_relative 120 0 mouseup 1 >/dev/null 2>&1")
                    .c_str());
    EXPECT_TRUE(app.changes(340, 559, 700, 22, numbers)) << "t moved with k";
    app.click(kTableBox[0], kTableBox[1]);  // the per-class table, one class per update
    open_from_menu(kPcaItem);
    auto choose = [&](const int item[2], const std::string& expect) {
        return app.choose(kCombo, item, expect);
    };
    EXPECT_TRUE(choose(kVae, "model ae → vae")) << app.log();
    EXPECT_TRUE(choose(kAe, "model vae → ae")) << app.log();
    ASSERT_TRUE(app.alive()) << app.log();
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
    EXPECT_EQ(app.log().find("check failed"), std::string::npos) << app.log();
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
    r = run("--headless --steps 1 --set holdout_class=42");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("'holdout_class': '42' is not a class of Fashion-MNIST"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("8 Bag"), std::string::npos) << "lists the classes: " << r.output;
    r = run("--headless --set normalize=foo");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("'normalize'"), std::string::npos) << r.output;
    r = run("--help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.output.find("sparsity_beta"), std::string::npos) << "--help lists every key";
    EXPECT_NE(r.output.find("allowed: none, center, standardize"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("holdout_class"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("plane3d"), std::string::npos) << r.output;
}

// Issue 19: an option given an empty path exited 0 having written nothing.
TEST(Cli, AnEmptyPathIsRefusedNamingTheOption) {
    for (const char* option : {"--save", "--metrics", "--export-weights", "--export-curves",
                               "--export-codes", "--export-probes-png", "--export-filters-png"}) {
        const Result r = run(std::string("--headless --steps 1 --set dataset=bars ") + option + " ''");
        EXPECT_EQ(r.exit_code, 2) << option << ": " << r.output;
        EXPECT_NE(r.output.find(std::string(option) + ": the value is empty"), std::string::npos)
            << r.output;
    }
}

// Issue 19: tied=true with model=vae was switched off without a word.
TEST(Cli, TiedWithAVaeIsAnErrorNamingBothKeys) {
    const Result r = run("--headless --steps 1 --set dataset=bars --set tied=true --set model=vae");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("config keys 'tied' and 'model'"), std::string::npos) << r.output;
}

// Issue 19: the memory budget is settable from the command line and names the estimate.
TEST(Cli, AModelOverTheMemoryBudgetIsRefusedWithItsEstimate) {
    const Result r = run("--headless --steps 1 --set dataset=bars --set memory_budget=2MB");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("config key 'hidden'"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("memory_budget of 2 MB"), std::string::npos) << r.output;
}

TEST(Cli, ImpossibleSizesAreRefusedBeforeAnythingIsAllocated) {
    // 10¹⁰ weights: refused by the estimate, exit 2, in headless and window runs alike.
    Result r = run("--headless --steps 5 --set hidden=100000,100000");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("config key 'hidden'"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("GB"), std::string::npos) << "gives the estimate: " << r.output;
    const fs::path shot =
        fs::temp_directory_path() / ("aelab_huge_" + std::to_string(::getpid()) + ".png");
    r = run("--steps 5 --screenshot " + shot.string() + " --set hidden=100000,100000");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("config key 'hidden'"), std::string::npos) << r.output;
    fs::remove(shot);
}

TEST(Cli, NumbersAreDecimalRangeCheckedAndQuotedShort) {
    for (const char* bad :
         {"--steps 99999999999999999999", "--steps 0x10", "--steps -3", "--steps 12abc",
          "--size 99999x99999", "--size 800x600junk", "--size 800", "--size x600"}) {
        const Result r = run(std::string("--headless ") + bad);
        EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
        const std::string option = std::string(bad).substr(0, std::string(bad).find(' '));
        EXPECT_NE(r.output.find(option + ":"), std::string::npos) << "names it: " << r.output;
        EXPECT_LT(r.output.size(), 160u) << "one short line: " << r.output;
    }
    const Result r = run("--headless --steps 010 --set dataset=bars --set hidden=8");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("10 steps"), std::string::npos) << "010 is ten: " << r.output;
}

TEST(Cli, AMetricsPathThatCannotBeWrittenIsRefusedBeforeTraining) {
    Result r = run("--headless --steps 100000 --set dataset=bars --metrics /no/such/dir/m.json");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("/no/such/dir/m.json"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("steps ("), std::string::npos) << "it did not train first";
    // Something that is not a regular file is never replaced (as root, rename would).
    r = run("--headless --steps 5 --set dataset=bars --metrics /dev/null");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("not a regular file"), std::string::npos) << r.output;
    struct stat info {};
    ASSERT_EQ(::stat("/dev/null", &info), 0);
    EXPECT_TRUE(S_ISCHR(info.st_mode)) << "/dev/null is still a device";
}

TEST(Cli, AFifoOrADeviceAsDataIsRefusedNotReadForEver) {
    const fs::path dir = fs::temp_directory_path() / ("aelab_fifo_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    ASSERT_EQ(::mkfifo((dir / "train-images-idx3-ubyte").c_str(), 0600), 0);
    fs::create_symlink("/dev/zero", dir / "train-labels-idx1-ubyte");
    fs::create_symlink("/dev/zero", dir / "t10k-images-idx3-ubyte");
    fs::create_symlink("/dev/zero", dir / "t10k-labels-idx1-ubyte");
    // `timeout` only bounds a regression (a hang would be the bug); the run takes milliseconds.
    const Result r = run("--headless --steps 5 --data " + dir.string(), "timeout 60");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("not a regular file"), std::string::npos) << r.output;
    fs::remove_all(dir);
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

TEST(Cli, SaveOpenContinueAndExportAsATeacherWould) {
    const fs::path dir = fs::temp_directory_path() / ("aelab_cli_run_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string base = "--headless --set dataset=bars --set hidden=16 ";
    const std::string one = (dir / "one.aelab").string(), two = (dir / "two.aelab").string();
    // 30 steps in two sessions, 20 + 10, end where 30 in one go end: the same summary line.
    Result straight = run(base + "--steps 30");
    Result first = run(base + "--steps 20 --save " + one);
    ASSERT_EQ(first.exit_code, 0) << first.output;
    Result second = run("--headless --open " + one + " --steps 10 --save " + two +
                        " --export-weights " + (dir / "w.npz").string() + " --export-curves " +
                        (dir / "c.csv").string() + " --export-codes " + (dir / "k.csv").string() +
                        " --export-probes-png " + (dir / "p.png").string() +
                        " --export-filters-png " + (dir / "f.png").string());
    ASSERT_EQ(second.exit_code, 0) << second.output;
    const auto summary = [](const std::string& out) { return out.substr(out.find("train loss")); };
    EXPECT_EQ(summary(second.output), summary(straight.output));
    for (const char* name : {"two.aelab", "w.npz", "c.csv", "k.csv", "p.png", "f.png"})
        EXPECT_TRUE(fs::is_regular_file(dir / name)) << name;
    // 32 probes of 16×16 pixels in a row, 2-pixel gaps: the PNG's width in its IHDR chunk.
    std::ifstream png(dir / "p.png", std::ios::binary);
    unsigned char ihdr[24] = {};
    png.read(reinterpret_cast<char*>(ihdr), sizeof ihdr);
    EXPECT_EQ((ihdr[16] << 24) | (ihdr[17] << 16) | (ihdr[18] << 8) | ihdr[19], 32 * 18 - 2);
    std::ifstream curves(dir / "c.csv");
    std::string header;
    std::getline(curves, header);
    EXPECT_EQ(header.rfind("step,train,test", 0), 0u) << header;
    int rows = 0;
    for (std::string line; std::getline(curves, line);) ++rows;
    EXPECT_EQ(rows, 30) << "the curves of both sessions, one row per step";

    // Bad files and paths: exit 2, the file named, nothing written.
    std::ofstream(dir / "bad.aelab") << "not a run";
    Result bad = run("--headless --open " + (dir / "bad.aelab").string());
    EXPECT_EQ(bad.exit_code, 2) << bad.output;
    EXPECT_NE(bad.output.find("bad.aelab: not a zip"), std::string::npos) << bad.output;
    bad = run(base + "--steps 100000 --export-weights /no/such/dir/w.npz");
    EXPECT_EQ(bad.exit_code, 2) << bad.output;
    EXPECT_NE(bad.output.find("--export-weights: /no/such/dir/w.npz"), std::string::npos) << bad.output;
    bad = run("--set dataset=bars --save " + one);
    EXPECT_EQ(bad.exit_code, 2) << bad.output;
    EXPECT_NE(bad.output.find("add --headless"), std::string::npos) << bad.output;
    fs::remove_all(dir);
}

// The timeline as a teacher uses it: a click at the slider's left end shows every model
// panel at step 0 (their title bars turn the timeline's colour), "Back to live" returns,
// and "Continue from here" starts run B from there with run A kept on the curves.
TEST_F(Gui, TheTimelineRewindsTheModelViewsAndBranchesARun) {
    RunningApp app("--size 1600x900 --set dataset=bars --steps 200", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    // Where these are at 1600×900: the timeline strip above the status bar.
    constexpr int kSliderStart[2] = {90, 842}, kBackToLive[2] = {1168, 842},
                  kContinue[2] = {1293, 842};
    const int kTitle[4] = {800, 24, 300, 14};  // the Reconstructions panel's title bar
    app.settles(0, 40, 1600, 800, 1.0);        // 200 steps trained, paused
    app.click(420, 30);                        // focus the loss panel: other titles inactive
    app.settles(0, 20, 1600, 40, 0.5);
    const auto live_title = app.pixels(kTitle[0], kTitle[1], kTitle[2], kTitle[3]);
    const auto title_is = [&](const std::vector<uint8_t>& wanted) {
        for (int i = 0; i < 300; ++i) {  // polled, up to ~30 s for a sanitizer build
            if (app.pixels(kTitle[0], kTitle[1], kTitle[2], kTitle[3]) == wanted) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    };

    app.click(kSliderStart[0], kSliderStart[1]);
    ASSERT_TRUE(app.changes(kTitle[0], kTitle[1], kTitle[2], kTitle[3], live_title, 30))
        << "the model panels show a past step\n" << app.log();
    app.click(kBackToLive[0], kBackToLive[1]);
    EXPECT_TRUE(title_is(live_title)) << "back to live";

    app.click(kSliderStart[0], kSliderStart[1]);
    ASSERT_TRUE(app.changes(kTitle[0], kTitle[1], kTitle[2], kTitle[3], live_title, 30));
    app.settles(0, 830, 1600, 25, 0.5);
    app.click(kContinue[0], kContinue[1]);
    EXPECT_TRUE(app.says("continued from step 0 of run A as run B")) << app.log();
    EXPECT_TRUE(title_is(live_title)) << "the branch is live";
    EXPECT_TRUE(app.alive());
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
}

// A lesson as a teacher opens it: from the Lessons menu, then Next (its second step widens
// the code, so the model is rebuilt), then Restart lesson.
TEST_F(Gui, ALessonOpensFromTheMenuAndStepsOn) {
    RunningApp app("--size 1600x900 --paused --set dataset=bars", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    // At 1600×900: the Lessons menu, lesson 01 in it (the first, under its chapter), and then
    // the Lesson panel's buttons: the lesson lays out its three panels and the Lesson panel
    // at the top right.
    constexpr int kLessons[2] = {156, 10}, kLesson01[2] = {240, 57};
    // The panel's step buttons sit on its footer's last line, at the panel's bottom (the
    // Lesson panel at the top right, Filters under it), in both steps.
    constexpr int kNext[2] = {1168, 308}, kRestart[2] = {1258, 308};
    constexpr int kButtons[4] = {1045, 297, 330, 22}, kButtonsThen[4] = {1045, 297, 330, 22};
    // As a combo is chosen: wait for the menu to be drawn where the item goes, click it.
    ASSERT_TRUE(app.choose(kLessons, kLesson01, "Lesson 01-under-overcomplete")) << app.log();
    // It trains at once; the panel's row of buttons holds still once drawn.
    app.settles(kButtons[0], kButtons[1], kButtons[2], kButtons[3], 0.5, 60);
    // View ▸ Default layout keeps the lesson on screen, laid out as its step wants (it once
    // closed the Lesson panel, and the lesson with it): its Next button is where it was.
    constexpr int kView[2] = {100, 10}, kDefaultLayout[2] = {130, 281};
    const auto menu_closed = app.pixels(kDefaultLayout[0], kDefaultLayout[1] - 4, 60, 8);
    app.click(kView[0], kView[1]);
    ASSERT_TRUE(app.changes(kDefaultLayout[0], kDefaultLayout[1] - 4, 60, 8, menu_closed));
    app.click(kDefaultLayout[0], kDefaultLayout[1]);
    app.settles(kButtons[0], kButtons[1], kButtons[2], kButtons[3], 0.5, 60);
    app.click(kNext[0], kNext[1]);
    EXPECT_TRUE(app.says("Lesson: step 2: rebuilding the model")) << app.log();
    app.settles(kButtonsThen[0], kButtonsThen[1], kButtonsThen[2], kButtonsThen[3], 0.5, 60);
    app.click(kRestart[0], kRestart[1]);
    // Opening said it once; Restart says it again.
    const std::string fresh = "Lesson: step 1 of 01-under-overcomplete, a fresh model";
    const auto twice = [&] {
        const std::string log = app.log();
        const size_t first = log.find(fresh);
        return first != std::string::npos && log.find(fresh, first + 1) != std::string::npos;
    };
    for (int i = 0; i < 300 && !twice(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(twice()) << app.log();
    EXPECT_TRUE(app.alive());
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
}

TEST_F(Gui, SavesARunWithCtrlSAndAsksBeforeQuittingWithUnsavedSteps) {
    const fs::path file = dir / "run.aelab";
    // Paused, so that only the dialog changes the window's middle; Step makes the changes.
    RunningApp app("--size 1600x900 --set dataset=bars --paused", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    constexpr int kStep[2] = {122, 82};
    const int kMiddle[4] = {560, 300, 480, 300};  // where the dialog and the question appear
    const auto step_once = [&] {
        app.settles(0, 40, 1600, 800, 0.5);
        app.click(kStep[0], kStep[1]);
        app.settles(0, 40, 1600, 800, 0.5);
    };
    step_once();
    const auto before = app.pixels(kMiddle[0], kMiddle[1], kMiddle[2], kMiddle[3]);
    app.key("ctrl+s");  // no file yet: the Save-as dialog
    ASSERT_TRUE(app.changes(kMiddle[0], kMiddle[1], kMiddle[2], kMiddle[3], before)) << app.log();
    // The dialog opens in the working folder (the test's) with the name "run.aelab" typed:
    // its Save button (at 1600×900, right of the path field) saves there. Typing paths is
    // FileBrowser's test; xdotool's keys outrun a 2-frames-a-second sanitizer build.
    app.settles(0, 40, 1600, 600, 1.0);
    app.click(1143, 668);
    ASSERT_TRUE(app.says("to " + file.string())) << app.log();
    auto first = aelab::load_run(file.string());
    ASSERT_TRUE(first) << first.error();

    // One more step: quitting asks; S saves to the same file, then the window closes.
    step_once();
    app.key("ctrl+q");
    ASSERT_TRUE(app.says("save it before quitting")) << app.log();
    app.key("s");
    EXPECT_EQ(app.exit_code(), 0) << app.log();
    auto last = aelab::load_run(file.string());
    ASSERT_TRUE(last) << last.error();
    EXPECT_EQ(last->step, first->step + 1) << "the second save holds the later step";
    std::ifstream recent(dir / "aelab" / "recent-runs.txt");
    std::string line;
    std::getline(recent, line);
    EXPECT_EQ(line, file.string()) << "File ▸ Open recent lists it";
}

TEST_F(Gui, AfterACrashTheAutosavedRunIsOfferedAndOpens) {
    // Autosave every second; step, wait for the autosave, then kill -9 the window.
    {
        RunningApp crashed("--size 1600x900 --set dataset=bars --paused --autosave-seconds 1",
                           dir / "crashed.log");
        ASSERT_FALSE(crashed.window().empty()) << crashed.log();
        crashed.settles(0, 40, 1600, 600, 1.0);
        crashed.click(122, 82);  // Step
        ASSERT_TRUE(crashed.says("autosaved step 1")) << crashed.log();
    }  // SIGKILL: no clean exit
    RunningApp app("--size 1600x900 --set dataset=bars --paused --autosave-seconds 1",
                   dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    ASSERT_TRUE(app.says("an earlier session did not quit")) << app.log();
    app.settles(0, 40, 1600, 600, 1.0);
    app.key("o");
    ASSERT_TRUE(app.says("resumed at step 1")) << app.log();
    // Opened under a name of its own (Save never writes into an autosave); its own autosave
    // comes after the next step, and a clean quit removes it.
    const fs::path own = dir / "aelab" / ("autosave-" + std::to_string(app.pid()) + ".aelab");
    app.settles(0, 40, 1600, 600, 1.0);
    app.click(122, 82);  // Step
    ASSERT_TRUE(app.says("autosaved step 2")) << app.log();
    EXPECT_TRUE(fs::exists(own));
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
    EXPECT_FALSE(fs::exists(own)) << "a clean quit leaves no autosave to offer";
    bool recovered = false;
    for (const auto& e : fs::directory_iterator(dir / "aelab"))
        recovered |= e.path().filename().string().rfind("recovered-autosave-", 0) == 0;
    EXPECT_TRUE(recovered) << "the recovered run is kept as a file of its own";
}

// ---- The layout (issue 20): every lesson step readable at a class's sizes, maximise ----

namespace {

// One window launch per lesson (and one for the default run) shows every step at 1280×720
// with 130 % zoom and at 1920×1080, light and dark (--audit-layout), and fails on any text
// cut off or over another item, tile under 48 px, plot under 240×160 px or legend over data.
class LayoutAudit : public Gui, public ::testing::WithParamInterface<const char*> {};

}  // namespace

TEST_P(LayoutAudit, EveryStepReadsAtBothSizesAndThemes) {
    const std::string lesson = GetParam();
    const Result r = run("--audit-layout --size 1280x720" +
                         (lesson == "default" ? std::string() : " --lesson " + lesson));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(" 0 faults"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("4 views"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("aelab: layout: "), std::string::npos) << r.output;
}

INSTANTIATE_TEST_SUITE_P(Lessons, LayoutAudit,
                         ::testing::Values("default", "01", "02", "03", "04", "05", "06", "07",
                                           "08", "09", "10", "11", "12", "13", "14"),
                         [](const auto& info) { return std::string("lesson_") + info.param; });

// The audit itself fails a window that breaks its rules: a lesson that opens eight panels
// at once leaves none of them room for a readable plot at 1280×720 and 130 %.
TEST_F(Gui, TheLayoutAuditFailsACrampedWindow) {
    const fs::path lesson = dir / "crowded.json";
    std::ofstream(lesson) << R"({"title": "Every panel", "chapter": "test", "panels": ["Controls",
        "Loss curves", "Reconstructions", "Filters", "Hidden activations", "Average activation",
        "Contractive", "Messages"], "steps": [{"title": "all", "text": "everything at once"}],
        "check": {"claim": "none", "runs": {"a": {"steps": 1}}, "expect": ["a.test_mse > 0"]}})";
    const Result crowded = run("--audit-layout --steps 5 --lesson " + lesson.string());
    EXPECT_EQ(crowded.exit_code, 1) << crowded.output;
    EXPECT_NE(crowded.output.find("aelab: layout: "), std::string::npos) << crowded.output;
    EXPECT_NE(crowded.output.find("plot under 240×160 px"), std::string::npos) << crowded.output;
}

// The presenter's gesture in the real window: a double-click on a panel's title fills the
// window with it; F11 over it brings the layout back.
TEST_F(Gui, ADoubleClickOnATitleMaximisesAPanelAndF11GoesBack) {
    RunningApp app("--size 1600x900 --paused --set dataset=bars", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    // At 1600×900 the Loss curves' title bar runs right of the Controls' column (340 px).
    constexpr int kLossTitle[2] = {450, 30};
    app.settles(0, 20, 1600, 40, 1.0);
    // ImGui counts two clicks as one double-click only within 0.3 s of its own clock: on a
    // loaded machine the two may land in frames further apart. Then nothing happened, and
    // the gesture is made again (a double-click that did land is said within seconds).
    bool maximised = false;
    for (int attempt = 0; attempt < 3 && !maximised; ++attempt) {
        app.double_click(kLossTitle[0], kLossTitle[1]);
        maximised = app.says("View: Loss curves fills the window", 10);
    }
    EXPECT_TRUE(maximised) << app.log();
    app.settles(0, 20, 1600, 40, 0.5);
    app.key("F11");  // the mouse is still over it
    EXPECT_TRUE(app.says("View: back to the layout")) << app.log();
    EXPECT_TRUE(app.alive());
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
}

// ---- Issue 20 (proj/labels): curves and labels that never mislead, in the real window ----

// The status bar's "(S save, D discard, Esc cancel)" stayed after the question was answered,
// as did any message until a newer one came. Answered (Esc), the prompt leaves the status bar:
// its message area is blank again, drawn so by the window itself.
TEST_F(Gui, TheStatusBarsPromptLeavesOnceTheQuestionIsAnswered) {
    // Two trained steps are what the question asks about (a click on Step could land before
    // the Controls are drawn on a loaded machine, and then there is nothing to ask).
    RunningApp app("--size 1600x900 --set dataset=bars --steps 2", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    app.settles(0, 40, 1600, 800, 0.5);
    // The right part of the status bar, where its message goes (right of the figures).
    constexpr int kMessage[4] = {700, 872, 880, 22};
    const auto blank = [&] {
        const std::vector<uint8_t> rgb =
            app.pixels(kMessage[0], kMessage[1], kMessage[2], kMessage[3]);
        if (rgb.empty()) return false;
        int differing = 0;
        for (size_t i = 0; i + 2 < rgb.size(); i += 3) {
            const int distance = std::abs(int(rgb[i]) - rgb[0]) +
                                 std::abs(int(rgb[i + 1]) - rgb[1]) +
                                 std::abs(int(rgb[i + 2]) - rgb[2]);
            differing += distance > 48;
        }
        return differing < 5;
    };
    // Polled: the condition, not a delay.
    const auto becomes = [&](bool wanted) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < deadline) {
            if (blank() == wanted) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    };
    app.key("ctrl+q");
    ASSERT_TRUE(app.says("save it before quitting")) << app.log();
    ASSERT_TRUE(becomes(false)) << "the prompt is shown in the status bar";
    app.key("Escape");
    EXPECT_TRUE(becomes(true)) << "the answered prompt stays in the status bar";
    EXPECT_TRUE(app.alive()) << "Esc cancels quitting";
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
}

// ---- Issue 20: never lose a trained run; the lesson panel a presenter drives ----

// Opening a lesson over a run with unsaved steps asks first, as File ▸ New does: Escape keeps
// the run (no lesson opens), D opens it. File ▸ New then clears the lesson: the Lessons menu
// no longer checks lesson 01.
TEST_F(Gui, ALessonOverAnUnsavedRunAsksFirstAndFileNewClearsIt) {
    RunningApp app("--size 1600x900 --set dataset=bars --paused", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    // At 1600×900: Step; the Lessons menu, lesson 01's row in it (its label, and the box at
    // the row's right end where its check mark goes); File and its New run.
    constexpr int kStep[2] = {122, 82}, kLessons[2] = {156, 10}, kLesson01[2] = {240, 57};
    constexpr int kFile[2] = {22, 10}, kNewRun[2] = {40, 37}, kMenuBar[2] = {1000, 10};
    const int kLabel[4] = {150, 50, 250, 14}, kCheck[4] = {530, 49, 30, 16};
    // A menu lets 2 % of what is under it show through (a training run): near, not equal.
    const auto near = [](const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
        if (a.size() != b.size() || a.empty()) return false;
        for (size_t i = 0; i < a.size(); ++i)
            if (std::abs(int(a[i]) - int(b[i])) > 16) return false;
        return true;
    };
    // Lesson 01's label as the open menu draws it, taken while nothing moves (paused).
    app.settles(0, 20, 1600, 820, 0.5);
    const auto closed = app.pixels(kLabel[0], kLabel[1], kLabel[2], kLabel[3]);
    app.click(kLessons[0], kLessons[1]);
    ASSERT_TRUE(app.changes(kLabel[0], kLabel[1], kLabel[2], kLabel[3], closed));
    app.settles(kLabel[0], kLabel[1], kLabel[2], kLabel[3], 0.5);
    const auto label = app.pixels(kLabel[0], kLabel[1], kLabel[2], kLabel[3]);
    app.click(kMenuBar[0], kMenuBar[1]);  // the empty menu bar: closes the menu
    // Whether the open menu checks lesson 01: once its label is drawn (not for time), the dark
    // pixels of a check mark in the box. The menu is closed again after.
    const auto lesson_01_checked = [&] {
        app.settles(0, 0, 600, 20, 0.5);
        app.click(kLessons[0], kLessons[1]);
        bool open = false;
        for (int i = 0; i < 300 && !open; ++i) {
            open = near(app.pixels(kLabel[0], kLabel[1], kLabel[2], kLabel[3]), label);
            if (!open) std::this_thread::sleep_for(std::chrono::milliseconds(30));
        }
        EXPECT_TRUE(open) << "the Lessons menu opened";
        const auto box = app.pixels(kCheck[0], kCheck[1], kCheck[2], kCheck[3]);
        int dark = 0;
        for (size_t i = 0; i + 2 < box.size(); i += 3) dark += box[i] + box[i + 1] + box[i + 2] < 300;
        app.click(kMenuBar[0], kMenuBar[1]);
        return dark > 5;
    };
    EXPECT_FALSE(lesson_01_checked()) << "no lesson open at the start";

    app.settles(0, 20, 1600, 820, 0.5);
    app.click(kStep[0], kStep[1]);  // one trained step: unsaved
    app.settles(0, 20, 1600, 820, 0.5);
    const std::string question = "save it before opening lesson 01-under-overcomplete?";
    ASSERT_TRUE(app.choose(kLessons, kLesson01, question)) << app.log();
    app.settles(0, 40, 1600, 800, 0.5);
    app.key("Escape");
    EXPECT_TRUE(app.says("kept the run: not opening lesson 01-under-overcomplete")) << app.log();
    EXPECT_EQ(app.log().find("Lesson 01-under-overcomplete:"), std::string::npos)
        << "Cancel opened no lesson\n" << app.log();

    const size_t asked = app.log().find(question);
    ASSERT_TRUE(app.choose(kLessons, kLesson01, "kept the run")) << app.log();  // (already said)
    for (int i = 0; i < 300 && app.log().find(question, asked + 1) == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_NE(app.log().find(question, asked + 1), std::string::npos) << "asked again\n" << app.log();
    app.settles(0, 40, 1600, 800, 0.5);
    app.key("d");
    ASSERT_TRUE(app.says("Lesson 01-under-overcomplete: Under- and overcomplete codes")) << app.log();
    EXPECT_TRUE(lesson_01_checked()) << "lesson 01 is open";

    // File ▸ New (the lesson trains: unsaved, so D discards), then no lesson is open.
    app.settles(0, 0, 600, 20, 0.5);
    const auto menu_closed = app.pixels(kNewRun[0] - 20, kNewRun[1] - 5, 60, 10);
    app.click(kFile[0], kFile[1]);
    ASSERT_TRUE(app.changes(kNewRun[0] - 20, kNewRun[1] - 5, 60, 10, menu_closed));
    app.click(kNewRun[0], kNewRun[1]);
    ASSERT_TRUE(app.says("save it before a new run?")) << app.log();
    app.key("d");  // the question is up once the log says it (this log holds no earlier one)
    bool cleared = false;
    for (int i = 0; i < 100 && !cleared; ++i) cleared = !lesson_01_checked();
    EXPECT_TRUE(cleared) << "File ▸ New leaves no lesson open";
    ASSERT_TRUE(app.alive()) << app.log();
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
}

// Switching ae → vae replaces a model trained for 200 steps: it is kept, and Ctrl+Z brings
// those trained weights back (not a fresh model with the old settings); Ctrl+Shift+Z brings
// the VAE back where it was; the timeline's Runs button goes back too.
TEST_F(Gui, UndoOfAModelSwitchBringsTheTrainedRunBack) {
    RunningApp app("--size 1600x900 --set dataset=bars --steps 200", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    constexpr int kCombo[2] = {44, 504}, kVae[2] = {44, 550}, kStepTen[2] = {209, 82};
    constexpr int kRuns[2] = {1483, 843}, kOffControls[2] = {900, 600};
    app.settles(0, 40, 1600, 800, 1.0);  // 200 steps trained, paused
    ASSERT_TRUE(app.choose(kCombo, kVae, "model ae → vae")) << app.log();
    ASSERT_TRUE(app.says("run A (step 200) is kept beside run B")) << app.log();
    app.settles(0, 40, 1600, 800, 0.5);
    app.click(kStepTen[0], kStepTen[1]);  // the VAE trains 10 steps
    app.settles(0, 40, 1600, 800, 0.5);
    app.click(kOffControls[0], kOffControls[1]);  // Ctrl+Z is for the model, not a text field
    app.key("ctrl+z");
    EXPECT_TRUE(app.says("(back to run A at step 200)")) << app.log();
    EXPECT_TRUE(app.says("back to run A at step 200; run B stays beside it")) << app.log();
    app.settles(0, 40, 1600, 800, 0.5);
    app.key("ctrl+shift+z");
    EXPECT_TRUE(app.says("(back to run B at step 10)")) << app.log();
    EXPECT_TRUE(app.says("back to run B at step 10; run A stays beside it")) << app.log();

    // Runs ▸ Back to run A: its item is the popup's first row, drawn where the button is.
    app.settles(0, 40, 1600, 840, 0.5);
    const auto closed = app.pixels(1280, 780, 300, 50);
    app.click(kRuns[0], kRuns[1]);
    ASSERT_TRUE(app.changes(1280, 780, 300, 50, closed)) << "the Runs popup";
    app.settles(1280, 780, 300, 50, 0.5);
    app.click(1480, 802);
    const std::string back = "back to run A at step 200; run B stays beside it";
    const auto twice = [&] {
        const std::string log = app.log();
        const size_t first = log.find(back);
        return first != std::string::npos && log.find(back, first + 1) != std::string::npos;
    };
    for (int i = 0; i < 300 && !twice(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(twice()) << app.log();
    ASSERT_TRUE(app.alive()) << app.log();
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
    EXPECT_EQ(app.log().find("check failed"), std::string::npos) << app.log();
}

// At 1280×720 with 130 % zoom (a projector), the lesson's buttons stay in reach under its
// text, and each step opens at its top: scrolled down, Next shows step 2 from its top (the
// lesson's title in place again), and so does Previous.
TEST_F(Gui, ALessonStepOpensAtItsTopWithItsButtonsInSight) {
    RunningApp app("--size 1280x720 --large-text --paused --lesson 14", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    // The lesson's title at the top of its text; the text; the footer's Previous and Next.
    // (The Lesson panel takes the window's right column.)
    const int kTitle[4] = {880, 108, 300, 26};
    constexpr int kText[2] = {1060, 250}, kPrevious[2] = {930, 601}, kNext[2] = {1030, 601};
    // Data loaded, the panels arranged for the model, and all of it still for a while: still
    // twice over, with the same title between (a loaded machine can hold a loading window still
    // for 3 s, and the panels move when the model comes).
    auto top = app.pixels(kTitle[0], kTitle[1], kTitle[2], kTitle[3]);
    for (int round = 0; round < 10; ++round) {
        app.settles(0, 20, 1280, 600, 3.0, 120);
        const auto now = app.pixels(kTitle[0], kTitle[1], kTitle[2], kTitle[3]);
        if (round > 0 && now == top) break;
        top = now;
    }
    const auto title_at_top = [&] {
        for (int i = 0; i < 300; ++i) {  // polled, up to ~30 s for a sanitizer build
            if (app.pixels(kTitle[0], kTitle[1], kTitle[2], kTitle[3]) == top) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    };
    const auto scroll_down = [&] {
        std::system(("xdotool mousemove --window " + app.window() + " " + std::to_string(kText[0]) +
                     " " + std::to_string(kText[1]) + " click --repeat 4 5 >/dev/null 2>&1")
                        .c_str());
        return app.changes(kTitle[0], kTitle[1], kTitle[2], kTitle[3], top);
    };
    ASSERT_TRUE(scroll_down()) << "step 1's text is longer than the panel: it scrolls";
    app.settles(870, 60, 400, 560, 0.5);
    app.click(kNext[0], kNext[1]);
    EXPECT_TRUE(app.says("Lesson: step 2")) << app.log();
    EXPECT_TRUE(title_at_top()) << "step 2 opens at its top";
    ASSERT_TRUE(scroll_down()) << "step 2's text scrolls too";
    app.settles(870, 60, 400, 560, 0.5);
    app.click(kPrevious[0], kPrevious[1]);
    EXPECT_TRUE(app.says("Lesson: step 1")) << app.log();
    EXPECT_TRUE(title_at_top()) << "Previous opens step 1 at its top";
    ASSERT_TRUE(app.alive()) << app.log();
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
}

// ---- Issue 21 (proj/presenter): the presenter window ----

// --presenter with --screenshot NAME.png saves both windows: the main one keeps the controls,
// the presenter shows the panels (all of the default run's, at 150 %), both with content.
TEST_F(Gui, PresenterFlagSavesBothWindows) {
    const std::string shot = (dir / "two.png").string();
    const std::string presenter_shot = (dir / "two.presenter.png").string();
    const Result r = run("--steps 100 --size 1280x720 --presenter --screenshot " + shot);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("Presenter: open as a second window, showing Loss curves, "
                            "Reconstructions, Filters, Hidden activations, Average activation"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("Screenshot saved to " + shot), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("Presenter screenshot saved to " + presenter_shot), std::string::npos)
        << r.output;
    // The main window: the controls and the (mostly empty) messages; the presenter: every
    // plot and image, so much busier and more colourful.
    double busy[2] = {0, 0};
    int colours[2] = {0, 0};
    for (int i : {0, 1}) {
        const std::string& path = i == 0 ? shot : presenter_shot;
        const Image image = load(path);
        EXPECT_EQ(image.width, 1280) << path;
        EXPECT_EQ(image.height, 720) << path;
        content(image, busy[i], colours[i]);
    }
    EXPECT_GT(busy[0], 0.04) << "the main window is blank";
    EXPECT_GT(busy[1], 0.2) << "the presenter is mostly background";
    EXPECT_GT(colours[1], 200) << "the presenter shows no images";
    EXPECT_GT(busy[1], 2 * busy[0]) << "the panels are not on the presenter";
    EXPECT_TRUE(leftover_temporaries(dir).empty());
}

// A lesson's panels go to the presenter; the main window keeps the lesson's text.
TEST_F(Gui, PresenterShowsTheLessonsPanels) {
    const std::string shot = (dir / "lesson.png").string();
    const Result r = run("--lesson 01 --steps 50 --size 1280x720 --presenter --screenshot " + shot);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("Presenter: open as a second window, showing Loss curves, "
                            "Reconstructions, Filters\n"),
              std::string::npos)
        << r.output;
    EXPECT_TRUE(fs::exists(dir / "lesson.presenter.png")) << r.output;
}

// By the menus, as a teacher would: View ▸ Presenter window opens it (the Loss curves, the
// one tiled panel at 800×600, go there); View ▸ On the presenter sends Reconstructions; the
// presenter's own Panels menu sends the Loss curves back; its View ▸ Close the presenter
// closes it, and its panels return.
TEST_F(Gui, PresenterOpensByTheMenuMovesPanelsBothWaysAndCloses) {
    RunningApp app("--size 800x600 --paused --set dataset=bars", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    // The main window's View menu and its items at 100 %; the presenter's menus at 150 %,
    // in its own coordinates (it opens beside the main window, at x = 800).
    const std::array<int, 2> kView = {108, 12}, kPresenterItem = {154, 466},
                             kFullScreen = {154, 486};
    const std::array<int, 2> kOnPresenter = {154, 506}, kReconstructions = {535, 441};
    const std::array<int, 2> kPanelsMenu = {52, 16}, kLossItem = {77, 56};
    const std::array<int, 2> kPresenterView = {134, 16}, kCloseItem = {209, 212};
    // Full screen asked for, with one monitor (Xvfb): a message, and an ordinary window.
    app.choose_in(app.window(), {kView, kFullScreen});
    app.choose_in(app.window(), {kView, kPresenterItem});
    EXPECT_TRUE(app.says("Presenter: full screen needs a second monitor; only one is connected"))
        << app.log();
    ASSERT_TRUE(app.says("Presenter: open as a second window, showing Loss curves")) << app.log();
    const std::string presenter = app.window_named("aelab presenter");
    ASSERT_FALSE(presenter.empty()) << "no second window";
    app.choose_in(app.window(), {kView, kOnPresenter, kReconstructions});
    EXPECT_TRUE(app.says("Presenter: Reconstructions moved to the presenter")) << app.log();
    app.choose_in(presenter, {kPanelsMenu, kLossItem});
    EXPECT_TRUE(app.says("Presenter: Loss curves back in the main window")) << app.log();
    app.choose_in(presenter, {kPresenterView, kCloseItem});
    EXPECT_TRUE(app.says("Presenter: closed; its panels are back in the main window")) << app.log();
    EXPECT_TRUE(app.window_named("aelab presenter", 0).empty()) << "the second window stayed";
    ASSERT_TRUE(app.alive()) << app.log();
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
}

// The projector shows no hover read-out (a plot's tooltip) unless its View menu asks: with the
// pointer on the presenter's loss plot while it trains, the place where the tooltip goes
// holds no white box; once asked, it does.
TEST_F(Gui, PresenterHidesHoverReadOutsUnlessAsked) {
    RunningApp app("--size 800x600 --steps 50 --presenter --set dataset=bars", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    ASSERT_TRUE(app.says("Presenter: open as a second window, showing Loss curves")) << app.log();
    const std::string presenter = app.window_named("aelab presenter");
    ASSERT_FALSE(presenter.empty());
    // The presenter's coordinates at 150 %: the loss plot's middle, where the pointer rests;
    // below and right of it the tooltip's box; the "train" number over the plot.
    constexpr int kPointer[2] = {400, 330}, kTip[4] = {415, 345, 185, 55},
                  kTrain[4] = {150, 80, 240, 25};
    const std::array<int, 2> kPresenterView = {134, 16}, kReadOuts = {226, 176};
    const auto white_share = [&] {
        const auto rgb = app.pixels_of(presenter, kTip[0], kTip[1], kTip[2], kTip[3]);
        size_t white = 0;
        for (size_t i = 0; i + 2 < rgb.size(); i += 3)
            white += rgb[i] == 255 && rgb[i + 1] == 255 && rgb[i + 2] == 255;
        return rgb.empty() ? 0.0 : double(white) / double(rgb.size() / 3);
    };
    const auto point_at = [&](int x, int y) {
        std::system(("xdotool mousemove --window " + presenter + " " + std::to_string(x) + " " +
                     std::to_string(y) + " >/dev/null 2>&1")
                        .c_str());
    };
    // The model is there once the presenter's loss panel prints its "train" number (polled;
    // a log line would depend on whether the presenter took its panels before the model came).
    const auto printed = [&] {
        const auto rgb = app.pixels_of(presenter, kTrain[0], kTrain[1], kTrain[2], kTrain[3]);
        for (size_t i = 3; i < rgb.size(); ++i)
            if (rgb[i] != rgb[i % 3]) return true;
        return false;
    };
    bool model_there = false;
    for (int tries = 0; tries < 1200 && !(model_there = printed()); ++tries)  // up to 60 s
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(model_there) << app.log();
    app.settles(0, 0, 800, 600, 1.0);  // the 50 steps trained, the main window still
    point_at(kPointer[0], kPointer[1]);
    // Training again (Space, typed to the main window: the pointer stays on the presenter's
    // plot): the presenter draws frame after frame with the pointer there.
    app.key("space");
    const auto train_number = [&] {
        return app.pixels_of(presenter, kTrain[0], kTrain[1], kTrain[2], kTrain[3]);
    };
    int redraws = 0;
    auto last = train_number();
    for (int tries = 0; tries < 600 && redraws < 3; ++tries) {  // polled: up to 30 s
        auto now = train_number();
        if (now == last) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
        }
        ++redraws;
        last = std::move(now);
    }
    ASSERT_EQ(redraws, 3) << "the training did not reach the presenter";
    EXPECT_LT(white_share(), 0.05) << "a hover read-out on the projector";
    app.key("space");  // paused again
    app.choose_in(presenter, {kPresenterView, kReadOuts});
    point_at(kPointer[0], kPointer[1]);
    bool shown = false;
    for (int tries = 0; tries < 200 && !shown; ++tries) {  // polled: up to 10 s
        shown = white_share() > 0.5;
        if (!shown) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(shown) << "asked for, the read-out did not show";
    ASSERT_TRUE(app.alive()) << app.log();
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
}

// ---- Issue 21 (proj/lessonwrite): a lesson written from the window ----

// As a teacher would: a knob changed in Controls (sparsity → kl), Lessons ▸ Save this as a
// lesson step…, a title, a text and a check typed ("p̂ mean < 0.2 after 500 steps"), Save.
// The file's check passes with `aelab --lesson FILE --check` (exit 0). Then the knob undone
// (sparsity none) and the same title saved again: the name exists, so the dialog asks and the
// file is untouched until Replace; the replaced lesson's check fails (exit 1: without the
// penalty p̂ mean stays near 0.45). A file that does not load exits with 2.
TEST_F(Gui, ALessonStepSavedFromTheWindowRunsItsCheck) {
    RunningApp app("--size 1600x900 --set dataset=bars", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    // At 1600×900: Controls' sparsity combo and its "kl"; the Lessons menu and its last item.
    constexpr int kSparsity[2] = {82, 346}, kKl[2] = {20, 393};
    constexpr int kLessons[2] = {156, 10}, kSaveStep[2] = {238, 442};
    // The dialog (fixed width, fixed top): its fields, and Save, where Replace then appears.
    constexpr int kStepTitle[6] = {703, 266, 540, 258, 330, 18},
                  kText[6] = {703, 319, 540, 282, 330, 60},
                  kValue[6] = {824, 396, 780, 388, 90, 18},
                  kSteps[6] = {962, 396, 935, 388, 60, 18};
    constexpr int kSave[2] = {555, 422}, kLessonTitle[4] = {540, 212, 330, 18};
    constexpr int kTitleField[6] = {703, 220, 540, 212, 330, 18};
    constexpr int kDialog[4] = {535, 180, 530, 220};
    const fs::path lesson = dir / "aelab" / "lessons" / "sparsity-on-bars.json";
    const auto open_dialog = [&] {
        const auto closed = app.pixels(kDialog[0], kDialog[1], kDialog[2], kDialog[3]);
        for (int attempt = 0; attempt < 5; ++attempt) {
            app.settles(8, 0, 150, 60);
            const auto menu = app.pixels(kSaveStep[0], kSaveStep[1] - 4, 60, 8);
            app.click(kLessons[0], kLessons[1]);
            if (!app.changes(kSaveStep[0], kSaveStep[1] - 4, 60, 8, menu)) continue;
            app.click(kSaveStep[0], kSaveStep[1]);
            if (!app.changes(kDialog[0], kDialog[1], kDialog[2], kDialog[3], closed)) continue;
            // The dialog itself is drawn a frame after the dimming behind it.
            const auto title =
                app.pixels(kLessonTitle[0], kLessonTitle[1], kLessonTitle[2], kLessonTitle[3]);
            app.changes(kLessonTitle[0], kLessonTitle[1], kLessonTitle[2], kLessonTitle[3], title,
                        3);
            return true;
        }
        return false;
    };
    // Typed as a person types, once the clicked field shows it has the keyboard (its cursor or
    // selection drawn: keys that came in the click's frame would go to the field before; a
    // field that had it already blinks).
    // `field`: where to click, then the rectangle that changes (x, y, w, h).
    const auto type_into = [&](const int field[6], const std::string& text) {
        {
            const auto before = app.pixels(field[2], field[3], field[4], field[5]);
            app.click(field[0], field[1]);
            EXPECT_TRUE(app.changes(field[2], field[3], field[4], field[5], before)) << text;
        }
        app.type(text);
    };
    const auto save_step = [&](const std::string& step_title) {
        EXPECT_TRUE(open_dialog()) << app.log();
        type_into(kTitleField, "Sparsity on bars");
        type_into(kStepTitle, step_title);
        type_into(kText, "Watch the bars settle near p.");
        type_into(kValue, "0.2");
        type_into(kSteps, "500");
        app.click(kSave[0], kSave[1]);
    };
    const auto check = [&] { return run("--lesson " + lesson.string() + " --check"); };

    ASSERT_TRUE(app.choose(kSparsity, kKl, "sparsity none → kl")) << app.log();
    save_step("KL at p 0.05");
    ASSERT_TRUE(app.says("Lesson step saved: step 1 of " + lesson.string())) << app.log();
    Result r = check();
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("PASS — p̂ mean < 0.2 after 500 steps"), std::string::npos) << r.output;
    // The step brought its sabotage: the knob moved (sparsity kl) put back, the claim fails.
    r = run("--lesson " + lesson.string() + " --check --sabotage");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("sparsity kl → none"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("FAILS, as it must"), std::string::npos) << r.output;
    std::ifstream saved(lesson);
    const std::string first((std::istreambuf_iterator<char>(saved)),
                            std::istreambuf_iterator<char>());
    EXPECT_NE(first.find("\"sparsity\": \"kl\""), std::string::npos) << first;
    EXPECT_NE(first.find("\"text\": \"Watch the bars settle near p.\""), std::string::npos)
        << first;

    app.click(900, 600);  // off the dialog and the controls: Ctrl+Z is for the model
    app.key("ctrl+z");
    ASSERT_TRUE(app.says("undo: sparsity kl → none")) << app.log();
    save_step("No penalty");
    ASSERT_TRUE(app.says(lesson.string() + " exists; replace it")) << app.log();
    std::ifstream kept(lesson);
    EXPECT_EQ(std::string((std::istreambuf_iterator<char>(kept)), std::istreambuf_iterator<char>()),
              first)
        << "asking changed the file";
    app.click(kSave[0], kSave[1]);  // Replace
    // Saved twice now: the log says so a second time (polled: the condition, not a delay).
    const std::string saved_line = "Lesson step saved: step 1 of " + lesson.string();
    const auto saved_twice = [&] {
        const std::string log = app.log();
        const size_t at = log.find(saved_line);
        return at != std::string::npos && log.find(saved_line, at + 1) != std::string::npos;
    };
    for (int i = 0; i < 200 && !saved_twice(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(saved_twice()) << app.log();
    std::ifstream replaced(lesson);
    const std::string second((std::istreambuf_iterator<char>(replaced)),
                             std::istreambuf_iterator<char>());
    EXPECT_NE(second.find("\"title\": \"No penalty\""), std::string::npos) << second;
    EXPECT_EQ(second.find("\"sparsity\""), std::string::npos)
        << "sparsity is back at its default: " << second;
    r = check();
    EXPECT_EQ(r.exit_code, 1) << "without the penalty the check must fail: " << r.output;
    EXPECT_NE(r.output.find("FAIL"), std::string::npos) << r.output;

    // A second step appended to it: the file combo's "append to:" item, whose fields sit a row
    // higher (no lesson title) and whose button says "Append step 2".
    constexpr int kFileCombo[2] = {700, 194}, kAppendItem[6] = {650, 241, 540, 232, 300, 18};
    constexpr int kAppendStepTitle[6] = {703, 240, 540, 232, 330, 18},
                  kAppendText[6] = {703, 293, 540, 256, 330, 60},
                  kAppendValue[6] = {824, 370, 780, 362, 90, 18},
                  kAppendSteps[6] = {962, 370, 935, 362, 60, 18};
    constexpr int kAppend[2] = {587, 396};
    ASSERT_TRUE(app.choose(kSparsity, kKl, "sparsity none → kl")) << app.log();
    ASSERT_TRUE(open_dialog()) << app.log();
    {
        // Appending moves the fields up a row: where the check's row was, the Append button
        // comes. Chosen again until it has (a click the loaded window missed is not a failure).
        constexpr int kButtonRow[4] = {538, 386, 110, 20};
        app.settles(kDialog[0], kDialog[1], kDialog[2], kDialog[3], 0.3);
        const auto new_lesson = app.pixels(kButtonRow[0], kButtonRow[1], kButtonRow[2], kButtonRow[3]);
        bool appending = false;
        for (int attempt = 0; attempt < 5 && !appending; ++attempt) {
            const auto list = app.pixels(kAppendItem[2], kAppendItem[3], kAppendItem[4], kAppendItem[5]);
            app.click(kFileCombo[0], kFileCombo[1]);
            if (!app.changes(kAppendItem[2], kAppendItem[3], kAppendItem[4], kAppendItem[5], list)) continue;
            app.click(kAppendItem[0], kAppendItem[1]);
            appending = app.changes(kButtonRow[0], kButtonRow[1], kButtonRow[2], kButtonRow[3], new_lesson, 5);
        }
        ASSERT_TRUE(appending) << "the file combo's append to: item";
        app.settles(kDialog[0], kDialog[1], kDialog[2], kDialog[3], 0.3);
    }
    type_into(kAppendStepTitle, "KL again");
    type_into(kAppendText, "The penalty back on.");
    type_into(kAppendValue, "0.2");
    type_into(kAppendSteps, "500");
    app.click(kAppend[0], kAppend[1]);
    ASSERT_TRUE(app.says("Lesson step saved: step 2 of " + lesson.string())) << app.log();
    std::ifstream appended(lesson);
    const std::string third((std::istreambuf_iterator<char>(appended)),
                            std::istreambuf_iterator<char>());
    EXPECT_NE(third.find("\"title\": \"No penalty\""), std::string::npos) << third;
    EXPECT_NE(third.find("\"title\": \"KL again\""), std::string::npos) << third;
    EXPECT_NE(third.find("\"sparsity\": \"kl\""), std::string::npos) << third;
    // Its check gained step 2's run: that one passes, step 1's (no penalty) still fails.
    r = check();
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("step 2: p̂ mean < 0.2 after 500 steps"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("does not hold: step1.p_hat.mean < 0.2"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("does not hold: step2"), std::string::npos) << r.output;

    // Lessons ▸ Your lessons lists it, and opens it (its one step: a fresh model).
    constexpr int kYours[2] = {238, 462}, kYourFirst[2] = {618, 462};
    bool opened = false;
    for (int attempt = 0; attempt < 5 && !opened; ++attempt) {
        app.settles(8, 0, 150, 60);
        const auto menu = app.pixels(kYours[0], kYours[1] - 4, 60, 8);
        app.click(kLessons[0], kLessons[1]);
        if (!app.changes(kYours[0], kYours[1] - 4, 60, 8, menu)) continue;
        const auto sub = app.pixels(kYourFirst[0], kYourFirst[1] - 4, 60, 8);
        app.click(kYours[0], kYours[1]);
        if (!app.changes(kYourFirst[0], kYourFirst[1] - 4, 60, 8, sub)) continue;
        // The run on screen has unsaved steps: opening a lesson asks first (the question's
        // buttons at 1600×900 in kQuestion); D discards it once the question is drawn.
        constexpr int kQuestion[4] = {620, 470, 360, 30};
        const auto no_question = app.pixels(kQuestion[0], kQuestion[1], kQuestion[2], kQuestion[3]);
        app.click(kYourFirst[0], kYourFirst[1]);
        if (app.says("unsaved run: save it before opening lesson Sparsity on bars?", 10) &&
            app.changes(kQuestion[0], kQuestion[1], kQuestion[2], kQuestion[3], no_question))
            app.key("d");
        opened = app.says("Lesson sparsity-on-bars: Sparsity on bars", 10);
    }
    EXPECT_TRUE(opened) << app.log();

    std::ofstream(dir / "broken.json") << "{\"title\": ";
    r = run("--lesson " + (dir / "broken.json").string() + " --check");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("broken.json:1: not valid JSON"), std::string::npos) << r.output;
    EXPECT_TRUE(leftover_temporaries(dir).empty());
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
}

// ---- Recording (File ▸ Record…, --record): the GIFs decoded back with giflib ----

namespace {

struct GifInfo {
    int frames = -1, width = 0, height = 0;
};

GifInfo read_gif(const std::string& path) {
    GifInfo info;
    int error = 0;
    GifFileType* gif = DGifOpenFileName(path.c_str(), &error);
    if (!gif) return info;
    if (DGifSlurp(gif) == GIF_OK) info = {gif->ImageCount, gif->SWidth, gif->SHeight};
    DGifCloseFile(gif, &error);
    return info;
}

std::string file_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_F(Gui, RecordsAPanelFromTheCommandLineAsAGif) {
    const std::string gif = (dir / "loss.gif").string();
    const Result r = run("--set dataset=bars --size 1280x720 --record " + gif +
                         " --record-panel 'Loss curves' --record-every 5 --record-frames 6");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("recorded 6 frames to " + gif), std::string::npos) << r.output;
    const GifInfo info = read_gif(gif);
    EXPECT_EQ(info.frames, 6);
    // The panel alone: smaller than the window, large enough to read.
    EXPECT_GT(info.width, 300);
    EXPECT_LT(info.width, 1280);
    EXPECT_GT(info.height, 150);
    EXPECT_LT(info.height, 720);
}

TEST_F(Gui, RecordedFramesAreTheSameInTwoRunsOfTheSameTraining) {
    // Numbered PNGs of the loss panel at 2× (its test curve has a point every frame, not as
    // often as the clock allows): each frame compared byte for byte, and the GIF of the same
    // frames too.
    for (const char* run_name : {"first", "second"})
        for (const std::string& out : {std::string(run_name), std::string(run_name) + ".gif"}) {
            const Result r = run("--set dataset=bars --size 1280x720 --record " + (dir / out).string() +
                                 " --record-panel 'Loss curves' --record-scale 2 --record-every 5 --record-frames 4");
            ASSERT_EQ(r.exit_code, 0) << r.output;
        }
    for (const char* frame : {"frame-00001.png", "frame-00002.png", "frame-00003.png", "frame-00004.png"}) {
        const std::string first = file_bytes(dir / "first" / frame);
        ASSERT_GT(first.size(), 1000u) << frame;
        EXPECT_EQ(first, file_bytes(dir / "second" / frame)) << frame;
    }
    EXPECT_FALSE(fs::exists(dir / "first" / "frame-00005.png"));
    EXPECT_EQ(read_gif((dir / "first.gif").string()).frames, 4);
    EXPECT_TRUE(file_bytes(dir / "first.gif") == file_bytes(dir / "second.gif"));
}

TEST_F(Gui, AnUnwritableRecordingIsAnErrorNamingTheFileAndLeavesNothing) {
    const std::string gif = (dir / "no-such-folder" / "out.gif").string();
    Result r = run("--set dataset=bars --size 1280x720 --record " + gif + " --record-frames 2");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find(gif), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(gif));
    if (!fs::exists("/dev/full")) return;
    // A full disk: a .gif name that leads to /dev/full.
    fs::create_symlink("/dev/full", dir / "full.gif");
    r = run("--set dataset=bars --size 1280x720 --record " + (dir / "full.gif").string() + " --record-frames 3");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("No space left on device"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find((dir / "full.gif").string()), std::string::npos) << r.output;
}

TEST_F(Gui, RecordsTheWindowFromTheFileMenu) {
    RunningApp app("--size 1600x900 --paused --set dataset=bars", dir / "app.log");
    ASSERT_FALSE(app.window().empty()) << app.log();
    // At 1600×900: File, its Record… item, the dialog's Start button (the dialog is centred),
    // and Stop at the right end of the main menu bar.
    constexpr int kFile[2] = {20, 10}, kRecord[2] = {40, 146}, kStart[2] = {648, 548}, kStop[2] = {1580, 10};
    app.settles(0, 0, 1600, 900, 0.5);
    const auto closed = app.pixels(500, 330, 600, 260);
    app.click(kFile[0], kFile[1]);
    app.settles(0, 0, 400, 300, 0.3);
    app.click(kRecord[0], kRecord[1]);
    ASSERT_TRUE(app.changes(500, 330, 600, 260, closed)) << "no dialog: " << app.log();
    app.settles(500, 330, 600, 260, 0.5);
    app.click(kStart[0], kStart[1]);
    ASSERT_TRUE(app.says("Recording the window every 10 steps to")) << app.log();
    // The counter at the menu bar's right end ("REC n frames, size") holds still while paused
    // and changes as each frame is written: two changes mean two frames, however slow the
    // build (ASan) makes them.
    app.settles(1200, 0, 400, 20, 0.3, 10);
    app.key("space");  // train: a frame every 10 steps
    for (int written = 0; written < 2; ++written) {
        const auto counter = app.pixels(1200, 0, 400, 20);
        ASSERT_TRUE(app.changes(1200, 0, 400, 20, counter, 120)) << "frame " << written + 1 << ": " << app.log();
    }
    for (int i = 0; i < 200 && app.log().find("Recording saved") == std::string::npos; ++i) {
        app.click(kStop[0], kStop[1]);
        if (app.says("Recording saved", 1)) break;
    }
    ASSERT_TRUE(app.says("Recording saved to ")) << app.log();
    const std::string log = app.log();
    const size_t at = log.find("Recording saved to ") + 19;
    const std::string path = log.substr(at, log.find(':', at) - at);
    const GifInfo info = read_gif((dir / path).string());
    EXPECT_GE(info.frames, 2) << path;
    EXPECT_EQ(info.width, 1600);
    EXPECT_EQ(info.height, 900);
    app.key("space");
    app.quit();
    EXPECT_EQ(app.exit_code(), 0) << app.log();
}
