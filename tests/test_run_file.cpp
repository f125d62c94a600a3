// Run files: a saved run opens and continues bit-exactly; the file is a zip of .npy arrays
// (numpy-readable); a bad file — truncated, empty, not a zip, a folder, a newer version,
// unknown keys, shapes that do not fit, NaN — is refused naming the file and the problem; a
// save killed half-way leaves the old file whole.
#include <gtest/gtest.h>

#include <csignal>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/base/npz.h"
#include "core/files/run_file.h"
#include "core/run/session.h"

using namespace aelab;
namespace fs = std::filesystem;

namespace {

struct Fixture {
    Config config;
    std::shared_ptr<const Dataset> data;
    std::unique_ptr<Session> session;
};

Fixture trained(int steps, OptimizerKind optimizer = OptimizerKind::Sgd) {
    Fixture f;
    f.config.knobs.optimizer = optimizer;
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

// The file with its run.json changed by `edit`.
std::string with_run_json(const std::string& file, const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json run;
    auto read = read_zip(file);
    for (const ZipEntry& e : *read)
        if (e.name == "run.json") run = nlohmann::json::parse(e.bytes);
    edit(run);
    const std::string text = run.dump();
    return with_entry(file, "run.json", &text);
}

std::string with_floats(const std::string& file, const std::string& name, std::vector<float> v) {
    const std::string bytes = npy_encode(npy_from_floats(v.data(), {int64_t(v.size())}));
    return with_entry(file, name, &bytes);
}

// Refused by decode_run or, if it parses, by Session::resume: either way naming the file and
// saying `says` (the field). Never a crash, never accepted.
void expect_refused_on_open(const std::string& bytes, const Fixture& f, const std::string& says) {
    auto decoded = decode_run(bytes, "run.aelab");
    std::string error;
    if (!decoded) {
        error = decoded.error();
    } else {
        auto resumed = Session::resume(*decoded, f.data);
        ASSERT_FALSE(resumed) << "accepted; expected: " << says;
        error = resumed.error();
    }
    EXPECT_NE(error.find("run.aelab"), std::string::npos) << error;
    EXPECT_NE(error.find(says), std::string::npos) << error;
}

std::vector<float> floats_of(const Vec& v) { return {v.data(), v.data() + v.size()}; }

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

// Issue 19, item 1: Adam's second moments of shape (0,) resumed, then Optimizer::step wrote
// past their end (SIGSEGV). Every array is checked against the model the config describes.
TEST(RunFile, ArraysThatDoNotFitTheModelAreRefusedNamingTheEntry) {
    Fixture f = trained(3, OptimizerKind::Adam);
    const RunState state = f.session->state();
    const std::string good = encode_run(state);
    auto fine = decode_run(good, "run.aelab");
    ASSERT_TRUE(fine && Session::resume(*fine, f.data));
    const float nan = std::numeric_limits<float>::quiet_NaN(),
                inf = std::numeric_limits<float>::infinity();
    const std::vector<float> second = floats_of(state.optimizer.second),
                             first = floats_of(state.optimizer.first);
    expect_refused_on_open(with_floats(good, "optimizer_second.npy", {}), f, "optimizer_second.npy");
    expect_refused_on_open(with_floats(good, "optimizer_first.npy", {}), f, "optimizer_first.npy");
    expect_refused_on_open(with_floats(good, "optimizer_first.npy", {1, 2}), f, "optimizer_first.npy");
    for (float bad : {nan, inf, -1.0f}) {
        std::vector<float> v = second;
        v[7] = bad;
        expect_refused_on_open(with_floats(good, "optimizer_second.npy", v), f, "optimizer_second.npy");
    }
    std::vector<float> v = first;
    v[2] = inf;
    expect_refused_on_open(with_floats(good, "optimizer_first.npy", v), f, "optimizer_first.npy");
    v = floats_of(state.params);
    v[0] = -inf;
    expect_refused_on_open(with_floats(good, "params.npy", v), f, "params.npy");
    v = floats_of(state.p_hat_average);
    ASSERT_FALSE(v.empty());
    v[1] = nan;
    expect_refused_on_open(with_floats(good, "p_hat_average.npy", v), f, "p_hat_average.npy");
    v.pop_back();
    expect_refused_on_open(with_floats(good, "p_hat_average.npy", v), f, "p_hat_average.npy");
    std::string bytes = npy_encode(npy_from_i64({0, 1, 2}));
    expect_refused_on_open(with_entry(good, "order.npy", &bytes), f, "order.npy");
    bytes = npy_encode(npy_from_i64({int64_t(f.data->test_x.cols())}));
    expect_refused_on_open(with_entry(good, "probe_indices.npy", &bytes), f, "probe_indices.npy");
    expect_refused_on_open(with_run_json(good, [&](auto& r) { r["position"] = 301; }), f, "position");

    // A fresh optimiser (or a moment its kind does not read) may leave a moment empty: it
    // starts again on the first step, as it does after a reset.
    RunState sgd = trained(3).session->state();
    sgd.optimizer.second.resize(0);
    auto resumed = Session::resume(*decode_run(encode_run(sgd), "run.aelab"), f.data);
    ASSERT_TRUE(resumed) << resumed.error();
    (*resumed)->train_step();
}

// Issue 19, item 2: a word of 2⁶⁴−1 in order_rng made std::mt19937 give values past 32 bits,
// which std::shuffle used as an index (a heap write out of bounds, found by libFuzzer).
TEST(RunFile, TheOrderRandomStateIsCheckedWordByWord) {
    Fixture f = trained(3);
    const std::string good = encode_run(f.session->state());
    const std::string text = f.session->state().order_rng;
    const auto with_rng = [&](const std::string& rng) {
        return with_run_json(good, [&](auto& r) { r["order_rng"] = rng; });
    };
    const size_t space = text.find(' ');
    ASSERT_NE(space, std::string::npos);
    expect_refused_on_open(with_rng("18446744073709551615" + text.substr(space)), f, "order_rng");
    expect_refused_on_open(with_rng("4294967296" + text.substr(space)), f, "past 32 bits");
    const size_t last = text.rfind(' ');
    expect_refused_on_open(with_rng(text.substr(0, last) + " 625"), f, "position 625");
    expect_refused_on_open(with_rng(text.substr(0, last)), f, "624 numbers");
    expect_refused_on_open(with_rng(text + " 5"), f, "order_rng");
    expect_refused_on_open(with_rng(text + "x"), f, "order_rng");
    expect_refused_on_open(with_rng("-" + text), f, "order_rng");
    std::string zeros;
    for (int i = 0; i < 624; ++i) zeros += "0 ";
    expect_refused_on_open(with_rng(zeros + "624"), f, "all-zero");
    auto fine = decode_run(with_rng(text), "run.aelab");
    ASSERT_TRUE(fine && Session::resume(*fine, f.data));
}

// Issue 19, items 3 and 5: every run.json field of its type and range — a wrong type was an
// uncaught json exception (abort), 2³² + 1 became version 1, INT64_MAX counters overflowed.
TEST(RunFile, EveryRunJsonFieldIsCheckedForTypeAndRange) {
    Fixture f = trained(3, OptimizerKind::Adam);
    const std::string good = encode_run(f.session->state());
    using J = nlohmann::json;
    const int64_t max = std::numeric_limits<int64_t>::max();
    const std::vector<std::pair<std::function<void(J&)>, std::string>> cases = {
        {[](J& r) { r["format"] = J::object(); }, "format"},
        {[](J& r) { r["format"] = 7; }, "format"},
        {[](J& r) { r["format_version"] = (uint64_t(1) << 32) + 1; }, "format_version 4294967297"},
        {[](J& r) { r["format_version"] = ~uint64_t(0); }, "format_version"},
        {[](J& r) { r["format_version"] = 1.0; }, "format_version"},
        {[&](J& r) { r["step"] = max; }, "step"},
        {[](J& r) { r["step"] = -1; }, "step"},
        {[](J& r) { r["step"] = 1.5; }, "step"},
        {[](J& r) { r["step"] = "3"; }, "step"},
        {[](J& r) { r["step"] = 1e300; }, "step"},
        {[&](J& r) { r["samples_seen"] = max; }, "samples_seen"},
        {[&](J& r) { r["epoch"] = max; }, "epoch"},
        {[](J& r) { r["epoch"] = ~uint64_t(0); }, "epoch"},
        {[](J& r) { r["position"] = int64_t(1) << 32; }, "position"},
        {[](J& r) { r["training_seconds"] = "long"; }, "training_seconds"},
        {[](J& r) { r["training_seconds"] = -1; }, "training_seconds"},
        {[&](J& r) { r["optimizer"]["t"] = max; }, "optimizer.t"},
        {[](J& r) { r["optimizer"]["kind"] = J::array(); }, "optimizer.kind"},
        {[](J& r) { r["optimizer"]["fresh"] = 1; }, "optimizer.fresh"},
        {[](J& r) { r["optimizer"] = J::array(); }, "optimizer"},
        {[](J& r) { r["order_rng"] = 5; }, "order_rng"},
        {[](J& r) { r["last_terms"] = 5; }, "last_terms"},
        {[](J& r) { r["last_terms"]["kl"] = "x"; }, "last_terms.kl"},
        {[](J& r) { r["log"] = J::object(); }, "log"},
        {[](J& r) { r["log"] = J::array({1}); }, "log"},
        {[](J& r) { r["markers"] = 5; }, "markers"},
        {[](J& r) { r["markers"] = J::array({J::object({{"step", -1}, {"label", "x"}})}); }, "markers"},
        {[](J& r) { r["markers"] = J::array({J::object({{"step", 1}, {"label", 2}})}); }, "markers"},
        {[](J& r) { r["history"] = J::array(); }, "history"},
        {[](J& r) { r["history"]["train"] = J::object({{"per_bucket", 1e300}, {"last", 0}}); },
         "history.train.per_bucket"},
    };
    for (const auto& [edit, says] : cases) expect_refused_on_open(with_run_json(good, edit), f, says);
    const std::string list = "[1, 2]";
    expect_refused_on_open(with_entry(good, "run.json", &list), f, "run.json");
}

// Issue 19, item 5: whatever Session::resume refuses names the file the state came from.
TEST(RunFile, ResumeRefusalsNameTheFile) {
    Fixture f = trained(2);
    auto loaded = decode_run(encode_run(f.session->state()), "/some/where/run.aelab");
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->source, "/some/where/run.aelab");
    loaded->order.pop_back();
    auto r = Session::resume(*loaded, f.data);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().rfind("/some/where/run.aelab: order.npy", 0), 0u) << r.error();
}

// Issue 19, item 6: a save killed with -9 left NAME.tmp-PID behind forever. The next save or
// open of NAME removes those of dead processes (or untouched for an hour); others stay.
TEST(RunFile, StaleTemporariesOfAKilledSaveAreRemoved) {
    Fixture f = trained(1);
    const fs::path path = temp("stale.aelab");
    const pid_t dead = fork();
    if (dead == 0) _exit(0);
    ::waitpid(dead, nullptr, 0);  // a PID that is no longer a process
    const auto make = [&](const std::string& name) {
        std::ofstream(path.parent_path() / name) << "half a run";
        return path.parent_path() / name;
    };
    const fs::path stale = make("stale.aelab.tmp-" + std::to_string(dead));
    const fs::path live = make("stale.aelab.tmp-" + std::to_string(::getppid()));
    const fs::path old_live = make("stale.aelab.tmp-1");  // init lives, but not for this file
    fs::last_write_time(old_live, fs::file_time_type::clock::now() - std::chrono::hours(2));
    const fs::path other = make("other.aelab.tmp-" + std::to_string(dead));
    const fs::path not_ours = make("stale.aelab.tmp-" + std::to_string(dead) + ".keep");
    ASSERT_FALSE(save_run(path.string(), f.session->state()));
    EXPECT_FALSE(fs::exists(stale));
    EXPECT_FALSE(fs::exists(old_live));
    EXPECT_TRUE(fs::exists(live)) << "a save in progress (its process alive) was removed";
    EXPECT_TRUE(fs::exists(other));
    EXPECT_TRUE(fs::exists(not_ours));
    // Opening does the same.
    make("stale.aelab.tmp-" + std::to_string(dead));
    ASSERT_TRUE(load_run(path.string()));
    EXPECT_FALSE(fs::exists(stale));
    fs::remove_all(path.parent_path());
}

// A log line holds whatever a message quoted (a folder's name in Latin-1, say): JSON holds
// UTF-8 only, and a save used to throw nlohmann's type_error 316 from run.json's dump.
TEST(RunFile, ALogLineThatIsNotUtf8IsSavedNotThrown) {
    Fixture f = trained(2);
    RunState state = f.session->state();
    state.log = {"/home/caf\xe9: no such folder"};
    std::string bytes;
    ASSERT_NO_THROW(bytes = encode_run(state));
    auto back = decode_run(bytes, "run.aelab");
    ASSERT_TRUE(back) << back.error();
    ASSERT_EQ(back->log.size(), 1u);
    EXPECT_EQ(back->log[0], "/home/caf\xef\xbf\xbd: no such folder");  // U+FFFD for the byte
}
