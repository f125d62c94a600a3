// Training without a window: the same Session the trainer thread runs, stepped in a loop on
// the calling thread, then a one-line summary and the metrics file. Calling thread only.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/config/config.h"
#include "core/run/run_state.h"

namespace aelab {

// Files written at the end of a headless run ("" = not written), by extension where there is
// a choice: weights .npz; curves .csv or .json (the history); codes .npz or .csv; the probe
// images and the first layer's filters as PNG grids (core/export.h, core/image_grid.h).
struct ExportPaths {
    std::string weights, curves, codes, probes_png, filters_png;
    // Each path with its command-line option ("--export-weights", …).
    std::vector<std::pair<const char*, const std::string*>> by_option() const;
};

struct HeadlessOptions {
    Config config;
    int64_t steps = 1000;
    std::string metrics_path;  // "" = do not write
    std::shared_ptr<const RunState> resume;  // continue this run (its config is `config`)
    std::string save_path;                   // write the run file here at the end ("" = no)
    ExportPaths exports;
};

// Returns the process exit code: 0 done, 1 training diverged (NaN/inf loss), 2 bad input
// (data files, unwritable metrics, save or export paths, a run file that does not fit its
// data). Messages go to `out` (summary) and `err`.
int run_headless(const HeadlessOptions& options, std::ostream& out, std::ostream& err);

}  // namespace aelab
