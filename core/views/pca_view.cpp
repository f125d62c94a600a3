#include "core/views/pca_view.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "core/run/session.h"
#include "core/views/model_figures.h"

namespace aelab {
namespace {

constexpr int kPlanePoints = 1000;    // points of a 3-D set drawn in the view
constexpr size_t kHistoryCap = 2000;  // curve points kept; older ones are thinned 2:1

double degrees(double radians) {
    return radians * 180.0 / 3.14159265358979323846;
}

std::vector<double> angles_deg(ConstMatRef a, ConstMatRef b) {
    std::vector<double> angles = principal_angles(a, b);
    for (double& angle : angles) angle = degrees(angle);
    return angles;
}

}  // namespace

double PcaComparison::max_angle_deg() const {
    return decoder_angles_deg.empty() ? 0 : decoder_angles_deg.back();
}

double PcaComparison::mean_angle_deg() const {
    if (decoder_angles_deg.empty()) return 0;
    return std::accumulate(decoder_angles_deg.begin(), decoder_angles_deg.end(), 0.0) /
           double(decoder_angles_deg.size());
}

std::string pca_refusal(const Network& net) {
    if (std::string shape = pca_shape_refusal(net); !shape.empty()) return shape;
    if (std::string note = divergence_note(net); !note.empty())
        return "Nothing to compare with PCA: the model " + note + ".";
    return "";
}

std::string pca_shape_refusal(const Network& net) {
    if (net.kind() == ModelKind::Vae)
        return "PCA is compared with an autoencoder (model = ae): a VAE's decoder samples "
               "around its mean, it is not one linear subspace.";
    if (net.encoder_layer_count() != 1)
        return "PCA is compared with an autoencoder of one hidden layer (n → k → n); this one "
               "has " + std::to_string(net.encoder_layer_count()) +
               " encoder layers. Set hidden to one size, e.g. 16.";
    const int k = net.code_size(), n = net.input_size();
    if (k >= n)
        return "The code has k = " + std::to_string(k) + " ≥ n = " + std::to_string(n) +
               " units: it can hold every direction, so there is no subspace to compare. "
               "Choose hidden < " + std::to_string(n) + ".";
    return "";
}

Mat decoder_columns(const Network& net) {
    const DenseLayer& last = net.layers().back();
    const int l = int(net.layers().size()) - 1;
    return last.transposed ? Mat(net.weight(l).transpose()) : Mat(net.weight(l));
}

Mat encoder_rows_transposed(const Network& net) {
    return net.weight(0).transpose();
}

PcaComparison compare_with_pca(const Network& net, const Pca& pca, ConstMatRef x, int count,
                               ThreadWorkspaces& workspaces, WorkerPool* pool) {
    PcaComparison c;
    c.k = net.code_size();
    const Mat eigen = pca.components.leftCols(c.k);
    c.decoder_angles_deg = angles_deg(decoder_columns(net), eigen);
    c.encoder_angles_deg = angles_deg(encoder_rows_transposed(net), eigen);
    c.explained_variance = pca.explained(c.k);
    const int total = count < 0 ? int(x.cols()) : std::min<int>(count, int(x.cols()));
    c.samples = total;
    const Pieces pieces{total, kViewPiece};
    reserve_workspaces(workspaces, pass_threads(pool, pieces.count()), net, pieces.size);
    std::vector<double> ae_piece(pieces.count()), best_piece(pieces.count());
    for_each_piece(pool, 0, pieces.count(), [&](int thread, int piece) {
        Workspace& ws = workspaces[thread];
        const int b = pieces.length(piece);
        const auto batch = x.middleCols(pieces.start(piece), b);
        forward(net, batch, ws, /*sample=*/false);
        ae_piece[piece] = double((reconstruction(ws, b) - batch).squaredNorm());
        Mat pca_out;
        pca.reconstruct(batch, c.k, pca_out);
        best_piece[piece] = double((pca_out - batch).squaredNorm());
    });
    double ae = 0, best = 0;
    for (int piece = 0; piece < pieces.count(); ++piece) {
        ae += ae_piece[piece];
        best += best_piece[piece];
    }
    const double entries = std::max(1.0, double(total) * x.rows());
    c.ae_mse = ae / entries;
    c.pca_mse = best / entries;
    return c;
}

void PcaExplorer::reset() {
    m_schedule.reset();
    m_last.reset();
    m_history.reset();
    // The old model's buffers go with it: the next model may differ in any way (sizes, or
    // only its output activation), and its buffers are sized from it on the next pass.
    m_ws.clear();
}

std::shared_ptr<const ViewResult> PcaExplorer::update(const ViewInputs& in, const ViewRequest&) {
    const Session& session = in.session;
    const Network& net = session.network();
    m_schedule.set_max_share(in.time_share);
    if (std::string refusal = pca_refusal(net); !refusal.empty()) {
        if (!m_last || m_last->refusal != refusal) {
            auto view = std::make_shared<PcaView>();
            view->refusal = std::move(refusal);
            m_last = view;
        }
        return m_last;
    }
    if (m_last && !m_last->refusal.empty()) m_last.reset();
    const std::shared_ptr<const Dataset> data = session.shared_data();
    const bool same_data = m_pca && m_pca_data.lock() == data;
    if (m_last && same_data && !m_schedule.due(session.step(), in.training)) return m_last;

    const auto start = std::chrono::steady_clock::now();
    double pca_seconds = 0;  // a one-off, not a per-pass cost the schedule should spread
    if (!same_data) {  // once per prepared dataset (+ normalisation)
        m_pca = std::make_shared<const Pca>(compute_pca(data->train_x, session.pool()));
        m_pca_data = data;
        pca_seconds = m_pca->seconds;
    }
    auto view = std::make_shared<PcaView>();
    view->step = session.step();
    view->width = data->width;
    view->height = data->height;
    view->pca = m_pca;
    view->comparison =
        compare_with_pca(net, *m_pca, data->train_x, kCompareSamples, m_ws, session.pool());
    const int k = view->comparison.k;
    view->eigen_images = m_pca->components.leftCols(k);
    view->decoder_columns = decoder_columns(net);
    view->aligned_basis = aligned_basis(view->decoder_columns, view->eigen_images);

    // One line of tiles per method: the first probes, one of each class.
    const int p = std::min<int>(Session::kProbesInRows, int(session.probe_images().cols()));
    const Mat probes = session.probe_images().leftCols(p);
    view->probe_input = probes;
    m_pca->reconstruct(probes, k, view->probe_pca);
    Workspace& ws = m_ws.front();  // sized by the comparison pass
    ws.reserve(net, std::max(p, kPlanePoints));
    forward(net, probes, ws, /*sample=*/false);
    view->probe_ae = reconstruction(ws, p);
    for (Mat* images : {&view->probe_input, &view->probe_pca, &view->probe_ae})
        data->denormalise(*images);

    if (data->input_size() == 3) {
        const int count = std::min<int>(kPlanePoints, int(data->train_x.cols()));
        view->points = data->train_x.leftCols(count);
        // The decoded plane passes through the image of the mean code.
        encode(net, data->train_x.leftCols(count), ws);
        const Mat mean_code = ws.act[0].leftCols(count).rowwise().mean();
        decode(net, mean_code, ws);
        view->ae_plane_centre = reconstruction(ws, 1).col(0);
    }

    // The curves: a new vector each pass (the published one is never written again).
    auto history = std::make_shared<std::vector<PcaPoint>>();
    if (m_history) *history = *m_history;
    if (history->size() >= kHistoryCap) {
        size_t kept = 0;
        for (size_t i = 0; i < history->size(); i += 2) (*history)[kept++] = (*history)[i];
        history->resize(kept);
    }
    const PcaComparison& c = view->comparison;
    history->push_back({session.step(), float(c.max_angle_deg()), float(c.mean_angle_deg()),
                        float(c.encoder_angles_deg.empty() ? 0 : c.encoder_angles_deg.back()),
                        float(c.ae_mse), float(c.pca_mse)});
    m_history = history;
    view->history = history;

    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m_schedule.done(std::max(0.0, seconds - pca_seconds), session.step());
    view->pass_seconds = m_schedule.last_cost();
    view->interval = m_schedule.interval();
    m_last = view;
    return m_last;
}

}  // namespace aelab
