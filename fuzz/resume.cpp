#include "fuzz/resume.h"

#include <map>
#include <memory>
#include <string>

#include "core/data/dataset.h"
#include "core/run/memory_budget.h"
#include "core/run/ready_run.h"
#include "core/run/session.h"

namespace fuzz {

namespace {

// Built once per process: a synthetic set takes ~0.1 s to draw.
std::shared_ptr<const aelab::Dataset> synthetic(const std::string& name) {
    static std::map<std::string, std::shared_ptr<const aelab::Dataset>> sets;
    auto& set = sets[name];
    if (!set) set = aelab::make_synthetic(name);
    return set;
}

}  // namespace

void try_resume(const aelab::RunState& state) {
    const aelab::Config& config = state.config;
    if (!aelab::is_synthetic_name(config.dataset)) return;
    auto full = synthetic(config.dataset);
    const int n = int(full->train_x.rows());
    // A few MB: bigger models are correct inputs too, but slow the fuzzer to a crawl.
    if (aelab::estimate_model_memory(config, n).total() > 64e6) return;
    if (config.knobs.batch > 1024) return;
    const aelab::DatasetLoader load =
        [&](const std::string&) -> aelab::Expected<std::shared_ptr<const aelab::Dataset>> { return full; };
    auto ready = aelab::prepare_run(config, &state, load);
    if (!ready) return;
    for (int i = 0; i < 2; ++i) ready->session->train_step();
}

}  // namespace fuzz
