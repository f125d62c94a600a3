// The layers of an autoencoder or VAE and their parameters in one flat buffer.
// Trainer thread (or any thread that owns its own Network).
//
// Notation: n input size, m_l size of layer l, B batch. Layer l maps in_l×B to out_l×B by
// A_l = g_l(W_l A_{l−1} + b_l), W_l out_l×in_l. Parameters, gradients and optimiser state
// are flat vectors with the same layout, so the optimiser is one loop and a snapshot of
// the weights is one copy (llm.c's malloc_and_point_parameters).
//
// Autoencoder, hidden = {h1..hk}: sizes n→h1→…→hk→…→h1→n; layers 0..k−1 encode (the code
// h is layer k−1's output), layers k..2k−1 decode. Encoder layer i uses hidden[i]'s own
// activation or encoder_act; the decoder mirrors it (the layer that outputs h_i uses h_i's
// activation), and the output layer uses decoder_act. With tied weights, decoder layer k+i uses the
// transpose of encoder layer k−1−i's matrix and has only its own bias.
//
// VAE, hidden = {h1..hk}, latent d: encoder layers 0..k−1, then one linear "heads" layer
// hk→2d whose rows 0..d−1 are μ and d..2d−1 are log σ², then the decoder d→hk→…→h1→n
// (k+1 layers: hidden ones mirror the encoder's activations, the output uses decoder_act).
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "core/base/tensor.h"
#include "core/config/config.h"

namespace aelab {

// Parameters [begin, end) of a flat buffer (params(), a gradient, the optimiser's state).
struct ParamRange {
    Eigen::Index begin = 0, end = 0;
};

struct DenseLayer {
    int in = 0, out = 0;
    Activation act = Activation::Linear;
    Eigen::Index weight_offset = 0;  // W: out×in, or in×out when `transposed`
    Eigen::Index bias_offset = 0;    // b: out
    bool transposed = false;         // tied decoder layer: uses another layer's W transposed
    bool owns_weight = true;         // false for tied decoder layers
};

class Network {
public:
    // Builds the layer list for `config` on inputs of size n and initialises the
    // parameters with `rng` (Xavier/He uniform, or the constant teaching init).
    Network(const Config& config, int input_size, std::mt19937& rng);

    // What that network would hold, without building it (memory estimates, tests).
    static Eigen::Index parameter_count(const Config& config, int input_size);
    static std::vector<int> layer_sizes(const Config& config, int input_size);  // each out

    ModelKind kind() const { return m_kind; }
    int input_size() const { return m_input_size; }
    int latent() const { return m_latent; }
    const std::vector<DenseLayer>& layers() const { return m_layers; }
    int encoder_layer_count() const { return m_encoder_layers; }
    // The code h: output of this layer (AE); for a VAE the heads layer [μ; log σ²].
    int code_layer() const { return m_encoder_layers - 1 + (m_kind == ModelKind::Vae ? 1 : 0); }
    int code_size() const;
    // First decoder layer (its input is the code, or z for a VAE).
    int first_decoder_layer() const { return code_layer() + 1; }

    Vec& params() { return m_params; }
    const Vec& params() const { return m_params; }
    Eigen::Index param_count() const { return m_params.size(); }

    // W_l as stored (out×in, or in×out for a tied layer) inside `buffer`, which has the
    // layout of params() (params, gradient or optimiser state).
    MatMap weight(Vec& buffer, int l) const;
    ConstMatMap weight(const Vec& buffer, int l) const;
    VecMap bias(Vec& buffer, int l) const;
    ConstVecMap bias(const Vec& buffer, int l) const;
    ConstMatMap weight(int l) const { return weight(m_params, l); }
    ConstVecMap bias(int l) const { return bias(m_params, l); }

    // Weight blocks that L2 decays (each matrix once, biases never): {offset, size}.
    const std::vector<std::pair<Eigen::Index, Eigen::Index>>& weight_blocks() const {
        return m_weight_blocks;
    }

private:
    ModelKind m_kind;
    int m_input_size;
    int m_latent = 0;
    int m_encoder_layers = 0;
    std::vector<DenseLayer> m_layers;
    std::vector<std::pair<Eigen::Index, Eigen::Index>> m_weight_blocks;
    Vec m_params;
};

}  // namespace aelab
