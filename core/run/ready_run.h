// From a config to a run ready to train, written once: load the data set the config names,
// prepare it (held-out class, subset, binarised, normalised), check that the model fits, then
// create the Session — or resume one from a RunState. The trainer thread, the headless run,
// the lesson checks, the fuzzers and the tests all come this way. Calling thread only.
//
// The steps are also offered one by one for the trainer, which must check everything while
// the old model still trains and drop that model before the new one is made (making it beside
// the old one could need twice the memory).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/base/expected.h"
#include "core/config/config.h"
#include "core/data/dataset.h"
#include "core/run/run_state.h"
#include "core/run/session.h"

namespace aelab {

// Where data comes from: load_dataset, or a stand-in in tests.
using DatasetLoader = std::function<Expected<std::shared_ptr<const Dataset>>(const std::string&)>;

// The data of a run: the set as loaded, and as the config prepares it. A caller that keeps it
// across rebuilds loads and prepares only what changed (a normalised Fashion-MNIST is a
// 200 MB copy).
struct RunData {
    std::shared_ptr<const Dataset> full;
    std::string name;  // the config.dataset `full` was loaded for
    std::shared_ptr<const Dataset> prepared;
    std::string key;  // prepared_data_key() of the config `prepared` was made for

    // Whether `config` needs another data set loaded (not only prepared again).
    bool needs_load(const Config& config) const { return !full || name != config.dataset; }
};

// Steps 1 and 2: the data `config` needs, taking from `cached` what still fits it.
Expected<RunData> load_run_data(const Config& config, const DatasetLoader& load,
                                const RunData& cached = {});

// Step 3: what Session::create would refuse, checked without making a model: the config,
// the data's sizes and the memory the model needs. A resumed run (`resuming`) is checked for
// memory only (its config may carry a memory_budget of its own, or --set one); the rest is
// Session::resume's to say.
std::optional<Error> check_run_fits(const Config& config, const Dataset& prepared, bool resuming);

// Step 4: the session: Session::resume(*from) when `from` is given (its config is `config`),
// else Session::create(config).
Expected<std::unique_ptr<Session>> start_session(const Config& config, const RunState* from,
                                                 std::shared_ptr<const Dataset> prepared);

struct ReadyRun {
    RunData data;
    std::unique_ptr<Session> session;
};

// All four steps: a run of `config` (continuing `from` when given) on its prepared data.
Expected<ReadyRun> prepare_run(const Config& config, const RunState* from = nullptr,
                               const DatasetLoader& load = load_dataset, const RunData& cached = {});

}  // namespace aelab
