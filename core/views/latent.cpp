#include "core/views/latent.h"

#include <algorithm>
#include <cmath>

#include "core/run/session.h"

namespace aelab {
namespace {

constexpr double kManifoldInterval = 0.25;  // seconds between manifold refreshes in training
// While training, a call encodes pieces until this much of the trainer's time is spent (at
// least one piece a thread): a short pause of training, many times a second.
constexpr double kCallSeconds = 0.008;

double normal_cdf(double x) {
    return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

// Φ⁻¹ by bisection: called for at most 60 grid lines, so simplicity beats speed here.
double normal_quantile(double p) {
    double lo = -10, hi = 10;
    for (int i = 0; i < 80; ++i) {
        const double mid = 0.5 * (lo + hi);
        (normal_cdf(mid) < p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

// n cell centres across [a, b], evenly spaced — or evenly in probability, mapped back by Φ⁻¹.
void grid_positions(double a, double b, int n, bool inverse_cdf, bool descending,
                    std::vector<float>& out) {
    out.resize(n);
    const double pa = normal_cdf(a), pb = normal_cdf(b);
    for (int i = 0; i < n; ++i) {
        const double t = (descending ? n - 1 - i + 0.5 : i + 0.5) / n;
        out[i] = float(inverse_cdf ? normal_quantile(pa + t * (pb - pa)) : a + t * (b - a));
    }
}

}  // namespace

void LatentExplorer::reset() {
    m_codes_schedule.reset();
    m_codes.reset();
    m_pass.next_piece = 0;
    m_manifold.reset();
    m_trail.clear();
    m_trail_probe = -1;
    m_mean_code.resize(0);
    // Sized for the old model; the next passes size them for the new one.
    m_ws = Workspace{};
    m_workspaces.clear();
}

void LatentExplorer::lift(const LatentRequest& r, bool vae, float x, float y, float* code) const {
    const int d = int(m_codes_in.rows());
    for (int k = 0; k < d; ++k) code[k] = !vae && m_mean_code.size() == d ? m_mean_code[k] : 0.0f;
    code[r.dim_x] = x;
    if (d > 1) code[r.dim_y] = y;  // a 1-D code has no second axis to write
}

void LatentExplorer::refresh_codes(const Network& net, const Dataset& data, WorkerPool* pool,
                                   int64_t step, bool whole) {
    const bool vae = net.kind() == ModelKind::Vae;
    const int d = vae ? net.latent() : net.code_size();
    const Pieces pieces{int(data.test_x.cols()), kViewPiece};
    if (m_pass.next_piece == 0) {  // a new pass; until its pieces land, the last pass's show
        if (m_pass.next.rows() != d || m_pass.next.cols() != pieces.total)
            m_pass.next.setZero(d, pieces.total);
        m_pass.seconds = 0;
        m_pass.started = Clock::now();
        m_pass.abs_mu.assign(pieces.count(), 0.0);
        m_pass.sigma.assign(pieces.count(), 0.0);
    }
    const auto start = Clock::now();
    const int threads = pass_threads(pool, pieces.count());
    reserve_workspaces(m_workspaces, threads, net, pieces.size);
    // A round is one piece per thread; rounds go on while this call is short.
    do {
        const int first = m_pass.next_piece, last = std::min(pieces.count(), first + threads);
        for_each_piece(pool, first, last, [&](int thread, int piece) {
            Workspace& ws = m_workspaces[thread];
            const int b = pieces.length(piece);
            encode(net, data.test_x.middleCols(pieces.start(piece), b), ws);
            const auto code = ws.act[net.code_layer()].leftCols(b);
            m_pass.next.middleCols(pieces.start(piece), b) = code.topRows(d);
            if (vae) {
                m_pass.abs_mu[piece] = double(code.topRows(d).cwiseAbs().sum());
                m_pass.sigma[piece] = double((0.5f * code.bottomRows(d).array()).exp().sum());
            }
        });
        m_pass.next_piece = last;
    } while (m_pass.next_piece < pieces.count() &&
             (whole || std::chrono::duration<double>(Clock::now() - start).count() < kCallSeconds));
    m_pass.seconds += std::chrono::duration<double>(Clock::now() - start).count();

    std::shared_ptr<Mat> fresh = RecyclingPool<Mat>::acquire(m_pool);
    *fresh = m_pass.next;
    m_codes = std::move(fresh);
    ++m_codes_version;
    m_codes_step = step;
    if (m_pass.next_piece == pieces.count()) finish_codes_pass(step);
}

void LatentExplorer::finish_codes_pass(int64_t step) {
    const double entries = double(m_pass.next.size());
    m_mean_code = m_pass.next.rowwise().mean();
    double abs_mu = 0, sigma = 0;
    for (size_t piece = 0; piece < m_pass.abs_mu.size(); ++piece) {
        abs_mu += m_pass.abs_mu[piece];
        sigma += m_pass.sigma[piece];
    }
    m_mean_abs_mu = abs_mu / entries;
    m_mean_sigma = sigma / entries;
    ++m_codes_passes;
    m_codes_schedule.done(m_pass.seconds, step, m_pass.started);  // start to start
    m_pass.next_piece = 0;
}

void LatentExplorer::decode_manifold(const Network& net, const Dataset& data, WorkerPool* pool,
                                     const LatentRequest& r, LatentView& out) {
    const int n = r.grid;
    const int rows = out.dims == 1 ? 1 : n;  // a 1-D code: one row of images along the line
    const bool vae = net.kind() == ModelKind::Vae;
    grid_positions(r.x0, r.x1, n, r.inverse_cdf, false, m_grid_x);
    grid_positions(r.y0, r.y1, rows, r.inverse_cdf, true, m_grid_y);  // top row first
    m_codes_in.resize(out.dims, rows * n);
    for (int row = 0; row < rows; ++row)
        for (int col = 0; col < n; ++col)
            lift(r, vae, m_grid_x[col], m_grid_y[row], m_codes_in.col(row * n + col).data());
    m_manifold_rows = rows;
    std::shared_ptr<Mat> images = RecyclingPool<Mat>::acquire(m_pool);
    images->resize(net.input_size(), rows * n);
    // Up to 30 × 30 images: pieces of a few dozen, so every thread gets some.
    const Pieces pieces{rows * n, std::max(16, (rows * n + 7) / 8)};
    reserve_workspaces(m_workspaces, pass_threads(pool, pieces.count()), net, pieces.size);
    for_each_piece(pool, 0, pieces.count(), [&](int thread, int piece) {
        Workspace& ws = m_workspaces[thread];
        const int start = pieces.start(piece), b = pieces.length(piece);
        decode(net, m_codes_in.middleCols(start, b), ws);
        images->middleCols(start, b) = reconstruction(ws, b);
    });
    data.denormalise(*images);  // the views show pixels
    m_manifold = std::move(images);
    m_manifold_request = r;
    m_manifold_time = Clock::now();
    ++m_manifold_version;
}

std::shared_ptr<const ViewResult> LatentExplorer::update(const ViewInputs& in,
                                                         const ViewRequest& request) {
    auto out = std::make_shared<LatentView>();
    m_codes_schedule.set_max_share(std::max(in.time_share, kCodesShare));
    compute(in.session.network(), in.session.data(), in.session.probe_images(), in.session.pool(),
            dynamic_cast<const LatentRequest&>(request), in.session.step(), in.training, *out);
    return out;
}

void LatentExplorer::compute(const Network& net, const Dataset& data, const Mat& probe_images,
                             WorkerPool* pool, const LatentRequest& request, int64_t step,
                             bool training, LatentView& out) {
    const bool vae = net.kind() == ModelKind::Vae;
    const int d = vae ? net.latent() : net.code_size();
    LatentRequest r = request;
    r.dim_x = std::clamp(r.dim_x, 0, d - 1);
    r.dim_y = std::clamp(r.dim_y, 0, d - 1);
    r.grid = std::clamp(r.grid, 0, 30);
    r.probe = std::clamp(r.probe, 0, int(probe_images.cols()) - 1);
    out.is_vae = vae;
    out.dims = d;
    out.request = r;
    m_ws.reserve(net, std::max(kPriorSamples, 1));

    // Codes for the scatter. While training, a refresh is spread over several calls;
    // paused (or the first time) it completes at once, so a click is answered with a whole
    // scatter.
    const auto now = Clock::now();
    if (!m_codes || m_pass.next_piece > 0 || m_codes_schedule.due(step, training, now))
        refresh_codes(net, data, pool, step, /*whole=*/!training || !m_codes);
    out.codes = m_codes;
    out.codes_version = m_codes_version;
    out.codes_passes = m_codes_passes;
    out.codes_threads = pass_threads(pool, Pieces{int(data.test_x.cols()), kViewPiece}.count());
    out.codes_step = m_codes_step;
    out.codes_seconds = m_codes_schedule.last_cost();
    out.codes_interval = m_codes_schedule.interval();
    out.mean_abs_mu = m_mean_abs_mu;
    out.mean_sigma = m_mean_sigma;

    m_codes_in.resize(d, std::max(1, r.grid * r.grid));
    LatentRequest view_only = r;  // the manifold ignores the point, seed and probe
    view_only.has_point = false;
    view_only.point_x = view_only.point_y = 0;
    view_only.prior_seed = m_manifold_request.prior_seed;
    view_only.probe = m_manifold_request.probe;
    const bool moved = !(view_only == m_manifold_request) || !m_manifold;
    if (r.grid > 0 && (moved || std::chrono::duration<double>(now - m_manifold_time).count() >=
                                    kManifoldInterval))
        decode_manifold(net, data, pool, view_only, out);
    out.manifold = r.grid > 0 ? m_manifold : nullptr;
    out.manifold_rows = m_manifold_rows;
    out.grid_x = m_grid_x;
    out.grid_y = m_grid_y;
    out.manifold_version = m_manifold_version;

    if (r.has_point) {
        m_codes_in.resize(d, 1);
        lift(r, vae, r.point_x, r.point_y, m_codes_in.data());
        decode(net, m_codes_in.leftCols(1), m_ws);
        out.point_image = reconstruction(m_ws, 1).col(0);
        data.denormalise(out.point_image);
    }

    if (vae) {  // generation: no encoder at all, z ~ N(0, I)
        FastRng prior(r.prior_seed);
        m_codes_in.resize(d, kPriorSamples);
        prior.fill_normal(m_codes_in.data(), long(m_codes_in.size()));
        decode(net, m_codes_in, m_ws);
        out.prior_samples = reconstruction(m_ws, kPriorSamples);
        data.denormalise(out.prior_samples);
    } else {
        out.prior_samples.resize(0, 0);
    }

    // Training: the probe's posterior N(μ, σ²) and z = μ + σ ⊙ ε as the trainer draws it.
    encode(net, probe_images.col(r.probe), m_ws);
    auto code = m_ws.act[net.code_layer()].col(0);
    out.probe_mu = code.head(d);
    if (vae) {
        out.probe_sigma = (0.5f * code.segment(d, d).array()).exp().matrix();
        Vec z(d);
        m_rng.fill_normal(z.data(), d);
        if (m_trail_probe != r.probe) m_trail.clear();
        m_trail_probe = r.probe;
        z = out.probe_mu + out.probe_sigma.cwiseProduct(z);
        m_trail.push_back(z);
        while (m_trail.size() > size_t(kPosteriorTrail)) m_trail.pop_front();
        out.probe_z.resize(d, int(m_trail.size()));
        for (size_t i = 0; i < m_trail.size(); ++i) out.probe_z.col(i) = m_trail[i];
    } else {
        out.probe_sigma.resize(0);
        out.probe_z.resize(0, 0);
    }
}

}  // namespace aelab
