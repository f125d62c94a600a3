#include "core/files/export.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/npz.h"
#include "core/model/objective.h"
#include "core/run/session.h"

namespace aelab {
namespace {

using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;


// One nn.Linear of the exported model: rows [row0, row0 + out) of network layer `layer` (the
// VAE's heads layer [μ; log σ²] becomes two modules).
struct Module {
    std::string name, part;
    int layer = 0, row0 = 0, in = 0, out = 0;
    Activation act = Activation::Linear;
    std::string tied_to;  // the module whose weight this one's is the transpose of
};

std::vector<Module> modules(const Network& net) {
    const auto& layers = net.layers();
    std::vector<Module> out;
    auto add = [&](const std::string& part, int index, int l) {
        const DenseLayer& d = layers[l];
        out.push_back({part + "." + std::to_string(2 * index), part, l, 0, d.in, d.out, d.act, ""});
    };
    for (int l = 0; l < net.encoder_layer_count(); ++l) add("encoder", l, l);
    if (net.kind() == ModelKind::Vae) {
        const int heads = net.code_layer(), d = net.latent(), in = layers[heads].in;
        const Activation act = layers[heads].act;
        out.push_back({"encoder_mu", "encoder_mu", heads, 0, in, d, act, ""});
        out.push_back({"encoder_logvar", "encoder_logvar", heads, d, in, d, act, ""});
    }
    const int first = net.first_decoder_layer();
    for (int l = first; l < int(layers.size()); ++l) add("decoder", l - first, l);
    for (Module& m : out) {
        const DenseLayer& d = layers[m.layer];
        if (!d.transposed) continue;
        for (const Module& source : out)
            if (layers[source.layer].owns_weight &&
                layers[source.layer].weight_offset == d.weight_offset)
                m.tied_to = source.name + ".weight";
    }
    return out;
}

// W as nn.Linear holds it: out×in, C order (a tied layer's explicit transpose).
RowMat module_weight(const Network& net, const Module& m) {
    const RowMat w = net.layers()[m.layer].transposed ? RowMat(net.weight(m.layer).transpose())
                                                      : RowMat(net.weight(m.layer));
    return w.middleRows(m.row0, m.out);
}

NpyArray vector_npy(const Vec& v) {
    return npy_from_floats(v.data(), {int64_t(v.size())});
}

// Samples n×B (column-major, one per column) have the memory of a B×n C-order array.
NpyArray samples_npy(const Mat& x) {
    return npy_from_floats(x.data(), {int64_t(x.cols()), int64_t(x.rows())});
}

std::string step_text(double step) {
    char text[64];
    auto [end, ec] = std::to_chars(text, text + sizeof text, step, std::chars_format::fixed);
    return std::string(text, end);
}

// A float as a double whose shortest text is the float's own ("0.1", not
// "0.10000000149011612"); both read back to the same float.
double tidy(float v) {
    if (!std::isfinite(v)) return v;  // JSON has no NaN: nlohmann writes null
    const std::string text = format_float(v);
    double d = 0;
    std::from_chars(text.data(), text.data() + text.size(), d);
    return d;
}

std::string csv_quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

struct NamedSeries {
    std::string name;
    const ThinnedSeries* series;
};

std::vector<NamedSeries> curve_columns(const History& h) {
    std::vector<NamedSeries> columns = {
        {"train", &h.train}, {"test", &h.test}, {"test_clean", &h.test_clean}};
    for (int t = 0; t < kTermCount; ++t)
        columns.push_back({term_column(Term(t)), &h.train_terms[t]});
    return columns;
}

nlohmann::ordered_json series_json(const ThinnedSeries& s) {
    auto list = [](const std::vector<float>& values) {
        nlohmann::ordered_json a = nlohmann::ordered_json::array();
        for (float v : values) a.push_back(tidy(v));
        return a;
    };
    return {{"x", list(s.x())},
            {"mean", list(s.mean())},
            {"min", list(s.min())},
            {"max", list(s.max())},
            {"samples_per_bucket", s.samples_per_bucket()}};
}

nlohmann::ordered_json input_json(const Config& config, const Dataset& data) {
    const bool normalised = data.normalised();
    return {
        {"dataset", data.name},
        {"image_height", data.height},
        {"image_width", data.width},
        {"pixels",
         "one value per pixel, grey level / 255 in [0, 1], each image flattened row by row"},
        {"binarize", config.binarize},
        {"binarize_rule",
         "when binarize is true: pixels > 0.5 become 1, the others 0 (before "
         "normalisation)"},
        {"normalize", to_string(config.normalize)},
        {"network_input",
         normalised ? "x = (pixels - input_mean) / input_std, per pixel: statistics of the "
                      "training set; input_std is 1 for 'center' and where a pixel never varies"
                    : "x = pixels"},
        {"network_output", normalised ? "x_hat is in the space of x: pixels ~ x_hat * input_std "
                                        "+ input_mean"
                                      : "x_hat is in the space of the pixels"},
    };
}

}  // namespace

std::string term_column(Term term) {
    std::string name = term_name(term);
    for (char& c : name) c = c == ' ' ? '_' : char(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

std::string encode_weights_npz(const Network& net, const Config& config, const Dataset& data,
                               int64_t step) {
    AELAB_CHECK(net.input_size() == data.input_size(), "network and data disagree on n");
    const bool vae = net.kind() == ModelKind::Vae;
    std::vector<ZipEntry> entries;
    nlohmann::ordered_json listed = nlohmann::ordered_json::array();
    for (const Module& m : modules(net)) {
        const RowMat w = module_weight(net, m);
        const Vec b = net.bias(m.layer).segment(m.row0, m.out);
        entries.push_back(
            {m.name + ".weight.npy", npy_encode(npy_from_floats(w.data(), {m.out, m.in}))});
        entries.push_back({m.name + ".bias.npy", npy_encode(vector_npy(b))});
        nlohmann::ordered_json module = {{"name", m.name},
                                         {"part", m.part},
                                         {"in", m.in},
                                         {"out", m.out},
                                         {"activation", to_string(m.act)}};
        if (!m.tied_to.empty()) module["tied_to"] = m.tied_to;
        listed.push_back(module);
    }
    if (data.normalised()) {
        entries.push_back({"input_mean.npy", npy_encode(vector_npy(data.pixel_mean))});
        entries.push_back({"input_std.npy", npy_encode(vector_npy(data.pixel_scale))});
    }

    // A few test images (one of each class first) and aelab's own reconstruction of them.
    const std::vector<int> examples = probe_indices(data, kExportExamples);
    const int count = int(examples.size());
    if (count > 0) {
        Mat x(net.input_size(), count);
        for (int i = 0; i < count; ++i) x.col(i) = data.test_x.col(examples[i]);
        Workspace ws;
        forward(net, x, ws, /*sample=*/false);
        const Mat x_hat = reconstruction(ws, count);
        entries.push_back({"example_inputs.npy", npy_encode(samples_npy(x))});
        entries.push_back({"example_outputs.npy", npy_encode(samples_npy(x_hat))});
    }

    nlohmann::ordered_json arch = {
        {"format", "aelab weights"},
        {"format_version", kWeightsFormatVersion},
        {"model", to_string(net.kind())},
        {"input_size", net.input_size()},
        {"code_size", vae ? net.latent() : net.code_size()},
        {"loss", to_string(effective_loss(config))},
        {"tied_weights", config.tied},
        {"modules", listed},
        {"layout",
         "Modules named part.i belong to an nn.Sequential called part: Linear at index i, its "
         "activation at i + 1 (sigmoid = nn.Sigmoid, tanh = nn.Tanh, relu = nn.ReLU, linear = "
         "nn.Identity). A module named without an index is one nn.Linear. name.weight is out x "
         "in and name.bias is (out,), as nn.Linear holds them: the arrays load with "
         "load_state_dict. A module with tied_to uses the transpose of that weight while "
         "training; its array here is that transpose, written out."},
        {"forward", vae ? "h = encoder(x); mu = encoder_mu(h); logvar = encoder_logvar(h); "
                          "z = mu + exp(0.5 * logvar) * eps with eps ~ N(0, I) while training, "
                          "z = mu for a deterministic reconstruction; x_hat = decoder(z); "
                          "generation: decoder(z) with z ~ N(0, I)"
                        : "h = encoder(x); x_hat = decoder(h)"},
        {"input", input_json(config, data)},
        {"examples",
         {{"inputs", "example_inputs: B x n, test images as the network sees them (x)"},
          {"outputs", vae ? "example_outputs: B x n, aelab's x_hat from z = mu"
                          : "example_outputs: B x n, aelab's x_hat"},
          {"test_indices", examples}}},
    };
    if (step >= 0) arch["step"] = step;
    entries.push_back({"architecture.json", arch.dump(2) + "\n"});
    entries.push_back({"config.json", config_to_json(config).dump(2) + "\n"});
    return write_zip(entries);
}

std::string encode_weights_npz(const Session& session) {
    return encode_weights_npz(session.network(), session.config(), session.data(), session.step());
}

std::optional<Error> export_weights(const std::string& path, const Session& session) {
    return write_file_atomically(path, encode_weights_npz(session));
}

std::string encode_curves_csv(const History& history) {
    const std::vector<NamedSeries> columns = curve_columns(history);
    // Per column, step → bucket mean; a step met twice keeps the later bucket.
    std::vector<std::map<double, float>> values(columns.size());
    std::vector<double> steps;
    for (size_t c = 0; c < columns.size(); ++c) {
        const ThinnedSeries& s = *columns[c].series;
        for (int i = 0; i < s.size(); ++i) {
            values[c][double(s.x()[i])] = s.mean()[i];
            steps.push_back(double(s.x()[i]));
        }
    }
    std::map<double, std::string> markers;
    for (const Marker& m : history.markers) {
        std::string& text = markers[double(m.step)];
        text += (text.empty() ? "" : "; ") + m.label;
        steps.push_back(double(m.step));
    }
    std::sort(steps.begin(), steps.end());
    steps.erase(std::unique(steps.begin(), steps.end()), steps.end());

    std::string out = "step";
    for (const NamedSeries& c : columns) out += "," + c.name;
    out += ",marker\n";
    for (double step : steps) {
        out += step_text(step);
        for (const auto& column : values) {
            out += ',';
            if (auto it = column.find(step); it != column.end()) out += format_float(it->second);
        }
        out += ',';
        if (auto it = markers.find(step); it != markers.end()) out += csv_quoted(it->second);
        out += '\n';
    }
    return out;
}

std::string encode_history_json(const History& history) {
    nlohmann::ordered_json terms = nlohmann::ordered_json::object();
    for (int t = 0; t < kTermCount; ++t)
        terms[term_column(Term(t))] = series_json(history.train_terms[t]);
    nlohmann::ordered_json markers = nlohmann::ordered_json::array();
    for (const Marker& m : history.markers)
        markers.push_back({{"step", m.step}, {"label", m.label}});
    const nlohmann::ordered_json out = {
        {"format", "aelab history"},
        {"format_version", 1},
        {"buckets",
         "x is the step of a bucket's last sample; mean, min and max are over its "
         "samples_per_bucket samples"},
        {"train", series_json(history.train)},
        {"test", series_json(history.test)},
        {"test_clean", series_json(history.test_clean)},
        {"train_terms", terms},
        {"probe_jacobian", series_json(history.probe_jacobian)},
        {"probe_code_jacobian", series_json(history.probe_code_jacobian)},
        {"markers", markers},
    };
    return out.dump(1) + "\n";
}

std::optional<Error> export_curves(const std::string& path, const History& history) {
    return write_file_atomically(path, encode_curves_csv(history));
}

std::optional<Error> export_history_json(const std::string& path, const History& history) {
    return write_file_atomically(path, encode_history_json(history));
}

TestCodes compute_test_codes(const Network& net, const Dataset& data, WorkerPool* pool) {
    AELAB_CHECK(net.input_size() == data.input_size(), "network and data disagree on n");
    const bool vae = net.kind() == ModelKind::Vae;
    const int d = vae ? net.latent() : net.code_size();
    const int total = int(data.test_x.cols());
    TestCodes out;
    out.codes.resize(d, total);
    if (vae) out.sigma.resize(d, total);
    const Pieces pieces{total, kViewPiece};
    ThreadWorkspaces workspaces;
    reserve_workspaces(workspaces, pass_threads(pool, pieces.count()), net, pieces.size);
    for_each_piece(pool, 0, pieces.count(), [&](int thread, int piece) {
        Workspace& ws = workspaces[thread];
        const int start = pieces.start(piece), b = pieces.length(piece);
        encode(net, data.test_x.middleCols(start, b), ws);
        const auto h = ws.act[net.code_layer()].leftCols(b);
        out.codes.middleCols(start, b) = h.topRows(d);
        if (vae) out.sigma.middleCols(start, b) = (0.5f * h.bottomRows(d).array()).exp().matrix();
    });
    return out;
}

std::string encode_codes_npz(const Network& net, const Dataset& data, WorkerPool* pool) {
    const TestCodes codes = compute_test_codes(net, data, pool);
    const bool vae = net.kind() == ModelKind::Vae;
    std::vector<ZipEntry> entries;
    entries.push_back({"codes.npy", npy_encode(samples_npy(codes.codes))});
    if (vae) entries.push_back({"sigma.npy", npy_encode(samples_npy(codes.sigma))});
    entries.push_back({"labels.npy", npy_encode(npy_from_i64(std::vector<int64_t>(
                                         data.test_y.begin(), data.test_y.end())))});
    const nlohmann::ordered_json info = {
        {"model", to_string(net.kind())},
        {"dataset", data.name},
        {"rows", "one per test image, in the test set's order"},
        {"codes", vae ? "mu: the mean of q(z|x), N x d" : "h: the code layer's output, N x k"},
        {"sigma", vae ? "exp(0.5 * logvar): the standard deviation of q(z|x), N x d" : "absent"},
        {"labels", "class index of each test image (int64)"},
        {"class_names", data.class_names},
    };
    entries.push_back({"codes.json", info.dump(2) + "\n"});
    return write_zip(entries);
}

std::string encode_codes_csv(const Network& net, const Dataset& data, WorkerPool* pool) {
    const TestCodes codes = compute_test_codes(net, data, pool);
    std::string out = "label";
    for (Eigen::Index k = 0; k < codes.codes.rows(); ++k) out += ",code_" + std::to_string(k);
    for (Eigen::Index k = 0; k < codes.sigma.rows(); ++k) out += ",sigma_" + std::to_string(k);
    out += '\n';
    for (Eigen::Index i = 0; i < codes.codes.cols(); ++i) {
        out += std::to_string(int(data.test_y[i]));
        for (Eigen::Index k = 0; k < codes.codes.rows(); ++k)
            out += "," + format_float(codes.codes(k, i));
        for (Eigen::Index k = 0; k < codes.sigma.rows(); ++k)
            out += "," + format_float(codes.sigma(k, i));
        out += '\n';
    }
    return out;
}

std::optional<Error> export_codes(const std::string& path, const Session& session) {
    return write_file_atomically(
        path, encode_codes_npz(session.network(), session.data(), session.pool()));
}

std::optional<Error> export_codes_csv(const std::string& path, const Session& session) {
    return write_file_atomically(
        path, encode_codes_csv(session.network(), session.data(), session.pool()));
}

bool is_csv_path(const std::string& path) {
    return path.size() >= 4 && path.compare(path.size() - 4, 4, ".csv") == 0;
}

std::optional<Error> export_curves_file(const std::string& path, const History& history) {
    return is_csv_path(path) ? export_curves(path, history) : export_history_json(path, history);
}

std::optional<Error> export_codes_file(const std::string& path, const Session& session) {
    return is_csv_path(path) ? export_codes_csv(path, session) : export_codes(path, session);
}

}  // namespace aelab
