// Figures the lessons' checks compare beyond the metrics JSON (core/views/metrics.h), each a
// number a lesson's claim rests on and that its sabotage must move: what a VAE's prior
// samples look like against the mean image (lesson 13), how bright a denoiser's output is
// on clean and corrupted inputs (lesson 10). The thread that owns the Session.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/tensor.h"

namespace aelab {

class Network;
class Session;
enum class NoiseKind;

// Generated images (n×S) against a pool of training images (n×P) and their labels.
struct GenerationFigures {
    double samples_nearest = 0;     // mean distance of a sample to its nearest pool image
    double mean_image_nearest = 0;  // the same for the pool's mean image: what a decoder that
                                    // ignores z and draws the mean image scores
    int classes = 0;                // distinct labels of the samples' nearest pool images
    double spread = 0;              // mean distance between samples 2i and 2i+1, over the
                                    // same for pool images: 0 when every sample is alike
};
GenerationFigures generation_figures(ConstMatRef samples, ConstMatRef pool,
                                     const std::vector<uint8_t>& pool_labels);

// Mean output over mean target, x̂ = network(inputs) (n×B, z = μ for a VAE): 1 when the
// reconstruction is as bright as the images it should rebuild.
double output_brightness(const Network& network, ConstMatRef inputs, ConstMatRef targets);

// The figures above for a finished run, as metrics to merge into collect_metrics(session):
// "latent": {prior_nearest, mean_image_nearest, prior_classes, prior_spread} for a VAE (the
// prior samples and pool of core/views' latent.prior_nearest, which this one equals),
// "brightness": {clean, corrupted} on 1,000 test images (corrupted as in training, from a
// fixed seed; only with input noise).
nlohmann::json lesson_metrics(const Session& session);

}  // namespace aelab
