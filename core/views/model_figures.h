// Model figures: cheap numbers about the model itself (its weights and one gradient), for a
// lesson's watch lines while it trains and for --metrics at the end — one function, so the
// window and the check name and compute them alike. As a computed view (ViewId::
// ModelFigures) the Lesson panel asks for them only while a watch line names one.
//
// Keys (JSON paths; a watch line writes them as {encoder_product.rank}):
//   parameters, weights_fro (‖W‖_F over every layer's own weights, biases not included),
//   symmetry_spread (the largest difference between two units' incoming first-layer
//   weights: 0 when the units are copies),
//   encoder_product {linear_layers, rows, cols, rank} (autoencoders: the encoder's leading
//   linear layers and the layer after them compose into one matrix P = W_{j+1} W_j ⋯ W_1;
//   its numerical rank, singular values above 1e-5 of the largest; with NaN or Inf weights
//   rank is null and `diverged` says why),
//   tied_gradient {relative_error, encoder_path_norm, decoder_path_norm, sum_norm} (tied
//   one-hidden-layer linear autoencoders with squared error: aelab's ∂J/∂W on 256 test
//   images against the closed form (2/B)(W R Xᵀ + H Rᵀ), and the norms of the two paths).
#pragma once

#include <map>
#include <memory>
#include <string>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "core/run/computed_view.h"

namespace aelab {

class Network;

nlohmann::json model_figures(const Session& session);
double symmetry_spread(const Network& network);
// encoder_product's figures for one network (null for a VAE).
nlohmann::json encoder_product(const Network& network);

// A diverged run's weights hold NaN or Inf: no decomposition (SVD, eigen-solver, principal
// angles) may see them — Eigen reports such input as invalid and leaves its results unset, so
// reading them is undefined. "" while every parameter is finite, else the note that metrics
// and views show in place of the figure.
std::string divergence_note(const Network& network);

// The numerical rank of `a`: singular values above `relative` × the largest. Robust where
// Eigen 3.4.0's BDCSVD is not (see model_figures.cpp). Needs finite entries.
Eigen::Index numerical_rank(const Eigen::MatrixXd& a, double relative);

// Every key model_figures may give, with what it is (lesson validation, the README).
struct ModelFigureName {
    const char* name;
    const char* meaning;
};
const std::vector<ModelFigureName>& model_figure_names();

struct ModelFiguresRequest : ViewRequestOf<ModelFiguresRequest> {
    bool operator==(const ModelFiguresRequest&) const = default;
};

struct ModelFiguresView : ViewResult {
    std::map<std::string, double> values;  // by JSON path: "tied_gradient.sum_norm"
    int64_t step = 0;
};

// Trainer thread only. Refreshed at most every 0.5 s, within the views' time share.
class ModelFiguresExplorer : public ComputedView {
public:
    std::shared_ptr<const ViewResult> update(const ViewInputs& in,
                                             const ViewRequest& request) override;
    void reset() override {
        m_last.reset();
        m_schedule.reset();
    }

private:
    std::shared_ptr<const ModelFiguresView> m_last;
    RefreshSchedule m_schedule{0.5};
};

}  // namespace aelab
