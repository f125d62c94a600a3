// Backpropagation by hand (lesson 03), in the seeds' notation: W^e (P×H) and W^d (H×P), σ
// everywhere, J = ½‖x − x̂‖² for one sample, h = σ(W^eᵀx), x̂ = σ(W^dᵀh). For one weight:
// every factor of the chain rule with its number, their product, a finite-difference estimate
// (J in double precision with the weight moved ±ε), and aelab's own gradient halved — its
// squared error has no ½, so its gradients are twice the seeds'. The model is aelab's own
// one-hidden-layer sigmoid autoencoder: its biases sit inside the pre-activations, which
// changes no factor's form. As a computed view (ViewId::Backprop, for the Lesson panel) and
// as a function (for the lesson's check).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/base/tensor.h"
#include "core/config/config.h"
#include "core/run/computed_view.h"

namespace aelab {

class Network;

struct BackpropRequest : ViewRequestOf<BackpropRequest> {
    int sample = 0;        // a test image
    bool decoder = true;   // W^d_kl (k: hidden unit, l: pixel), else W^e_kl (k: pixel, l: unit)
    int k = 0, l = 0;
    bool operator==(const BackpropRequest&) const = default;
};

struct BackpropFactors {
    std::string refusal;  // why the model does not fit the lesson; "" when it does
    int sample = 0, k = 0, l = 0;
    bool decoder = true;
    // In order, each with its value. Decoder: x̂_l − x_l, x̂_l(1 − x̂_l), h_k.
    // Encoder: Σ_j (x̂_j − x_j) x̂_j(1 − x̂_j) W^d_lj, h_l(1 − h_l), x_k.
    std::vector<std::pair<std::string, double>> factors;
    double product = 0;            // ∂J/∂w by the chain rule
    double finite_difference = 0;  // (J(w + ε) − J(w − ε)) / 2ε, in double
    double aelab_half = 0;         // aelab's backpropagated ∂J/∂w, halved
    int64_t step = 0;
};

// For test image x (n) of a one-hidden-layer sigmoid autoencoder with squared error (untied);
// otherwise `refusal` says what the lesson needs. k and l are clamped to the weight's range.
BackpropFactors backprop_factors(const Network& network, const Config& config, ConstMatRef x,
                                 bool decoder, int k, int l);

struct BackpropView : ViewResult {
    BackpropFactors f;
};

// Trainer thread only.
class BackpropExplorer : public ComputedView {
public:
    std::shared_ptr<const ViewResult> update(const ViewInputs& in,
                                             const ViewRequest& request) override;
    void reset() override { m_last.reset(); }

private:
    std::shared_ptr<const BackpropView> m_last;
    BackpropRequest m_request;
};

}  // namespace aelab
