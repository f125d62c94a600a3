// Training and test data: MNIST-format IDX files (Fashion-MNIST by default) or a built-in
// synthetic set. Any thread; a Dataset is immutable once built and shared by pointer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/expected.h"
#include "core/base/tensor.h"
#include "core/config/config.h"

namespace aelab {

inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";
// Limits of an IDX file, checked on its header before any data is read.
inline constexpr int kMaxImagePixels = 256 * 256;  // one input per pixel
inline constexpr uint64_t kMaxIdxImages = 100000000;

struct Dataset {
    std::string name;           // "Fashion-MNIST", "shapes", or the folder it came from
    std::string notice;         // shown to the user, e.g. why a fallback was used
    int width = 0, height = 0;  // image shape; n = width·height
    Mat train_x, test_x;        // n×N, pixels in [0, 1], one sample per column
    std::vector<uint8_t> train_y, test_y;
    std::vector<std::string> class_names;

    // How train_x and test_x were normalised (the normalize key): x′ = (x − pixel_mean) /
    // pixel_scale, per pixel; both empty when they hold raw pixels in [0, 1].
    Vec pixel_mean, pixel_scale;
    int holdout_class = -1;  // the class kept out of train_x (holdout_class), or −1

    int input_size() const { return static_cast<int>(train_x.rows()); }
    int class_count() const { return static_cast<int>(class_names.size()); }
    bool normalised() const { return pixel_mean.size() > 0; }
    // Images (n×k, columns) back to pixels in [0, 1], in place, for display.
    void denormalise(MatRef images) const;
};

struct IdxImages {
    int count = 0, rows = 0, cols = 0;
    std::vector<uint8_t> pixels;  // count·rows·cols, one image after another
};

// Reads an IDX image file (magic 0x00000803) or label file (0x00000801), gzipped or plain.
// Errors name the file and what is wrong (missing, not a regular file, truncated, wrong
// magic, size mismatch, images too large, more than this machine's memory).
Expected<IdxImages> read_idx_images(const std::string& path);
Expected<std::vector<uint8_t>> read_idx_labels(const std::string& path);

// Loads the four IDX files of an MNIST-format folder (train/t10k images and labels).
Expected<std::shared_ptr<Dataset>> load_idx_folder(const std::string& folder);

// The built-in sets, made procedurally (no files needed): "shapes" (28×28 grey drawings of
// ten shapes), "bars" (16×16 binary images of random horizontal and vertical bars) and
// "plane3d" (points in 3-D near a tilted plane, for the PCA lesson; four classes).
std::shared_ptr<const Dataset> make_synthetic(const std::string& name);
bool is_synthetic_name(const std::string& name);

// The dataset that `config.dataset` names: fashion-mnist (falling back to "shapes" with a
// notice when the package is absent), a synthetic name, or an IDX folder.
Expected<std::shared_ptr<const Dataset>> load_dataset(const std::string& dataset);

// The training view a config asks for, in this order: the held-out class removed from the
// training set (holdout_class), a seeded subset of train_size samples, binarised pixels
// (threshold 0.5), per-pixel normalisation from the training set's statistics. Returns
// `full` itself when none applies; an error names holdout_class when it is not a class.
Expected<std::shared_ptr<const Dataset>> prepare_dataset(std::shared_ptr<const Dataset> full,
                                                         const Config& config);

// The class index `holdout_class` names in `data` ("3", "Bag", case-insensitive), −1 for
// "none", or an error naming the key and the classes.
Expected<int> resolve_class(const Dataset& data, const std::string& holdout_class);

// What prepare_dataset depends on: two configs with the same key get the same data (the
// trainer keeps a prepared set across rebuilds that keep it).
std::string prepared_data_key(const Config& config);

// `count` test indices for the probe view: the first sample of each class, then the next
// ones in order — so every class shows up.
std::vector<int> probe_indices(const Dataset& data, int count);

}  // namespace aelab
