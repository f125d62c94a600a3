// Everything a training run is, as plain values: the config (knobs included), the parameters,
// the optimiser's state, every random stream's state, the batch order and the counters, and
// the history the curves show.
// Session hands it out (Session::state) and is rebuilt from it (Session::resume); resuming
// is exact — the same steps then give bit-identical losses on the same machine and build.
// The dataset is not part of it: the config names it. Any thread (plain values).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/tensor.h"
#include "core/config/config.h"
#include "core/model/objective.h"
#include "core/model/optimizer_state.h"
#include "core/run/history.h"

namespace aelab {

// The plain values of a run that a Session keeps as they are (its RunProgress member): a new
// one is written here once, and Session::state() and Session::resume carry it without a line
// of their own. What the session keeps in live objects (the parameters in its Network, the
// optimiser, the random engines, the batch order) is RunState's own, converted by hand.
struct RunProgress {
    int position = 0;  // the next sample's place in `order`
    int64_t step = 0, samples_seen = 0, epoch = 0;
    double training_seconds = 0;
    Vec p_hat_average;  // what the p̂ panel shows (autoencoders)
    Terms last_terms;
    std::vector<int> probe_indices;  // test images shown as probes
};

struct RunState : RunProgress {
    Config config;
    Vec params;  // the layout of Network::params()
    OptimizerState optimizer;
    std::string order_rng;                // std::mt19937 as its operator<< writes it
    std::array<uint64_t, 4> noise_rng{};  // xoshiro256** state of the noise stream
    std::vector<int> order;               // the epoch's batch order (a permutation of the set)

    // What the window shows of the run's past, kept by the trainer (Session leaves them empty
    // and ignores them): the curves as they are drawn, the knob-change markers, the log.
    History history;
    std::vector<std::string> log;

    // The file it was read from (empty when it never was one): Session::resume names it in
    // its refusals, so every error about a bad run file says which file.
    std::string source;
};

}  // namespace aelab
