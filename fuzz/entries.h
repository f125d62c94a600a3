// The input format of fuzz_run_entries: a run file's entries as plain text, so mutation
// reaches the npy headers and the JSON inside the zip (write_zip then adds correct CRCs).
//   @@entry run.json\n<bytes>@@entry params.npy\n<bytes>…
// Bytes before the first marker are ignored; an entry with an empty, over-long or repeated
// name is dropped (write_zip treats those as programmer errors). Fuzz processes only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/npz.h"

namespace fuzz {

inline constexpr std::string_view kEntryMarker = "@@entry ";

inline std::vector<aelab::ZipEntry> split_entries(std::string_view input) {
    std::vector<aelab::ZipEntry> entries;
    size_t at = input.find(kEntryMarker);
    while (at != std::string_view::npos) {
        const size_t name_at = at + kEntryMarker.size();
        const size_t newline = input.find('\n', name_at);
        if (newline == std::string_view::npos) break;
        const size_t next = input.find(kEntryMarker, newline + 1);
        const std::string_view name = input.substr(name_at, newline - name_at);
        const std::string_view bytes = input.substr(
            newline + 1, next == std::string_view::npos ? std::string_view::npos : next - newline - 1);
        bool fresh = !name.empty() && name.size() <= 255;
        for (const auto& e : entries) fresh = fresh && e.name != name;
        if (fresh) entries.push_back({std::string(name), std::string(bytes)});
        at = next;
    }
    return entries;
}

inline std::string join_entries(const std::vector<aelab::ZipEntry>& entries) {
    std::string out;
    for (const auto& e : entries) out += std::string(kEntryMarker) + e.name + "\n" + e.bytes;
    return out;
}

}  // namespace fuzz
