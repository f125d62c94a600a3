#include "core/views/model_figures.h"

#include <chrono>
#include <cmath>

#include <Eigen/Eigenvalues>

#include "core/model/objective.h"
#include "core/run/session.h"

namespace aelab {

namespace {

constexpr int kTiedGradientSamples = 256;
constexpr double kRankThreshold = 1e-5;  // of the largest singular value

// A tied one-hidden-layer autoencoder with linear units and squared error: aelab's ∂J/∂W on
// test images against the closed form (2/B)(W R Xᵀ + H Rᵀ), R = X̂ − X, H = WX + b — the
// encoder's path and the decoder's (Wᵀ) path; null for any other model.
nlohmann::json tied_gradient(const Session& session) {
    const Network& net = session.network();
    const Config& c = session.config();
    if (!c.tied || c.hidden.size() != 1 || net.kind() != ModelKind::Autoencoder ||
        hidden_activation(c, 0) != Activation::Linear || c.decoder_act != Activation::Linear ||
        effective_loss(c) != LossKind::Mse)
        return nullptr;
    const int count = std::min<int>(kTiedGradientSamples, int(session.data().test_x.cols()));
    const auto x = session.data().test_x.leftCols(count);
    Config plain = c;  // the reconstruction term alone: no penalties
    plain.knobs.l2 = plain.knobs.contractive = 0;
    plain.knobs.sparsity = SparsityKind::None;
    Workspace ws;
    ws.reserve(net, count);
    Vec grad(net.param_count());
    evaluate_objective(net, x, x, Objective::from(plain), ws, &grad, /*sample=*/false);
    const auto w = net.weight(0);
    const Mat h = ws.act[0].leftCols(count);
    const Mat r = reconstruction(ws, count) - x;
    const Mat encoder_path = (2.0f / count) * (w * r * x.transpose());
    const Mat decoder_path = (2.0f / count) * (h * r.transpose());
    const Mat closed = encoder_path + decoder_path;
    const Mat ours = net.weight(grad, 0);
    return {{"relative_error",
             double((ours - closed).cwiseAbs().maxCoeff() / closed.cwiseAbs().maxCoeff())},
            {"encoder_path_norm", double(encoder_path.norm())},
            {"decoder_path_norm", double(decoder_path.norm())},
            {"sum_norm", double(closed.norm())}};
}

void flatten(const nlohmann::json& j, const std::string& prefix, std::map<std::string, double>& out) {
    if (j.is_object()) {
        for (const auto& [key, value] : j.items())
            flatten(value, prefix.empty() ? key : prefix + "." + key, out);
    } else if (j.is_number()) {
        out[prefix] = j.get<double>();
    }
}

}  // namespace

std::string divergence_note(const Network& net) {
    if (net.params().allFinite()) return "";
    return "diverged: the weights hold NaN or Inf (lower the learning rate and reset)";
}

// Singular values are the square roots of the eigenvalues of the smaller Gram matrix. Not
// Eigen 3.4.0's BDCSVD: its deflation indexes out of bounds (SIGSEGV; an assertion in a debug
// build) on matrices with many equal singular values — a constant init's rank-1 W of
// 785…1000 × 784 — and miscounts smaller ones (rank 157 for a constant 500×784). In double,
// an eigenvalue is off by about 1e-16 λ_max, so σ is exact to ~1e-8 σ_max: far below the
// 1e-5 threshold. The eigen-solver has no such deflation; min(rows, cols)³ work, like the SVD.
Eigen::Index numerical_rank(const Eigen::MatrixXd& a, double relative) {
    if (a.size() == 0) return 0;
    const Eigen::MatrixXd gram =
        a.rows() <= a.cols() ? Eigen::MatrixXd(a * a.transpose()) : Eigen::MatrixXd(a.transpose() * a);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(gram, Eigen::EigenvaluesOnly);
    const Eigen::VectorXd lambda = solver.eigenvalues().cwiseMax(0.0);
    const double largest = lambda.maxCoeff();
    if (largest <= 0) return 0;
    const double threshold = relative * relative * largest;  // σ > r σ_max ⇔ λ > r² λ_max
    return (lambda.array() > threshold).count();
}

// The encoder's leading linear layers and the one after them, multiplied out (in double).
nlohmann::json encoder_product(const Network& net) {
    if (net.kind() != ModelKind::Autoencoder) return nullptr;
    int linear = 0;
    while (linear < net.encoder_layer_count() - 1 &&
           net.layers()[size_t(linear)].act == Activation::Linear)
        ++linear;
    Eigen::MatrixXd product = net.weight(0).cast<double>();
    for (int l = 1; l <= linear; ++l) product = net.weight(l).cast<double>() * product;
    nlohmann::json out = {{"linear_layers", linear}, {"rows", product.rows()}, {"cols", product.cols()}};
    // Finite weights can still multiply out to Inf: the product itself is what is checked.
    if (!product.allFinite()) {
        out["rank"] = nullptr;
        out["diverged"] = "the weights hold NaN or Inf: no rank";
    } else {
        out["rank"] = numerical_rank(product, kRankThreshold);
    }
    return out;
}

double symmetry_spread(const Network& network) {
    const auto w = network.weight(0);  // m×n: row j is unit j's incoming weights
    if (w.rows() < 2) return 0.0;
    return double((w.colwise().maxCoeff() - w.colwise().minCoeff()).maxCoeff());
}

nlohmann::json model_figures(const Session& session) {
    const Network& net = session.network();
    nlohmann::json out;
    out["parameters"] = net.param_count();
    double weights2 = 0;  // tied layers counted once: only a layer's own weights
    for (int l = 0; l < int(net.layers().size()); ++l)
        if (net.layers()[size_t(l)].owns_weight) weights2 += double(net.weight(l).squaredNorm());
    out["weights_fro"] = std::sqrt(weights2);
    out["symmetry_spread"] = symmetry_spread(net);
    if (std::string note = divergence_note(net); !note.empty()) out["diverged"] = note;
    if (auto p = encoder_product(net); !p.is_null()) out["encoder_product"] = p;
    if (auto t = tied_gradient(session); !t.is_null()) out["tied_gradient"] = t;
    return out;
}

const std::vector<ModelFigureName>& model_figure_names() {
    static const std::vector<ModelFigureName> names = {
        {"parameters", "the model's parameter count"},
        {"weights_fro", "‖W‖_F over every layer's own weights"},
        {"symmetry_spread", "the largest difference between two units' incoming weights"},
        {"encoder_product.linear_layers", "the encoder's leading linear layers"},
        {"encoder_product.rows", "rows of their product with the next layer"},
        {"encoder_product.cols", "its columns (the input size n)"},
        {"encoder_product.rank", "its numerical rank"},
        {"tied_gradient.relative_error", "aelab's tied ∂J/∂W against the closed form"},
        {"tied_gradient.encoder_path_norm", "‖the encoder's path‖_F"},
        {"tied_gradient.decoder_path_norm", "‖the decoder's path‖_F"},
        {"tied_gradient.sum_norm", "‖their sum‖_F"},
    };
    return names;
}

std::shared_ptr<const ViewResult> ModelFiguresExplorer::update(const ViewInputs& in,
                                                               const ViewRequest& request) {
    const Session& session = in.session;
    m_schedule.set_max_share(in.time_share);
    if (!m_schedule.due(session.step(), in.training)) return m_last;
    const auto start = std::chrono::steady_clock::now();
    auto view = std::make_shared<ModelFiguresView>();
    flatten(model_figures(session), "", view->values);
    view->step = session.step();
    m_schedule.done(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                    session.step());
    m_last = view;
    return m_last;
}

}  // namespace aelab
