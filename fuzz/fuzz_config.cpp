// Config text from strangers — a config JSON (lesson bases, run files' config.json) or
// `--set key=value` lines — and its round trip: what parses must print and parse back to the
// same config, as JSON (config_to_json) and key by key (get_config_value). A mismatch aborts,
// so libFuzzer reports it as a crash with the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/config/config.h"

namespace {

[[noreturn]] void mismatch(const std::string& what, const aelab::Config& a, const aelab::Config& b) {
    std::fprintf(stderr, "config round trip: %s\n  first:  %s\n  second: %s\n", what.c_str(),
                 aelab::config_to_json(a).dump().c_str(), aelab::config_to_json(b).dump().c_str());
    std::abort();
}

void round_trip(const aelab::Config& config) {
    const std::string printed = aelab::config_to_json(config).dump();
    const nlohmann::json reparsed = nlohmann::json::parse(printed, nullptr, false);
    aelab::Config again;
    if (auto error = aelab::config_from_json(again, reparsed, "printed")) {
        std::fprintf(stderr, "config round trip: the printed config is refused: %s\n  %s\n",
                     error->message.c_str(), printed.c_str());
        std::abort();
    }
    if (!(again == config)) mismatch("JSON", config, again);
    for (const aelab::ConfigKey& key : aelab::config_keys()) {
        aelab::Config copy = config;
        const std::string value = aelab::get_config_value(config, key.name);
        if (auto error = aelab::set_config_value(copy, key.name, value)) {
            std::fprintf(stderr, "config round trip: %s=%s is refused: %s\n", key.name,
                         value.c_str(), error->message.c_str());
            std::abort();
        }
        if (!(copy == config)) mismatch(std::string("key ") + key.name + "=" + value, config, copy);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    aelab::Config config;
    const nlohmann::json object = nlohmann::json::parse(text, nullptr, false);
    if (!object.is_discarded()) {
        if (aelab::config_from_json(config, object, "fuzz.json")) return 0;
    } else {
        // --set lines, applied in order; a refused one leaves the config as it was.
        std::string_view rest = text;
        while (!rest.empty()) {
            const size_t end = rest.find('\n');
            (void)aelab::apply_setting(config, rest.substr(0, end));
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        }
        if (aelab::validate_config(config)) return 0;
    }
    round_trip(config);
    return 0;
}
