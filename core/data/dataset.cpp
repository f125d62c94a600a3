// Dataset selection, the built-in synthetic sets, subsets and binarisation.
#include "core/data/dataset.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <random>

namespace aelab {
namespace {

const std::vector<std::string> kFashionClasses = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                                  "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                                  "Bag",         "Ankle boot"};
const std::vector<std::string> kShapeClasses = {"disc",  "ring", "square", "frame", "triangle",
                                                "cross", "plus", "h-bar",  "v-bar", "two dots"};

// The data never depends on the run's seed: every run sees the same synthetic images.
constexpr uint32_t kSyntheticSeed = 20240601;
constexpr int kSyntheticTrain = 12000, kSyntheticTest = 2000;

// Signed distance (pixels, negative inside) of shape `kind` centred at (cx, cy), size r.
float shape_distance(int kind, float x, float y, float cx, float cy, float r) {
    const float dx = x - cx, dy = y - cy;
    const float ax = std::abs(dx), ay = std::abs(dy);
    const float radius = std::sqrt(dx * dx + dy * dy);
    const float thick = 1.6f;
    switch (kind) {
        case 0:
            return radius - r;
        case 1:
            return std::abs(radius - r) - thick;
        case 2:
            return std::max(ax, ay) - r * 0.85f;
        case 3:
            return std::abs(std::max(ax, ay) - r * 0.85f) - thick;
        case 4: {  // upward triangle: inside three half-planes
            const float h = r * 1.7f;
            const float base = dy - h * 0.5f;  // below the base → outside
            const float left = (-dx * 0.866f - dy * 0.5f) - h * 0.25f;
            const float right = (dx * 0.866f - dy * 0.5f) - h * 0.25f;
            return std::max(base, std::max(left, right));
        }
        case 5: {  // ×: distance to either diagonal
            const float d1 = std::abs(dx - dy) * 0.7071f, d2 = std::abs(dx + dy) * 0.7071f;
            return std::max(std::min(d1, d2) - thick, std::max(ax, ay) - r);
        }
        case 6:
            return std::max(std::min(ax, ay) - thick, std::max(ax, ay) - r);
        case 7:
            return std::max(ay - thick * 1.3f, ax - r * 1.1f);
        case 8:
            return std::max(ax - thick * 1.3f, ay - r * 1.1f);
        default: {  // two dots side by side
            const float s = r * 0.55f;
            const float d1 = std::sqrt((dx - s) * (dx - s) + dy * dy);
            const float d2 = std::sqrt((dx + s) * (dx + s) + dy * dy);
            return std::min(d1, d2) - r * 0.38f;
        }
    }
}

void draw_shapes(Mat& x, std::vector<uint8_t>& y, int count, std::mt19937& rng) {
    const int side = 28;
    x.setZero(side * side, count);
    y.resize(count);
    std::uniform_real_distribution<float> jitter(-4.0f, 4.0f), size(5.5f, 9.0f), ink(0.6f, 1.0f);
    for (int i = 0; i < count; ++i) {
        const int kind = i % 10;
        y[i] = uint8_t(kind);
        const float cx = 13.5f + jitter(rng), cy = 13.5f + jitter(rng), r = size(rng), v = ink(rng);
        for (int row = 0; row < side; ++row)
            for (int col = 0; col < side; ++col) {
                const float d = shape_distance(kind, col + 0.5f, row + 0.5f, cx, cy, r);
                // A one-pixel soft edge: anti-aliased, like a scanned drawing.
                x(row * side + col, i) = v * std::clamp(0.5f - d, 0.0f, 1.0f);
            }
    }
}

void draw_bars(Mat& x, std::vector<uint8_t>& y, int count, std::mt19937& rng) {
    const int side = 16, positions = 8;  // eight 2-pixel rows and eight 2-pixel columns
    x.setZero(side * side, count);
    y.resize(count);
    std::bernoulli_distribution on(1.0 / positions);
    for (int i = 0; i < count; ++i) {
        int bars = 0;
        for (int p = 0; p < positions; ++p) {
            if (on(rng)) {
                ++bars;
                for (int t = 0; t < side; ++t)
                    for (int w = 0; w < 2; ++w) x((2 * p + w) * side + t, i) = 1.0f;
            }
            if (on(rng)) {
                ++bars;
                for (int t = 0; t < side; ++t)
                    for (int w = 0; w < 2; ++w) x(t * side + 2 * p + w, i) = 1.0f;
            }
        }
        y[i] = uint8_t(std::min(bars, 9));
    }
}

// Points near a tilted plane in 3-D: x = c + a·u + b·v + ε·w with u, v spanning the plane,
// w its normal, a, b ~ N(0, 0.15²), ε ~ N(0, 0.02²) — the PCA lesson seen before measured:
// a 2-unit linear autoencoder's plane and PCA's plane are the same plane. Class: the
// quadrant of (a, b), so a 2-D code's scatter shows how the plane is laid out.
void draw_plane(Mat& x, std::vector<uint8_t>& y, int count, std::mt19937& rng) {
    const Eigen::Vector3f centre(0.5f, 0.5f, 0.5f);
    const Eigen::Vector3f u = Eigen::Vector3f(1.0f, 0.3f, 0.5f).normalized();
    const Eigen::Vector3f w = u.cross(Eigen::Vector3f(0.2f, 1.0f, -0.4f)).normalized();
    const Eigen::Vector3f v = w.cross(u);
    std::normal_distribution<float> in_plane(0.0f, 0.15f), off_plane(0.0f, 0.02f);
    x.resize(3, count);
    y.resize(count);
    for (int i = 0; i < count; ++i) {
        const float a = in_plane(rng), b = in_plane(rng);
        x.col(i) = centre + a * u + b * v + off_plane(rng) * w;
        y[i] = uint8_t((a >= 0 ? 1 : 0) + (b >= 0 ? 2 : 0));
    }
}

}  // namespace

bool is_synthetic_name(const std::string& name) {
    return name == "shapes" || name == "bars" || name == "plane3d";
}

std::shared_ptr<const Dataset> make_synthetic(const std::string& name) {
    auto data = std::make_shared<Dataset>();
    data->name = name;
    std::mt19937 rng(kSyntheticSeed);
    if (name == "plane3d") {
        data->width = 3;  // one "image" is a point: three "pixels", x, y and z
        data->height = 1;
        draw_plane(data->train_x, data->train_y, kSyntheticTrain, rng);
        draw_plane(data->test_x, data->test_y, kSyntheticTest, rng);
        data->class_names = {"a < 0, b < 0", "a ≥ 0, b < 0", "a < 0, b ≥ 0", "a ≥ 0, b ≥ 0"};
    } else if (name == "bars") {
        data->width = data->height = 16;
        draw_bars(data->train_x, data->train_y, kSyntheticTrain, rng);
        draw_bars(data->test_x, data->test_y, kSyntheticTest, rng);
        for (int c = 0; c < 10; ++c)
            data->class_names.push_back(std::to_string(c) + (c == 9 ? "+ bars" : " bars"));
    } else {
        data->width = data->height = 28;
        draw_shapes(data->train_x, data->train_y, kSyntheticTrain, rng);
        draw_shapes(data->test_x, data->test_y, kSyntheticTest, rng);
        data->class_names = kShapeClasses;
    }
    return data;
}

Expected<std::shared_ptr<const Dataset>> load_dataset(const std::string& dataset) {
    if (is_synthetic_name(dataset)) return make_synthetic(dataset);
    if (dataset == "fashion-mnist") {
        std::error_code ec;
        if (!std::filesystem::is_directory(kFashionMnistDir, ec)) {
            auto fallback = std::make_shared<Dataset>(*make_synthetic("shapes"));
            fallback->notice = std::string("Fashion-MNIST is not installed (") + kFashionMnistDir +
                               ", Debian package dataset-fashion-mnist): training on the "
                               "built-in 'shapes' set instead.";
            return std::shared_ptr<const Dataset>(std::move(fallback));
        }
        auto loaded = load_idx_folder(kFashionMnistDir);
        if (!loaded) return Error{loaded.error()};
        (*loaded)->name = "Fashion-MNIST";
        (*loaded)->class_names = kFashionClasses;
        return std::shared_ptr<const Dataset>(*loaded);
    }
    auto loaded = load_idx_folder(dataset);
    if (!loaded) return Error{loaded.error()};
    return std::shared_ptr<const Dataset>(*loaded);
}

Expected<int> resolve_class(const Dataset& data, const std::string& holdout_class) {
    if (holdout_class == "none") return -1;
    auto lower = [](std::string t) {
        for (char& c : t) c = char(std::tolower((unsigned char)c));
        return t;
    };
    for (int c = 0; c < data.class_count(); ++c)
        if (lower(data.class_names[c]) == lower(holdout_class) || std::to_string(c) == holdout_class)
            return c;
    std::string classes;
    for (int c = 0; c < data.class_count(); ++c)
        classes += (c ? ", " : "") + std::to_string(c) + " " + data.class_names[c];
    return Error{"config key 'holdout_class': '" + holdout_class + "' is not a class of " +
                 data.name + "; allowed: none, or one of " + classes};
}

std::string prepared_data_key(const Config& c) {
    return c.dataset + "|" + c.holdout_class + "|" + std::to_string(c.train_size) + "|" +
           (c.train_size > 0 ? std::to_string(c.seed) : "") + "|" + (c.binarize ? "b" : "") +
           "|" + to_string(c.normalize);
}

void Dataset::denormalise(MatRef images) const {
    if (!normalised()) return;
    images.array().colwise() *= pixel_scale.array();
    images.colwise() += pixel_mean;
}

Expected<std::shared_ptr<const Dataset>> prepare_dataset(std::shared_ptr<const Dataset> full,
                                                         const Config& config) {
    auto holdout = resolve_class(*full, config.holdout_class);
    if (!holdout) return Error{holdout.error()};
    const int n_train = int(full->train_x.cols());
    const bool subset = config.train_size > 0 && config.train_size < n_train;
    const bool normalise = config.normalize != NormalizeKind::None;
    if (!subset && !config.binarize && !normalise && *holdout < 0) return full;
    auto data = std::make_shared<Dataset>();
    data->name = full->name;
    data->notice = full->notice;
    data->width = full->width;
    data->height = full->height;
    data->class_names = full->class_names;
    data->test_x = full->test_x;
    data->test_y = full->test_y;
    data->holdout_class = *holdout;
    // The training samples to keep: all but the held-out class, then a seeded subset.
    std::vector<int> order;
    for (int i = 0; i < n_train; ++i)
        if (full->train_y[i] != *holdout) order.push_back(i);
    if (config.train_size > 0 && config.train_size < int(order.size())) {
        std::mt19937 rng(config.seed);
        std::shuffle(order.begin(), order.end(), rng);
        order.resize(config.train_size);
        std::sort(order.begin(), order.end());
    }
    if (int(order.size()) == n_train) {
        data->train_x = full->train_x;
        data->train_y = full->train_y;
    } else {
        data->train_x.resize(full->train_x.rows(), int(order.size()));
        data->train_y.resize(order.size());
        for (size_t i = 0; i < order.size(); ++i) {
            data->train_x.col(i) = full->train_x.col(order[i]);
            data->train_y[i] = full->train_y[order[i]];
        }
    }
    if (config.binarize) {
        data->train_x = (data->train_x.array() > 0.5f).cast<float>().matrix();
        data->test_x = (data->test_x.array() > 0.5f).cast<float>().matrix();
    }
    if (normalise && data->train_x.cols() > 0) {
        // Statistics of the training set only, applied to both sets (the test set is unseen).
        data->pixel_mean = data->train_x.rowwise().mean();
        data->pixel_scale = Vec::Ones(data->input_size());
        if (config.normalize == NormalizeKind::Standardize) {
            const Vec variance = (data->train_x.colwise() - data->pixel_mean)
                                     .array()
                                     .square()
                                     .rowwise()
                                     .mean()
                                     .matrix();
            // A pixel that never changes (an image's border) keeps scale 1: x′ = 0 there.
            for (Eigen::Index j = 0; j < variance.size(); ++j)
                data->pixel_scale[j] = variance[j] > 1e-6f ? std::sqrt(variance[j]) : 1.0f;
        }
        for (Mat* x : {&data->train_x, &data->test_x}) {
            x->colwise() -= data->pixel_mean;
            x->array().colwise() /= data->pixel_scale.array();
        }
    }
    return std::shared_ptr<const Dataset>(std::move(data));
}

std::vector<int> probe_indices(const Dataset& data, int count) {
    std::vector<int> chosen;
    const int n = int(data.test_y.size());
    count = std::min(count, n);
    std::vector<bool> taken(n, false);
    std::vector<bool> class_seen(256, false);
    for (int i = 0; i < n && int(chosen.size()) < count; ++i) {
        if (!class_seen[data.test_y[i]]) {
            class_seen[data.test_y[i]] = true;
            taken[i] = true;
            chosen.push_back(i);
        }
    }
    for (int i = 0; i < n && int(chosen.size()) < count; ++i)
        if (!taken[i]) chosen.push_back(i);
    return chosen;
}

}  // namespace aelab
