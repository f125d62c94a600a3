// Run files: a saved run opens and continues bit-exactly; the file is a zip of .npy arrays
// (numpy-readable); a bad file — truncated, empty, not a zip, a folder, a newer version,
// unknown keys, shapes that do not fit, NaN — is refused naming the file and the problem; a
// save killed half-way leaves the old file whole.
#include <gtest/gtest.h>

#include <csignal>
#include <cstring>
#include <limits>
#include <map>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/npz.h"
#include "core/run_file.h"
#include "core/session.h"

using namespace aelab;
namespace fs = std::filesystem;

namespace {

struct Fixture {
    Config config;
    std::shared_ptr<const Dataset> data;
    std::unique_ptr<Session> session;
};

Fixture trained(int steps) {
    Fixture f;
    f.config.dataset = "shapes";
    f.config.hidden = {24};
    f.config.train_size = 300;
    f.config.knobs.noise = NoiseKind::Gaussian;
    f.data = *prepare_dataset(make_synthetic("shapes"), f.config);
    f.session = std::move(*Session::create(f.config, f.data));
    for (int i = 0; i < steps; ++i) f.session->train_step();
    return f;
}

fs::path temp(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("aelab_run_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}

// The file's entries with one of them replaced (or removed when `bytes` is null).
std::string with_entry(const std::string& file, const std::string& name, const std::string* bytes) {
    auto read = read_zip(file);  // kept: a range-for over *read_zip(file) would dangle
    std::vector<ZipEntry> entries;
    for (ZipEntry& e : *read)
        if (e.name != name) entries.push_back(std::move(e));
        else if (bytes) entries.push_back({name, *bytes});
    return write_zip(entries);
}

void expect_refused(const std::string& bytes, const std::string& says) {
    auto decoded = decode_run(bytes, "run.aelab");
    ASSERT_FALSE(decoded) << "accepted; expected: " << says;
    EXPECT_NE(decoded.error().find("run.aelab"), std::string::npos) << decoded.error();
    EXPECT_NE(decoded.error().find(says), std::string::npos) << decoded.error();
}

}  // namespace

TEST(RunFile, SaveOpenContinueIsBitExact) {
    Fixture f = trained(23);
    const fs::path path = temp("exact.aelab");
    ASSERT_FALSE(save_run(path.string(), f.session->state()));
    auto loaded = load_run(path.string());
    ASSERT_TRUE(loaded) << loaded.error();
    auto resumed = Session::resume(*loaded, f.data);
    ASSERT_TRUE(resumed) << resumed.error();
    for (int i = 0; i < 15; ++i) {
        const double a = f.session->train_step().total(), b = (*resumed)->train_step().total();
        ASSERT_EQ(std::memcmp(&a, &b, sizeof a), 0) << "step " << 23 + i;
    }
    EXPECT_EQ(f.session->network().params(), (*resumed)->network().params());
    fs::remove_all(path.parent_path());
}

TEST(RunFile, IsAZipOfNpyArraysAndJsonAnotherToolCanRead) {
    Fixture f = trained(5);
    const std::string file = encode_run(f.session->state());
    auto entries = read_zip(file);
    ASSERT_TRUE(entries) << entries.error();
    std::map<std::string, std::string> by_name;
    for (const ZipEntry& e : *entries) by_name[e.name] = e.bytes;
    for (const char* name : {"run.json", "config.json", "params.npy", "order.npy", "noise_rng.npy"})
        EXPECT_TRUE(by_name.count(name)) << name;
    auto params = npy_decode(by_name["params.npy"]);
    ASSERT_TRUE(params) << params.error();
    EXPECT_EQ(params->type, NpyType::Float32);
    EXPECT_EQ(params->count(), f.session->network().param_count());
    const auto run = nlohmann::json::parse(by_name["run.json"]);
    EXPECT_EQ(run["format_version"], kRunFormatVersion);
    EXPECT_EQ(run["step"], 5);
    EXPECT_EQ(nlohmann::json::parse(by_name["config.json"])["hidden"], nlohmann::json({24}));

    // numpy, which knows nothing of aelab, lists and reads the arrays (Debian's python3,
    // where scripts/install-deps puts python3-numpy).
    const fs::path path = temp("numpy.aelab"), script = temp("load.py");
    ASSERT_FALSE(save_run(path.string(), f.session->state()));
    std::ofstream(script) << R"(import sys, json, zipfile, numpy as np
d = np.load(sys.argv[1])
assert {'params', 'order', 'noise_rng', 'p_hat_average'} <= set(d.files), d.files
assert d['params'].dtype == np.float32 and d['params'].shape == (int(sys.argv[2]),), d['params'].shape
assert np.isfinite(d['params']).all()
assert json.loads(zipfile.ZipFile(sys.argv[1]).read('run.json'))['step'] == 5
)";
    const std::string command = "/usr/bin/python3 " + script.string() + " " + path.string() + " " +
                                std::to_string(f.session->network().param_count());
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    fs::remove_all(path.parent_path());
}

TEST(RunFile, BadFilesAreRefusedNamingTheFileAndTheProblem) {
    Fixture f = trained(3);
    const std::string good = encode_run(f.session->state());
    ASSERT_TRUE(decode_run(good, "run.aelab"));
    expect_refused("", "");
    expect_refused("PK\x03\x04 certainly not a zip", "");
    expect_refused("{\"format\": \"aelab run\"}", "");
    for (size_t cut = 0; cut < good.size(); cut += std::max<size_t>(1, good.size() / 97))
        expect_refused(good.substr(0, cut), "");  // every truncation refused, none misread

    nlohmann::json run;
    const auto entries = read_zip(good);
    for (const ZipEntry& e : *entries)
        if (e.name == "run.json") run = nlohmann::json::parse(e.bytes);
    nlohmann::json newer = run;
    newer["format_version"] = kRunFormatVersion + 1;
    std::string text = newer.dump();
    expect_refused(with_entry(good, "run.json", &text), "newer than this aelab reads");
    nlohmann::json unknown = run;
    unknown["colour"] = "red";
    text = unknown.dump();
    expect_refused(with_entry(good, "run.json", &text), "unknown key 'colour'");
    nlohmann::json other = run;
    other["format"] = "something else";
    text = other.dump();
    expect_refused(with_entry(good, "run.json", &text), "not an aelab run file");
    expect_refused(with_entry(good, "params.npy", nullptr), "no params.npy");
    text = npy_encode(npy_from_u64({1, 2, 3}));
    expect_refused(with_entry(good, "noise_rng.npy", &text), "noise_rng.npy");
    text = npy_encode(npy_from_u64({1, 2, 3}));
    expect_refused(with_entry(good, "params.npy", &text), "params.npy");
    text = "{\"hidden\": \"many\"}";
    expect_refused(with_entry(good, "config.json", &text), "config.json");

    // Parsed fine, but not this model's: Session::resume says what does not fit.
    RunState wrong = *decode_run(good, "run.aelab");
    wrong.params.conservativeResize(10);
    auto loaded = decode_run(encode_run(wrong), "run.aelab");
    ASSERT_TRUE(loaded);
    EXPECT_FALSE(Session::resume(*loaded, f.data));
    wrong = *decode_run(good, "run.aelab");
    wrong.params[0] = std::numeric_limits<float>::quiet_NaN();
    auto nan = Session::resume(*decode_run(encode_run(wrong), "run.aelab"), f.data);
    ASSERT_FALSE(nan);
    EXPECT_NE(nan.error().find("NaN"), std::string::npos) << nan.error();
}

TEST(RunFile, LoadRefusesWhatIsNotARegularReadableFile) {
    const fs::path dir = temp("x").parent_path();
    auto folder = load_run(dir.string());
    ASSERT_FALSE(folder);
    EXPECT_NE(folder.error().find("not a regular file"), std::string::npos) << folder.error();
    auto missing = load_run((dir / "none.aelab").string());
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().find("none.aelab"), std::string::npos) << missing.error();
    const fs::path locked = dir / "locked.aelab";
    std::ofstream(locked) << "x";
    fs::permissions(locked, fs::perms::none);
    if (::geteuid() != 0) {  // root reads anything
        auto denied = load_run(locked.string());
        ASSERT_FALSE(denied);
        EXPECT_NE(denied.error().find("locked.aelab"), std::string::npos) << denied.error();
    }
    fs::remove_all(dir);
}

TEST(RunFile, ASaveKilledHalfWayLeavesTheOldFileWhole) {
    // A big model makes each save take a while; a child saves over and over and is killed.
    Fixture f = trained(2);
    Config big = f.config;
    big.hidden = {2000};
    auto session = std::move(*Session::create(big, f.data));
    const RunState state = session->state();
    const fs::path path = temp("killed.aelab");
    ASSERT_FALSE(save_run(path.string(), f.session->state()));  // the old file: the small run
    // Each round: a child saves the big run over and over; the parent reads the file (one
    // whole run or the other), kills the child wherever it is, and reads it again.
    for (int round = 0; round < 5; ++round) {
        const pid_t child = fork();
        if (child == 0)
            for (;;) save_run(path.string(), state);
        // Read until the child's run has landed once: from then on it is always mid-save
        // (a save is almost all of its loop), so the kill interrupts one.
        bool child_saved = false;
        for (int check = 0; check < 100000 && !child_saved; ++check) {
            auto loaded = load_run(path.string());
            ASSERT_TRUE(loaded) << "round " << round << ": " << loaded.error();
            const auto size = loaded->params.size();
            ASSERT_TRUE(size == f.session->network().param_count() || size == state.params.size());
            child_saved = size == state.params.size();
        }
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
        auto after = load_run(path.string());
        ASSERT_TRUE(after) << "round " << round << ": " << after.error();
        EXPECT_EQ(after->params.size(), state.params.size());
        EXPECT_TRUE(child_saved) << "round " << round << ": the child never finished a save";
    }
    fs::remove_all(path.parent_path());
}

TEST(RunFile, KeepsTheCurvesTheMarkersAndTheLog) {
    Fixture f = trained(2);
    RunState state = f.session->state();
    ThinnedSeries thin(8);  // small, so it has halved: buckets of 4 samples
    for (int i = 1; i <= 30; ++i) {
        state.history.train.add(i, float(100.0 / i));
        thin.add(i, float(i));
    }
    state.history.test.add(30, 2.5f);
    state.history.markers = {{12, "target p 0.05 → 0.2, with \"quotes\""}};
    state.log = {"new seed 7", "resumed at step 3"};
    auto loaded = decode_run(encode_run(state), "run.aelab");
    ASSERT_TRUE(loaded) << loaded.error();
    EXPECT_EQ(loaded->history.train.mean(), state.history.train.mean());
    EXPECT_EQ(loaded->history.train.max(), state.history.train.max());
    EXPECT_EQ(loaded->history.test.x(), std::vector<float>{30});
    ASSERT_EQ(loaded->history.markers.size(), 1u);
    EXPECT_EQ(loaded->history.markers[0].step, 12);
    EXPECT_EQ(loaded->history.markers[0].label, state.history.markers[0].label);
    EXPECT_EQ(loaded->log, state.log);

    // A restored series grows as the original does (its buckets keep their counts).
    ThinnedSeries copy(8);
    ASSERT_FALSE(copy.restore(thin.buckets()));
    for (int i = 31; i <= 70; ++i) thin.add(i, float(i)), copy.add(i, float(i));
    EXPECT_EQ(copy.mean(), thin.mean());
    EXPECT_EQ(copy.samples_per_bucket(), thin.samples_per_bucket());

    // A history entry that does not fit its series is refused, naming it.
    const std::string good = encode_run(state);
    const std::string wrong = npy_encode(npy_from_u64({1, 2, 3}));
    expect_refused(with_entry(good, "history_train.npy", &wrong), "history_train.npy");
}
