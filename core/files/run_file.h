// Run files (.aelab): a RunState in one file another tool can read without aelab. The file is
// a zip of .npy arrays and two JSON texts — numpy's .npz layout, so `numpy.load("run.aelab")`
// lists the parameters, the optimiser's moments and the batch order, and any zip tool shows
// config.json and run.json. Versioned (run.json: format_version); a file from a newer aelab
// is refused, never misread. Any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/expected.h"
#include "core/run/run_state.h"

namespace aelab {

inline constexpr int kRunFormatVersion = 1;

std::string encode_run(const RunState& state);
// Checks everything it reads (entries present, shapes, types, known keys, version) and names
// `where` (the file) in its errors. Whether the state fits its data is Session::resume's check.
// `byte_budget` bounds what the zip's entries may inflate to (the sum of their declared
// sizes); the first form takes memory_budget_bytes(). The state's `source` is `where`.
Expected<RunState> decode_run(std::string_view bytes, const std::string& where);
Expected<RunState> decode_run(std::string_view bytes, const std::string& where,
                              uint64_t byte_budget);

// Atomic: a temporary file, fsync, rename; a failed save leaves the old file as it was.
std::optional<Error> save_run(const std::string& path, const RunState& state);
// A regular file only (not a folder, FIFO or device), within the memory budget.
Expected<RunState> load_run(const std::string& path);

}  // namespace aelab
