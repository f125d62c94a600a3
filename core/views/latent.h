// The latent-space view, a computed view (computed_view.h): test-set codes for the scatter, a
// decoded manifold over the visible window, the decoded point under the mouse, samples from
// the prior, and one probe image's posterior. Requested by the panel (LatentRequest),
// computed on the trainer thread by LatentExplorer between steps, published in the snapshot
// (LatentView, under ViewId::Latent).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "core/base/random.h"
#include "core/base/recycling_pool.h"
#include "core/base/tensor.h"
#include "core/data/dataset.h"
#include "core/model/network.h"
#include "core/model/objective.h"
#include "core/model/pieces.h"
#include "core/run/computed_view.h"

namespace aelab {

// What the latent panel shows right now. Any thread (copied by value).
struct LatentRequest : ViewRequestOf<LatentRequest> {
    int dim_x = 0, dim_y = 1;
    double x0 = -3, x1 = 3, y0 = -3, y1 = 3;  // visible window of the latent plane
    int grid = 15;                            // manifold: grid×grid decoded images (0 = none)
    bool inverse_cdf = false;  // space the grid by Φ⁻¹ of an even grid in probability
    bool has_point = false;    // decode (point_x, point_y) (clicked or dragged)
    float point_x = 0, point_y = 0;
    uint32_t prior_seed = 1;  // "resample" draws a new one
    int probe = 0;            // the probe image whose posterior is drawn

    bool operator==(const LatentRequest&) const = default;
};

inline constexpr int kPriorSamples = 16;
inline constexpr int kPosteriorTrail = 24;  // recent z draws kept for the probe

// Immutable once published; the big parts are shared between snapshots.
struct LatentView : ViewResult {
    bool is_vae = false;
    int dims = 0;           // code size (the latent size d for a VAE)
    LatentRequest request;  // what this view answers

    std::shared_ptr<const Mat> codes;  // dims×N: μ (VAE) or h of every test image
    uint64_t codes_version = 0;        // changes whenever new codes land (a refresh is
                                       // published piece by piece as it goes)
    uint64_t codes_passes = 0;         // refreshes of all N codes completed
    int64_t codes_step = 0;            // the training step of the newest codes
    double codes_seconds = 0;          // the last full refresh's cost (encoder passes)
    double codes_interval = 0;         // seconds between refreshes
    int codes_threads = 1;             // threads the encoder passes run on

    // n×(rows·grid), row by row from the top (y1) down; one row when the code has 1 dim.
    std::shared_ptr<const Mat> manifold;
    int manifold_rows = 0;
    std::vector<float> grid_x, grid_y;  // the grid's coordinates (x left→right, y top→down)
    uint64_t manifold_version = 0;

    Vec point_image;            // n: the decoded point, when request.has_point
    Mat prior_samples;          // n×16: z ~ N(0, I) decoded (VAE only)
    Vec probe_mu, probe_sigma;  // d: the probe's posterior N(μ, σ²)
    Mat probe_z;                // d×trail: z = μ + σ ⊙ ε as the trainer draws them
    double mean_abs_mu = 0, mean_sigma = 0;  // over the test set at the last refresh (VAE)
};

// Trainer thread only.
class LatentExplorer : public ComputedView {
public:
    // Codes are refreshed in pieces on the session's threads. While training a pass is spread
    // over calls (a few milliseconds of the trainer's time each) and published as it goes,
    // a pass starting at most every codes_interval after the last one started: max(0.5 s,
    // cost / share), the share being this view's part of the views' budget but at least
    // kCodesShare (a fifth: the scatter is the VAE lesson's main view, and a fifth of an
    // 80 ms pass keeps it at two refreshes a second, issue 23); paused (or the first time)
    // a pass completes at once. The manifold is decoded at most every 0.25 s or when the
    // request changes; the rest at every call.
    static constexpr double kCodesShare = 0.20;
    static constexpr double kCodesMinInterval = 0.5;
    std::shared_ptr<const ViewResult> update(const ViewInputs& in,
                                             const ViewRequest& request) override;
    void reset() override;  // a new model: drop codes and caches

private:
    void compute(const Network& network, const Dataset& data, const Mat& probe_images,
                 WorkerPool* pool, const LatentRequest& request, int64_t step, bool training,
                 LatentView& out);
    // Encodes pieces of the test set until the pass is done or, unless `whole`, its share of
    // this call's time is spent; publishes what it has.
    void refresh_codes(const Network& network, const Dataset& data, WorkerPool* pool,
                       int64_t step, bool whole);
    void finish_codes_pass(int64_t step);
    void decode_manifold(const Network& network, const Dataset& data, WorkerPool* pool,
                         const LatentRequest& request, LatentView& out);
    // The full code for a point of the plane (of the line, for a 1-D code): the dims not
    // shown sit at the prior's mean 0 (VAE) or at the test set's mean code (autoencoder,
    // whose codes have no prior).
    void lift(const LatentRequest& request, bool vae, float x, float y, float* code) const;

    using Clock = std::chrono::steady_clock;
    Workspace m_ws;                  // small passes: a point, the prior samples, the probe
    ThreadWorkspaces m_workspaces;   // the pieces' passes, one per thread
    FastRng m_rng;
    std::shared_ptr<RecyclingPool<Mat>> m_pool = std::make_shared<RecyclingPool<Mat>>(3);
    // Codes: a pass writes piece after piece into next (the rest still the last pass's) and
    // publishes a copy as m_codes after each call.
    struct CodesPass {
        Mat next;
        int next_piece = 0;  // the next piece of the pass under way; 0: none under way
        double seconds = 0;  // the trainer's time it took so far
        std::chrono::steady_clock::time_point started{};  // the next pass is due from here
        std::vector<double> abs_mu, sigma;  // VAE: per piece, summed in piece order
    } m_pass;
    std::shared_ptr<const Mat> m_codes;
    uint64_t m_codes_version = 0, m_codes_passes = 0;
    int64_t m_codes_step = 0;
    RefreshSchedule m_codes_schedule{kCodesMinInterval};
    Vec m_mean_code;
    double m_mean_abs_mu = 0, m_mean_sigma = 0;
    // Manifold
    std::shared_ptr<const Mat> m_manifold;
    LatentRequest m_manifold_request;
    std::vector<float> m_grid_x, m_grid_y;
    int m_manifold_rows = 0;
    uint64_t m_manifold_version = 0;
    Clock::time_point m_manifold_time{};
    Mat m_codes_in;           // codes fed to the decoder
    std::deque<Vec> m_trail;  // recent z draws of the probe m_trail_probe
    int m_trail_probe = -1;
};

}  // namespace aelab
