#include "core/files/run_file.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/npz.h"
#include "core/run/memory_budget.h"

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
        // NaN and ±∞ (a diverged loss) convert; a finite double past a float's range does not.
        for (int c = 0; c < 4; ++c)
            if (std::isfinite(row[c]) && std::abs(row[c]) > std::numeric_limits<float>::max())
                return "a value out of a float's range";
        b.x.push_back(float(row[0]));
        b.mean.push_back(float(row[1]));
        b.min.push_back(float(row[2]));
        b.max.push_back(float(row[3]));
        if (!(row[4] >= 1 && row[4] <= 1e15)) return "a bucket count out of range";
        b.count.push_back(long(row[4]));
    }
    return std::nullopt;
}

using Json = nlohmann::json;

// Checked reads of run.json. json's value() throws on a type mismatch and get<int>() truncates
// (2³² + 1 becomes 1) or converts floats: every field goes through one of these instead, and
// a wrong type or range is an error naming the field.
const Json* member(const Json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    const auto found = object.find(key);
    return found == object.end() ? nullptr : &*found;
}

Expected<const Json*> required(const Json& object, const std::string& field, const char* key) {
    const Json* value = member(object, key);
    if (!value) return Error{field + ": missing"};
    return value;
}

Expected<int64_t> integer(const Json& object, const std::string& field, const char* key,
                          int64_t low, int64_t high) {
    auto value = required(object, field, key);
    if (!value) return Error{value.error()};
    const Json& v = **value;
    const std::string range = " (" + std::to_string(low) + " to " + std::to_string(high) + ")";
    if (!v.is_number_integer()) return Error{field + ": not a whole number" + range};
    // An unsigned above INT64_MAX would wrap in get<int64_t>(): compare it as unsigned.
    if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(high))
        return Error{field + ": " + std::to_string(v.get<uint64_t>()) + " is out of range" + range};
    const int64_t n = v.get<int64_t>();
    if (n < low || n > high) return Error{field + ": " + std::to_string(n) + " is out of range" + range};
    return n;
}

Expected<double> finite(const Json& object, const std::string& field, const char* key) {
    auto value = required(object, field, key);
    if (!value) return Error{value.error()};
    if (!(*value)->is_number() || !std::isfinite((*value)->get<double>()))
        return Error{field + ": not a finite number"};
    return (*value)->get<double>();
}

Expected<std::string> text(const Json& object, const std::string& field, const char* key) {
    auto value = required(object, field, key);
    if (!value) return Error{value.error()};
    if (!(*value)->is_string()) return Error{field + ": not a string"};
    return (*value)->get<std::string>();
}

// Counters a run reaches: far below 2⁵³, so a double holds them exactly and a long run (or
// `step + batch`) can never overflow int64.
constexpr int64_t kMaxCount = int64_t(1) << 53;

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
        {"run.json", run.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"},
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
    entries.front().bytes = run.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    return write_zip(entries);
}

Expected<RunState> decode_run(std::string_view bytes, const std::string& where) {
    return decode_run(bytes, where, memory_budget_bytes());
}

Expected<RunState> decode_run(std::string_view bytes, const std::string& where,
                              uint64_t byte_budget) {
    const auto refuse = [&](const std::string& what) { return Error{where + ": " + what}; };
    auto zip = read_zip(bytes, byte_budget);
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
    const Json run = Json::parse(*run_text, nullptr, /*allow_exceptions=*/false);
    if (!run.is_object()) return refuse("run.json is not a JSON object");
    const Json* format = member(run, "format");
    if (!format || !format->is_string() || format->get<std::string>() != kFormatName)
        return refuse("not an aelab run file (run.json: format is not \"" +
                      std::string(kFormatName) + "\")");
    const Json* version_field = member(run, "format_version");
    if (!version_field || !version_field->is_number_integer())
        return refuse("run.json has no format_version");
    // Compared as a 64-bit value: an int would take 2³² + 1 for version 1.
    if (version_field->is_number_unsigned() ? version_field->get<uint64_t>() != kRunFormatVersion
                                            : version_field->get<int64_t>() != kRunFormatVersion) {
        const bool newer = version_field->is_number_unsigned() ||
                           version_field->get<int64_t>() > kRunFormatVersion;
        return refuse("format_version " + version_field->dump() +
                      (newer ? " is newer than this aelab reads (" : " is not one this aelab reads (") +
                      std::to_string(kRunFormatVersion) + ")");
    }
    static const char* const kKeys[] = {"format", "format_version", "step", "samples_seen",
                                        "epoch", "position", "training_seconds", "optimizer",
                                        "order_rng", "last_terms", "history", "markers", "log"};
    for (const auto& [key, value] : run.items())
        if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys))
            return refuse("run.json: unknown key '" + key + "'");

    RunState s;
    s.source = where;
    // Each field of its type and range, or the error naming it.
    std::optional<Error> bad;
    const auto take = [&](auto&& got, auto& out) {
        if (bad) return;
        if (!got) bad = refuse(got.error());
        else out = std::remove_reference_t<decltype(out)>(*got);
    };
    take(integer(run, "run.json: step", "step", 0, kMaxCount), s.step);
    take(integer(run, "run.json: samples_seen", "samples_seen", 0, kMaxCount), s.samples_seen);
    take(integer(run, "run.json: epoch", "epoch", 0, kMaxCount), s.epoch);
    take(integer(run, "run.json: position", "position", 0, int64_t(1) << 30), s.position);
    take(finite(run, "run.json: training_seconds", "training_seconds"), s.training_seconds);
    if (!bad && s.training_seconds < 0) bad = refuse("run.json: training_seconds: negative");
    take(text(run, "run.json: order_rng", "order_rng"), s.order_rng);
    if (bad) return *bad;
    const Json* o = member(run, "optimizer");
    if (!o || !o->is_object()) return refuse("run.json: optimizer: missing or not an object");
    std::string kind;
    take(text(*o, "run.json: optimizer.kind", "kind"), kind);
    take(integer(*o, "run.json: optimizer.t", "t", 0, kMaxCount), s.optimizer.t);
    if (bad) return *bad;
    bool known = false;
    for (OptimizerKind k : {OptimizerKind::Sgd, OptimizerKind::Momentum, OptimizerKind::Adam})
        if (kind == to_string(k)) s.optimizer.kind = k, known = true;
    if (!known) return refuse("run.json: unknown optimizer '" + kind + "'");
    const Json* fresh = member(*o, "fresh");
    if (!fresh || !fresh->is_boolean()) return refuse("run.json: optimizer.fresh: not true or false");
    s.optimizer.fresh = fresh->get<bool>();
    const Json* t = member(run, "last_terms");
    if (!t || !t->is_object()) return refuse("run.json: last_terms: missing or not an object");
    for (auto [key, out] : {std::pair{"recon", &s.last_terms.recon}, std::pair{"l2", &s.last_terms.l2},
                            std::pair{"sparsity", &s.last_terms.sparsity},
                            std::pair{"contractive", &s.last_terms.contractive},
                            std::pair{"kl", &s.last_terms.kl}})
        take(finite(*t, std::string("run.json: last_terms.") + key, key), *out);
    if (bad) return *bad;

    auto config_text = file("config.json");
    if (!config_text) return Error{config_text.error()};
    const nlohmann::json config = nlohmann::json::parse(*config_text, nullptr, false);
    if (!config.is_object()) return refuse("config.json is not a JSON object");
    try {  // config.cpp checks each key's type; this is the net under it, never an abort
        if (auto error = config_from_json(s.config, config, where + ": config.json")) return *error;
    } catch (const nlohmann::json::exception& e) {
        return refuse(std::string("config.json: ") + e.what());
    }

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
    if (std::all_of(state->begin(), state->end(), [](uint64_t w) { return w == 0; }))
        return refuse("noise_rng.npy is all zeros (a xoshiro256** state never is)");
    std::copy(state->begin(), state->end(), s.noise_rng.begin());

    // The history (absent in a hand-made file: the curves then start empty).
    if (const Json* log = member(run, "log")) {
        if (!log->is_array()) return refuse("run.json: log: not a list");
        for (const Json& line : *log) {
            if (!line.is_string()) return refuse("run.json: log: a line that is not a string");
            s.log.push_back(line.get<std::string>());
        }
    }
    if (const Json* markers = member(run, "markers")) {
        if (!markers->is_array()) return refuse("run.json: markers: not a list");
        for (const Json& m : *markers) {
            int64_t step = 0;
            std::string label;
            take(integer(m, "run.json: markers: step", "step", 0, kMaxCount), step);
            take(text(m, "run.json: markers: label", "label"), label);
            if (bad) return *bad;
            s.history.markers.push_back({step, label});
        }
    }
    const Json* history = member(run, "history");
    if (history && !history->is_object()) return refuse("run.json: history: not an object");
    for (auto& [name, series] : s.history.named_series()) {
        const Json* entry_json = history ? member(*history, name.c_str()) : nullptr;
        if (!entry_json) continue;
        const std::string entry = "history_" + name + ".npy", field = "run.json: history." + name;
        auto bytes = file(entry.c_str());
        if (!bytes) return Error{bytes.error()};
        auto decoded = npy_decode(*bytes);
        if (!decoded) return refuse(entry + ": " + decoded.error());
        ThinnedSeries::Buckets b;
        double last = 0;
        take(integer(*entry_json, field + ".per_bucket", "per_bucket", 1, int64_t(1e15)), b.per_bucket);
        take(finite(*entry_json, field + ".last", "last"), last);
        if (bad) return *bad;
        if (std::abs(last) > std::numeric_limits<float>::max())
            return refuse(field + ".last: out of a float's range");
        b.last = float(last);
        if (auto error = read_buckets(*decoded, b)) return refuse(entry + ": " + *error);
        if (auto error = series->restore(b)) return refuse(entry + ": " + *error);
    }
    return s;
}

std::optional<Error> save_run(const std::string& path, const RunState& state) {
    return write_file_atomically(path, encode_run(state));
}

Expected<RunState> load_run(const std::string& path) {
    remove_stale_temporaries(path);  // a save killed half-way, by us or another aelab
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
    // The entries, inflated, share the budget with the file's own bytes.
    const uint64_t budget = memory_budget_bytes();
    return decode_run(bytes.str(), path, budget > size ? budget - size : 0);
}

}  // namespace aelab
