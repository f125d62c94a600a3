// One training run: the model, its data, optimiser, batch order and noise, stepped one
// mini-batch at a time. Single-threaded: the trainer thread (or a headless run) owns it.
#pragma once

#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/base/random.h"
#include "core/config/config.h"
#include "core/data/dataset.h"
#include "core/model/evaluation.h"
#include "core/model/network.h"
#include "core/model/objective.h"
#include "core/model/optimizer.h"
#include "core/model/parallel_objective.h"
#include "core/run/run_state.h"
#include "core/run/snapshot.h"
#include "core/run/timeline.h"

namespace aelab {

struct ProbeJacobians {
    double first_layer = 0, code = 0;
};

class Session {
public:
    static constexpr int kTestSubset = 1000;  // held-out samples behind the live test curve
    // The fixed test images every view follows. Reconstructions shows as many as fill its
    // space; views that give each probe a row (hidden activations, PCA) show the first
    // kProbesInRows, which are one of each class first.
    static constexpr int kProbeCount = 32;
    static constexpr int kProbesInRows = 16;

    // Builds the model for `config` on `data` (already prepared: subset, binarised).
    static Expected<std::unique_ptr<Session>> create(const Config& config,
                                                     std::shared_ptr<const Dataset> data);
    // The run as plain values, and a session rebuilt from them on `data` (prepared from
    // state.config) that continues exactly where it was. Every part is checked against the
    // config and the data first (sizes, a permutation, finite parameters): an error names
    // what does not fit.
    RunState state() const;
    static Expected<std::unique_ptr<Session>> resume(const RunState& state,
                                                     std::shared_ptr<const Dataset> data);
    // The timeline's cheap forms of the same (core/timeline.h). capture() refills `out`,
    // reusing its buffers, and shares `order` when it is still this epoch's. restore() takes
    // a checkpoint this session's run (same config structure, same data) captured: the
    // session then is that run at that step, exactly.
    void capture(Checkpoint& out, const std::shared_ptr<const EpochOrder>& order) const;
    void restore(const Checkpoint& checkpoint);

    const Config& config() const { return m_config; }
    const Network& network() const { return m_network; }
    const Dataset& data() const { return *m_data; }
    std::shared_ptr<const Dataset> shared_data() const { return m_data; }
    const Mat& probe_images() const { return m_probe_x; }
    // Makes test image `test_index` probe 1 (the others move one along, the last drops out):
    // an image picked in a view is then shown in every probe view. False when out of range.
    bool set_first_probe(int test_index);

    // Applies live knobs from the next step on; returns a description of each change
    // ("lr 0.001 → 0.01") for the markers on the loss curves.
    std::vector<std::string> set_knobs(const Knobs& knobs);

    // One mini-batch: gather, corrupt, forward, backward, update. Returns its terms.
    const Terms& train_step();

    // The threads the step, the evaluations and the computed views of this session use
    // (ParallelObjective, Evaluator): the pool's, or this thread alone (null, the default).
    // Results are deterministic for a given thread count. The pool is shared: a trainer gives
    // its one pool to the live session and to the one on view, which it runs in turn.
    void set_pool(std::shared_ptr<WorkerPool> pool) { m_pool = std::move(pool); }
    WorkerPool* pool() const { return m_pool.get(); }
    const std::shared_ptr<WorkerPool>& shared_pool() const { return m_pool; }
    int threads() const { return m_pool ? m_pool->size() : 1; }

    int64_t step() const { return m_progress.step; }
    int64_t samples_seen() const { return m_progress.samples_seen; }
    int64_t epoch() const { return m_progress.epoch; }
    double epoch_progress() const;
    // Time spent inside train_step() (evaluation and publishing excluded).
    double training_seconds() const { return m_progress.training_seconds; }

    // Evaluations of the test or training set (see EvaluationOptions). as_trained(): what
    // training minimises, with the current knobs (noise, batch for p̂).
    EvaluationOptions as_trained(int count = -1) const {
        return EvaluationOptions::as_trained(m_config.knobs, count);
    }
    Evaluation evaluate_test(const EvaluationOptions& options);
    Evaluation evaluate_train(const EvaluationOptions& options);
    Evaluation evaluate_test_set();            // the full test set, clean inputs
    Evaluation evaluate_test_set_corrupted();  // the full test set, corrupted as in training

    // Codes of every test image (μ for a VAE): code×N. Decoded images of codes: n×B.
    // Conveniences for tests and tools (they allocate; the views get theirs from the trainer).
    Mat encode_test_set() const;
    Mat decode(const Mat& codes) const;

    // Probe images, their reconstructions and activations, p̂, filters → snapshot: the run's
    // progress (config, data, counters, last terms) and what the model views show.
    void fill_snapshot(Snapshot& out);
    void fill_progress(Snapshot& out) const;
    void fill_model_views(Snapshot& out);
    // Mean ‖J_x(h₁)‖²_F (layer 1, what the contractive penalty weighs) and ‖J_x(h)‖²_F (the
    // code) over the clean probe images.
    ProbeJacobians probe_jacobians();
    const Vec& p_hat_average() const { return m_progress.p_hat_average; }

private:
    Session(const Config& config, std::shared_ptr<const Dataset> data, std::mt19937& init_rng);
    // Everything but the batch order and its random state, from a checked or captured state.
    void assign(const RunState& state);
    // The next `batch` samples of the epoch's order into m_batch: the order walked here, the
    // columns copied by the threads whose slices will read them (ParallelObjective).
    void gather_batch(int batch);

    Config m_config;
    std::shared_ptr<const Dataset> m_data;
    Network m_network;
    Objective m_objective;
    Optimizer m_optimizer;
    ParallelObjective m_batch_objective;  // the training batch, in slices on m_pool
    std::shared_ptr<WorkerPool> m_pool;   // null: everything on the calling thread
    Evaluator m_evaluator;
    Vec m_grad;
    Mat m_batch, m_input;  // n×capacity: clean batch, corrupted batch
    std::vector<int> m_batch_samples;  // the samples in m_batch, by column
    // The run's plain values (counters, p̂, last terms, probe choice), as RunState has them.
    RunProgress m_progress;

    std::mt19937 m_order_rng;
    FastRng m_noise_rng;
    std::vector<int> m_order;


    // Probe
    Mat m_probe_x, m_probe_input;
    Workspace m_probe_ws;
    FastRng m_probe_rng;
    std::vector<float> m_probe_jacobian;
    Workspace m_jacobian_ws;
};

}  // namespace aelab
