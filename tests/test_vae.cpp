// The variational autoencoder: closed-form KL against Monte Carlo, and the trainer's latent
// view on built-in data. What a trained VAE must show on Fashion-MNIST is in
// test_behaviour.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/run/session.h"
#include "core/trainer/trainer.h"
#include "core/views/latent.h"

using namespace aelab;

namespace {

Config vae_config() {
    Config c;
    c.model = ModelKind::Vae;
    c.hidden = {512};
    c.latent = 2;
    c.encoder_act = Activation::Relu;
    return c;
}

}  // namespace

TEST(Vae, ClosedFormKlMatchesMonteCarlo) {
    std::mt19937 rng(5);
    std::normal_distribution<double> normal(0.0, 1.0);
    const int d = 3;
    Mat mu(d, 1), log_var(d, 1);
    mu << 0.5f, -1.2f, 0.1f;
    log_var << -0.7f, 0.4f, -2.0f;
    // KL = E_q[log q(z) − log p(z)], z ~ q = N(μ, σ²).
    const int samples = 400000;
    double sum = 0;
    for (int s = 0; s < samples; ++s) {
        double log_q = 0, log_p = 0;
        for (int k = 0; k < d; ++k) {
            const double sigma = std::exp(0.5 * log_var(k));
            const double e = normal(rng);
            const double z = mu(k) + sigma * e;
            log_q += -0.5 * e * e - std::log(sigma);
            log_p += -0.5 * z * z;
        }
        sum += log_q - log_p;
    }
    const double monte_carlo = sum / samples;
    const double closed = kl_to_standard_normal(mu, log_var);
    EXPECT_NEAR(closed, monte_carlo, 0.01)
        << "closed " << closed << ", Monte Carlo " << monte_carlo;
    EXPECT_GT(closed, 0.0);
    EXPECT_NEAR(kl_to_standard_normal(Mat::Zero(2, 4), Mat::Zero(2, 4)), 0.0, 1e-12)
        << "the prior is zero KL from itself";
}

TEST(Vae, TrainerPublishesTheLatentViewWhenAsked) {
    Config config = vae_config();
    config.dataset = "shapes";
    config.hidden = {64};
    Trainer trainer(config, {}, false);
    trainer.send(commands::Step{50});
    auto s = trainer.wait_for([](const Snapshot& s) { return s.progress.step == 50 && !s.status.running; },
                              std::chrono::seconds(120));
    ASSERT_EQ(s->progress.step, 50) << "timed out: " << s->status.error;  // else the checks below prove nothing
    ASSERT_FALSE(s->status.running);
    EXPECT_FALSE(s->view<LatentView>(ViewId::Latent)) << "nothing is computed while closed";

    LatentRequest request;
    request.active = true;
    request.grid = 10;
    request.has_point = true;
    request.point_x = 0.5f;
    trainer.set_view_request(ViewId::Latent, std::make_shared<LatentRequest>(request));
    auto latent = [](const Snapshot& s) { return s.view<LatentView>(ViewId::Latent); };
    s = trainer.wait_for([&](const Snapshot& s) { return latent(s) && latent(s)->codes; },
                         std::chrono::seconds(120));
    ASSERT_EQ(s->progress.step, 50) << "answered while paused, without training";
    ASSERT_TRUE(latent(*s)) << "timed out";
    const LatentView& v = *latent(*s);
    EXPECT_TRUE(v.is_vae);
    EXPECT_EQ(v.dims, 2);
    ASSERT_TRUE(v.codes);
    EXPECT_EQ(v.codes->cols(), s->data.test_samples);
    ASSERT_TRUE(v.manifold);
    EXPECT_EQ(v.manifold->cols(), 100);
    EXPECT_EQ(v.manifold->rows(), 784);
    EXPECT_EQ(v.point_image.size(), 784);
    EXPECT_EQ(v.prior_samples.cols(), kPriorSamples);
    EXPECT_EQ(v.probe_mu.size(), 2);
    EXPECT_EQ(v.probe_sigma.size(), 2);
    EXPECT_GE(v.probe_z.cols(), 1);
    EXPECT_GT(v.grid_x.back(), v.grid_x.front());
    EXPECT_GT(v.grid_y.front(), v.grid_y.back()) << "grid rows run from the top down";

    request.inverse_cdf = true;  // Φ⁻¹ spacing: cells bunch towards the origin
    trainer.set_view_request(ViewId::Latent, std::make_shared<LatentRequest>(request));
    s = trainer.wait_for(
        [&](const Snapshot& s) { return latent(s) && latent(s)->request.inverse_cdf; },
        std::chrono::seconds(120));
    ASSERT_TRUE(latent(*s) && latent(*s)->request.inverse_cdf) << "timed out";
    const auto& gx = latent(*s)->grid_x;
    EXPECT_LT(gx[5] - gx[4], gx[1] - gx[0]);
}
