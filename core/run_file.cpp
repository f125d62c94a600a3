#include "core/run_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/memory_budget.h"
#include "core/npz.h"

namespace aelab {
namespace {

constexpr const char* kFormatName = "aelab run";

NpyArray floats(const Vec& v) {
    return npy_from_floats(v.data(), {int64_t(v.size())});
}

NpyArray ints(const std::vector<int>& v) {
    return npy_from_i64(std::vector<int64_t>(v.begin(), v.end()));
}

// A series' buckets as one float64 matrix, a row per bucket: step, mean, min, max, count
// (float64 holds every float32 value and every count exactly).
NpyArray bucket_matrix(const ThinnedSeries::Buckets& b) {
    const size_t n = b.x.size();
    std::vector<double> rows(n * 5);
    for (size_t i = 0; i < n; ++i) {
        const double row[5] = {b.x[i], b.mean[i], b.min[i], b.max[i], double(b.count[i])};
        std::copy(row, row + 5, rows.begin() + i * 5);
    }
    NpyArray a;
    a.type = NpyType::Float64;
    a.shape = {int64_t(n), 5};
    a.data.assign(reinterpret_cast<const char*>(rows.data()), rows.size() * sizeof(double));
    return a;
}

std::optional<std::string> read_buckets(const NpyArray& a, ThinnedSeries::Buckets& b) {
    if (a.type != NpyType::Float64 || a.shape.size() != 2 || a.shape[1] != 5)
        return "not a float64 matrix of 5 columns";
    const auto* rows = reinterpret_cast<const double*>(a.data.data());
    for (int64_t i = 0; i < a.shape[0]; ++i) {
        const double* row = rows + i * 5;
        b.x.push_back(float(row[0]));
        b.mean.push_back(float(row[1]));
        b.min.push_back(float(row[2]));
        b.max.push_back(float(row[3]));
        if (!(row[4] >= 1 && row[4] <= 1e15)) return "a bucket count out of range";
        b.count.push_back(long(row[4]));
    }
    return std::nullopt;
}

nlohmann::json terms_json(const Terms& t) {
    return {{"recon", t.recon}, {"l2", t.l2}, {"sparsity", t.sparsity},
            {"contractive", t.contractive}, {"kl", t.kl}};
}

}  // namespace

std::string encode_run(const RunState& s) {
    nlohmann::json run = {
        {"format", kFormatName},
        {"format_version", kRunFormatVersion},
        {"step", s.step},
        {"samples_seen", s.samples_seen},
        {"epoch", s.epoch},
        {"position", s.position},
        {"training_seconds", s.training_seconds},
        {"optimizer", {{"kind", to_string(s.optimizer.kind)},
                       {"fresh", s.optimizer.fresh},
                       {"t", s.optimizer.t}}},
        {"order_rng", s.order_rng},
        {"last_terms", terms_json(s.last_terms)},
        {"history", nlohmann::json::object()},
        {"markers", nlohmann::json::array()},
        {"log", s.log},
    };
    std::vector<ZipEntry> entries = {
        {"run.json", run.dump(2) + "\n"},
        {"config.json", config_to_json(s.config).dump(2) + "\n"},
        {"params.npy", npy_encode(floats(s.params))},
        {"optimizer_first.npy", npy_encode(floats(s.optimizer.first))},
        {"optimizer_second.npy", npy_encode(floats(s.optimizer.second))},
        {"noise_rng.npy",
         npy_encode(npy_from_u64({s.noise_rng.begin(), s.noise_rng.end()}))},
        {"order.npy", npy_encode(ints(s.order))},
        {"p_hat_average.npy", npy_encode(floats(s.p_hat_average))},
        {"probe_indices.npy", npy_encode(ints(s.probe_indices))},
    };
    for (const auto& [name, series] : s.history.named_series()) {
        const ThinnedSeries::Buckets b = series->buckets();
        run["history"][name] = {{"per_bucket", b.per_bucket}, {"last", b.last}};
        entries.push_back({"history_" + name + ".npy", npy_encode(bucket_matrix(b))});
    }
    for (const Marker& m : s.history.markers)
        run["markers"].push_back({{"step", m.step}, {"label", m.label}});
    entries.front().bytes = run.dump(2) + "\n";
    return write_zip(entries);
}

Expected<RunState> decode_run(std::string_view bytes, const std::string& where) {
    const auto refuse = [&](const std::string& what) { return Error{where + ": " + what}; };
    auto zip = read_zip(bytes);
    if (!zip) return refuse(zip.error());
    std::map<std::string, std::string_view> files;
    for (const ZipEntry& e : *zip) files[e.name] = e.bytes;
    const auto file = [&](const char* name) -> Expected<std::string_view> {
        const auto found = files.find(name);
        if (found == files.end()) return Error{where + ": no " + name + " in the file"};
        return found->second;
    };

    auto run_text = file("run.json");
    if (!run_text) return Error{run_text.error()};
    nlohmann::json run = nlohmann::json::parse(*run_text, nullptr, /*allow_exceptions=*/false);
    if (!run.is_object()) return refuse("run.json is not a JSON object");
    if (run.value("format", "") != kFormatName) return refuse("not an aelab run file");
    if (!run.contains("format_version") || !run["format_version"].is_number_integer())
        return refuse("run.json has no format_version");
    const int version = run["format_version"];
    if (version != kRunFormatVersion)
        return refuse("format_version " + std::to_string(version) + (version > kRunFormatVersion
                          ? " is newer than this aelab reads (" : " is not one this aelab reads (") +
                      std::to_string(kRunFormatVersion) + ")");
    static const char* const kKeys[] = {"format", "format_version", "step", "samples_seen",
                                        "epoch", "position", "training_seconds", "optimizer",
                                        "order_rng", "last_terms", "history", "markers", "log"};
    for (const auto& [key, value] : run.items())
        if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys))
            return refuse("run.json: unknown key '" + key + "'");

    RunState s;
    try {
        s.step = run.at("step").get<int64_t>();
        s.samples_seen = run.at("samples_seen").get<int64_t>();
        s.epoch = run.at("epoch").get<int64_t>();
        s.position = run.at("position").get<int>();
        s.training_seconds = run.at("training_seconds").get<double>();
        const nlohmann::json& o = run.at("optimizer");
        const std::string kind = o.at("kind").get<std::string>();
        bool known = false;
        for (OptimizerKind k : {OptimizerKind::Sgd, OptimizerKind::Momentum, OptimizerKind::Adam})
            if (kind == to_string(k)) s.optimizer.kind = k, known = true;
        if (!known) return refuse("run.json: unknown optimizer '" + kind + "'");
        s.optimizer.fresh = o.at("fresh").get<bool>();
        s.optimizer.t = o.at("t").get<int64_t>();
        s.order_rng = run.at("order_rng").get<std::string>();
        const nlohmann::json& t = run.at("last_terms");
        s.last_terms = {t.at("recon"), t.at("l2"), t.at("sparsity"), t.at("contractive"),
                        t.at("kl")};
    } catch (const nlohmann::json::exception& e) {
        return refuse(std::string("run.json: ") + e.what());
    }

    auto config_text = file("config.json");
    if (!config_text) return Error{config_text.error()};
    const nlohmann::json config = nlohmann::json::parse(*config_text, nullptr, false);
    if (!config.is_object()) return refuse("config.json is not a JSON object");
    if (auto error = config_from_json(s.config, config, where + ": config.json")) return *error;

    // Arrays: each present, of its type, one-dimensional.
    const auto array = [&](const char* name) -> Expected<NpyArray> {
        auto bytes = file(name);
        if (!bytes) return Error{bytes.error()};
        auto decoded = npy_decode(*bytes);
        if (!decoded) return Error{where + ": " + name + ": " + decoded.error()};
        if (decoded->shape.size() != 1)
            return Error{where + ": " + name + " is not one-dimensional"};
        return decoded;
    };
    const auto vec = [&](const char* name, Vec& out) -> std::optional<Error> {
        auto a = array(name);
        if (!a) return Error{a.error()};
        auto values = npy_floats(*a);
        if (!values) return Error{where + ": " + name + ": " + values.error()};
        out = Eigen::Map<const Vec>(values->data(), Eigen::Index(values->size()));
        return std::nullopt;
    };
    const auto indices = [&](const char* name, std::vector<int>& out) -> std::optional<Error> {
        auto a = array(name);
        if (!a) return Error{a.error()};
        auto values = npy_i64(*a);
        if (!values) return Error{where + ": " + name + ": " + values.error()};
        for (int64_t v : *values) {
            if (v < 0 || v > int64_t(1) << 30) return Error{where + ": " + name + ": out of range"};
            out.push_back(int(v));
        }
        return std::nullopt;
    };
    for (auto [name, out] : {std::pair{"params.npy", &s.params},
                             std::pair{"optimizer_first.npy", &s.optimizer.first},
                             std::pair{"optimizer_second.npy", &s.optimizer.second},
                             std::pair{"p_hat_average.npy", &s.p_hat_average}})
        if (auto error = vec(name, *out)) return *error;
    for (auto [name, out] : {std::pair{"order.npy", &s.order},
                             std::pair{"probe_indices.npy", &s.probe_indices}})
        if (auto error = indices(name, *out)) return *error;
    auto rng = array("noise_rng.npy");
    if (!rng) return Error{rng.error()};
    auto state = npy_u64(*rng);
    if (!state || state->size() != 4) return refuse("noise_rng.npy is not four uint64 values");
    std::copy(state->begin(), state->end(), s.noise_rng.begin());

    // The history (absent in a hand-made file: the curves then start empty).
    try {
        if (run.contains("log")) s.log = run.at("log").get<std::vector<std::string>>();
        if (run.contains("markers"))
            for (const nlohmann::json& m : run.at("markers"))
                s.history.markers.push_back({m.at("step").get<int64_t>(), m.at("label").get<std::string>()});
        const nlohmann::json history = run.value("history", nlohmann::json::object());
        for (auto& [name, series] : s.history.named_series()) {
            if (!history.contains(name)) continue;
            const std::string entry = "history_" + name + ".npy";
            auto bytes = file(entry.c_str());
            if (!bytes) return Error{bytes.error()};
            auto decoded = npy_decode(*bytes);
            if (!decoded) return refuse(entry + ": " + decoded.error());
            ThinnedSeries::Buckets b;
            b.per_bucket = history[name].at("per_bucket").get<long>();
            b.last = history[name].at("last").get<float>();
            if (auto error = read_buckets(*decoded, b)) return refuse(entry + ": " + *error);
            if (auto error = series->restore(b)) return refuse(entry + ": " + *error);
        }
    } catch (const nlohmann::json::exception& e) {
        return refuse(std::string("run.json: ") + e.what());
    }
    return s;
}

std::optional<Error> save_run(const std::string& path, const RunState& state) {
    return write_file_atomically(path, encode_run(state));
}

Expected<RunState> load_run(const std::string& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) return Error{path + ": no such file"};
    if (!std::filesystem::is_regular_file(status)) return Error{path + ": not a regular file"};
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return Error{path + ": " + ec.message()};
    // The file and what it becomes (about its size again) within the budget of a run.
    if (double(size) * 2 > double(memory_budget_bytes()))
        return Error{path + ": " + format_bytes(double(size)) + " is more than this machine's budget (" +
                     format_bytes(double(memory_budget_bytes())) + ")"};
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{path + ": cannot be read"};
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in && !in.eof()) return Error{path + ": read failed"};
    return decode_run(bytes.str(), path);
}

}  // namespace aelab
