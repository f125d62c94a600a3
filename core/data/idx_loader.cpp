// IDX files (the MNIST format): a big-endian header, then bytes. zlib's gzread reads both
// gzipped and plain files, so one code path serves both.
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>

#include "core/base/byte_budget.h"
#include "core/data/dataset.h"

namespace aelab {
namespace {

constexpr uint32_t kImagesMagic = 0x00000803;
constexpr uint32_t kLabelsMagic = 0x00000801;

uint32_t big_endian_u32(const uint8_t* p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

// An IDX file open for reading through zlib, header first: the header is checked (magic,
// plausible dimensions, a size this machine can hold) before the data is read, and exactly
// the bytes the header promises are read — so a file that claims too much, a symlink to
// /dev/zero or a FIFO is refused at once instead of filling memory or hanging.
class IdxFile {
public:
    static Expected<std::unique_ptr<IdxFile>> open(const std::string& path) {
        std::error_code ec;
        const auto status = std::filesystem::status(path, ec);  // follows symlinks
        if (!std::filesystem::exists(status)) return Error{path + ": file not found"};
        if (std::filesystem::is_directory(status)) return Error{path + ": is a folder, not a file"};
        if (!std::filesystem::is_regular_file(status))
            return Error{path +
                         ": is not a regular file (a device, a FIFO or a socket); aelab reads "
                         "IDX data from regular files only"};
        gzFile file = gzopen(path.c_str(), "rb");
        if (!file) return Error{path + ": cannot be opened for reading"};
        return std::unique_ptr<IdxFile>(new IdxFile(path, file));
    }
    ~IdxFile() {
        if (m_file) gzclose(m_file);
    }

    // Up to `count` bytes; fewer at the end of the data. An error for corrupt gzip data.
    Expected<size_t> read(uint8_t* out, size_t count) {
        size_t done = 0;
        while (done < count) {
            const unsigned chunk = unsigned(std::min<size_t>(count - done, 1u << 30));
            const int got = gzread(m_file, out + done, chunk);
            if (got < 0) {
                int code = 0;
                return Error{m_path + ": truncated or corrupt gzip data (" +
                             gzerror(m_file, &code) + ")"};
            }
            if (got == 0) break;
            done += size_t(got);
        }
        return done;
    }

    // The file's size when it is not gzipped (zlib reads it as it is), else nothing: the
    // decompressed size is known only by reading.
    std::optional<uint64_t> plain_size() const {
        if (!gzdirect(m_file)) return std::nullopt;
        std::error_code ec;
        const auto size = std::filesystem::file_size(m_path, ec);
        if (ec) return std::nullopt;
        return uint64_t(size);
    }

    // After the last read: gzread stops quietly at a cut-off gzip stream; gzclose_r says so.
    std::optional<Error> close() {
        const int status = gzclose(m_file);
        m_file = nullptr;
        if (status == Z_BUF_ERROR)
            return Error{m_path + ": truncated gzip data (the file ends in the middle of the stream)"};
        return std::nullopt;
    }

private:
    IdxFile(std::string path, gzFile file) : m_path(std::move(path)), m_file(file) {}
    std::string m_path;
    gzFile m_file;
};

std::string hex(uint32_t v) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "0x%08X", v);
    return buffer;
}

// The magic first, then the header's length: a label file given as images should say so,
// not "truncated". kind is "image" or "label".
std::optional<Error> check_header(const std::string& path, const uint8_t* b, size_t size,
                                  uint32_t want, size_t header_bytes, const char* kind) {
    const uint32_t other = want == kImagesMagic ? kLabelsMagic : kImagesMagic;
    if (size >= 4 && big_endian_u32(b) != want) {
        const uint32_t magic = big_endian_u32(b);
        return Error{path + ": wrong magic number " + hex(magic) + " (an IDX " + kind +
                     " file has " + hex(want) +
                     (magic == other
                          ? std::string("; this is ") +
                                (want == kImagesMagic ? "a label" : "an image") + " file)"
                          : ")")};
    }
    if (size < header_bytes)
        return Error{path + ": truncated header (" + std::to_string(size) + " bytes; an IDX " +
                     kind + " file starts with " + std::to_string(header_bytes) + ")"};
    return std::nullopt;
}

// Reads exactly `payload` bytes after the header, then makes sure nothing follows.
// `dimensions` ("3×28×28", "60000 labels") names what the header promised. The header is
// a stranger's word: a plain file's size is checked against it before anything is read, and
// the buffer grows only as decompressed data really arrives (at most twice what came), so
// a small .gz that declares gigabytes is refused as truncated without allocating them.
Expected<std::vector<uint8_t>> read_payload(IdxFile& file, const std::string& path,
                                            size_t header_bytes, uint64_t payload,
                                            const std::string& dimensions) {
    const uint64_t need = header_bytes + payload;
    const auto truncated = [&](uint64_t has) {
        return Error{path + ": " + dimensions + " need " + std::to_string(need) +
                     " bytes but the file has " + std::to_string(has) + " (truncated)"};
    };
    if (auto plain = file.plain_size(); plain && *plain < need) return truncated(*plain);
    constexpr size_t kChunk = size_t(1) << 20;
    std::vector<uint8_t> bytes;
    size_t got = 0;
    while (got < payload) {
        const size_t want = size_t(std::min<uint64_t>(payload - got, kChunk));
        if (bytes.size() < got + want)
            bytes.resize(std::min<uint64_t>(payload, std::max<uint64_t>(got + want, 2 * bytes.size())));
        auto read = file.read(bytes.data() + got, want);
        if (!read) return Error{read.error()};
        got += *read;
        if (*read < want) break;
    }
    uint8_t extra = 0;
    auto more = got == payload ? file.read(&extra, 1) : Expected<size_t>(size_t(0));
    if (!more) return Error{more.error()};
    if (auto error = file.close()) return *error;
    if (got < payload) return truncated(header_bytes + got);
    if (*more > 0)
        return Error{path + ": " + dimensions + " need " + std::to_string(need) +
                     " bytes but the file has more (data after the last item)"};
    return bytes;
}

}  // namespace

Expected<IdxImages> read_idx_images(const std::string& path) {
    auto file = IdxFile::open(path);
    if (!file) return Error{file.error()};
    uint8_t header[16];
    auto got = (*file)->read(header, sizeof header);
    if (!got) return Error{got.error()};
    if (auto error = check_header(path, header, *got, kImagesMagic, 16, "image")) return *error;
    const uint64_t count = big_endian_u32(header + 4);
    const uint64_t rows = big_endian_u32(header + 8);
    const uint64_t cols = big_endian_u32(header + 12);
    const std::string dims =
        "dimensions " + std::to_string(count) + "×" + std::to_string(rows) + "×" + std::to_string(cols);
    if (count == 0 || rows == 0 || cols == 0 || count > kMaxIdxImages)
        return Error{path + ": implausible " + dims};
    if (rows * cols > uint64_t(kMaxImagePixels))
        return Error{path + ": images of " + std::to_string(rows) + "×" + std::to_string(cols) +
                     " pixels are too large: aelab's models take one input per pixel, up to " +
                     std::to_string(kMaxImagePixels) + " (256×256)"};
    // The bytes, then the same pixels as floats: refuse what cannot fit before reading.
    const double needed = double(count) * double(rows * cols) * (1 + sizeof(float));
    if (needed > double(memory_budget_bytes()))
        return Error{path + ": " + dims + " need about " + format_bytes(needed) +
                     " of memory, more than the " + format_bytes(double(memory_budget_bytes())) +
                     " a run may use on this machine"};
    auto pixels = read_payload(**file, path, 16, count * rows * cols, dims);
    if (!pixels) return Error{pixels.error()};
    IdxImages images;
    images.count = int(count);
    images.rows = int(rows);
    images.cols = int(cols);
    images.pixels = std::move(*pixels);
    return images;
}

Expected<std::vector<uint8_t>> read_idx_labels(const std::string& path) {
    auto file = IdxFile::open(path);
    if (!file) return Error{file.error()};
    uint8_t header[8];
    auto got = (*file)->read(header, sizeof header);
    if (!got) return Error{got.error()};
    if (auto error = check_header(path, header, *got, kLabelsMagic, 8, "label")) return *error;
    const uint64_t count = big_endian_u32(header + 4);
    if (count > kMaxIdxImages)
        return Error{path + ": implausible label count " + std::to_string(count)};
    if (double(count) > double(memory_budget_bytes()))
        return Error{path + ": " + std::to_string(count) + " labels need " +
                     format_bytes(double(count)) + " of memory, more than the " +
                     format_bytes(double(memory_budget_bytes())) + " a run may use on this machine"};
    return read_payload(**file, path, 8, count, "header says " + std::to_string(count) + " labels:");
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
