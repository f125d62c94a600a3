// Training without a window: the same Session the trainer thread runs, stepped in a loop on
// the calling thread, then a one-line summary and the metrics file. Calling thread only.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "core/config.h"

namespace aelab {

struct HeadlessOptions {
    Config config;
    int64_t steps = 1000;
    std::string metrics_path;  // "" = do not write
};

// Returns the process exit code: 0 done, 1 training diverged (NaN/inf loss), 2 bad input
// (data files, unwritable metrics path). Messages go to `out` (summary) and `err`.
int run_headless(const HeadlessOptions& options, std::ostream& out, std::ostream& err);

}  // namespace aelab
