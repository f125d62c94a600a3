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

nlohmann::json terms_json(const Terms& t) {
    return {{"recon", t.recon}, {"l2", t.l2}, {"sparsity", t.sparsity},
            {"contractive", t.contractive}, {"kl", t.kl}};
}

}  // namespace

std::string encode_run(const RunState& s) {
    const nlohmann::json run = {
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
                                        "order_rng", "last_terms"};
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
