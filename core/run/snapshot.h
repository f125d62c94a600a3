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

// How a message is shown: info in the text colour, a warning in orange, an error in red.
enum class Severity { Info, Warning, Error };

struct LogMessage {
    uint64_t id = 0;  // increasing; the UI appends the ones it has not seen yet
    std::string text;
    Severity severity = Severity::Info;
};

// Each part below is one concern and is filled by the one type that knows it: the trainer
// the status and the run file, the session the data, progress and model views, the test
// meter the curves' last values, the timeline its own part. A computed view adds no field
// here: it is a ViewResult in ModelViews::computed, owned by its view (core/views).

// Whether the trainer is training and why it is not (filled by the Trainer).
struct TrainerStatus {
    bool running = false;        // training (not paused)
    double speed_limit = 0;      // steps per second while playing; 0: full speed
    bool loading = false;        // the trainer is loading data or building the model
    std::string error;           // why training stopped (bad data file, NaN loss, …); "" if fine
    // Why the last rebuild was refused while a model was training (a bad data folder, a model
    // too large): that model goes on. "" once a rebuild succeeds. The version counts refusals.
    std::string rebuild_refused;
    uint64_t refusal_version = 0;
    const char* gemm_backend = "";
    int threads = 1;  // threads training and computing the views (config key threads)
};

// The run file: where this run was last saved or opened from ("" if never), whether it
// changed since (steps, knobs, a rebuild; an untrained model never counts), and whether a
// save is being written now (filled by the SaveTracker's owner).
struct RunFileStatus {
    std::string path;
    bool unsaved = false;
    bool saving = false;
    uint64_t saves_finished = 0;  // saves written or failed so far (the window waits on one)
};

// The data set (shared, immutable: the views may read test images for thumbnails).
struct DataShown {
    std::shared_ptr<const Dataset> set;
    std::string name;
    int image_width = 0, image_height = 0;  // n = width·height
    std::vector<std::string> class_names;
    int train_samples = 0, test_samples = 0;
};

// Progress of the live run, also while a checkpoint is on view.
struct ProgressShown {
    int64_t step = 0;
    int64_t epoch = 0;
    double epoch_progress = 0;      // [0, 1) through the current epoch
    double samples_per_second = 0;  // training only, over the last half second or so
    int64_t samples_seen = 0;
    double training_seconds = 0;  // inside training steps since the model was built
};

// The loss curves and their last values.
struct CurvesShown {
    History history;
    Terms last_train_terms;
    Terms last_test_terms;   // the objective as trained, on the held-out test images
    double last_test_clean = 0;  // the same on clean inputs (when the run uses noise)
    bool has_test = false;
    bool has_test_clean = false;  // last_test_clean was measured (noise on at the last test)
};

// The fixed test samples the image panels show, n×P each, and the encoder's activations on
// them (the code last), m_l×P.
struct ProbeImages {
    std::vector<int> labels;
    Mat input, corrupted, output;
    bool is_corrupted = false;
    std::vector<Mat> hidden;
    std::vector<std::string> hidden_names;  // "layer 1 (256)", "code (32)"
};

// What is drawn from the model on view (the live one, or a checkpoint on the timeline).
struct ModelViews {
    ProbeImages probes;
    // Mean code activation p̂_j, averaged over recent training batches (autoencoders)
    Vec p_hat;
    // The computed views (latent plane, filters, PCA, anomaly), by ViewId: each filled only
    // while its panel asks for it, else null.
    std::array<std::shared_ptr<const ViewResult>, kViewCount> computed;
};

// The timeline (core/run/timeline.h): the checkpoints kept, the one the model views show,
// the run's name and the runs compared.
struct TimelineShown {
    std::vector<int64_t> checkpoint_steps;  // ascending
    size_t bytes = 0, budget = 0;
    int64_t viewing_step = -1;  // -1: the views show the live model
    std::string run_name;
    std::vector<std::shared_ptr<const ComparedRun>> compared;  // oldest first
    // A rebuild now would keep the live run whole beside the new one (it trained, and it fits
    // the memory for kept runs); when not, the window asks before an unsaved run gives way.
    bool keeps_live_run = false;
};

struct Snapshot {
    uint64_t version = 0;        // increases with every publication
    uint64_t model_version = 0;  // changes when the model is rebuilt or reset
    Config config;               // the config in force (knobs included)
    // How far the trainer has got with what the window asked (TrainerPort's numbers): the
    // config above has the knobs of setting knobs_taken and the effect of every command up
    // to commands_done.
    uint64_t knobs_taken = 0, commands_done = 0;
    TrainerStatus status;
    RunFileStatus file;
    DataShown data;
    ProgressShown progress;
    CurvesShown curves;
    ModelViews model;
    TimelineShown timeline;
    std::vector<LogMessage> messages;  // the most recent ones

    template <class T>
    const T* view(ViewId id) const {
        return dynamic_cast<const T*>(model.computed[int(id)].get());
    }
};

}  // namespace aelab
