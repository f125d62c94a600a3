// IDX loading on good and bad files the test writes itself, the synthetic sets, subsets.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "core/data/dataset.h"

using namespace aelab;
namespace fs = std::filesystem;

namespace {

std::vector<uint8_t> be32(uint32_t v) {
    return {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
}

std::vector<uint8_t> images_bytes(uint32_t count, uint32_t rows, uint32_t cols,
                                  uint32_t magic = 0x00000803) {
    std::vector<uint8_t> b;
    for (uint32_t v : {magic, count, rows, cols})
        for (uint8_t byte : be32(v)) b.push_back(byte);
    for (uint32_t i = 0; i < count * rows * cols; ++i) b.push_back(uint8_t(i * 7));
    return b;
}

std::vector<uint8_t> labels_bytes(uint32_t count, uint32_t magic = 0x00000801) {
    std::vector<uint8_t> b;
    for (uint32_t v : {magic, count})
        for (uint8_t byte : be32(v)) b.push_back(byte);
    for (uint32_t i = 0; i < count; ++i) b.push_back(uint8_t(i % 10));
    return b;
}

class LoaderTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() /
              ("aelab_loader_" +
               std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }

    std::string write(const std::string& name, const std::vector<uint8_t>& bytes,
                      bool gzip = false) {
        const std::string path = (dir / name).string();
        if (gzip) {
            gzFile f = gzopen(path.c_str(), "wb");
            gzwrite(f, bytes.data(), unsigned(bytes.size()));
            gzclose(f);
        } else {
            std::ofstream(path, std::ios::binary)
                .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        }
        return path;
    }
    void write_folder(bool gzip, uint32_t train = 20, uint32_t test = 5) {
        const std::string ext = gzip ? ".gz" : "";
        write("train-images-idx3-ubyte" + ext, images_bytes(train, 4, 3), gzip);
        write("train-labels-idx1-ubyte" + ext, labels_bytes(train), gzip);
        write("t10k-images-idx3-ubyte" + ext, images_bytes(test, 4, 3), gzip);
        write("t10k-labels-idx1-ubyte" + ext, labels_bytes(test), gzip);
    }
    fs::path dir;
};

void expect_error(const std::string& message, const std::string& path, const std::string& what) {
    EXPECT_NE(message.find(path), std::string::npos) << "names the file: " << message;
    EXPECT_NE(message.find(what), std::string::npos) << "says what is wrong: " << message;
}

}  // namespace

TEST_F(LoaderTest, ReadsPlainAndGzippedImagesTheSame) {
    const auto plain = read_idx_images(write("a", images_bytes(3, 2, 5)));
    const auto gz = read_idx_images(write("a.gz", images_bytes(3, 2, 5), true));
    ASSERT_TRUE(plain) << plain.error();
    ASSERT_TRUE(gz) << gz.error();
    EXPECT_EQ(plain->count, 3);
    EXPECT_EQ(plain->rows, 2);
    EXPECT_EQ(plain->cols, 5);
    EXPECT_EQ(plain->pixels, gz->pixels);
    EXPECT_EQ(plain->pixels[4], uint8_t(4 * 7));
}

TEST_F(LoaderTest, MissingFile) {
    const std::string path = (dir / "nope.gz").string();
    auto r = read_idx_images(path);
    ASSERT_FALSE(r);
    expect_error(r.error(), path, "not found");
}

TEST_F(LoaderTest, TruncatedHeaderAndData) {
    auto bytes = images_bytes(3, 2, 5);
    const std::string header = write("h", {bytes.begin(), bytes.begin() + 10});
    auto r = read_idx_images(header);
    ASSERT_FALSE(r);
    expect_error(r.error(), header, "truncated header");

    bytes.resize(bytes.size() - 7);
    const std::string data = write("d", bytes);
    r = read_idx_images(data);
    ASSERT_FALSE(r);
    expect_error(r.error(), data, "truncated");
}

TEST_F(LoaderTest, TruncatedGzipStream) {
    const std::string full = write("full.gz", images_bytes(200, 28, 28), true);
    std::ifstream in(full, std::ios::binary);
    std::vector<char> gz((std::istreambuf_iterator<char>(in)), {});
    gz.resize(gz.size() / 2);
    const std::string cut = write("cut.gz", std::vector<uint8_t>(gz.begin(), gz.end()));
    auto r = read_idx_images(cut);
    ASSERT_FALSE(r);
    expect_error(r.error(), cut, "truncated");
}

TEST_F(LoaderTest, WrongMagic) {
    const std::string labels_as_images = write("l", labels_bytes(4));
    auto r = read_idx_images(labels_as_images);
    ASSERT_FALSE(r);
    expect_error(r.error(), labels_as_images, "wrong magic");
    EXPECT_NE(r.error().find("label file"), std::string::npos);

    const std::string garbage = write("g", images_bytes(1, 1, 1, 0x12345678));
    r = read_idx_images(garbage);
    ASSERT_FALSE(r);
    expect_error(r.error(), garbage, "0x12345678");

    auto l = read_idx_labels(write("i", images_bytes(2, 2, 2)));
    ASSERT_FALSE(l);
    EXPECT_NE(l.error().find("wrong magic"), std::string::npos);
}

TEST_F(LoaderTest, DimensionsThatDoNotMatchTheFileSize) {
    auto bytes = images_bytes(3, 2, 5);
    bytes.push_back(0);  // one byte more than the header promises
    const std::string path = write("long", bytes);
    auto r = read_idx_images(path);
    ASSERT_FALSE(r);
    expect_error(r.error(), path, "3×2×5");

    auto labels = labels_bytes(5);
    labels.pop_back();
    const std::string lpath = write("lab", labels);
    auto l = read_idx_labels(lpath);
    ASSERT_FALSE(l);
    expect_error(l.error(), lpath, "5 labels");
}

TEST_F(LoaderTest, RefusesWhatIsNotARegularFileWithoutReadingIt) {
    // A FIFO would block a reader for ever, a symlink to /dev/zero would fill memory.
    const std::string fifo = (dir / "fifo-images-idx3-ubyte").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    auto r = read_idx_images(fifo);
    ASSERT_FALSE(r);
    expect_error(r.error(), fifo, "not a regular file");

    const std::string zero = (dir / "zero-images-idx3-ubyte").string();
    fs::create_symlink("/dev/zero", zero);
    r = read_idx_images(zero);
    ASSERT_FALSE(r);
    expect_error(r.error(), zero, "not a regular file");
    auto l = read_idx_labels(zero);
    ASSERT_FALSE(l);
    expect_error(l.error(), zero, "not a regular file");

    // A symlink to a good file is followed.
    const std::string good = write("good", images_bytes(2, 2, 2));
    const std::string link = (dir / "link").string();
    fs::create_symlink(good, link);
    EXPECT_TRUE(read_idx_images(link));
}

TEST_F(LoaderTest, RefusesByTheHeaderWhatIsTooBigBeforeReadingTheData) {
    // A 16-byte header that claims one 4096×4096 image: refused on the header alone.
    std::vector<uint8_t> header;
    for (uint32_t v : {0x00000803u, 1u, 4096u, 4096u})
        for (uint8_t byte : be32(v)) header.push_back(byte);
    const std::string big = write("big", header);
    auto r = read_idx_images(big);
    ASSERT_FALSE(r);
    expect_error(r.error(), big, "4096×4096 pixels are too large");

    // 100 million images of 256×256: allowed per image, but not in this machine's memory.
    header.clear();
    for (uint32_t v : {0x00000803u, 100000000u, 256u, 256u})
        for (uint8_t byte : be32(v)) header.push_back(byte);
    const std::string many = write("many", header, /*gzip=*/true);
    r = read_idx_images(many);
    ASSERT_FALSE(r);
    expect_error(r.error(), many, "of memory");
}

// Peak resident memory of this process so far, in MB (each test runs in its own process).
double peak_rss_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;  // KB on Linux
}

TEST_F(LoaderTest, AHeaderThatPromisesMoreThanTheFileHoldsAllocatesNothingBig) {
    // ~98 MB of pixels and 100 MB of labels promised by headers alone (within the memory
    // budget): refused as truncated, plain or gzipped (a gzip bomb's first step), without
    // taking the memory first — the fuzzer's rss limit found the old reader doing so.
    std::vector<uint8_t> images, labels;
    for (uint32_t v : {0x00000803u, 1500u, 256u, 256u})
        for (uint8_t byte : be32(v)) images.push_back(byte);
    for (uint32_t v : {0x00000801u, 100000000u})
        for (uint8_t byte : be32(v)) labels.push_back(byte);
    const double before = peak_rss_mb();
    for (bool gzip : {false, true}) {
        const std::string i = write(gzip ? "i.gz" : "i", images, gzip);
        auto r = read_idx_images(i);
        ASSERT_FALSE(r);
        expect_error(r.error(), i, "truncated");
        const std::string l = write(gzip ? "l.gz" : "l", labels, gzip);
        auto rl = read_idx_labels(l);
        ASSERT_FALSE(rl);
        expect_error(rl.error(), l, "truncated");
    }
    EXPECT_LT(peak_rss_mb() - before, 20.0) << "the reader allocated what the header promised";
}

TEST_F(LoaderTest, LoadsAFolderAndChecksLabelCounts) {
    write_folder(true);
    auto data = load_idx_folder(dir.string());
    ASSERT_TRUE(data) << data.error();
    EXPECT_EQ((*data)->train_x.rows(), 12);
    EXPECT_EQ((*data)->train_x.cols(), 20);
    EXPECT_EQ((*data)->test_x.cols(), 5);
    EXPECT_EQ((*data)->width, 3);
    EXPECT_EQ((*data)->height, 4);
    EXPECT_FLOAT_EQ((*data)->train_x(1, 0), 7.0f / 255.0f);
    EXPECT_EQ((*data)->class_count(), 10);

    // Label count ≠ image count.
    const std::string labels = write("train-labels-idx1-ubyte.gz", labels_bytes(19), true);
    auto bad = load_idx_folder(dir.string());
    ASSERT_FALSE(bad);
    expect_error(bad.error(), labels, "19 labels for 20 images");
}

TEST_F(LoaderTest, FolderErrors) {
    auto not_folder = load_dataset((dir / "missing").string());
    ASSERT_FALSE(not_folder);
    EXPECT_NE(not_folder.error().find("not a folder"), std::string::npos);
    write("train-images-idx3-ubyte", images_bytes(2, 2, 2));
    auto incomplete = load_idx_folder(dir.string());
    ASSERT_FALSE(incomplete);
    EXPECT_NE(incomplete.error().find("no training labels"), std::string::npos);
}

TEST(Datasets, SyntheticSetsAreDeterministicAndInRange) {
    for (const char* name : {"shapes", "bars"}) {
        auto a = make_synthetic(name), b = make_synthetic(name);
        EXPECT_EQ(a->train_x, b->train_x) << name;
        EXPECT_GT(a->train_x.cols(), 1000);
        EXPECT_EQ(a->train_x.rows(), a->width * a->height);
        EXPECT_GE(a->train_x.minCoeff(), 0.0f);
        EXPECT_LE(a->train_x.maxCoeff(), 1.0f);
        EXPECT_GT(a->train_x.mean(), 0.02f) << "images are not blank";
        EXPECT_EQ(a->class_count(), 10);
    }
    auto bars = make_synthetic("bars");
    EXPECT_TRUE(((bars->train_x.array() == 0) || (bars->train_x.array() == 1)).all())
        << "bars are binary";
}

TEST(Datasets, SubsetAndBinarize) {
    auto full = make_synthetic("shapes");
    Config c;
    c.train_size = 100;
    c.binarize = true;
    auto part = *prepare_dataset(full, c);
    EXPECT_EQ(part->train_x.cols(), 100);
    EXPECT_EQ(part->test_x.cols(), full->test_x.cols());
    EXPECT_TRUE(((part->train_x.array() == 0) || (part->train_x.array() == 1)).all());
    c.seed = 2;
    EXPECT_NE((*prepare_dataset(full, c))->train_x, part->train_x) << "the subset follows the seed";
    EXPECT_EQ(prepare_dataset(full, Config{})->get(), full.get()) << "no copy when nothing changes";
}

TEST(Datasets, NormaliseCentresAndScalesWithTheTrainingStatistics) {
    auto full = make_synthetic("shapes");
    Config c;
    c.normalize = NormalizeKind::Center;
    auto centred = *prepare_dataset(full, c);
    EXPECT_LT(centred->train_x.rowwise().mean().cwiseAbs().maxCoeff(), 1e-5f) << "mean 0";
    const Vec mean = full->train_x.rowwise().mean();
    EXPECT_LT((centred->test_x - (full->test_x.colwise() - mean)).cwiseAbs().maxCoeff(), 1e-6f)
        << "the test set moves by the training set's mean";
    Mat shown = centred->test_x.leftCols(5);
    centred->denormalise(shown);
    EXPECT_LT((shown - full->test_x.leftCols(5)).cwiseAbs().maxCoeff(), 1e-6f);

    c.normalize = NormalizeKind::Standardize;
    auto standard = *prepare_dataset(full, c);
    const Mat& x = standard->train_x;
    const Vec variance = x.array().square().rowwise().mean().matrix();
    for (Eigen::Index j = 0; j < variance.size(); ++j)
        if (standard->pixel_scale[j] != 1.0f || variance[j] > 1e-6f)
            EXPECT_NEAR(variance[j], 1.0f, 1e-3f) << "pixel " << j;
    shown = standard->test_x.leftCols(5);
    standard->denormalise(shown);
    EXPECT_LT((shown - full->test_x.leftCols(5)).cwiseAbs().maxCoeff(), 1e-5f);
}

TEST(Datasets, AHeldOutClassLeavesTheTrainingSetOnly) {
    auto full = make_synthetic("shapes");
    Config c;
    c.holdout_class = full->class_names[3];  // by name
    auto data = *prepare_dataset(full, c);
    EXPECT_EQ(data->holdout_class, 3);
    EXPECT_EQ(std::count(data->train_y.begin(), data->train_y.end(), 3), 0);
    EXPECT_GT(std::count(data->test_y.begin(), data->test_y.end(), 3), 0) << "kept in the test set";
    c.holdout_class = "3";  // by index: the same
    EXPECT_EQ((*prepare_dataset(full, c))->train_x, data->train_x);
    c.holdout_class = "42";
    auto bad = prepare_dataset(full, c);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().find("config key 'holdout_class'"), std::string::npos) << bad.error();
    EXPECT_NE(bad.error().find(full->class_names[9]), std::string::npos) << "lists the classes";
}

TEST(Datasets, ProbeCoversEveryClassFirst) {
    auto data = make_synthetic("shapes");
    auto probe = probe_indices(*data, 16);
    ASSERT_EQ(probe.size(), 16u);
    std::vector<bool> seen(10, false);
    for (int i = 0; i < 10; ++i) seen[data->test_y[probe[i]]] = true;
    EXPECT_EQ(std::count(seen.begin(), seen.end(), true), 10);
}

TEST(Datasets, FashionMnistLoadsWhenInstalled) {
    if (!fs::exists(kFashionMnistDir)) GTEST_SKIP() << "dataset-fashion-mnist not installed";
    auto data = load_dataset("fashion-mnist");
    ASSERT_TRUE(data) << data.error();
    EXPECT_EQ((*data)->train_x.cols(), 60000);
    EXPECT_EQ((*data)->test_x.cols(), 10000);
    EXPECT_EQ((*data)->train_x.rows(), 784);
    EXPECT_EQ((*data)->class_names[9], "Ankle boot");
    EXPECT_TRUE((*data)->notice.empty());
}
