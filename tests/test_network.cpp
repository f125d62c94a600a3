// Layer shapes of every kind of model, checked against PyTorch's parameter counts for the
// reference models of bench/torch_ref.py.
#include <gtest/gtest.h>

#include "core/model/network.h"

using namespace aelab;

namespace {
// Parameters of PyTorch's nn.Linear(in, out): weight out×in and bias out.
long linear(long in, long out) {
    return in * out + out;
}

std::vector<std::pair<int, int>> shapes(const Network& net) {
    std::vector<std::pair<int, int>> out;
    for (const DenseLayer& l : net.layers()) out.push_back({l.in, l.out});
    return out;
}
}  // namespace

TEST(Network, AutoencoderMirrorsItsEncoder) {
    Config c;  // 784-256-32-256-784
    std::mt19937 rng(1);
    Network net(c, 784, rng);
    EXPECT_EQ(shapes(net),
              (std::vector<std::pair<int, int>>{{784, 256}, {256, 32}, {32, 256}, {256, 784}}));
    EXPECT_EQ(net.code_layer(), 1);
    EXPECT_EQ(net.code_size(), 32);
    // Σ p.numel() of torch_ref's AE([784, 256, 32]): four nn.Linear layers.
    EXPECT_EQ(net.param_count(),
              linear(784, 256) + linear(256, 32) + linear(32, 256) + linear(256, 784));
    EXPECT_EQ(Network::parameter_count(c, 784), net.param_count()) << "the estimate builds nothing";
    EXPECT_EQ(net.layers().back().act, c.decoder_act);
    EXPECT_EQ(net.layers()[2].act, c.encoder_act) << "hidden decoder layers use g";
}

TEST(Network, TiedDecoderOwnsOnlyItsBiases) {
    Config c;
    c.tied = true;
    std::mt19937 rng(1);
    Network net(c, 784, rng);
    EXPECT_EQ(net.param_count(), 784 * 256 + 256 * 32 + 256 + 32 + 256 + 784);
    EXPECT_EQ(net.layers()[3].weight_offset, net.layers()[0].weight_offset);
    EXPECT_EQ(net.layers()[2].weight_offset, net.layers()[1].weight_offset);
    EXPECT_TRUE(net.layers()[3].transposed);
    EXPECT_EQ(net.weight_blocks().size(), 2u) << "L2 counts each shared matrix once";
}

TEST(Network, VaeHasHeadsAndAFullDecoder) {
    Config c;
    c.model = ModelKind::Vae;
    c.hidden = {512};
    c.latent = 2;
    c.encoder_act = Activation::Relu;
    std::mt19937 rng(1);
    Network net(c, 784, rng);
    EXPECT_EQ(shapes(net),
              (std::vector<std::pair<int, int>>{{784, 512}, {512, 4}, {2, 512}, {512, 784}}));
    EXPECT_EQ(net.code_layer(), 1);
    EXPECT_EQ(net.first_decoder_layer(), 2);
    EXPECT_EQ(net.layers()[1].act, Activation::Linear) << "μ and log σ² are linear heads";
    EXPECT_EQ(net.layers()[2].act, Activation::Relu);
    // torch_ref's VAE(784, 512, 2): encoder, heads μ and log σ² (one 512→4 matrix here,
    // two 512→2 nn.Linear there: the same count), decoder 2→512→784.
    EXPECT_EQ(net.param_count(),
              linear(784, 512) + 2 * linear(512, 2) + linear(2, 512) + linear(512, 784));
}

TEST(Network, InitialisationFollowsTheSeedAndTheKind) {
    Config c;
    std::mt19937 a(7), b(7), other(8);
    EXPECT_EQ(Network(c, 784, a).params(), Network(c, 784, b).params());
    std::mt19937 a2(7);
    EXPECT_NE(Network(c, 784, a2).params(), Network(c, 784, other).params());
    c.init = InitKind::Constant;
    std::mt19937 r(1);
    Network constant(c, 784, r);
    const ConstMatMap w = constant.weight(0);
    EXPECT_EQ(w.minCoeff(), w.maxCoeff()) << "every weight equal";
    const float xavier_limit = std::sqrt(6.0f / (784 + 256));
    c.init = InitKind::Xavier;
    std::mt19937 r2(1);
    Network xavier(c, 784, r2);
    EXPECT_LE(xavier.weight(0).cwiseAbs().maxCoeff(), xavier_limit);
    EXPECT_GT(xavier.weight(0).cwiseAbs().maxCoeff(), 0.9f * xavier_limit);
}
