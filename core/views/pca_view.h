// "A linear autoencoder learns what PCA learns" (SPEC §2) as a computed view: the PCA of the
// (normalised) training set beside a one-hidden-layer autoencoder — principal angles between
// span(W*) (and span(Wᵀ)) and the top-k PCA subspace, the reconstruction error of both,
// eigen-images beside decoder columns, probe reconstructions. Requested with PcaRequest,
// published as PcaView under ViewId::Pca. The PCA is computed once per prepared dataset and
// kept across rebuilds that keep the data.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/data/dataset.h"
#include "core/model/network.h"
#include "core/model/objective.h"
#include "core/model/pieces.h"
#include "core/run/computed_view.h"
#include "core/views/pca.h"

namespace aelab {

struct PcaRequest : ViewRequestOf<PcaRequest> {
    bool operator==(const PcaRequest&) const = default;
};

// How an autoencoder's subspace and error compare with PCA-k's.
struct PcaComparison {
    int k = 0;
    std::vector<double> decoder_angles_deg;  // span(W*) vs PCA-k, ascending
    std::vector<double> encoder_angles_deg;  // span(Wᵀ) vs PCA-k, ascending
    double ae_mse = 0;   // per pixel, clean inputs, in the data's (normalised) units
    double pca_mse = 0;  // PCA-k's on the same samples
    double explained_variance = 0;  // of the first k components (over the PCA's data)
    int samples = 0;

    double max_angle_deg() const;
    double mean_angle_deg() const;
};

// Why a model of this shape cannot be set beside PCA ("" when it can): PCA compares an
// autoencoder with one hidden layer of k < n units.
std::string pca_shape_refusal(const Network& network);
// pca_shape_refusal, or that the weights diverged (NaN/Inf reach no decomposition).
std::string pca_refusal(const Network& network);
// The decoder's W* (n×k) and the encoder's Wᵀ (n×k) of a one-hidden-layer autoencoder.
Mat decoder_columns(const Network& network);
Mat encoder_rows_transposed(const Network& network);
// Compares on the first `count` columns of x (all when < 0). Needs pca_refusal(network) == "".
// The forward passes run in pieces on `pool`'s threads (null: this thread), one workspace
// each, summed in piece order: the same result on any number of threads.
PcaComparison compare_with_pca(const Network& network, const Pca& pca, ConstMatRef x, int count,
                               ThreadWorkspaces& workspaces, WorkerPool* pool = nullptr);

struct PcaPoint {  // one entry of the curves over training steps
    int64_t step = 0;
    float max_angle_deg = 0, mean_angle_deg = 0, encoder_max_angle_deg = 0;
    float ae_mse = 0, pca_mse = 0;
};

struct PcaView : ViewResult {
    std::string refusal;  // non-empty: nothing else is set; the panel says this line
    int64_t step = 0;
    int width = 0, height = 0;  // image shape of one column
    std::shared_ptr<const Pca> pca;
    PcaComparison comparison;
    Mat eigen_images;     // n×k: PCA's top-k directions
    Mat decoder_columns;  // n×k: W*
    Mat aligned_basis;    // n×k: orthonormal basis of span(W*) rotated onto the eigen-images
    std::shared_ptr<const std::vector<PcaPoint>> history;  // since the panel opened on this model
    Mat probe_input, probe_pca, probe_ae;  // n×P, shown as pixels (de-normalised)
    double pass_seconds = 0;  // one comparison pass (what the schedule spreads out)
    double interval = 0;      // seconds between passes while training
    // Three-dimensional data (plane3d): training points and the autoencoder's decoded plane
    // {W*h + b*}, through the image of the mean code.
    Mat points;   // 3×≤1000
    Vec ae_plane_centre;
};

// Trainer thread only.
class PcaExplorer : public ComputedView {
public:
    static constexpr int kCompareSamples = 10000;  // training images behind the live errors

    std::shared_ptr<const ViewResult> update(const ViewInputs& in,
                                             const ViewRequest& request) override;
    void reset() override;  // a new model: a new history (the PCA stays while the data does)

private:
    std::weak_ptr<const Dataset> m_pca_data;  // what m_pca was computed from
    std::shared_ptr<const Pca> m_pca;
    RefreshSchedule m_schedule;
    std::shared_ptr<const PcaView> m_last;
    std::shared_ptr<std::vector<PcaPoint>> m_history;
    ThreadWorkspaces m_ws;  // one per thread of the pool
};

}  // namespace aelab
