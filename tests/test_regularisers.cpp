// What each regulariser must visibly do on Fashion-MNIST (SPEC §1, §3), trained headless
// through the same Session the window uses. Skipped only where the dataset is missing.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/run/session.h"

using namespace aelab;

namespace {

std::shared_ptr<const Dataset> fashion() {
    static std::shared_ptr<const Dataset> data = [] {
        auto d = load_dataset("fashion-mnist");
        return d && (*d)->notice.empty() ? *d : nullptr;
    }();
    return data;
}

std::unique_ptr<Session> trained(const Config& config, int steps) {
    auto session = Session::create(config, *prepare_dataset(fashion(), config));
    EXPECT_TRUE(session) << session.error();
    for (int i = 0; i < steps; ++i) (*session)->train_step();
    return std::move(*session);
}

Config one_layer(int hidden) {
    Config c;
    c.hidden = {hidden};
    return c;
}

#define REQUIRE_FASHION_MNIST() \
    if (!fashion()) GTEST_SKIP() << "dataset-fashion-mnist is not installed"

}  // namespace

TEST(Regularisers, SparseKlPullsMeanActivationToTheTarget) {
    REQUIRE_FASHION_MNIST();
    Config sparse = one_layer(196);
    sparse.knobs.sparsity = SparsityKind::Kl;
    sparse.knobs.sparsity_p = 0.05f;
    sparse.knobs.sparsity_beta = 3.0f;
    const Evaluation with = trained(sparse, 3000)->evaluate_test_set();
    const Evaluation without = trained(one_layer(196), 3000)->evaluate_test_set();
    EXPECT_GE(with.p_hat.mean(), 0.03);
    EXPECT_LE(with.p_hat.mean(), 0.08);
    EXPECT_GT(without.p_hat.mean(), 0.15) << "without the penalty the code is not sparse";
    EXPECT_GT(with.terms.sparsity, 0.0);
    EXPECT_EQ(without.terms.sparsity, 0.0);
}

TEST(Regularisers, ContractivePenaltyShrinksTheJacobian) {
    REQUIRE_FASHION_MNIST();
    Config contractive = one_layer(256);
    contractive.knobs.contractive = 0.1f;
    const Evaluation with = trained(contractive, 2000)->evaluate_test_set();
    const Evaluation without = trained(one_layer(256), 2000)->evaluate_test_set();
    EXPECT_LT(with.jacobian_fro2, 0.6 * without.jacobian_fro2)
        << "with " << with.jacobian_fro2 << ", without " << without.jacobian_fro2;
    EXPECT_GT(with.terms.contractive, 0.0);
}

TEST(Regularisers, DenoisingAutoencoderCleansCorruptedInputsBetter) {
    REQUIRE_FASHION_MNIST();
    for (NoiseKind noise : {NoiseKind::Gaussian, NoiseKind::Mask}) {
        Config denoising = one_layer(128);
        denoising.knobs.noise = noise;
        denoising.knobs.noise_level = 0.5f;
        auto dae = trained(denoising, 2500);
        Config plain_config = one_layer(128);
        auto plain = trained(plain_config, 2500);
        plain->set_knobs(denoising.knobs);  // evaluate on the same corruption, same draw
        const double dae_error = dae->evaluate_test_set_corrupted().mse_per_pixel;
        const double plain_error = plain->evaluate_test_set_corrupted().mse_per_pixel;
        EXPECT_LT(dae_error, 0.95 * plain_error)
            << to_string(noise) << ": denoising " << dae_error << ", plain " << plain_error;
    }
}

TEST(Regularisers, OvercompleteReconstructsBetterThanUndercomplete) {
    REQUIRE_FASHION_MNIST();
    const double wide = trained(one_layer(1000), 1500)->evaluate_test_set().mse_per_pixel;
    const double narrow = trained(one_layer(32), 1500)->evaluate_test_set().mse_per_pixel;
    EXPECT_LT(wide, 0.6 * narrow) << "hidden 1000: " << wide << ", hidden 32: " << narrow;
}
