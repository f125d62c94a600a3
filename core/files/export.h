// Exports for students who take a model elsewhere: the weights as an .npz named as PyTorch
// names an nn.Sequential's parameters, the loss curves as CSV or JSON, the test set's codes
// as .npz or CSV. encode_* return the file's bytes; export_* write them atomically.
// Weights and codes: the thread that owns the Network (trainer or headless run); curves:
// any thread (a History copy, e.g. a snapshot's).
//
// Weights file (a zip numpy.load reads), for hidden = {h1..hk}, input n = h0: each side is an
// nn.Sequential(Linear, act, Linear, act, …), Linear i at index 2i and its activation at
// 2i+1 ("linear" = nn.Identity), so its parameters are
//   encoder.0.weight h1×n, encoder.0.bias h1, encoder.2.weight h2×h1, …, encoder.2(k−1).*
//   decoder.0.weight h(k−1)×hk, decoder.0.bias h(k−1), …, decoder.2(k−1).weight n×h1.
// VAE (latent d): encoder.* as above, then the heads as two plain nn.Linear,
//   encoder_mu.weight d×hk, encoder_logvar.weight d×hk (+ .bias), and the decoder from z:
//   decoder.0.weight hk×d, decoder.2.weight h(k−1)×hk, …, decoder.2k.weight n×h1.
// Weights are float32 out×in in C order (nn.Linear's layout). Tied weights are written as
// the explicit transpose (architecture.json names the source: "tied_to").
// Also: architecture.json (every module in order: name, part, in, out, activation; the
// forward pass; what the inputs are), config.json (config_to_json), input_mean and
// input_std (n,) when the network sees normalised inputs x = (pixels − mean) / std, and
// example_inputs / example_outputs (B×n): a few test images as the network sees them and
// aelab's reconstruction of them (a VAE decodes z = μ), to check a port against.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/base/expected.h"
#include "core/base/tensor.h"
#include "core/config/config.h"
#include "core/data/dataset.h"
#include "core/model/network.h"
#include "core/model/pieces.h"
#include "core/run/history.h"

namespace aelab {

class Session;

inline constexpr int kWeightsFormatVersion = 1;
inline constexpr int kExportExamples = 16;  // example images in a weights file (fewer if the
                                            // test set is smaller)

// `data` is the set the network was trained on, as prepared (normalisation, image shape);
// `step` is written to architecture.json when ≥ 0.
std::string encode_weights_npz(const Network& network, const Config& config, const Dataset& data,
                               int64_t step = -1);
std::string encode_weights_npz(const Session& session);
std::optional<Error> export_weights(const std::string& path, const Session& session);

// CSV: step,train,test,test_clean,reconstruction,l2,sparsity,contractive,kl,marker — one row
// per distinct step among the series' bucket x values and the markers' steps, ascending; a
// cell holds that bucket's mean (shortest text that reads back to the same float), blank
// where the series has no bucket at that step. Markers at one step are joined by "; " and
// quoted (embedded quotes doubled).
std::string encode_curves_csv(const History& history);
// JSON: every series (train, test, test_clean, train_terms.<term>, probe_jacobian,
// probe_code_jacobian) with its buckets' x, mean, min, max; and the markers.
std::string encode_history_json(const History& history);
std::optional<Error> export_curves(const std::string& path, const History& history);
std::optional<Error> export_history_json(const std::string& path, const History& history);
// The column / key of a loss term: term_name lower-cased, spaces as '_' ("reconstruction").
std::string term_column(Term term);

// Whether `path` ends in ".csv" (the curves and codes exports choose their format by it).
bool is_csv_path(const std::string& path);
// The format chosen by the path's extension: curves .csv → CSV, else the history JSON;
// codes .csv → CSV, else .npz. What the CLI and the Export menu write.
std::optional<Error> export_curves_file(const std::string& path, const History& history);
std::optional<Error> export_codes_file(const std::string& path, const Session& session);

// Codes of every test image: h (the code layer) for an autoencoder, μ and σ = exp(½ log σ²)
// for a VAE, computed by the core's encode() as the latent view does.
struct TestCodes {
    Mat codes;  // k×N (k = code size; d for a VAE)
    Mat sigma;  // d×N for a VAE; empty for an autoencoder
};
// In pieces on `pool`'s threads (null: this thread); each code is its own sample's.
TestCodes compute_test_codes(const Network& network, const Dataset& data,
                             WorkerPool* pool = nullptr);

// npz: codes (N×k float32), sigma (N×d, VAE only), labels (N, int64), codes.json (what the
// arrays are, the class names).
std::string encode_codes_npz(const Network& network, const Dataset& data,
                             WorkerPool* pool = nullptr);
// CSV: label,code_0,…,code_{k−1}[,sigma_0,…,sigma_{d−1}], one row per test image.
std::string encode_codes_csv(const Network& network, const Dataset& data,
                             WorkerPool* pool = nullptr);
std::optional<Error> export_codes(const std::string& path, const Session& session);
std::optional<Error> export_codes_csv(const std::string& path, const Session& session);

}  // namespace aelab
