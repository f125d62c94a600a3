// Writes the run-file seeds and regressions of fuzz/ from tiny trained models, so that they
// follow the format when it changes: `fuzz_make_seeds FUZZ_DIR` (scripts/fuzz --seeds).
// Seeds: corpus/fuzz_run_file/*.aelab and the same as entries (fuzz/entries.h) in
// corpus/fuzz_run_entries. Regressions: one input per crash of issue 19 in the run file.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "core/base/npz.h"
#include "core/data/dataset.h"
#include "core/files/run_file.h"
#include "core/run/ready_run.h"
#include "core/run/session.h"
#include "fuzz/entries.h"

namespace fs = std::filesystem;
using namespace aelab;

namespace {

fs::path g_dir;

void write_seed(const std::string& folder, const std::string& name, const std::string& bytes) {
    const fs::path dir = g_dir / folder;
    fs::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
    std::printf("%8zu  %s/%s\n", bytes.size(), folder.c_str(), name.c_str());
}

std::vector<ZipEntry> trained(const std::string& dataset, std::vector<HiddenLayer> hidden,
                              const char* optimizer, bool vae) {
    Config config;
    config.dataset = dataset;
    config.hidden = std::move(hidden);
    config.train_size = 64;
    config.knobs.batch = 16;
    if (auto e = set_config_value(config, "optimizer", optimizer)) std::abort();
    if (vae && set_config_value(config, "model", "vae")) std::abort();
    const DatasetLoader load = [](const std::string& name) -> Expected<std::shared_ptr<const Dataset>> {
        return make_synthetic(name);
    };
    auto ready = prepare_run(config, nullptr, load);
    if (!ready) {
        std::fprintf(stderr, "%s\n", ready.error().c_str());
        std::exit(1);
    }
    Session& session = *ready->session;
    for (int i = 0; i < 5; ++i) session.train_step();
    return *read_zip(encode_run(session.state()));
}

// The entries with `name`'s bytes replaced.
std::vector<ZipEntry> with(std::vector<ZipEntry> entries, const std::string& name,
                           const std::string& bytes) {
    for (ZipEntry& e : entries)
        if (e.name == name) e.bytes = bytes;
    return entries;
}

nlohmann::json run_json(const std::vector<ZipEntry>& entries) {
    for (const ZipEntry& e : entries)
        if (e.name == "run.json") return nlohmann::json::parse(e.bytes);
    std::abort();
}

// Both forms of one regression: the zip for fuzz_run_file, the entries for fuzz_run_entries.
void regression(const std::string& name, const std::vector<ZipEntry>& entries) {
    write_seed("regressions/fuzz_run_file", name + ".aelab", write_zip(entries));
    write_seed("regressions/fuzz_run_entries", name + ".entries", fuzz::join_entries(entries));
}

void put32(std::string& s, uint32_t v) {
    for (int i = 0; i < 4; ++i) s += char(v >> (8 * i));
}
void put16(std::string& s, uint32_t v) {
    for (int i = 0; i < 2; ++i) s += char(v >> (8 * i));
}

// Overlapping zip bomb (Fifield's construction, made small): `count` central-directory
// entries, each with its own local header whose extra field stretches to the one deflate
// stream they all share, which expands to `expanded` zero bytes.
std::string overlapping_bomb(int count, size_t expanded) {
    const std::string zeros(expanded, '\0');
    std::string packed(compressBound(uLong(expanded)), '\0');
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);  // raw deflate, as zip stores it
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    z.avail_in = uInt(zeros.size());
    z.next_out = reinterpret_cast<Bytef*>(packed.data());
    z.avail_out = uInt(packed.size());
    deflate(&z, Z_FINISH);
    packed.resize(z.total_out);
    deflateEnd(&z);
    const uint32_t crc = uint32_t(crc32(0, reinterpret_cast<const Bytef*>(zeros.data()), uInt(expanded)));
    std::vector<std::string> names;
    for (int i = 0; i < count; ++i) names.push_back("e" + std::to_string(1000 + i) + ".npy");
    const size_t header = 30 + names[0].size();
    const size_t shared = header * count;  // the deflate stream's offset
    std::string zip, central;
    for (int i = 0; i < count; ++i) {
        const size_t at = zip.size();
        zip += "PK\3\4";
        put16(zip, 20), put16(zip, 0), put16(zip, 8), put16(zip, 0), put16(zip, 0x21);
        put32(zip, crc), put32(zip, uint32_t(packed.size())), put32(zip, uint32_t(expanded));
        put16(zip, uint32_t(names[i].size())), put16(zip, uint32_t(shared - at - header));
        zip += names[i];
        central += "PK\1\2";
        put16(central, 20), put16(central, 20), put16(central, 0), put16(central, 8);
        put16(central, 0), put16(central, 0x21);
        put32(central, crc), put32(central, uint32_t(packed.size())), put32(central, uint32_t(expanded));
        put16(central, uint32_t(names[i].size())), put16(central, 0), put16(central, 0);
        put16(central, 0), put16(central, 0), put32(central, 0), put32(central, uint32_t(at));
        central += names[i];
    }
    zip += packed;
    const size_t central_at = zip.size();
    zip += central;
    zip += "PK\5\6";
    put16(zip, 0), put16(zip, 0), put16(zip, uint32_t(count)), put16(zip, uint32_t(count));
    put32(zip, uint32_t(central.size())), put32(zip, uint32_t(central_at)), put16(zip, 0);
    return zip;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_make_seeds FUZZ_DIR\n");
        return 2;
    }
    g_dir = argv[1];
    const auto plane = trained("plane3d", {2}, "adam", false);
    const auto bars = trained("bars", {4}, "sgd", false);
    const auto vae = trained("plane3d", {4}, "momentum", true);
    for (const auto& [name, entries] : {std::pair{"plane3d-h2-adam", &plane},
                                        std::pair{"bars-h4-sgd", &bars},
                                        std::pair{"plane3d-vae-momentum", &vae}}) {
        write_seed("corpus/fuzz_run_file", std::string(name) + ".aelab", write_zip(*entries));
        write_seed("corpus/fuzz_run_entries", std::string(name) + ".entries", fuzz::join_entries(*entries));
    }

    // Issue 19's crashes, one input each.
    regression("optimizer-second-shape-0",
               with(plane, "optimizer_second.npy", npy_encode(npy_from_floats(nullptr, {0}))));
    {
        nlohmann::json run = run_json(plane);
        std::string rng = run["order_rng"];  // 624 words, then the index
        std::string words;
        size_t at = 0;
        for (int i = 0; i < 624; ++i) {
            words += "18446744073709551615 ";
            at = rng.find(' ', at) + 1;
        }
        run["order_rng"] = words + rng.substr(at);
        regression("order-rng-word-2p64-1", with(plane, "run.json", run.dump(2)));
    }
    {
        nlohmann::json run = run_json(plane);
        run["format"] = nlohmann::json::object();
        regression("format-is-object", with(plane, "run.json", run.dump(2)));
    }
    {
        nlohmann::json run = run_json(plane);
        run["format_version"] = (int64_t(1) << 32) + 1;
        regression("format-version-2p32-plus-1", with(plane, "run.json", run.dump(2)));
    }
    {
        nlohmann::json run = run_json(plane);
        const int64_t max = std::numeric_limits<int64_t>::max();
        run["step"] = max, run["samples_seen"] = max, run["epoch"] = max;
        run["optimizer"]["t"] = max;
        regression("counters-int64-max", with(plane, "run.json", run.dump(2)));
    }
    write_seed("regressions/fuzz_run_file", "zip-bomb-overlapping-200x64k.aelab",
          overlapping_bomb(200, 64 * 1024));
    return 0;
}
