#include "core/lessons/lesson_metrics.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/base/random.h"
#include "core/data/corruption.h"
#include "core/model/objective.h"
#include "core/run/session.h"

namespace aelab {

namespace {

// The draw behind latent.prior_nearest (core/views/metrics.cpp): the same seed, count and
// pool, so that the figures here describe the very samples that metric measured (a test
// holds samples_nearest equal to it).
constexpr uint64_t kPriorSeed = 7;
constexpr int kPriorSamples = 200;
constexpr int kNeighbourPool = 5000;
constexpr int kBrightnessImages = 1000;
constexpr uint64_t kCorruptionSeed = 20261203;

// For each column of `images`: the index of its nearest column of `pool` and the distance.
void nearest_in_pool(ConstMatRef images, ConstMatRef pool, std::vector<Eigen::Index>& index,
                     std::vector<double>& distance) {
    const Vec pool_norms = pool.colwise().squaredNorm().transpose();
    const Mat dots = images.transpose() * pool;  // S×P
    index.resize(size_t(images.cols()));
    distance.resize(size_t(images.cols()));
    for (Eigen::Index i = 0; i < images.cols(); ++i) {
        Eigen::Index at = 0;
        const float nearest =
            (pool_norms.transpose().array() - 2 * dots.row(i).array()).minCoeff(&at);
        index[size_t(i)] = at;
        distance[size_t(i)] = std::sqrt(std::max(0.0f, images.col(i).squaredNorm() + nearest));
    }
}

double mean_of(const std::vector<double>& values) {
    double total = 0;
    for (double v : values) total += v;
    return values.empty() ? 0.0 : total / double(values.size());
}

// Mean distance between columns 2i and 2i+1: how much a set of images varies.
double pair_distance(ConstMatRef images) {
    double total = 0;
    Eigen::Index pairs = 0;
    for (Eigen::Index i = 0; i + 1 < images.cols(); i += 2, ++pairs)
        total += double((images.col(i) - images.col(i + 1)).norm());
    return pairs ? total / double(pairs) : 0.0;
}

}  // namespace

GenerationFigures generation_figures(ConstMatRef samples, ConstMatRef pool,
                                     const std::vector<uint8_t>& pool_labels) {
    GenerationFigures g;
    if (samples.cols() == 0 || pool.cols() == 0) return g;
    std::vector<Eigen::Index> index;
    std::vector<double> distance;
    nearest_in_pool(samples, pool, index, distance);
    g.samples_nearest = mean_of(distance);
    std::set<int> classes;
    for (Eigen::Index at : index)
        classes.insert(size_t(at) < pool_labels.size() ? int(pool_labels[size_t(at)]) : -1);
    g.classes = int(classes.size());
    const Mat mean_image = pool.rowwise().mean();
    nearest_in_pool(mean_image, pool, index, distance);
    g.mean_image_nearest = distance[0];
    const double pool_spread = pair_distance(pool.leftCols(std::min(pool.cols(), samples.cols())));
    g.spread = pool_spread > 0 ? pair_distance(samples) / pool_spread : 0.0;
    return g;
}

double output_brightness(const Network& network, ConstMatRef inputs, ConstMatRef targets) {
    const int count = int(inputs.cols());
    const double target_sum = double(targets.sum());
    if (count == 0 || target_sum == 0) return 0.0;
    Workspace ws;
    ws.reserve(network, count);
    forward(network, inputs, ws, /*sample=*/false);
    return double(reconstruction(ws, count).sum()) / target_sum;
}

nlohmann::json lesson_metrics(const Session& session) {
    nlohmann::json out = nlohmann::json::object();
    const Dataset& data = session.data();
    const Network& network = session.network();
    if (network.kind() == ModelKind::Vae) {
        FastRng rng(kPriorSeed);
        Mat z(network.latent(), kPriorSamples);
        rng.fill_normal(z.data(), long(z.size()));
        const Eigen::Index pool = std::min<Eigen::Index>(kNeighbourPool, data.train_x.cols());
        const std::vector<uint8_t> labels(
            data.train_y.begin(),
            data.train_y.begin() + std::min<Eigen::Index>(pool, Eigen::Index(data.train_y.size())));
        const GenerationFigures g =
            generation_figures(session.decode(z), data.train_x.leftCols(pool), labels);
        out["latent"] = {{"prior_nearest", g.samples_nearest},  // as core/views computes it
                         {"mean_image_nearest", g.mean_image_nearest},
                         {"prior_classes", g.classes},
                         {"prior_spread", g.spread}};
    }
    const int count = std::min<int>(kBrightnessImages, int(data.test_x.cols()));
    if (count > 0) {
        const auto x = data.test_x.leftCols(count);
        out["brightness"]["clean"] = output_brightness(network, x, x);
        const Knobs& knobs = session.config().knobs;
        if (knobs.noise != NoiseKind::None) {
            Mat corrupted(x.rows(), count);
            FastRng rng(kCorruptionSeed);
            corrupt(knobs.noise, knobs.noise_level, x, corrupted, rng);
            out["brightness"]["corrupted"] = output_brightness(network, corrupted, x);
        }
    }
    return out;
}

}  // namespace aelab
