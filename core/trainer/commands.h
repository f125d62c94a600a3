// What the window (or a test) asks the trainer to do, as small values in one queue that the
// trainer drains between steps. Any thread (commands are copied).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "core/config/config.h"
#include "core/run/run_state.h"

namespace aelab {

namespace commands {
struct Play {};   // train continuously
struct Pause {};  // stop after the current step
struct Step {     // pause, then train `steps` mini-batches
    int steps = 1;
};
// A rebuild, a reset or a new seed replaces the live run; a replaced run that trained is kept
// whole beside the new one, to return to (core/trainer/lineage.h).
struct Reset {};    // rebuild the model with the same seed: the same run again
struct NewSeed {};  // draw a new seed, then reset
struct Rebuild {    // take `config` (structure and knobs), reload data if needed, reset
    Config config;
    uint64_t keep_as = 0;  // the id the replaced run is kept under (0: one the trainer picks)
};
struct ReturnTo {  // continue kept run `run` where it stopped (TimelineShown::compared: its id)
    uint64_t run = 0;      // the live run, if it trained, is kept in its place under `keep_as`
    uint64_t keep_as = 0;  // (0: an id the trainer picks)
    // When `run` is no longer kept (dropped for memory, forgotten): a fresh model of this
    // config instead, said in the log; without one, only the log says so.
    std::optional<Config> otherwise;
};
struct Resume {  // continue a saved run (a run file) exactly where it stopped
    std::shared_ptr<const RunState> state;
    std::string path;  // the file it came from ("" if none): Save writes there again
};
struct New {  // a fresh run of `config`, tied to no file, with no runs kept or compared (the
    Config config;  // window asked before an unsaved run gives way)
};
enum class ExportKind { Weights, Curves, Codes, ProbesPng, FiltersPng };
struct Export {  // write an export (core/export.h, core/image_grid.h) of the run as it is now
    ExportKind kind = ExportKind::Weights;  // (the PNG grids: of the model on view); logged
    std::string path;  // weights .npz; curves .csv or .json; codes .npz or .csv; grids .png
};
struct Open {  // read a run file and continue it; a file that cannot be opened (unreadable,
    std::string path;  // malformed, not fitting its data) is logged and the run stays as it was
};                     // (no runs kept or compared: the window asked first)
struct Save {  // write the run to `path` (off the trainer's thread; atomic); the result is
    std::string path;  // logged and shown in RunFileStatus::path
    bool autosave = false;  // a safety copy: the run stays tied to its own file, and unsaved
};
struct SetProbe {  // make test image `test_index` probe 1 (an image picked in a view)
    int test_index = 0;
};
// The timeline (core/timeline.h).
struct ViewStep {  // every model view shows the checkpoint nearest `step`; -1: the live model
    int64_t step = -1;
};
struct Branch {};  // continue from the checkpoint on view, with the knobs set now; the run that
                   // was live stays on the loss curves for comparison (ComparedRun), and whole
                   // to return to while memory allows
struct NameRun {   // rename the live run (its name in the legend when it is compared)
    std::string name;
};
struct ForgetCompared {};  // drop the compared runs: their curves and the weights of those kept
struct CheckpointBudget {  // the timeline's memory budget
    size_t bytes = 0;
};
struct SpeedLimit {  // play at most this many steps per second; 0: full speed (Step is never held)
    double steps_per_second = 0;
};
struct TestEvery {  // a test-curve point every `steps` steps exactly; 0: as often as 2 % of the
    int64_t steps = 0;  // time allows (the default). --record pins it to the frame cadence.
};
}  // namespace commands

using Command = std::variant<commands::Play, commands::Pause, commands::Step, commands::Reset,
                             commands::NewSeed, commands::Rebuild, commands::ReturnTo,
                             commands::Resume,
                             commands::SetProbe, commands::New, commands::Open,
                             commands::Save, commands::Export, commands::ViewStep,
                             commands::Branch, commands::NameRun, commands::ForgetCompared,
                             commands::CheckpointBudget, commands::SpeedLimit,
                             commands::TestEvery>;

}  // namespace aelab
