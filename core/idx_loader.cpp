// IDX files (the MNIST format): a big-endian header, then bytes. zlib's gzread reads both
// gzipped and plain files, so one code path serves both.
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "core/dataset.h"

namespace aelab {
namespace {

constexpr uint32_t kImagesMagic = 0x00000803;
constexpr uint32_t kLabelsMagic = 0x00000801;

uint32_t big_endian_u32(const uint8_t* p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

Expected<std::vector<uint8_t>> read_whole_file(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return Error{path + ": file not found"};
    if (std::filesystem::is_directory(path, ec)) return Error{path + ": is a folder, not a file"};
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file) return Error{path + ": cannot be opened for reading"};
    std::vector<uint8_t> bytes;
    constexpr unsigned kChunk = 1u << 20;
    for (;;) {
        const size_t old_size = bytes.size();
        bytes.resize(old_size + kChunk);
        const int got = gzread(file, bytes.data() + old_size, kChunk);
        if (got < 0) {
            int code = 0;
            std::string message = gzerror(file, &code);
            gzclose(file);
            return Error{path + ": cannot be read (" + message + ")"};
        }
        bytes.resize(old_size + got);
        if (got < int(kChunk)) break;
    }
    int code = 0;
    const char* message = gzerror(file, &code);
    if (code != Z_OK && code != Z_STREAM_END) {
        std::string text = message;
        gzclose(file);
        return Error{path + ": truncated or corrupt gzip data (" + text + ")"};
    }
    // gzread stops quietly at a cut-off gzip stream; gzclose_r reports it.
    if (gzclose(file) == Z_BUF_ERROR)
        return Error{path + ": truncated gzip data (the file ends in the middle of the stream)"};
    return bytes;
}

std::string hex(uint32_t v) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "0x%08X", v);
    return buffer;
}

// The magic first, then the header's length: a label file given as images should say so,
// not "truncated". kind is "image" or "label".
std::optional<Error> check_header(const std::string& path, const std::vector<uint8_t>& b,
                                  uint32_t want, size_t header_bytes, const char* kind) {
    const uint32_t other = want == kImagesMagic ? kLabelsMagic : kImagesMagic;
    if (b.size() >= 4 && big_endian_u32(b.data()) != want) {
        const uint32_t magic = big_endian_u32(b.data());
        return Error{path + ": wrong magic number " + hex(magic) + " (an IDX " + kind +
                     " file has " + hex(want) +
                     (magic == other
                          ? std::string("; this is ") +
                                (want == kImagesMagic ? "a label" : "an image") + " file)"
                          : ")")};
    }
    if (b.size() < header_bytes)
        return Error{path + ": truncated header (" + std::to_string(b.size()) + " bytes; an IDX " +
                     kind + " file starts with " + std::to_string(header_bytes) + ")"};
    return std::nullopt;
}

}  // namespace

Expected<IdxImages> read_idx_images(const std::string& path) {
    auto bytes = read_whole_file(path);
    if (!bytes) return Error{bytes.error()};
    const std::vector<uint8_t>& b = *bytes;
    if (auto error = check_header(path, b, kImagesMagic, 16, "image")) return *error;
    IdxImages images;
    const uint64_t count = big_endian_u32(b.data() + 4);
    const uint64_t rows = big_endian_u32(b.data() + 8);
    const uint64_t cols = big_endian_u32(b.data() + 12);
    if (count == 0 || rows == 0 || cols == 0 || rows > 4096 || cols > 4096 || count > 100000000)
        return Error{path + ": implausible dimensions " + std::to_string(count) + "×" +
                     std::to_string(rows) + "×" + std::to_string(cols)};
    const uint64_t expected = 16 + count * rows * cols;
    if (b.size() != expected)
        return Error{path + ": dimensions " + std::to_string(count) + "×" + std::to_string(rows) +
                     "×" + std::to_string(cols) + " need " + std::to_string(expected) +
                     " bytes but the file has " + std::to_string(b.size()) +
                     (b.size() < expected ? " (truncated)" : "")};
    images.count = int(count);
    images.rows = int(rows);
    images.cols = int(cols);
    images.pixels.assign(b.begin() + 16, b.end());
    return images;
}

Expected<std::vector<uint8_t>> read_idx_labels(const std::string& path) {
    auto bytes = read_whole_file(path);
    if (!bytes) return Error{bytes.error()};
    const std::vector<uint8_t>& b = *bytes;
    if (auto error = check_header(path, b, kLabelsMagic, 8, "label")) return *error;
    const uint64_t count = big_endian_u32(b.data() + 4);
    if (b.size() != 8 + count)
        return Error{path + ": header says " + std::to_string(count) +
                     " labels but the file holds " + std::to_string(b.size() - 8) +
                     (b.size() < 8 + count ? " (truncated)" : "")};
    return std::vector<uint8_t>(b.begin() + 8, b.end());
}

namespace {

// Finds the file of one role in an MNIST-style folder, whatever its prefix
// ("train-images-idx3-ubyte.gz", "emnist-letters-train-images-idx3-ubyte", …).
std::string find_role(const std::string& folder, bool train, bool images) {
    std::vector<std::string> matches;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        const bool is_train = name.find("train") != std::string::npos;
        const bool is_test =
            name.find("t10k") != std::string::npos || name.find("test") != std::string::npos;
        const bool is_images =
            name.find("images") != std::string::npos || name.find("idx3") != std::string::npos;
        const bool is_labels =
            name.find("labels") != std::string::npos || name.find("idx1") != std::string::npos;
        if ((train ? is_train : is_test) && (images ? is_images : is_labels))
            matches.push_back(entry.path().string());
    }
    std::sort(matches.begin(), matches.end());
    return matches.empty() ? std::string() : matches.front();
}

void to_floats(const IdxImages& images, Mat& out) {
    const int n = images.rows * images.cols;
    out.resize(n, images.count);
    const float scale = 1.0f / 255.0f;
    for (Eigen::Index i = 0; i < out.size(); ++i) out.data()[i] = images.pixels[i] * scale;
}

}  // namespace

Expected<std::shared_ptr<Dataset>> load_idx_folder(const std::string& folder) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
        return Error{folder +
                     ": not a folder (dataset expects fashion-mnist, shapes, bars, or a "
                     "folder with MNIST-format IDX files)"};
    std::string paths[4];
    const char* roles[4] = {"training images", "training labels", "test images", "test labels"};
    for (int r = 0; r < 4; ++r) {
        paths[r] = find_role(folder, r < 2, r % 2 == 0);
        if (paths[r].empty())
            return Error{folder + ": no " + std::string(roles[r]) + " file (expected a name like " +
                         (r < 2 ? "train-" : "t10k-") +
                         (r % 2 == 0 ? "images-idx3" : "labels-idx1") + "-ubyte[.gz])"};
    }
    auto train_images = read_idx_images(paths[0]);
    if (!train_images) return Error{train_images.error()};
    auto train_labels = read_idx_labels(paths[1]);
    if (!train_labels) return Error{train_labels.error()};
    auto test_images = read_idx_images(paths[2]);
    if (!test_images) return Error{test_images.error()};
    auto test_labels = read_idx_labels(paths[3]);
    if (!test_labels) return Error{test_labels.error()};
    if (int(train_labels->size()) != train_images->count)
        return Error{paths[1] + ": " + std::to_string(train_labels->size()) + " labels for " +
                     std::to_string(train_images->count) + " images in " + paths[0]};
    if (int(test_labels->size()) != test_images->count)
        return Error{paths[3] + ": " + std::to_string(test_labels->size()) + " labels for " +
                     std::to_string(test_images->count) + " images in " + paths[2]};
    if (test_images->rows != train_images->rows || test_images->cols != train_images->cols)
        return Error{paths[2] + ": images are " + std::to_string(test_images->rows) + "×" +
                     std::to_string(test_images->cols) + " but the training images are " +
                     std::to_string(train_images->rows) + "×" + std::to_string(train_images->cols)};

    auto data = std::make_shared<Dataset>();
    data->name = folder;
    data->width = train_images->cols;
    data->height = train_images->rows;
    to_floats(*train_images, data->train_x);
    to_floats(*test_images, data->test_x);
    data->train_y = std::move(*train_labels);
    data->test_y = std::move(*test_labels);
    int classes = 0;
    for (uint8_t y : data->train_y) classes = std::max(classes, int(y) + 1);
    for (uint8_t y : data->test_y) classes = std::max(classes, int(y) + 1);
    for (int c = 0; c < classes; ++c) data->class_names.push_back(std::to_string(c));
    return data;
}

}  // namespace aelab
