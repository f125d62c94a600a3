// Exports: the weights file has PyTorch's names and shapes and holds exactly the network's
// parameters (tied weights written out as the transpose, a VAE's heads split into μ and
// log σ²); numpy, knowing only the file, recomputes aelab's reconstructions and codes; the
// curves CSV has one row per step with blank cells and markers that survive commas and
// quotes; the codes file has N×k codes and the test labels; every file is written atomically.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/base/npz.h"
#include "core/files/export.h"
#include "core/run/session.h"

using namespace aelab;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPython = "/usr/bin/python3";  // Debian's, where python3-numpy is

struct Fixture {
    Config config;
    std::shared_ptr<const Dataset> full, data;
    std::unique_ptr<Session> session;
};

Fixture trained(Config config, int steps) {
    Fixture f;
    config.dataset = "shapes";
    config.train_size = 300;
    f.config = config;
    f.full = make_synthetic("shapes");
    f.data = *prepare_dataset(f.full, config);
    f.session = std::move(*Session::create(config, f.data));
    for (int i = 0; i < steps; ++i) f.session->train_step();
    return f;
}

Config ae(std::vector<HiddenLayer> hidden) {
    Config c;
    c.hidden = std::move(hidden);
    return c;
}

Config vae(std::vector<HiddenLayer> hidden, int latent) {
    Config c;
    c.model = ModelKind::Vae;
    c.hidden = std::move(hidden);
    c.latent = latent;
    return c;
}

fs::path temp(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("aelab_export_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}

void write(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// An npz's arrays by name (".npy" dropped) and its other entries' text.
struct Npz {
    std::map<std::string, NpyArray> arrays;
    std::map<std::string, std::string> texts;
    std::vector<std::string> order;  // every entry's name as written
};

Npz read_npz(const std::string& bytes) {
    Npz out;
    auto entries = read_zip(bytes);
    EXPECT_TRUE(entries) << entries.error();
    if (!entries) return out;
    for (const ZipEntry& e : *entries) {
        out.order.push_back(e.name);
        const size_t dot = e.name.rfind(".npy");
        if (dot != std::string::npos && dot + 4 == e.name.size()) {
            auto array = npy_decode(e.bytes);
            EXPECT_TRUE(array) << e.name << ": " << array.error();
            if (array) out.arrays[e.name.substr(0, dot)] = *array;
        } else {
            out.texts[e.name] = e.bytes;
        }
    }
    return out;
}

using Shapes = std::map<std::string, std::vector<int64_t>>;

Shapes shapes_of(const Npz& npz) {
    Shapes s;
    for (const auto& [name, array] : npz.arrays) s[name] = array.shape;
    return s;
}

// The float32 values of an array, C order.
std::vector<float> floats(const NpyArray& a) {
    EXPECT_EQ(a.type, NpyType::Float32);
    auto v = npy_floats(a);
    return v ? *v : std::vector<float>{};
}

// A row-major out×in array equals `expected` (out×in), every element.
void expect_matrix(const NpyArray& a, const Mat& expected, const std::string& what) {
    ASSERT_EQ(a.shape, (std::vector<int64_t>{expected.rows(), expected.cols()})) << what;
    const std::vector<float> v = floats(a);
    for (Eigen::Index r = 0; r < expected.rows(); ++r)
        for (Eigen::Index c = 0; c < expected.cols(); ++c)
            ASSERT_EQ(v[r * expected.cols() + c], expected(r, c))
                << what << " (" << r << ", " << c << ")";
}

void expect_vector(const NpyArray& a, const Vec& expected, const std::string& what) {
    ASSERT_EQ(a.shape, (std::vector<int64_t>{expected.size()})) << what;
    const std::vector<float> v = floats(a);
    for (Eigen::Index i = 0; i < expected.size(); ++i)
        ASSERT_EQ(v[i], expected[i]) << what << " " << i;
}

// RFC 4180 as the exports write it: fields split on commas, "…" quoted with "" for a quote.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
    bool quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        std::string& field = rows.back().back();
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
                field += '"', ++i;
            else if (c == '"')
                quoted = false;
            else
                field += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().emplace_back();
        } else if (c == '\n') {
            rows.emplace_back(1);
        } else {
            field += c;
        }
    }
    EXPECT_FALSE(quoted) << "unterminated quote";
    if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();  // final newline
    return rows;
}

// Samples n×B as the B×n C-order .npy numpy reads.
std::string samples_npy(const Mat& x) {
    return npy_encode(npy_from_floats(x.data(), {int64_t(x.cols()), int64_t(x.rows())}));
}

}  // namespace

TEST(ExportWeights, TwoLayerAutoencoderHasPyTorchNamesShapesAndValues) {
    Fixture f = trained(ae({24, 8}), 5);
    const Network& net = f.session->network();
    const Npz npz = read_npz(encode_weights_npz(*f.session));
    const Shapes expected = {
        {"encoder.0.weight", {24, 784}}, {"encoder.0.bias", {24}},
        {"encoder.2.weight", {8, 24}},   {"encoder.2.bias", {8}},
        {"decoder.0.weight", {24, 8}},   {"decoder.0.bias", {24}},
        {"decoder.2.weight", {784, 24}}, {"decoder.2.bias", {784}},
        {"example_inputs", {16, 784}},   {"example_outputs", {16, 784}},
    };
    EXPECT_EQ(shapes_of(npz), expected);
    // Layer l of the network is module encoder.2l / decoder.2(l − 2): W out×in in C order.
    const char* names[] = {"encoder.0", "encoder.2", "decoder.0", "decoder.2"};
    for (int l = 0; l < 4; ++l) {
        expect_matrix(npz.arrays.at(std::string(names[l]) + ".weight"), net.weight(l), names[l]);
        expect_vector(npz.arrays.at(std::string(names[l]) + ".bias"), net.bias(l), names[l]);
    }

    ASSERT_EQ(npz.texts.count("config.json"), 1u);
    ASSERT_EQ(npz.texts.count("architecture.json"), 1u);
    const auto config = nlohmann::json::parse(npz.texts.at("config.json"));
    EXPECT_EQ(config["hidden"], nlohmann::json({24, 8}));
    EXPECT_EQ(config["model"], "ae");
    const auto arch = nlohmann::json::parse(npz.texts.at("architecture.json"));
    EXPECT_EQ(arch["model"], "ae");
    EXPECT_EQ(arch["input_size"], 784);
    EXPECT_EQ(arch["code_size"], 8);
    EXPECT_EQ(arch["step"], 5);
    EXPECT_EQ(arch["tied_weights"], false);
    EXPECT_EQ(arch["input"]["normalize"], "none");
    EXPECT_EQ(arch["input"]["image_width"], 28);
    const nlohmann::json modules = nlohmann::json::parse(R"([
        {"name": "encoder.0", "part": "encoder", "in": 784, "out": 24, "activation": "sigmoid"},
        {"name": "encoder.2", "part": "encoder", "in": 24, "out": 8, "activation": "sigmoid"},
        {"name": "decoder.0", "part": "decoder", "in": 8, "out": 24, "activation": "sigmoid"},
        {"name": "decoder.2", "part": "decoder", "in": 24, "out": 784, "activation": "sigmoid"}
    ])");
    EXPECT_EQ(arch["modules"], modules) << arch["modules"].dump();
}

TEST(ExportWeights, TiedDecoderIsWrittenAsTheTranspose) {
    Config c = ae({24, 8});
    c.tied = true;
    c.encoder_act = Activation::Relu;
    c.decoder_act = Activation::Linear;
    Fixture f = trained(c, 5);
    const Network& net = f.session->network();
    const Npz npz = read_npz(encode_weights_npz(*f.session));
    EXPECT_EQ(npz.arrays.at("decoder.0.weight").shape, (std::vector<int64_t>{24, 8}));
    EXPECT_EQ(npz.arrays.at("decoder.2.weight").shape, (std::vector<int64_t>{784, 24}));
    expect_matrix(npz.arrays.at("decoder.0.weight"), Mat(net.weight(1).transpose()), "decoder.0");
    expect_matrix(npz.arrays.at("decoder.2.weight"), Mat(net.weight(0).transpose()), "decoder.2");
    expect_vector(npz.arrays.at("decoder.2.bias"), net.bias(3), "decoder.2 bias (its own)");

    const auto arch = nlohmann::json::parse(npz.texts.at("architecture.json"));
    EXPECT_EQ(arch["tied_weights"], true);
    EXPECT_EQ(arch["modules"][2]["tied_to"], "encoder.2.weight");
    EXPECT_EQ(arch["modules"][3]["tied_to"], "encoder.0.weight");
    EXPECT_EQ(arch["modules"][3]["activation"], "linear");
    EXPECT_EQ(arch["modules"][0]["activation"], "relu");
    EXPECT_FALSE(arch["modules"][0].contains("tied_to"));
    EXPECT_EQ(nlohmann::json::parse(npz.texts.at("config.json"))["tied"], true);
}

TEST(ExportWeights, VaeHeadsAreSplitIntoMuAndLogVar) {
    Fixture f = trained(vae({24}, 2), 5);
    const Network& net = f.session->network();
    const Npz npz = read_npz(encode_weights_npz(*f.session));
    const Shapes expected = {
        {"encoder.0.weight", {24, 784}},    {"encoder.0.bias", {24}},
        {"encoder_mu.weight", {2, 24}},     {"encoder_mu.bias", {2}},
        {"encoder_logvar.weight", {2, 24}}, {"encoder_logvar.bias", {2}},
        {"decoder.0.weight", {24, 2}},      {"decoder.0.bias", {24}},
        {"decoder.2.weight", {784, 24}},    {"decoder.2.bias", {784}},
        {"example_inputs", {16, 784}},      {"example_outputs", {16, 784}},
    };
    EXPECT_EQ(shapes_of(npz), expected);
    const int heads = net.code_layer();  // [μ; log σ²]: rows 0..1 μ, rows 2..3 log σ²
    expect_matrix(npz.arrays.at("encoder_mu.weight"), Mat(net.weight(heads).topRows(2)), "μ");
    expect_matrix(npz.arrays.at("encoder_logvar.weight"), Mat(net.weight(heads).bottomRows(2)),
                  "log σ²");
    expect_vector(npz.arrays.at("encoder_mu.bias"), Vec(net.bias(heads).head(2)), "μ bias");
    expect_vector(npz.arrays.at("encoder_logvar.bias"), Vec(net.bias(heads).tail(2)),
                  "log σ² bias");
    expect_matrix(npz.arrays.at("decoder.0.weight"), net.weight(heads + 1), "decoder.0");

    const auto arch = nlohmann::json::parse(npz.texts.at("architecture.json"));
    EXPECT_EQ(arch["model"], "vae");
    EXPECT_EQ(arch["code_size"], 2);
    EXPECT_EQ(arch["loss"], "bce");
    std::vector<std::string> names;
    for (const auto& m : arch["modules"]) names.push_back(m["name"]);
    EXPECT_EQ(names, (std::vector<std::string>{"encoder.0", "encoder_mu", "encoder_logvar",
                                               "decoder.0", "decoder.2"}));
    EXPECT_EQ(arch["modules"][1]["activation"], "linear");
}

TEST(ExportWeights, NormalisedInputsComeWithTheirMeanAndStd) {
    Config c = ae({16});
    c.normalize = NormalizeKind::Standardize;
    Fixture f = trained(c, 3);
    const Npz npz = read_npz(encode_weights_npz(*f.session));
    ASSERT_EQ(npz.arrays.count("input_mean"), 1u);
    ASSERT_EQ(npz.arrays.count("input_std"), 1u);
    expect_vector(npz.arrays.at("input_mean"), f.data->pixel_mean, "input_mean");
    expect_vector(npz.arrays.at("input_std"), f.data->pixel_scale, "input_std");
    EXPECT_EQ(nlohmann::json::parse(npz.texts.at("architecture.json"))["input"]["normalize"],
              "standardize");

    Fixture raw = trained(ae({16}), 1);
    const Npz plain = read_npz(encode_weights_npz(*raw.session));
    EXPECT_EQ(plain.arrays.count("input_mean"), 0u) << "raw pixels need no statistics";
    EXPECT_EQ(plain.arrays.count("input_std"), 0u);
}

// numpy, knowing only the exported file, rebuilds the forward pass from architecture.json
// (activations by name) and must reproduce aelab's reconstructions and codes.
TEST(ExportWeights, NumpyForwardPassReproducesAelab) {
    const fs::path script = temp("forward.py");
    std::ofstream(script) << R"(import sys, json, zipfile, numpy as np
weights, inputs, outputs, codes = sys.argv[1:5]
w = np.load(weights)
arch = json.loads(zipfile.ZipFile(weights).read("architecture.json"))
acts = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0), "linear": lambda z: z}
parts = {}
for m in arch["modules"]:
    W = w[m["name"] + ".weight"].astype(np.float64)
    b = w[m["name"] + ".bias"].astype(np.float64)
    assert W.shape == (m["out"], m["in"]) and b.shape == (m["out"],), m
    parts.setdefault(m["part"], []).append((W, b, acts[m["activation"]]))
def run(part, x):
    for W, b, g in parts[part]:
        x = g(x @ W.T + b)
    return x
def reconstruct(x):
    h = run("encoder", x)
    code = run("encoder_mu", h) if "encoder_mu" in parts else h  # a VAE decodes z = mu
    return h, code, run("decoder", code)
def worst(a, b):  # absolute below 1, relative above (standardised pixels can be large)
    return float((np.abs(a - b) / np.maximum(1, np.abs(b))).max())
x = np.load(inputs).astype(np.float64)
h, code, x_hat = reconstruct(x)
err = worst(x_hat, np.load(outputs))
print("max |x_hat_numpy - x_hat_aelab| =", err)
assert err < 1e-5, err
_, _, ex = reconstruct(w["example_inputs"].astype(np.float64))
assert worst(ex, w["example_outputs"]) < 1e-5, "example_outputs"
c = np.load(codes)
assert worst(code, c["codes"][:len(x)]) < 1e-5, "codes"
if "encoder_logvar" in parts:
    assert worst(np.exp(0.5 * run("encoder_logvar", h)), c["sigma"][:len(x)]) < 1e-5, "sigma"
if len(sys.argv) > 5:  # raw pixels: the normalisation the file describes gives the inputs
    raw = np.load(sys.argv[5]).astype(np.float64)
    assert worst((raw - w["input_mean"]) / w["input_std"], x) < 1e-5, "normalisation"
)";
    Config tied = ae({24, 8});
    tied.tied = true;
    tied.encoder_act = Activation::Relu;
    tied.decoder_act = Activation::Linear;
    Config variational = vae({24}, 2);
    variational.encoder_act = Activation::Tanh;
    Config normalised = ae({16});
    normalised.encoder_act = Activation::Tanh;
    normalised.decoder_act = Activation::Linear;
    normalised.normalize = NormalizeKind::Standardize;
    const std::pair<const char*, Config> cases[] = {
        {"ae", ae({24, 8})}, {"tied", tied}, {"vae", variational}, {"normalised", normalised}};

    for (const auto& [name, config] : cases) {
        SCOPED_TRACE(name);
        Fixture f = trained(config, 20);
        const int count = 32;
        // aelab's own reconstruction, through Session's encoder and decoder passes.
        const Mat x = f.data->test_x.leftCols(count);
        const Mat x_hat = f.session->decode(Mat(f.session->encode_test_set().leftCols(count)));
        const fs::path weights = temp(std::string(name) + ".npz"), codes = temp("codes.npz");
        ASSERT_FALSE(export_weights(weights.string(), *f.session));
        ASSERT_FALSE(export_codes(codes.string(), *f.session));
        write(temp("inputs.npy"), samples_npy(x));
        write(temp("outputs.npy"), samples_npy(x_hat));
        std::string command = std::string(kPython) + " " + script.string() + " " +
                              weights.string() + " " + temp("inputs.npy").string() + " " +
                              temp("outputs.npy").string() + " " + codes.string();
        if (config.normalize != NormalizeKind::None) {
            write(temp("raw.npy"), samples_npy(f.full->test_x.leftCols(count)));
            command += " " + temp("raw.npy").string();
        }
        EXPECT_EQ(std::system(command.c_str()), 0) << command;
    }
    fs::remove_all(script.parent_path());
}

// docs/load_in_pytorch.py, on a real export, where PyTorch is installed (scripts/install-deps
// --bench); skipped elsewhere.
TEST(ExportWeights, PyTorchLoadsTheExport) {
    if (std::system((std::string(kPython) + " -c 'import torch' 2>/dev/null").c_str()) != 0)
        GTEST_SKIP() << "no PyTorch for " << kPython;
    Config variational = vae({32}, 2);
    variational.encoder_act = Activation::Relu;
    for (const Config& config : {ae({24, 8}), variational}) {
        Fixture f = trained(config, 20);
        const fs::path weights = temp("torch.npz"), out = temp("torch.txt");
        ASSERT_FALSE(export_weights(weights.string(), *f.session));
        const std::string command = std::string(kPython) + " " + AELAB_SOURCE_DIR +
                                    "/docs/load_in_pytorch.py " + weights.string() + " > " +
                                    out.string();
        ASSERT_EQ(std::system(command.c_str()), 0) << command;
        const std::string printed = read(out);
        const size_t at = printed.rfind('=');
        ASSERT_NE(at, std::string::npos) << printed;
        EXPECT_LT(std::stod(printed.substr(at + 1)), 1e-5) << printed;
    }
    fs::remove_all(temp("x").parent_path());
}

TEST(ExportCurves, OneRowPerStepBlankCellsAndQuotedMarkers) {
    History h;
    for (int step = 1; step <= 5; ++step) {
        h.train.add(step, 1.0f / step);
        for (int t = 0; t < kTermCount; ++t) h.train_terms[t].add(step, t == 0 ? 0.5f / step : 0);
    }
    h.test.add(2, 0.75f);
    h.test.add(5, 0.3f);
    h.test_clean.add(5, 0.125f);
    h.markers.push_back({3, "lr 0.001 → 0.01"});
    h.markers.push_back({3, "label with, a comma and a \"quote\""});
    h.markers.push_back({7, "noise gaussian → none"});  // after the last sample: a row of its own

    const auto rows = parse_csv(encode_curves_csv(h));
    ASSERT_EQ(rows.size(), 1u + 6u) << "a header and steps 1, 2, 3, 4, 5, 7";
    EXPECT_EQ(rows[0],
              (std::vector<std::string>{"step", "train", "test", "test_clean", "reconstruction",
                                        "l2", "sparsity", "contractive", "kl", "marker"}));
    for (const auto& row : rows) ASSERT_EQ(row.size(), 10u);
    const std::vector<std::string> steps = {"1", "2", "3", "4", "5", "7"};
    for (size_t i = 0; i < steps.size(); ++i) EXPECT_EQ(rows[i + 1][0], steps[i]);
    // Values read back to the very float that was added.
    EXPECT_EQ(std::stof(rows[3][1]), 1.0f / 3);
    EXPECT_EQ(std::stof(rows[3][4]), 0.5f / 3);
    EXPECT_EQ(rows[3][5], "0");
    EXPECT_EQ(std::stof(rows[2][2]), 0.75f);
    EXPECT_EQ(std::stof(rows[5][2]), 0.3f);
    EXPECT_EQ(std::stof(rows[5][3]), 0.125f);
    // Blank where a series has no point at that step.
    EXPECT_EQ(rows[1][2], "");
    EXPECT_EQ(rows[3][2], "");
    EXPECT_EQ(rows[4][3], "");
    EXPECT_EQ(rows[6][1], "");
    EXPECT_EQ(rows[6][4], "");
    EXPECT_EQ(rows[3][9], "lr 0.001 → 0.01; label with, a comma and a \"quote\"");
    EXPECT_EQ(rows[6][9], "noise gaussian → none");
    EXPECT_EQ(rows[1][9], "");
    EXPECT_EQ(rows[5][9], "");
}

TEST(ExportCurves, ThinnedSeriesGiveOneRowPerBucket) {
    History h;
    for (int step = 1; step <= 5000; ++step) h.train.add(step, float(step % 7));
    ASSERT_LT(h.train.size(), 5000) << "the series should have thinned";
    const auto rows = parse_csv(encode_curves_csv(h));
    ASSERT_EQ(rows.size(), 1u + h.train.size());
    for (int i = 0; i < h.train.size(); ++i) {
        EXPECT_EQ(std::stod(rows[i + 1][0]), double(h.train.x()[i]));
        EXPECT_EQ(std::stof(rows[i + 1][1]), h.train.mean()[i]) << "row " << i;
    }
}

TEST(ExportCurves, HistoryJsonHoldsEverySeriesAndTheMarkers) {
    History h;
    for (int step = 1; step <= 3000; ++step) {
        h.train.add(step, 1.0f / step);
        h.train_terms[int(Term::Kl)].add(step, 0.25f * step);
    }
    h.test.add(10, 0.5f);
    h.probe_jacobian.add(10, 2.0f);
    h.markers.push_back({4, "beta 1 → 2"});
    const auto j = nlohmann::json::parse(encode_history_json(h));
    ASSERT_EQ(j["train"]["x"].size(), size_t(h.train.size()));
    for (int i = 0; i < h.train.size(); ++i) {
        EXPECT_EQ(j["train"]["x"][i].get<float>(), h.train.x()[i]);
        EXPECT_EQ(j["train"]["mean"][i].get<float>(), h.train.mean()[i]);
        EXPECT_EQ(j["train"]["min"][i].get<float>(), h.train.min()[i]);
        EXPECT_EQ(j["train"]["max"][i].get<float>(), h.train.max()[i]);
    }
    EXPECT_EQ(j["train"]["samples_per_bucket"], h.train.samples_per_bucket());
    EXPECT_EQ(j["train_terms"]["kl"]["mean"].size(), size_t(h.train_terms[int(Term::Kl)].size()));
    EXPECT_EQ(j["train_terms"]["kl"]["max"].back().get<float>(), 750.0f);
    EXPECT_EQ(j["test"]["mean"], nlohmann::json({0.5}));
    EXPECT_EQ(j["probe_jacobian"]["x"], nlohmann::json({10}));
    EXPECT_EQ(j["test_clean"]["x"], nlohmann::json::array());
    EXPECT_EQ(j["markers"], nlohmann::json::parse(R"([{"step": 4, "label": "beta 1 → 2"}])"));
}

TEST(ExportCodes, AutoencoderCodesAreNByKWithTheTestLabels) {
    Fixture f = trained(ae({24, 8}), 10);
    const Npz npz = read_npz(encode_codes_npz(f.session->network(), *f.data));
    const int n = int(f.data->test_x.cols());
    EXPECT_EQ(shapes_of(npz), (Shapes{{"codes", {n, 8}}, {"labels", {n}}}));
    auto labels = npy_i64(npz.arrays.at("labels"));
    ASSERT_TRUE(labels) << labels.error();
    EXPECT_EQ(*labels, std::vector<int64_t>(f.data->test_y.begin(), f.data->test_y.end()));
    expect_matrix(npz.arrays.at("codes"), Mat(f.session->encode_test_set().transpose()), "codes");
    const auto info = nlohmann::json::parse(npz.texts.at("codes.json"));
    EXPECT_EQ(info["class_names"].size(), f.data->class_names.size());

    const auto rows = parse_csv(encode_codes_csv(f.session->network(), *f.data));
    ASSERT_EQ(rows.size(), size_t(1 + n));
    EXPECT_EQ(rows[0], (std::vector<std::string>{"label", "code_0", "code_1", "code_2", "code_3",
                                                 "code_4", "code_5", "code_6", "code_7"}));
    const std::vector<float> codes = floats(npz.arrays.at("codes"));
    for (int i = 0; i < n; ++i) {
        ASSERT_EQ(rows[i + 1].size(), 9u);
        ASSERT_EQ(std::stoi(rows[i + 1][0]), int(f.data->test_y[i])) << "row " << i;
        for (int k = 0; k < 8; ++k) ASSERT_EQ(std::stof(rows[i + 1][1 + k]), codes[i * 8 + k]);
    }
}

TEST(ExportCodes, VaeCodesAreMuAndSigma) {
    Fixture f = trained(vae({24}, 2), 10);
    const Npz npz = read_npz(encode_codes_npz(f.session->network(), *f.data));
    const int n = int(f.data->test_x.cols());
    EXPECT_EQ(shapes_of(npz), (Shapes{{"codes", {n, 2}}, {"sigma", {n, 2}}, {"labels", {n}}}));
    expect_matrix(npz.arrays.at("codes"), Mat(f.session->encode_test_set().transpose()), "μ");
    // σ = exp(½ log σ²) of the heads layer, recomputed here from the layer's own parameters.
    const Network& net = f.session->network();
    const int heads = net.code_layer();
    Workspace ws;
    encode(net, f.data->test_x.leftCols(5), ws);
    const Mat log_var = net.weight(heads).bottomRows(2) * ws.act[heads - 1].leftCols(5);
    const std::vector<float> sigma = floats(npz.arrays.at("sigma"));
    for (int i = 0; i < 5; ++i)
        for (int k = 0; k < 2; ++k) {
            const float expected = std::exp(0.5f * (log_var(k, i) + net.bias(heads)[2 + k]));
            EXPECT_NEAR(sigma[i * 2 + k], expected, 1e-5f * expected) << i << ", " << k;
        }
    const auto rows = parse_csv(encode_codes_csv(net, *f.data));
    ASSERT_EQ(rows.size(), size_t(1 + n));
    EXPECT_EQ(rows[0],
              (std::vector<std::string>{"label", "code_0", "code_1", "sigma_0", "sigma_1"}));
    EXPECT_EQ(std::stof(rows[1][3]), sigma[0]);
}

TEST(Export, FilesAreWrittenAtomicallyAndErrorsNameThePath) {
    Fixture f = trained(ae({24}), 3);
    History h;
    h.train.add(1, 0.5f);
    const fs::path dir = temp("");
    using Save = std::function<std::optional<Error>(const std::string&)>;
    const Session& s = *f.session;
    const struct {
        std::string file;
        Save save;
        std::string expected;
    } cases[] = {
        {"w.npz", [&](auto& p) { return export_weights(p, s); }, encode_weights_npz(s)},
        {"c.npz", [&](auto& p) { return export_codes(p, s); },
         encode_codes_npz(s.network(), s.data())},
        {"c.csv", [&](auto& p) { return export_codes_csv(p, s); },
         encode_codes_csv(s.network(), s.data())},
        {"curves.csv", [&](auto& p) { return export_curves(p, h); }, encode_curves_csv(h)},
        {"history.json", [&](auto& p) { return export_history_json(p, h); },
         encode_history_json(h)},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.file);
        const fs::path path = dir / c.file;
        ASSERT_FALSE(c.save(path.string()));
        EXPECT_EQ(read(path), c.expected);
        const std::string missing = (dir / "no_such_folder" / c.file).string();
        auto error = c.save(missing);
        ASSERT_TRUE(error);
        EXPECT_NE(error->message.find(missing), std::string::npos) << error->message;
    }
    for (const auto& entry : fs::directory_iterator(dir))
        EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
    fs::remove_all(dir);
}
