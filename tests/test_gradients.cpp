// Every layer, loss and penalty's gradient against central finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <random>

#include "core/objective.h"

using namespace aelab;

namespace {

struct Case {
    std::vector<int> hidden = {5};
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

Report check(const Case& c, int n = 6, int batch = 5, uint32_t seed = 7) {
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
    evaluate_objective(net, input, target, obj, ws, &grad);
    const bool has_relu = c.g == Activation::Relu || c.f == Activation::Relu;

    Report report;
    (void)has_relu;
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

void expect_matches(const Case& c, const char* what) {
    const Report r = check(c);
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

TEST(Gradients, L2WeightDecay) {
    Case c;
    c.knobs.l2 = 0.05f;
    expect_matches(c, "untied");
    c.tied = true;
    expect_matches(c, "tied");
}

TEST(Gradients, SparsityKlAndSquared) {
    for (SparsityKind s : {SparsityKind::Kl, SparsityKind::Squared})
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

TEST(Gradients, CheckerCatchesAWrongGradient) {
    // The check itself must be able to fail: scale one term's weight between the two
    // evaluations and the gradient no longer matches.
    Case c;
    Config config;
    config.hidden = {5};
    std::mt19937 rng(3);
    Network net(config, 6, rng);
    Workspace ws;
    ws.reserve(net, 4);
    Mat x = Mat::Constant(6, 4, 0.3f);
    Objective obj = Objective::from(config);
    Vec grad(net.param_count());
    evaluate_objective(net, x, x, obj, ws, &grad);
    obj.l2 = 0.5f;  // the finite differences see a penalty the gradient did not include
    const float h = 1e-2f;
    const float saved = net.params()[0];
    net.params()[0] = saved + h;
    const double plus = evaluate_objective(net, x, x, obj, ws, nullptr).total();
    net.params()[0] = saved - h;
    const double minus = evaluate_objective(net, x, x, obj, ws, nullptr).total();
    EXPECT_GT(std::abs((plus - minus) / (2 * h) - grad[0]), 1e-3);
}
