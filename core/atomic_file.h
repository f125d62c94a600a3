// Saving files without ever leaving a half-written one: write a temporary file beside the
// target, flush it, then rename it over the target. Any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/expected.h"

namespace aelab {

// The error names the path and the reason (e.g. "No such file or directory").
std::optional<Error> write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace aelab
