#include "core/views/anomaly_view.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "core/base/gemm.h"
#include "core/run/session.h"
#include "core/views/pca.h"

namespace aelab {
namespace {

const double kNan = std::numeric_limits<double>::quiet_NaN();

// Per-sample errors of the columns of x into out, in pieces on the pool's threads (each
// sample's error is its own: the same on any number of threads).
void errors_of(const Network& net, ConstMatRef x, LossKind loss, ErrorMeasure measure,
               ThreadWorkspaces& workspaces, WorkerPool* pool, std::vector<float>& out) {
    const int n = int(x.rows());
    const Pieces pieces{int(x.cols()), kViewPiece};
    out.resize(pieces.total);
    reserve_workspaces(workspaces, pass_threads(pool, pieces.count()), net, pieces.size);
    for_each_piece(pool, 0, pieces.count(), [&](int thread, int piece) {
        Workspace& ws = workspaces[thread];
        const int start = pieces.start(piece), b = pieces.length(piece);
        const auto batch = x.middleCols(start, b);
        forward(net, batch, ws, /*sample=*/false);  // a VAE decodes z = μ
        float* errors = out.data() + start;
        if (measure == ErrorMeasure::SquaredError) {
            const auto x_hat = reconstruction(ws, b);
            for (int i = 0; i < b; ++i) errors[i] = (x_hat.col(i) - batch.col(i)).squaredNorm() / n;
            return;
        }
        reconstruction_loss_per_sample(net, loss, batch, ws, b, errors);
        const int d = net.latent();
        const auto heads = ws.act[net.code_layer()].leftCols(b);
        for (int i = 0; i < b; ++i) {
            const auto mu = heads.col(i).head(d).array();
            const auto log_var = heads.col(i).tail(d).array();
            errors[i] += -0.5f * (1.0f + log_var - mu.square() - log_var.exp()).sum();
        }
    });
}

AnomalyView::Gallery gallery(const Network& net, const Dataset& data, const std::vector<int>& indices,
                             const std::vector<float>& errors, Workspace& ws) {
    AnomalyView::Gallery g;
    g.indices = indices;
    const int count = int(indices.size());
    g.images.resize(data.input_size(), count);
    for (int i = 0; i < count; ++i) {
        g.images.col(i) = data.test_x.col(indices[i]);
        g.errors.push_back(errors[indices[i]]);
    }
    if (count > 0) {
        forward(net, g.images, ws, /*sample=*/false);
        g.reconstructions = reconstruction(ws, count);
    }
    data.denormalise(g.images);
    data.denormalise(g.reconstructions);
    return g;
}

}  // namespace

AnomalyErrors anomaly_errors(const Network& net, const Dataset& data, LossKind loss,
                             ErrorMeasure measure, ThreadWorkspaces& workspaces, WorkerPool* pool) {
    AnomalyErrors e;
    e.measure = net.kind() == ModelKind::Vae ? measure : ErrorMeasure::SquaredError;
    const int train = std::min<int>(kAnomalyTrainSamples, int(data.train_x.cols()));
    errors_of(net, data.train_x.leftCols(train), loss, e.measure, workspaces, pool, e.train);
    errors_of(net, data.test_x, loss, e.measure, workspaces, pool, e.test);
    e.train_stats = mean_and_sigma(e.train);
    // A diverged model's NaN errors are left out of the sorted lists: std::sort on NaN breaks
    // its ordering (undefined behaviour, reads out of bounds); the rates then cover the rest.
    for (size_t i = 0; i < e.test.size(); ++i)
        if (!std::isnan(e.test[i]))
            (data.test_y[i] == data.holdout_class ? e.holdout_sorted : e.normal_sorted)
                .push_back(e.test[i]);
    std::sort(e.normal_sorted.begin(), e.normal_sorted.end());
    std::sort(e.holdout_sorted.begin(), e.holdout_sorted.end());
    e.auc = e.holdout_sorted.empty() ? kNan : auc(e.normal_sorted, e.holdout_sorted);
    return e;
}

AnomalyRates rates_at(const AnomalyErrors& e, double k) {
    AnomalyRates r;
    r.threshold = e.train_stats.mean + k * e.train_stats.sigma;
    r.false_alarm_rate = fraction_above_sorted(e.normal_sorted, r.threshold);
    r.detection_rate =
        e.holdout_sorted.empty() ? kNan : fraction_above_sorted(e.holdout_sorted, r.threshold);
    return r;
}

void AnomalyExplorer::reset() {
    m_schedule.reset();
    m_last.reset();
    m_ws.clear();  // sized for the old model; the next pass sizes them for the new one
}

bool AnomalyExplorer::busy() const {
    return m_last_request.class_table && !m_table_data.expired() &&
           std::any_of(m_class_auc.begin(), m_class_auc.end(),
                       [](double a) { return std::isnan(a); });
}

// One unit of the per-class table per call: a class's scatter Σ (x − m)(x − m)ᵀ about the
// training mean m, then, once all are in, one class's AUC: PCA-k of the training set without
// that class (from the other classes' scatters: no second pass over the data), errors of every
// test image, AUC of that class against the rest.
void AnomalyExplorer::advance_class_table(const Dataset& data, int k) {
    const int classes = data.class_count(), n = data.input_size();
    if (int(m_class_scatter.size()) < classes) {
        const int c = int(m_class_scatter.size());
        const Vec reference = data.train_x.rowwise().mean();
        int count = 0;
        for (uint8_t y : data.train_y) count += y == c;
        Mat centred(n, std::max(1, count));
        for (int i = 0, j = 0; i < int(data.train_y.size()); ++i)
            if (data.train_y[i] == c) centred.col(j++) = data.train_x.col(i) - reference;
        Mat scatter = Mat::Zero(n, n);
        if (count > 0) gemm(1.0f, centred, Op::N, centred, Op::T, 0.0f, scatter);
        m_class_scatter.push_back(scatter.cast<double>());
        m_class_sum.push_back(count > 0 ? Eigen::VectorXd(centred.cast<double>().rowwise().sum())
                                        : Eigen::VectorXd::Zero(n));
        m_class_count.push_back(count);
        return;
    }
    const auto pending = std::find_if(m_class_auc.begin(), m_class_auc.end(),
                                      [](double a) { return std::isnan(a); });
    if (pending == m_class_auc.end()) return;
    const int c = int(pending - m_class_auc.begin());
    Eigen::MatrixXd scatter = Eigen::MatrixXd::Zero(n, n);
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(n);
    int count = 0;
    for (int other = 0; other < classes; ++other) {
        if (other == c) continue;
        scatter += m_class_scatter[other];
        sum += m_class_sum[other];
        count += m_class_count[other];
    }
    if (count == 0) {
        m_class_auc[c] = 0.5;
        return;
    }
    const Eigen::VectorXd offset = sum / count;  // the others' mean, relative to the reference
    const Eigen::MatrixXd covariance = scatter / count - offset * offset.transpose();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
    const Mat basis = solver.eigenvectors().rightCols(k).cast<float>();  // the top k
    const Vec mean = data.train_x.rowwise().mean() + offset.cast<float>();
    std::vector<float> inside, outside;
    constexpr int kChunk = 1000;
    for (int start = 0; start < int(data.test_x.cols()); start += kChunk) {
        const int b = std::min(kChunk, int(data.test_x.cols()) - start);
        const Mat centred = data.test_x.middleCols(start, b).colwise() - mean;
        const Mat residual = centred - basis * (basis.transpose() * centred);
        for (int i = 0; i < b; ++i)
            (data.test_y[start + i] == c ? outside : inside)
                .push_back(residual.col(i).squaredNorm() / n);
    }
    *pending = outside.empty() ? 0.5 : auc(inside, outside);
}

std::shared_ptr<const ViewResult> AnomalyExplorer::update(const ViewInputs& in,
                                                          const ViewRequest& request) {
    const auto& r = dynamic_cast<const AnomalyRequest&>(request);
    const Session& session = in.session;
    const Network& net = session.network();
    const std::shared_ptr<const Dataset> data = session.shared_data();
    // The errors and the class table split this view's part of the budget.
    m_schedule.set_max_share(in.time_share / (r.class_table ? 2 : 1));
    m_table_schedule.set_max_share(in.time_share / 2);

    const bool changed = !(r == m_last_request);
    m_last_request = r;  // busy() reads it
    bool table_moved = false;
    if (r.class_table) {
        const int k = std::min(net.kind() == ModelKind::Vae ? net.latent() : net.code_size(),
                               data->input_size());
        if (m_table_data.lock() != data || m_table_k != k) {
            m_table_data = data;
            m_table_k = k;
            m_class_scatter.clear();
            m_class_sum.clear();
            m_class_count.clear();
            m_class_auc.assign(data->class_count(), kNan);
        }
        if (busy() && (!in.training || m_table_schedule.due(session.step(), true))) {
            const auto start = std::chrono::steady_clock::now();
            advance_class_table(*data, k);
            m_table_schedule.done(
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                session.step());
            table_moved = true;
        }
    }
    if (m_last && !changed && !table_moved && !m_schedule.due(session.step(), in.training))
        return m_last;

    const auto start = std::chrono::steady_clock::now();
    auto view = std::make_shared<AnomalyView>();
    const bool refresh = !m_last || changed || m_schedule.due(session.step(), in.training);
    if (refresh) {
        view->step = session.step();
        view->pass = ++m_passes;
        view->errors =
            anomaly_errors(net, *data, session.config().loss, r.measure, m_ws, session.pool());
        if (r.measure == ErrorMeasure::NegativeElbo && view->errors.measure != r.measure)
            view->note = "The negative ELBO needs a VAE (model = vae): squared error is shown.";
        view->test_labels = data->test_y;
        view->holdout_class = data->holdout_class;
        view->roc = roc_curve(view->errors.normal_sorted, view->errors.holdout_sorted);
        const int holdout = data->holdout_class;
        std::vector<bool> normal(data->test_y.size()), held(data->test_y.size());
        for (size_t i = 0; i < normal.size(); ++i) {
            held[i] = data->test_y[i] == holdout;
            normal[i] = !held[i];
        }
        view->top_normal = gallery(net, *data, largest_indices(view->errors.test, normal, kGallerySize),
                                   view->errors.test, m_ws.front());
        view->lowest_holdout =
            gallery(net, *data, smallest_indices(view->errors.test, held, kGallerySize),
                    view->errors.test, m_ws.front());
    } else {
        *view = *m_last;  // only the class table moved
    }
    if (r.class_table && m_table_data.lock() == data) {
        view->class_auc = m_class_auc;
        view->class_table_k = m_table_k;
    } else {
        view->class_auc.clear();
    }
    if (refresh) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        m_schedule.done(seconds, session.step());
    }
    view->pass_seconds = m_schedule.last_cost();
    view->interval = m_schedule.interval();
    m_last = view;
    return m_last;
}

}  // namespace aelab
