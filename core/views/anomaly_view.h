// "Flag an input as anomalous when its reconstruction error is beyond μ + kσ" as a computed
// view: per-sample errors of a training subset (μ, σ) and of the whole test set (normal
// classes and the held-out one, holdout_class), the ROC curve and AUC, the galleries' images,
// and on request a per-class AUC table with a PCA stand-in. The threshold's k is the panel's
// (a slider over published errors: no retraining, no round trip). Requested with
// AnomalyRequest, published as AnomalyView under ViewId::Anomaly.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/data/dataset.h"
#include "core/model/network.h"
#include "core/model/objective.h"
#include "core/model/pieces.h"
#include "core/run/computed_view.h"
#include "core/views/anomaly_stats.h"

namespace aelab {

enum class ErrorMeasure {
    SquaredError,  // mean over pixels of (x̂ − x)², clean input (a VAE decodes z = μ)
    NegativeElbo,  // VAE: reconstruction loss at z = μ + KL(q(z|x) ‖ N(0, I)), β = 1
};

struct AnomalyRequest : ViewRequestOf<AnomalyRequest> {
    ErrorMeasure measure = ErrorMeasure::SquaredError;
    bool class_table = false;  // compute the per-class AUC table: one step per update, within
                               // the time budget while training, back to back while paused
    bool operator==(const AnomalyRequest&) const = default;
};

// Per-sample errors of a training subset and of the test set, and what they give.
struct AnomalyErrors {
    ErrorMeasure measure = ErrorMeasure::SquaredError;
    std::vector<float> train;  // the first ≤ kTrainSamples training images
    std::vector<float> test;   // every test image, in test-set order
    MeanSigma train_stats;     // μ, σ of `train`
    std::vector<float> normal_sorted, holdout_sorted;  // test errors by group, ascending
    double auc = 0;  // held-out vs normal test images (NaN without a held-out class)
};

inline constexpr int kAnomalyTrainSamples = 10000;

// The errors of `network` under `measure` (NegativeElbo needs a VAE; an autoencoder falls back
// to SquaredError, and `measure` in the result says which was used).
// The passes run in pieces on `pool`'s threads (null: this thread), one workspace each.
AnomalyErrors anomaly_errors(const Network& network, const Dataset& data, LossKind loss,
                             ErrorMeasure measure, ThreadWorkspaces& workspaces,
                             WorkerPool* pool = nullptr);

// The 3σ rule's numbers at threshold μ + kσ.
struct AnomalyRates {
    double threshold = 0, false_alarm_rate = 0, detection_rate = 0;
};
AnomalyRates rates_at(const AnomalyErrors& errors, double k);

struct AnomalyView : ViewResult {
    int64_t step = 0;
    uint64_t pass = 0;  // bumps with each pass over the errors (not with a row of the table)
    std::string note;  // e.g. why the measure fell back to squared error
    AnomalyErrors errors;
    std::vector<uint8_t> test_labels;
    int holdout_class = -1;
    std::vector<RocPoint> roc;
    // Galleries: the most anomalous normal test images, and the held-out ones with the lowest
    // errors (those the rule misses first). Test indices, errors, images and reconstructions
    // (n×count, as pixels).
    struct Gallery {
        std::vector<int> indices;
        std::vector<float> errors;
        Mat images, reconstructions;
    };
    Gallery top_normal, lowest_holdout;
    // Per-class AUC if that class alone had been held out, with PCA-k as a stand-in for
    // retraining (k = the code size): NaN where not computed yet.
    std::vector<double> class_auc;
    int class_table_k = 0;
    double pass_seconds = 0, interval = 0;
};

// Trainer thread only.
class AnomalyExplorer : public ComputedView {
public:
    static constexpr int kGallerySize = 8;

    std::shared_ptr<const ViewResult> update(const ViewInputs& in,
                                             const ViewRequest& request) override;
    void reset() override;
    bool busy() const override;  // the class table is under way

private:
    void advance_class_table(const Dataset& data, int k);

    RefreshSchedule m_schedule;
    RefreshSchedule m_table_schedule;  // the class table's rows share the same 3 % budget
    uint64_t m_passes = 0;
    std::shared_ptr<const AnomalyView> m_last;
    AnomalyRequest m_last_request;
    ThreadWorkspaces m_ws;  // one per thread of the pool
    // The class table depends on the data and k only, so it outlives models.
    std::weak_ptr<const Dataset> m_table_data;
    int m_table_k = 0;
    std::vector<Eigen::MatrixXd> m_class_scatter;  // Σ x xᵀ per class (training set)
    std::vector<Eigen::VectorXd> m_class_sum;      // Σ x per class
    std::vector<int> m_class_count;
    std::vector<double> m_class_auc;
};

}  // namespace aelab
