#include "core/views/backprop_view.h"

#include <algorithm>
#include <cmath>

#include "core/model/objective.h"
#include "core/run/session.h"

namespace aelab {

namespace {

constexpr double kEpsilon = 1e-4;  // the finite difference's step, on a double-precision J

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// The seeds' J = ½‖x − x̂‖², in double: encoder W (m×n) and b, decoder V (n×m) and c.
double half_squared_error(const Eigen::MatrixXd& w, const Eigen::VectorXd& b,
                          const Eigen::MatrixXd& v, const Eigen::VectorXd& c,
                          const Eigen::VectorXd& x) {
    const Eigen::VectorXd h = (w * x + b).unaryExpr([](double z) { return sigmoid(z); });
    const Eigen::VectorXd out = (v * h + c).unaryExpr([](double z) { return sigmoid(z); });
    return 0.5 * (out - x).squaredNorm();
}

}  // namespace

BackpropFactors backprop_factors(const Network& net, const Config& config, ConstMatRef x_in,
                                 bool decoder, int k, int l) {
    BackpropFactors f;
    f.decoder = decoder;
    if (net.kind() != ModelKind::Autoencoder || net.layers().size() != 2 || config.tied ||
        code_activation(config) != Activation::Sigmoid || config.decoder_act != Activation::Sigmoid ||
        effective_loss(config) != LossKind::Mse) {
        f.refusal = "this lesson needs one hidden layer, sigmoid units and outputs, squared "
                    "error and untied weights (Restart lesson sets them)";
        return f;
    }
    const int n = int(net.layers()[0].in), m = int(net.layers()[0].out);
    // aelab's layer 0 is W^eᵀ (m×n), layer 1 is W^dᵀ (n×m).
    const Eigen::MatrixXd w = net.weight(0).cast<double>(), v = net.weight(1).cast<double>();
    const Eigen::VectorXd b = net.bias(0).cast<double>(), c = net.bias(1).cast<double>();
    const Eigen::VectorXd x = x_in.col(0).cast<double>();
    const Eigen::VectorXd h = (w * x + b).unaryExpr([](double z) { return sigmoid(z); });
    const Eigen::VectorXd out = (v * h + c).unaryExpr([](double z) { return sigmoid(z); });
    const Eigen::VectorXd delta_out = (out - x).cwiseProduct(out.cwiseProduct(Eigen::VectorXd::Ones(n) - out));

    // The seeds' indices: W^d_kl (k unit, l pixel) = V(l, k); W^e_kl (k pixel, l unit) = W(l, k).
    f.k = std::clamp(k, 0, (decoder ? m : n) - 1);
    f.l = std::clamp(l, 0, (decoder ? n : m) - 1);
    Eigen::MatrixXd w_plus = w, w_minus = w, v_plus = v, v_minus = v;
    if (decoder) {
        const int unit = f.k, pixel = f.l;
        f.factors = {{"x̂_l − x_l", out[pixel] - x[pixel]},
                     {"x̂_l (1 − x̂_l)", out[pixel] * (1 - out[pixel])},
                     {"h_k", h[unit]}};
        v_plus(pixel, unit) += kEpsilon;
        v_minus(pixel, unit) -= kEpsilon;
    } else {
        const int pixel = f.k, unit = f.l;
        f.factors = {{"Σ_j (x̂_j − x_j) x̂_j (1 − x̂_j) W^d_lj", v.col(unit).dot(delta_out)},
                     {"h_l (1 − h_l)", h[unit] * (1 - h[unit])},
                     {"x_k", x[pixel]}};
        w_plus(unit, pixel) += kEpsilon;
        w_minus(unit, pixel) -= kEpsilon;
    }
    f.product = 1;
    for (const auto& factor : f.factors) f.product *= factor.second;
    f.finite_difference = (half_squared_error(w_plus, b, v_plus, c, x) -
                           half_squared_error(w_minus, b, v_minus, c, x)) /
                          (2 * kEpsilon);

    // aelab's own backpropagation on this one image, without penalties.
    Config plain = config;
    plain.knobs.l2 = plain.knobs.contractive = 0;
    plain.knobs.sparsity = SparsityKind::None;
    Workspace ws;
    ws.reserve(net, 1);
    Vec grad(net.param_count());
    evaluate_objective(net, x_in.leftCols(1), x_in.leftCols(1), Objective::from(plain), ws, &grad,
                       /*sample=*/false);
    const double aelab = decoder ? net.weight(grad, 1)(f.l, f.k) : net.weight(grad, 0)(f.l, f.k);
    f.aelab_half = aelab / 2;
    return f;
}

std::shared_ptr<const ViewResult> BackpropExplorer::update(const ViewInputs& in,
                                                           const ViewRequest& request) {
    const auto& r = dynamic_cast<const BackpropRequest&>(request);
    const Session& session = in.session;
    if (m_last && m_last->f.step == session.step() && m_request == r) return m_last;
    const auto& test = session.data().test_x;
    const int sample = std::clamp(r.sample, 0, int(test.cols()) - 1);
    auto view = std::make_shared<BackpropView>();
    view->f = backprop_factors(session.network(), session.config(), test.middleCols(sample, 1),
                               r.decoder, r.k, r.l);
    view->f.sample = sample;
    view->f.step = session.step();
    m_request = r;
    m_last = view;
    return m_last;
}

}  // namespace aelab
