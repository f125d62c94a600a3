// Every layer, loss and penalty's gradient against central finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <optional>
#include <random>

#include "core/base/worker_pool.h"
#include "core/model/objective.h"
#include "core/model/parallel_objective.h"

using namespace aelab;

namespace {

struct Case {
    std::vector<HiddenLayer> hidden = {5};
    Activation g = Activation::Sigmoid, f = Activation::Sigmoid;
    LossKind loss = LossKind::Mse;
    bool tied = false;
    ModelKind model = ModelKind::Autoencoder;
    Knobs knobs;
    InitKind init = InitKind::Xavier;
    // Biases to start from instead of random ones: keeps a tanh code's p̂ or a linear
    // output well inside (0, 1), where KL(p‖p̂) and log x̂ are smooth enough for h = 1e-2.
    std::optional<float> code_bias, output_bias;
};

// The pattern of active ReLU units; a finite difference that flips it straddles a kink.
std::vector<bool> relu_pattern(const Network& net, const Workspace& ws, int batch) {
    std::vector<bool> pattern;
    for (size_t l = 0; l < net.layers().size(); ++l) {
        if (net.layers()[l].act != Activation::Relu) continue;
        auto a = ws.act[l].leftCols(batch);
        for (Eigen::Index i = 0; i < a.size(); ++i) pattern.push_back(a.data()[i] > 0);
    }
    return pattern;
}

struct Report {
    double rel_norm_error = 0;  // ‖num − ana‖ / max(‖num‖, ‖ana‖)
    double worst = 0;           // worst |num − ana| / (1e-3 + |num| + |ana|)
    int checked = 0, skipped = 0;
};

// Changes the analytic gradient before it is compared: how a test proves the checker fails.
using Tamper = std::function<void(const Network&, Vec& grad)>;

// slices > 1: the analytic gradient is the batch cut into that many slices on a pool of as
// many threads (ParallelObjective), its parts summed; the differences stay the whole batch's.
Report check(const Case& c, const Tamper& tamper = {}, int n = 6, int batch = 5,
             uint32_t seed = 7, int slices = 1) {
    Config config;
    config.model = c.model;
    config.hidden = c.hidden;
    config.encoder_act = c.g;
    config.decoder_act = c.f;
    config.loss = c.loss;
    config.tied = c.tied;
    config.init = c.init;
    config.latent = 2;
    config.knobs = c.knobs;
    std::mt19937 rng(seed);
    Network net(config, n, rng);
    // Non-zero biases so every path of the gradient is exercised.
    std::normal_distribution<float> normal(0.0f, 0.3f);
    for (int l = 0; l < int(net.layers().size()); ++l)
        for (Eigen::Index i = 0; i < net.bias(net.params(), l).size(); ++i)
            net.bias(net.params(), l)[i] = normal(rng);
    if (c.code_bias) net.bias(net.params(), net.code_layer()).setConstant(*c.code_bias);
    if (c.output_bias)
        net.bias(net.params(), int(net.layers().size()) - 1).setConstant(*c.output_bias);
    std::uniform_real_distribution<float> unit(0.05f, 0.95f);
    Mat target(n, batch), input(n, batch);
    for (Eigen::Index i = 0; i < target.size(); ++i) target.data()[i] = unit(rng);
    for (Eigen::Index i = 0; i < input.size(); ++i)  // a "corrupted" input unlike the target
        input.data()[i] = std::clamp(target.data()[i] + normal(rng), 0.0f, 1.0f);
    const Objective obj = Objective::from(config);
    Workspace ws;
    ws.reserve(net, batch);
    for (Eigen::Index i = 0; i < ws.eps.size(); ++i) ws.eps.data()[i] = normal(rng) / 0.3f;

    Vec grad(net.param_count());
    if (slices > 1) {
        WorkerPool pool(slices);
        ParallelObjective parts;
        parts.eps(net, batch) = ws.eps.leftCols(batch);
        parts.evaluate_in_slices(&pool, slices, net, input, target, obj, grad);
        EXPECT_EQ(parts.slices(), slices);
    } else {
        evaluate_objective(net, input, target, obj, ws, &grad);
    }
    if (tamper) tamper(net, grad);

    Report report;
    double diff2 = 0, num2 = 0, ana2 = 0;
    for (Eigen::Index p = 0; p < net.param_count(); ++p) {
        const float saved = net.params()[p];
        // Central differences with h = 1e-2; where ±h straddles a ReLU kink (the pattern of
        // active units changes) a smaller step is tried, and the element is skipped only
        // when every step straddles one.
        double plus = 0, minus = 0;
        float h = 0;
        for (float step : {1e-2f, 1e-3f, 2e-4f}) {
            net.params()[p] = saved + step;
            plus = evaluate_objective(net, input, target, obj, ws, nullptr).total();
            const auto pattern_plus = relu_pattern(net, ws, batch);
            net.params()[p] = saved - step;
            minus = evaluate_objective(net, input, target, obj, ws, nullptr).total();
            const auto pattern_minus = relu_pattern(net, ws, batch);
            net.params()[p] = saved;
            if (pattern_plus == pattern_minus) {
                h = step;
                break;
            }
        }
        if (h == 0) {
            ++report.skipped;
            continue;
        }
        const double num = (plus - minus) / (2.0 * h);
        const double ana = grad[p];
        diff2 += (num - ana) * (num - ana);
        num2 += num * num;
        ana2 += ana * ana;
        // 1e-3 absorbs float rounding of the loss divided by 2h in tiny elements.
        report.worst =
            std::max(report.worst, std::abs(num - ana) / (1e-3 + std::abs(num) + std::abs(ana)));
        ++report.checked;
    }
    report.rel_norm_error = std::sqrt(diff2) / std::max(1e-12, std::sqrt(std::max(num2, ana2)));
    return report;
}

void expect_matches(const Case& c, const char* what, int slices = 1) {
    const Report r = check(c, {}, 6, 5, 7, slices);
    SCOPED_TRACE(what);
    EXPECT_GT(r.checked, 0);
    EXPECT_LE(r.skipped, r.checked / 10) << "too many ReLU kinks crossed";
    EXPECT_LT(r.rel_norm_error, 5e-3) << "gradient differs from finite differences";
    EXPECT_LT(r.worst, 0.05) << "one gradient element differs from its finite difference";
}

const Activation kAll[] = {Activation::Sigmoid, Activation::Tanh, Activation::Relu,
                           Activation::Linear};

}  // namespace

TEST(Gradients, EveryEncoderAndDecoderActivationWithMse) {
    for (Activation g : kAll)
        for (Activation f : kAll) {
            Case c;
            c.g = g;
            c.f = f;
            expect_matches(c, (std::string(to_string(g)) + "/" + to_string(f)).c_str());
        }
}

TEST(Gradients, CrossEntropyWithLogisticOutputUsesCollapsedDelta) {
    for (Activation g : kAll) {
        Case c;
        c.g = g;
        c.loss = LossKind::Bce;
        expect_matches(c, to_string(g));
    }
}

TEST(Gradients, CrossEntropyWithNonLogisticOutput) {
    // Linear/tanh outputs inside (0, 1) take the general ∂L/∂x̂ ⊙ f′ path.
    Case c;
    c.f = Activation::Linear;
    c.loss = LossKind::Bce;
    c.output_bias = 0.5f;  // keeps x̂ inside (0, 1), away from the clamp
    const Report r = check(c);
    EXPECT_LT(r.rel_norm_error, 5e-3);
}

TEST(Gradients, TiedWeightsSumBothPaths) {
    for (Activation g : kAll) {
        Case c;
        c.g = g;
        c.tied = true;
        expect_matches(c, to_string(g));
        c.hidden = {5, 3};
        expect_matches(c, (std::string("stack ") + to_string(g)).c_str());
    }
}

TEST(Gradients, TwoHiddenLayerStack) {
    for (Activation g : kAll) {
        Case c;
        c.hidden = {5, 3};
        c.g = g;
        expect_matches(c, to_string(g));
    }
}

// `hidden` with an activation per layer (lesson 09's "32:linear*10,32:sigmoid"): each layer
// and its mirror in the decoder use their own, and the gradient still matches.
TEST(Gradients, PerLayerActivations) {
    for (Activation g : kAll) {
        Case c;
        c.hidden = {{6, Activation::Linear}, {5, Activation::Tanh}, 4};
        c.g = g;
        expect_matches(c, (std::string("linear, tanh, ") + to_string(g)).c_str());
        c.tied = true;
        expect_matches(c, (std::string("tied: linear, tanh, ") + to_string(g)).c_str());
    }
}

TEST(Gradients, L2WeightDecay) {
    Case c;
    c.knobs.l2 = 0.05f;
    expect_matches(c, "untied");
    c.tied = true;
    expect_matches(c, "tied");
}

TEST(Gradients, SparsityKlAndSquared) {
    // …and the quiz's two wrong answers (hinge, p̂²): wrong as penalties, exact as gradients.
    for (SparsityKind s : {SparsityKind::Kl, SparsityKind::Squared, SparsityKind::Hinge,
                           SparsityKind::PHatSquared})
        for (bool tied : {false, true})
            for (Activation g : {Activation::Sigmoid, Activation::Tanh}) {
                Case c;
                c.g = g;
                c.tied = tied;
                c.knobs.sparsity = s;
                c.knobs.sparsity_p = 0.1f;
                c.knobs.sparsity_beta = 0.5f;
                if (g == Activation::Tanh) c.code_bias = 0.6f;  // p̂ ∈ (0, 1) for tanh
                expect_matches(
                    c, (std::string(to_string(s)) + " " + to_string(g) + (tied ? " tied" : ""))
                           .c_str());
            }
}

TEST(Gradients, Contractive) {
    for (Activation g : kAll)
        for (bool tied : {false, true}) {
            Case c;
            c.g = g;
            c.tied = tied;
            c.knobs.contractive = 0.3f;
            expect_matches(c, (std::string(to_string(g)) + (tied ? " tied" : "")).c_str());
        }
}

TEST(Gradients, AllPenaltiesTogether) {
    for (Activation g : {Activation::Sigmoid, Activation::Tanh})
        for (bool tied : {false, true}) {
            Case c;
            c.g = g;
            c.tied = tied;
            c.hidden = {5, 4};
            c.knobs.l2 = 0.02f;
            c.knobs.sparsity = SparsityKind::Kl;
            if (g == Activation::Tanh) c.code_bias = 0.6f;
            c.knobs.sparsity_beta = 0.5f;
            c.knobs.contractive = 0.2f;
            expect_matches(c, (std::string(to_string(g)) + (tied ? " tied" : "")).c_str());
        }
}

TEST(Gradients, VaeWithFixedNoise) {
    for (LossKind loss : {LossKind::Bce, LossKind::Mse})
        for (Activation g : {Activation::Relu, Activation::Tanh, Activation::Sigmoid}) {
            Case c;
            c.model = ModelKind::Vae;
            c.g = g;
            c.loss = loss;
            c.knobs.vae_beta = 0.7f;
            c.knobs.l2 = 0.01f;
            expect_matches(c, (std::string(to_string(loss)) + " " + to_string(g)).c_str());
            c.hidden = {5, 4};
            c.knobs.contractive = 0.1f;
            expect_matches(c, (std::string("stack ") + to_string(g)).c_str());
        }
}

TEST(Gradients, CrossEntropyOfASaturatedSigmoidOutput) {
    // z ≈ 20: x̂ = σ(z) rounds to 1.0f. Computed from the logits, the loss and its gradient
    // x̂ − x stay exact there (a clamp on x̂ would flatten the loss but not the gradient).
    for (Activation g : {Activation::Sigmoid, Activation::Relu}) {
        Case c;
        c.g = g;
        c.loss = LossKind::Bce;
        c.output_bias = 20.0f;
        expect_matches(c, to_string(g));
        c.output_bias = -20.0f;
        expect_matches(c, (std::string(to_string(g)) + ", saturated at 0").c_str());
    }
}

TEST(Gradients, SquaredSparsityHasNoDomainLimit) {
    // A tanh code with p̂ < 0: β Σ (p̂_j − p)² is smooth there (only KL needs p̂ ∈ (0, 1)).
    for (bool tied : {false, true}) {
        Case c;
        c.g = Activation::Tanh;
        c.tied = tied;
        c.code_bias = -0.8f;
        c.knobs.sparsity = SparsityKind::Squared;
        c.knobs.sparsity_p = 0.05f;
        c.knobs.sparsity_beta = 2.0f;
        expect_matches(c, tied ? "tied" : "untied");
    }
    Objective obj;
    obj.sparsity = SparsityKind::Squared;
    obj.sparsity_p = 0.05f;
    obj.sparsity_beta = 2.0f;
    Vec p_hat(2);
    p_hat << -0.5f, 0.25f;
    // The formula as written, with no clamp: 2 × ((−0.55)² + 0.2²) = 0.685.
    EXPECT_NEAR(sparsity_penalty(obj, p_hat), 2.0 * (0.55 * 0.55 + 0.2 * 0.2), 1e-6);
}

TEST(Gradients, CheckerCatchesAWrongGradient) {
    // The same checker as every test above, fed deliberately wrong gradients, must fail.
    Case c;
    c.knobs.l2 = 0.05f;
    const Report right = check(c);
    EXPECT_LT(right.rel_norm_error, 5e-3);
    EXPECT_LT(right.worst, 0.05);

    // One element 10 % off.
    const Report one = check(c, [](const Network&, Vec& grad) { grad[3] *= 1.1f; });
    EXPECT_GT(one.worst, 0.04) << "a single wrong element is caught";

    // The L2 term forgotten: 2λW missing from every weight.
    const Report no_l2 = check(c, [](const Network& net, Vec& grad) {
        for (const auto& [offset, size] : net.weight_blocks())
            VecMap(grad.data() + offset, size) -=
                0.1f * ConstVecMap(net.params().data() + offset, size);
    });
    EXPECT_GT(no_l2.rel_norm_error, 5e-3) << "a missing term is caught";

    // Every element scaled by 2 (the ½ of the seeds' J = ½‖x − x̂‖² confused with aelab's).
    const Report doubled = check(c, [](const Network&, Vec& grad) { grad *= 2.0f; });
    EXPECT_GT(doubled.rel_norm_error, 0.3);
}

// The batch cut into two and three slices on as many threads (ParallelObjective): the summed
// parts are still the gradient, the batch-wide terms included — p̂ of the whole batch for
// sparsity, the 1/B of every mean, L2 and the contractive penalty's weight term once.
TEST(Gradients, InSlicesOnThreads) {
    for (int slices : {2, 3}) {
        const std::string k = " in " + std::to_string(slices) + " slices";
        for (bool tied : {false, true}) {
            Case c;
            c.tied = tied;
            c.hidden = {5, 4};
            c.knobs.l2 = 0.02f;
            c.knobs.sparsity = SparsityKind::Kl;
            c.knobs.sparsity_beta = 0.5f;
            c.knobs.contractive = 0.2f;
            expect_matches(c, ((tied ? "tied, every penalty" : "every penalty") + k).c_str(), slices);
        }
        for (LossKind loss : {LossKind::Bce, LossKind::Mse}) {
            Case c;
            c.model = ModelKind::Vae;
            c.g = Activation::Relu;
            c.loss = loss;
            c.knobs.vae_beta = 0.7f;
            expect_matches(c, (std::string("vae ") + to_string(loss) + k).c_str(), slices);
        }
    }
}

namespace {

// ‖J_x(h)‖²_F by central differences of the code (μ for a VAE) with respect to each input.
std::vector<double> code_jacobian_by_differences(const Network& net, const Mat& x) {
    const bool vae = net.kind() == ModelKind::Vae;
    const int rows = vae ? net.latent() : net.code_size();
    Workspace ws;
    std::vector<double> result(x.cols(), 0.0);
    const float h = 1e-3f;
    for (Eigen::Index i = 0; i < x.cols(); ++i) {
        for (Eigen::Index j = 0; j < x.rows(); ++j) {
            Mat plus = x.col(i), minus = x.col(i);
            plus(j) += h;
            minus(j) -= h;
            encode(net, plus, ws);
            const Vec hp = ws.act[net.code_layer()].col(0).head(rows);
            encode(net, minus, ws);
            const Vec hm = ws.act[net.code_layer()].col(0).head(rows);
            result[i] += ((hp - hm) / (2.0 * h)).cast<double>().squaredNorm();
        }
    }
    return result;
}

}  // namespace

TEST(Jacobians, CodeJacobianMatchesFiniteDifferences) {
    for (Activation g : {Activation::Sigmoid, Activation::Tanh, Activation::Linear})
        for (ModelKind model : {ModelKind::Autoencoder, ModelKind::Vae})
            for (std::vector<HiddenLayer> hidden :
                 {std::vector<HiddenLayer>{5}, {7, 3}, {6, 5, 4}, {{6, Activation::Linear}, 4}}) {
                Config config;
                config.model = model;
                config.hidden = hidden;
                config.encoder_act = g;
                config.latent = 2;
                std::mt19937 rng(11);
                Network net(config, 8, rng);
                std::uniform_real_distribution<float> unit(0.0f, 1.0f);
                Mat x(8, 3);
                for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = unit(rng);
                Workspace ws;
                forward(net, x, ws, /*sample=*/false);
                std::vector<float> exact(3), first(3);
                code_jacobian_fro2_per_sample(net, ws, 3, exact.data());
                jacobian_fro2_per_sample(net, ws, 3, first.data());
                const std::vector<double> numeric = code_jacobian_by_differences(net, x);
                for (int i = 0; i < 3; ++i) {
                    SCOPED_TRACE(std::string(to_string(g)) + " " + to_string(model) + " " +
                                 std::to_string(hidden.size()) + " layers, sample " +
                                 std::to_string(i));
                    EXPECT_NEAR(exact[i], numeric[i], 2e-3 * (1 + numeric[i]));
                    if (hidden.size() == 1 && model == ModelKind::Autoencoder) {
                        EXPECT_NEAR(exact[i], first[i], 1e-5 * (1 + first[i]))
                            << "one layer: the code is layer 1";
                    }
                }
                // 200 samples take the other route (W₁W₁ᵀ formed once): the same values.
                Mat many(8, 200);
                for (Eigen::Index i = 0; i < many.size(); ++i) many.data()[i] = unit(rng);
                many.leftCols(3) = x;
                forward(net, many, ws, /*sample=*/false);
                std::vector<float> batched(200);
                code_jacobian_fro2_per_sample(net, ws, 200, batched.data());
                for (int i = 0; i < 3; ++i) EXPECT_NEAR(batched[i], exact[i], 1e-4 * (1 + exact[i]));
            }
}
