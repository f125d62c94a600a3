#include "core/model/network.h"

#include <cmath>

#include "core/base/check.h"

namespace aelab {

namespace {

// The layer list of `config` on inputs of size n, with offsets into the flat buffer;
// returns the buffer's size. Allocates only the small vectors, never the parameters.
Eigen::Index plan_layers(const Config& config, int input_size, std::vector<DenseLayer>& layers,
                         std::vector<std::pair<Eigen::Index, Eigen::Index>>& weight_blocks) {
    const Activation f = config.decoder_act;
    Eigen::Index offset = 0;
    auto add = [&](int in, int out, Activation act) {
        DenseLayer layer{in, out, act, offset, offset + Eigen::Index(in) * out, false, true};
        weight_blocks.push_back({offset, Eigen::Index(in) * out});
        offset += Eigen::Index(in) * out + out;
        layers.push_back(layer);
    };
    auto add_tied = [&](int in, int out, Activation act, int source) {
        DenseLayer layer{in, out, act, layers[source].weight_offset, offset, true, false};
        offset += out;
        layers.push_back(layer);
    };

    std::vector<int> sizes = {input_size};
    for (const HiddenLayer& layer : config.hidden) sizes.push_back(layer.size);
    const int k = static_cast<int>(config.hidden.size());
    for (int i = 0; i < k; ++i) add(sizes[i], sizes[i + 1], hidden_activation(config, size_t(i)));

    if (config.model == ModelKind::Vae) {
        // Heads [μ; log σ²], then a first decoder layer from z back up to h_k.
        add(sizes[k], 2 * config.latent, Activation::Linear);
        add(config.latent, sizes[k], code_activation(config));
    }
    // The decoder mirrors the encoder: the layer that outputs size h_i (i ≥ 1) uses encoder
    // layer i's activation; the output layer uses f.
    for (int i = k; i >= 1; --i) {
        const Activation act = (i == 1) ? f : hidden_activation(config, size_t(i - 2));
        if (config.tied)
            add_tied(sizes[i], sizes[i - 1], act, i - 1);
        else
            add(sizes[i], sizes[i - 1], act);
    }
    return offset;
}

}  // namespace

Eigen::Index Network::parameter_count(const Config& config, int input_size) {
    std::vector<DenseLayer> layers;
    std::vector<std::pair<Eigen::Index, Eigen::Index>> blocks;
    return plan_layers(config, input_size, layers, blocks);
}

std::vector<int> Network::layer_sizes(const Config& config, int input_size) {
    std::vector<DenseLayer> layers;
    std::vector<std::pair<Eigen::Index, Eigen::Index>> blocks;
    plan_layers(config, input_size, layers, blocks);
    std::vector<int> sizes;
    for (const DenseLayer& layer : layers) sizes.push_back(layer.out);
    return sizes;
}

Network::Network(const Config& config, int input_size, std::mt19937& rng)
    : m_kind(config.model), m_input_size(input_size) {
    AELAB_CHECK(input_size > 0 && !config.hidden.empty(), "network needs inputs and a layer");
    AELAB_CHECK(!(config.tied && config.model == ModelKind::Vae), "tied VAE refused by config");
    m_encoder_layers = static_cast<int>(config.hidden.size());
    if (m_kind == ModelKind::Vae) m_latent = config.latent;
    const Eigen::Index offset = plan_layers(config, input_size, m_layers, m_weight_blocks);

    m_params.setZero(offset);
    for (const DenseLayer& layer : m_layers) {
        if (!layer.owns_weight) continue;
        float* w = m_params.data() + layer.weight_offset;
        const Eigen::Index count = Eigen::Index(layer.in) * layer.out;
        if (config.init == InitKind::Constant) {
            // Every weight equal: all hidden units compute the same function and get the
            // same gradient, so they stay identical — the symmetry problem made visible.
            std::fill(w, w + count, 0.01f);
            continue;
        }
        // Xavier/Glorot: U(±√(6/(fan_in+fan_out))); He: U(±√(6/fan_in)).
        const double limit = config.init == InitKind::Xavier
                                 ? std::sqrt(6.0 / (layer.in + layer.out))
                                 : std::sqrt(6.0 / layer.in);
        std::uniform_real_distribution<float> dist(-float(limit), float(limit));
        for (Eigen::Index i = 0; i < count; ++i) w[i] = dist(rng);
    }
}

int Network::code_size() const {
    return m_layers[code_layer()].out;
}

MatMap Network::weight(Vec& buffer, int l) const {
    const DenseLayer& d = m_layers[l];
    return d.transposed ? MatMap(buffer.data() + d.weight_offset, d.in, d.out)
                        : MatMap(buffer.data() + d.weight_offset, d.out, d.in);
}
ConstMatMap Network::weight(const Vec& buffer, int l) const {
    const DenseLayer& d = m_layers[l];
    return d.transposed ? ConstMatMap(buffer.data() + d.weight_offset, d.in, d.out)
                        : ConstMatMap(buffer.data() + d.weight_offset, d.out, d.in);
}
VecMap Network::bias(Vec& buffer, int l) const {
    return VecMap(buffer.data() + m_layers[l].bias_offset, m_layers[l].out);
}
ConstVecMap Network::bias(const Vec& buffer, int l) const {
    return ConstVecMap(buffer.data() + m_layers[l].bias_offset, m_layers[l].out);
}

}  // namespace aelab
