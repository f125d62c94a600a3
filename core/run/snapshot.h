// What the window draws, copied out of the trainer ~30 times a second. Immutable once
// published: the trainer fills it, then hands out std::shared_ptr<const Snapshot>; the UI
// takes one pointer per frame and draws every panel from it. Filled on the trainer thread,
// read on any thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/tensor.h"
#include "core/config/config.h"
#include "core/data/dataset.h"
#include "core/model/objective.h"
#include "core/run/computed_view.h"
#include "core/run/history.h"

namespace aelab {

struct LogMessage {
    uint64_t id = 0;  // increasing; the UI appends the ones it has not seen yet
    std::string text;
};

struct Snapshot {
    uint64_t version = 0;        // increases with every publication
    uint64_t model_version = 0;  // changes when the model is rebuilt or reset
    Config config;               // the config in force (knobs included)
    bool running = false;        // training (not paused)
    double speed_limit = 0;      // steps per second while playing; 0: full speed
    bool loading = false;        // the trainer is loading data or building the model
    std::string error;           // why training stopped (bad data file, NaN loss, …); "" if fine
    // Why the last rebuild was refused while a model was training (a bad data folder, a model
    // too large): that model goes on. "" once a rebuild succeeds. The version counts refusals.
    std::string rebuild_refused;
    uint64_t refusal_version = 0;

    // The run file: where this run was last saved or opened from ("" if never), whether it
    // changed since (steps, knobs, a rebuild; an untrained model never counts), and whether a
    // save is being written now.
    std::string run_path;
    bool unsaved = false;
    bool saving = false;
    uint64_t saves_finished = 0;  // saves written or failed so far (the window waits on one)

    // Data (shared, immutable: the views may read test images for thumbnails)
    std::shared_ptr<const Dataset> data;
    std::string dataset_name;
    int image_width = 0, image_height = 0;  // n = width·height
    std::vector<std::string> class_names;
    int train_samples = 0, test_samples = 0;

    // Progress (of the live run, also while a checkpoint is on view)
    int64_t step = 0;
    int64_t epoch = 0;
    double epoch_progress = 0;      // [0, 1) through the current epoch
    double samples_per_second = 0;  // training only, over the last half second or so
    int64_t samples_seen = 0;
    double training_seconds = 0;  // inside training steps since the model was built
    const char* gemm_backend = "";

    // Curves and the last values
    History history;
    Terms last_train_terms;
    Terms last_test_terms;   // the objective as trained, on the held-out test images
    double last_test_clean = 0;  // the same on clean inputs (when the run uses noise)
    bool has_test = false;

    // Probe images (fixed test samples), n×P each
    std::vector<int> probe_labels;
    Mat probe_input, probe_corrupted, probe_output;
    bool probe_is_corrupted = false;
    // Activations of each encoder layer on the probe (the code last), m_l×P
    std::vector<Mat> probe_hidden;
    std::vector<std::string> probe_hidden_names;  // "layer 1 (256)", "code (32)"

    // Mean code activation p̂_j, averaged over recent training batches (autoencoders)
    Vec p_hat;

    // The computed views (latent plane, filters, PCA, anomaly), by ViewId: each filled only
    // while its panel asks for it, else null.
    std::array<std::shared_ptr<const ViewResult>, kViewCount> views;
    template <class T>
    const T* view(ViewId id) const {
        return dynamic_cast<const T*>(views[int(id)].get());
    }

    // The timeline (core/timeline.h): the checkpoints kept, the one the model views show
    // (probes, activations, p̂ and the computed views), the run's name and the runs compared.
    std::vector<int64_t> checkpoint_steps;  // ascending
    size_t checkpoint_bytes = 0, checkpoint_budget = 0;
    int64_t viewing_step = -1;  // -1: the views show the live model
    std::string run_name;
    std::vector<std::shared_ptr<const ComparedRun>> compared;  // oldest first
    // A rebuild now would keep the live run whole beside the new one (it trained, and it fits
    // the memory for kept runs); when not, the window asks before an unsaved run gives way.
    bool keeps_live_run = false;

    std::vector<LogMessage> messages;  // the most recent ones
};

}  // namespace aelab
