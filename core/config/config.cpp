// Key table of the configuration: parsing, printing and validation of every key.
#include "core/config/config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <charconv>
#include <cmath>
#include <functional>
#include <type_traits>
#include <sstream>

#include <nlohmann/json.hpp>

namespace aelab {
namespace {

// An enum's values in the enum's order: config names and the window's labels.
template <class E, size_t N>
struct EnumNames {
    std::array<EnumValue, N> values;
    const char* name(E v) const { return values[static_cast<size_t>(v)].name; }
    bool parse(std::string_view text, E& out) const {
        for (size_t i = 0; i < N; ++i) {
            if (text == values[i].name) {
                out = static_cast<E>(i);
                return true;
            }
        }
        return false;
    }
};

constexpr EnumNames<ModelKind, 2> kModelNames{{{{"ae", "ae"}, {"vae", "vae"}}}};
constexpr EnumNames<Activation, 4> kActivationNames{
    {{{"sigmoid", "sigmoid"}, {"tanh", "tanh"}, {"relu", "relu"}, {"linear", "linear"}}}};
constexpr EnumNames<LossKind, 3> kLossNames{{{{"auto", "auto"}, {"mse", "mse"}, {"bce", "bce"}}}};
constexpr EnumNames<InitKind, 3> kInitNames{
    {{{"xavier", "xavier"}, {"he", "he"}, {"constant", "constant"}}}};
constexpr EnumNames<OptimizerKind, 3> kOptimizerNames{
    {{{"sgd", "sgd"}, {"momentum", "momentum"}, {"adam", "adam"}}}};
constexpr EnumNames<NoiseKind, 4> kNoiseNames{
    {{{"none", "none"}, {"gaussian", "gaussian"}, {"mask", "mask"}, {"saltpepper", "saltpepper"}}}};
// The quiz's two wrong answers are marked so in the window's list.
constexpr EnumNames<SparsityKind, 5> kSparsityNames{{{{"none", "none"},
                                                      {"kl", "kl"},
                                                      {"squared", "squared"},
                                                      {"hinge", "hinge (quiz)"},
                                                      {"phat_squared", "p̂² (quiz)"}}}};
constexpr EnumNames<NormalizeKind, 3> kNormalizeNames{
    {{{"none", "none"}, {"center", "center"}, {"standardize", "standardize"}}}};

std::string trim(std::string_view s) {
    size_t a = s.find_first_not_of(" \t");
    size_t b = s.find_last_not_of(" \t");
    return a == std::string_view::npos ? std::string() : std::string(s.substr(a, b - a + 1));
}

// memory_budget's text: "auto" (0), else a size with a decimal unit — KB, MB, GB, TB, or
// none for bytes — at least 1MB (less could not hold any model), at most 1 PB. Written back
// in the largest unit that keeps it exact, so a value survives the text round trip.
std::optional<uint64_t> parse_memory_size(const std::string& text) {
    if (text == "auto") return 0;
    size_t unit_at = 0;
    while (unit_at < text.size() && (std::isdigit(static_cast<unsigned char>(text[unit_at])) ||
                                     text[unit_at] == '.'))
        ++unit_at;
    if (unit_at == 0) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + unit_at, value);
    if (ec != std::errc() || end != text.data() + unit_at) return std::nullopt;
    std::string unit = text.substr(unit_at);
    for (char& ch : unit) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    double scale = 0;
    if (unit.empty() || unit == "B") scale = 1;
    else if (unit == "KB") scale = 1e3;
    else if (unit == "MB") scale = 1e6;
    else if (unit == "GB") scale = 1e9;
    else if (unit == "TB") scale = 1e12;
    else return std::nullopt;
    const double bytes = std::round(value * scale);
    if (!(bytes >= 1e6) || bytes > 1e15) return std::nullopt;
    return uint64_t(bytes);
}

std::string memory_size_text(uint64_t bytes) {
    if (bytes == 0) return "auto";
    for (auto [unit, scale] : {std::pair{"TB", uint64_t(1000000000000)}, {"GB", uint64_t(1000000000)},
                               {"MB", uint64_t(1000000)}, {"KB", uint64_t(1000)}})
        if (bytes % scale == 0) return std::to_string(bytes / scale) + unit;
    return std::to_string(bytes);
}

// Decimal only: no hex ("0x10"), no "inf"/"nan"; "1e-3" and "010" (ten) are fine.
bool parse_double(std::string_view text, double& out) {
    std::string s = trim(text);
    if (s.empty()) return false;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(out);
}

bool parse_long(std::string_view text, long long& out) {
    std::string s = trim(text);
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size() && !s.empty();
}

bool parse_bool(std::string_view text, bool& out) {
    std::string s = trim(text);
    if (s == "true" || s == "1" || s == "yes" || s == "on") return out = true, true;
    if (s == "false" || s == "0" || s == "no" || s == "off") return out = false, true;
    return false;
}

// `hidden`: comma-separated layers, each "size", "size:activation" or either with "*count"
// for count equal layers ("32:linear*10,32:sigmoid").
bool parse_hidden(std::string_view text, std::vector<HiddenLayer>& out) {
    std::vector<HiddenLayer> layers;
    std::string s = trim(text);
    if (s.empty()) return false;
    std::stringstream stream(s);
    std::string item;
    while (std::getline(stream, item, ',')) {
        long long count = 1;
        if (size_t star = item.find('*'); star != std::string::npos) {
            if (!parse_long(item.substr(star + 1), count) || count < 1 || count > kMaxLayers)
                return false;
            item.resize(star);
        }
        HiddenLayer layer;
        if (size_t colon = item.find(':'); colon != std::string::npos) {
            Activation act{};
            if (!kActivationNames.parse(trim(item.substr(colon + 1)), act)) return false;
            layer.act = act;
            item.resize(colon);
        }
        long long size = 0;
        if (!parse_long(item, size) || size < 1 || size > kMaxLayerSize) return false;
        layer.size = static_cast<int>(size);
        if (int(layers.size() + count) > kMaxLayers) return false;
        layers.insert(layers.end(), size_t(count), layer);
    }
    if (layers.empty()) return false;
    out = std::move(layers);
    return true;
}

// The text parse_hidden reads back: runs of three or more equal layers as "*count".
std::string hidden_text(const std::vector<HiddenLayer>& layers) {
    std::string s;
    for (size_t i = 0; i < layers.size();) {
        size_t run = 1;
        while (i + run < layers.size() && layers[i + run] == layers[i]) ++run;
        const size_t written = run >= 3 ? run : 1;
        for (size_t r = 0; r < run; r += written) {
            s += (s.empty() ? "" : ",") + std::to_string(layers[i].size);
            if (layers[i].act) s += std::string(":") + kActivationNames.name(*layers[i].act);
            if (written > 1) s += "*" + std::to_string(run);
        }
        i += run;
    }
    return s;
}

// The text a number is printed with (a range's ends, "allowed" texts).
std::string format_number(double v) {
    char text[32];
    auto [ptr, ec] = std::to_chars(text, text + sizeof text, v);
    return std::string(text, ptr);
}

std::string describe_range(const NumericRange& r) {
    return std::string(r.integer ? "an integer in " : "a number in ") + (r.lo_open ? "(" : "[") +
           format_number(r.lo) + ", " + format_number(r.hi) + (r.hi_open ? ")" : "]");
}

// A setter returns false when the text is not an allowed value for its key.
struct KeyImpl {
    ConfigKey info;
    std::function<bool(Config&, std::string_view)> set;
    std::function<std::string(const Config&)> get;
};

// How the window shows a key: its word, its widget's label (ui_name when null), the
// slider or field, and the (?) tip.
struct Look {
    const char* ui_name = nullptr;
    const char* label = nullptr;
    std::optional<KnobWidget> widget;
    const char* tip = nullptr;
};

// A log slider's span (Ctrl-click types beyond it, up to the key's range).
constexpr KnobWidget log_slider(double lo, double hi, const char* format) {
    return {lo, hi, true, format};
}
constexpr KnobWidget linear_slider(double lo, double hi, const char* format) {
    return {lo, hi, false, format};
}
constexpr KnobWidget input_field(double step, double step_fast) {
    return {0, 0, false, "%d", step, step_fast};
}

ConfigKey key_info(const char* name, const char* default_value, std::string allowed,
                   const char* help, bool live, const Look& look,
                   std::optional<NumericRange> range = {}, std::vector<EnumValue> values = {}) {
    return {name,
            default_value,
            std::move(allowed),
            help,
            live,
            range,
            look.ui_name ? look.ui_name : name,
            look.label ? look.label : look.ui_name ? look.ui_name : name,
            look.widget,
            std::move(values),
            look.tip};
}

// Builders: `field` is a generic lambda giving the member, for a Config or a const Config.
template <class E, size_t N, class Field>
KeyImpl enum_key(const char* name, const char* help, bool live, const EnumNames<E, N>& names,
                 const Look& look, Field field) {
    std::string allowed;
    for (const EnumValue& v : names.values) allowed += (allowed.empty() ? "" : ", ") + std::string(v.name);
    const Config defaults;
    return {key_info(name, names.name(field(defaults)), allowed, help, live, look, {},
                     {names.values.begin(), names.values.end()}),
            [&names, field](Config& c, std::string_view t) { return names.parse(trim(t), field(c)); },
            [&names, field](const Config& c) { return std::string(names.name(field(c))); }};
}

// A float knob: parsed as a double, stored as a float, and the range is checked on the value
// as stored — so lr=1e-320 (stored as 0) and sparsity_p=0.99999999 (stored as 1) are refused.
template <class Field>
KeyImpl float_key(const char* name, const char* default_value, const char* help, bool live,
                  NumericRange range, const Look& look, Field field) {
    return {key_info(name, default_value, describe_range(range), help, live, look, range),
            [range, field](Config& c, std::string_view t) {
                double v = 0;
                if (!parse_double(t, v)) return false;
                const float stored = static_cast<float>(v);
                if (!std::isfinite(stored) || !range.contains(stored)) return false;
                field(c) = stored;
                return true;
            },
            [field](const Config& c) { return format_float(field(c)); }};
}

template <class Field>
KeyImpl int_key(const char* name, const char* default_value, const char* help, bool live,
                NumericRange range, const Look& look, Field field, const char* note = "") {
    return {key_info(name, default_value, describe_range(range) + note, help, live, look, range),
            [range, field](Config& c, std::string_view t) {
                long long v = 0;
                if (!parse_long(t, v) || !range.contains(double(v))) return false;
                field(c) = static_cast<std::remove_reference_t<decltype(field(c))>>(v);
                return true;
            },
            [field](const Config& c) { return std::to_string(field(c)); }};
}

template <class Field>
KeyImpl bool_key(const char* name, const char* help, const Look& look, Field field) {
    const Config defaults;
    return {key_info(name, field(defaults) ? "true" : "false", "true, false", help, false, look),
            [field](Config& c, std::string_view t) { return parse_bool(t, field(c)); },
            [field](const Config& c) { return std::string(field(c) ? "true" : "false"); }};
}

// A key whose text is kept as given (dataset, holdout_class): any text but an empty one.
KeyImpl text_key(const char* name, const char* default_value, std::string allowed,
                 const char* help, const Look& look, std::string Config::*member,
                 std::vector<EnumValue> values = {}) {
    return {key_info(name, default_value, std::move(allowed), help, false, look, {}, std::move(values)),
            [member](Config& c, std::string_view t) {
                std::string s = trim(t);
                if (s.empty()) return false;
                c.*member = s;
                return true;
            },
            [member](const Config& c) { return c.*member; }};
}

// The knob table, in the order --help lists it and Controls shows it. Each row: the key, its
// default, its one-line help, live or not, its range, then how the window shows it (Look:
// its word, its widget's label, slider span and format, the (?) tip), then the field.
const std::vector<KeyImpl>& key_table() {
    static const std::vector<KeyImpl> table = {
        enum_key("model", "autoencoder or variational autoencoder", false, kModelNames,
                 {.tip = "ae: h = g(Wx + b), x̂ = f(W*h + c). vae: the encoder gives μ(x) and "
                         "log σ²(x); training decodes z = μ + σ ⊙ ε, generation z ~ N(0, I)."},
                 [](auto& c) -> auto& { return c.model; }),
        {key_info("hidden", "256,32",
                  "1 to " + std::to_string(kMaxLayers) + " comma-separated layers, each a size in [1, " +
                      std::to_string(kMaxLayerSize) +
                      "] with an optional :activation and *count, e.g. 256,32 or "
                      "32:linear*10,32:sigmoid",
                  "encoder layer sizes (and activations); the decoder mirrors them", false,
                  {.tip = "Encoder layer sizes, comma-separated; the decoder mirrors them. A layer "
                          "may name its activation and repeat: 32:linear*10,32:sigmoid. Press "
                          "Enter to rebuild."}),
         [](Config& c, std::string_view t) { return parse_hidden(t, c.hidden); },
         [](const Config& c) { return hidden_text(c.hidden); }},
        int_key("latent", "2", "VAE latent size (μ and log σ² each)", false, {1, 64, false, false, true},
                {.ui_name = "latent size",
                 .widget = linear_slider(1, 16, "%d"),
                 .tip = "d: the VAE's code z has d dimensions; the encoder gives μ and log σ², d "
                        "each. d = 2 draws the latent plane."},
                [](auto& c) -> auto& { return c.latent; }),
        enum_key("encoder_act", "activation g of the hidden layers that name none in hidden", false,
                 kActivationNames,
                 {.ui_name = "encoder act",
                  .tip = "g in h = g(Wx + b), for every hidden layer that 'hidden' gives no "
                         "activation of its own (32:linear*10,32:sigmoid names them per layer)."},
                 [](auto& c) -> auto& { return c.encoder_act; }),
        enum_key("decoder_act", "activation f of the output layer", false, kActivationNames,
                 {.ui_name = "decoder act",
                  .tip = "f in x̂ = f(W*h + c): sigmoid for pixels in [0, 1], linear for real values."},
                 [](auto& c) -> auto& { return c.decoder_act; }),
        enum_key("loss", "reconstruction loss; auto = bce for a VAE, mse otherwise", false,
                 kLossNames,
                 {.tip = "mse: ‖x − x̂‖² per image.  bce: −Σ [x log x̂ + (1 − x) log(1 − x̂)], for x "
                         "and x̂ in [0, 1].  auto: bce for a VAE on raw pixels, mse otherwise."},
                 [](auto& c) -> auto& { return c.loss; }),
        bool_key("tied", "decoder weights are the encoder's transposed",
                 {.ui_name = "tied weights",
                  .label = "tied weights (W* = Wᵀ)",
                  .tip = "The decoder reuses the encoder's matrices transposed: half the weights, "
                         "and each W gets a gradient through both paths (lesson 04). Not for a VAE."},
                 [](auto& c) -> auto& { return c.tied; }),
        enum_key("init", "weight initialisation; constant = every weight 0.01, every bias 0",
                 false, kInitNames,
                 {.tip = "constant: every weight 0.01 and every bias 0 — all hidden units then "
                         "stay identical for ever (the symmetry problem)."},
                 [](auto& c) -> auto& { return c.init; }),
        enum_key("optimizer", "update rule (momentum 0.9)", true, kOptimizerNames,
                 {.tip = "sgd: θ ← θ − η∇J.  momentum: v ← 0.9v + ∇J, θ ← θ − ηv.  adam: each "
                         "parameter's step scaled by running averages of its gradient and of its "
                         "square."},
                 [](auto& c) -> auto& { return c.knobs.optimizer; }),
        float_key("lr", "0.001", "learning rate η", true, {0, 10, true, false},
                  {.ui_name = "learning rate",
                   .widget = log_slider(1e-5, 1.0, "%.5g"),
                   .tip = "η: each step moves every parameter by −η × its gradient (sgd); momentum "
                          "and adam scale that step. Too large and the loss jumps or turns NaN; too "
                          "small and it crawls. Ctrl-click to type a value beyond the slider (up to "
                          "10)."},
                  [](auto& c) -> auto& { return c.knobs.lr; }),
        int_key("batch", "64", "mini-batch size", true, {1, 4096, false, false, true},
                {.widget = log_slider(1, 1024, "%d"),
                 .tip = "B: images per training step; J is averaged over them. Smaller batches "
                        "give cheaper, noisier steps."},
                [](auto& c) -> auto& { return c.knobs.batch; }),
        float_key("l2", "0", "L2 weight decay λ (weights only)", true, {0, 10},
                  {.ui_name = "L2 λ",
                   .widget = log_slider(0, 1, "%.5g"),
                   .tip = "Adds λ Σ‖W‖² (weights only) to the objective: 2λW in the gradient."},
                  [](auto& c) -> auto& { return c.knobs.l2; }),
        enum_key("noise", "input corruption of the denoising autoencoder", true, kNoiseNames,
                 {.tip = "Denoising: the encoder sees a corrupted x̃, the loss compares with the "
                         "clean x. gaussian: x + N(0, σ²); mask: each pixel → 0 with probability "
                         "q; saltpepper: each pixel → 0 or 1 with probability q."},
                 [](auto& c) -> auto& { return c.knobs.noise; }),
        float_key("noise_level", "0.3", "σ for gaussian noise, the probability for mask and saltpepper",
                  true, {0, 1},
                  {.ui_name = "noise level",
                   .widget = linear_slider(0, 1, "%.3f"),
                   .tip = "noise level: σ of gaussian noise (x̃ = x + N(0, σ²)), or q, the "
                          "probability that mask or saltpepper noise hits a pixel."},
                  [](auto& c) -> auto& { return c.knobs.noise_level; }),
        enum_key("sparsity", "sparsity penalty on the code layer", true, kSparsityNames,
                 {.tip = "On the code layer's mean activations p̂_j over the batch: kl = β Σ "
                         "KL(p‖p̂_j), squared = β Σ (p̂_j − p)².\n"
                         "Quiz (seed 001 h, i), the two wrong answers: hinge = β Σ max(0, (1 − "
                         "p̂_j)p), phat_squared = β Σ p̂_j². Neither pulls p̂ to p."},
                 [](auto& c) -> auto& { return c.knobs.sparsity; }),
        float_key("sparsity_p", "0.05", "sparsity target p", true, {0, 1, true, true},
                  {.ui_name = "target p",
                   .widget = log_slider(0.001, 0.5, "%.4f"),
                   .tip = "p: the mean activation p̂_j each code unit is pulled towards."},
                  [](auto& c) -> auto& { return c.knobs.sparsity_p; }),
        float_key("sparsity_beta", "3", "sparsity weight β", true, {0, 100},
                  {.ui_name = "sparsity β",
                   .widget = log_slider(0, 20, "%.3g"),
                   .tip = "β: the weight of the sparsity penalty in J."},
                  [](auto& c) -> auto& { return c.knobs.sparsity_beta; }),
        float_key("contractive", "0",
                  "contractive weight λ on ‖J_x(h₁)‖²_F, the Jacobian of the first encoder layer",
                  true, {0, 100},
                  {.ui_name = "contractive λ",
                   .widget = log_slider(0, 10, "%.4g"),
                   .tip = "Adds λ‖J_x(h₁)‖²_F, the Jacobian of layer 1 (the first encoder layer; "
                          "the code itself only for a one-layer encoder): h₁ changes little when "
                          "the input changes. View ▸ Contractive shows it, and the code's own "
                          "‖J_x(h)‖²_F."},
                  [](auto& c) -> auto& { return c.knobs.contractive; }),
        float_key("vae_beta", "1", "weight β of the VAE's KL term", true, {0, 100},
                  {.ui_name = "VAE β",
                   .widget = log_slider(0, 20, "%.3g"),
                   .tip = "VAE only. Weight of KL(N(μ, σ²) ‖ N(0, I)) in the loss: larger β pulls "
                          "the codes towards the prior (smoother, blurrier); β = 1 is the ELBO."},
                  [](auto& c) -> auto& { return c.knobs.vae_beta; }),
        text_key("dataset", "fashion-mnist",
                 "fashion-mnist, shapes, bars, plane3d, or a folder holding MNIST-format IDX files",
                 "training data",
                 {.tip = "fashion-mnist: 28×28 images of clothing, 10 classes. shapes, bars, "
                         "plane3d: small built-in sets that train in seconds (plane3d: 3-D points "
                         "near a plane, for PCA)."},
                 &Config::dataset,
                 {{"fashion-mnist", "fashion-mnist"}, {"shapes", "shapes"}, {"bars", "bars"},
                  {"plane3d", "plane3d"}}),
        int_key("train_size", "0", "size of the training subset", false,
                {0, 100000000, false, false, true},
                {.ui_name = "train size",
                 .widget = input_field(100, 1000),
                 .tip = "0 = the whole training set. A small set with a wide model shows "
                        "overfitting: train loss falls while test loss rises."},
                [](auto& c) -> auto& { return c.train_size; }, " (0 = all)"),
        bool_key("binarize", "threshold pixels at 0.5 to {0, 1}",
                 {.label = "binarize (threshold 0.5)",
                  .tip = "Pixels above 0.5 become 1, the rest 0: binary data, for a logistic "
                         "output with cross-entropy (lesson 02)."},
                 [](auto& c) -> auto& { return c.binarize; }),
        enum_key("normalize",
                 "per-pixel centring (x − mean) or standardising ((x − mean) / std) over the "
                 "training set, applied to train and test; images are shown de-normalised",
                 false, kNormalizeNames,
                 {.tip = "Per pixel, with the training set's statistics, for train and test alike: "
                         "center = x − mean (the PCA lesson), standardize = (x − mean) / std. The "
                         "views show images de-normalised. Noise corrupts the normalised inputs."},
                 [](auto& c) -> auto& { return c.normalize; }),
        text_key("holdout_class", "none", "none, a class index (0, 1, …) or a class name",
                 "a class removed from the training set and kept in the test set: the "
                 "anomaly of the anomaly-detection view",
                 {.ui_name = "hold out",
                  .tip = "A class removed from the training set and kept in the test set: the "
                         "anomaly that View ▸ Anomaly detection tries to flag by its "
                         "reconstruction error."},
                 &Config::holdout_class),
        int_key("seed", "1", "seed of initialisation, batch order and noise", false,
                {0, 4294967295.0, false, false, true},
                {.widget = input_field(1, 10),
                 .tip = "Seeds the initial weights, the batch order and the noise: the same seed "
                        "and settings repeat a run step for step. Press Enter to rebuild."},
                [](auto& c) -> auto& { return c.seed; }),
        {key_info("memory_budget", "auto",
                  "auto (half of physical memory) or a size of at least 1MB: 512MB, 4GB, 1.5GB, "
                  "or bytes",
                  "memory a run may take; a larger model is refused with its estimate", false,
                  {.ui_name = "memory budget"}),
         [](Config& c, std::string_view t) {
             const std::optional<uint64_t> bytes = parse_memory_size(trim(t));
             if (!bytes) return false;
             c.memory_budget = *bytes;
             return true;
         },
         [](const Config& c) { return memory_size_text(c.memory_budget); }},
        {key_info("threads", "auto",
                  "auto (the window: every core but one, which the window keeps; headless: every "
                  "core) or a number of threads from 1 to " + std::to_string(kMaxThreads),
                  "threads that train and compute the views; results are deterministic for a "
                  "given number",
                  false, {.ui_name = "threads"}),
         [](Config& c, std::string_view t) {
             const std::string text = trim(t);
             long long count = 0;
             if (text == "auto") count = 0;
             else if (!parse_long(text, count) || count < 1 || count > kMaxThreads) return false;
             c.threads = int(count);
             return true;
         },
         [](const Config& c) { return c.threads == 0 ? std::string("auto") : std::to_string(c.threads); }},
    };
    return table;
}

const KeyImpl* find_impl(std::string_view name) {
    for (const KeyImpl& k : key_table())
        if (name == k.info.name) return &k;
    return nullptr;
}

std::string known_keys() {
    std::string s;
    for (const KeyImpl& k : key_table()) s += (s.empty() ? "" : ", ") + std::string(k.info.name);
    return s;
}

}  // namespace

std::string format_float(float v) {
    char text[32];
    auto [ptr, ec] = std::to_chars(text, text + sizeof text, v);  // shortest exact form
    return std::string(text, ptr);
}

bool NumericRange::contains(double v) const {
    return (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi) &&
           (!integer || v == std::floor(v));
}

double NumericRange::clamp(double v) const {
    if (!(v == v)) return lo_open ? hi : lo;  // NaN
    if (lo_open ? v <= lo : v < lo) return lo_open ? double(std::nextafter(float(lo), float(hi))) : lo;
    if (hi_open ? v >= hi : v > hi) return hi_open ? double(std::nextafter(float(hi), float(lo))) : hi;
    return integer ? std::round(v) : v;
}

const ConfigKey& config_key(std::string_view name) {
    const ConfigKey* key = find_config_key(name);
    AELAB_CHECK(key != nullptr, "config_key of a key missing from the table");
    return *key;
}

const NumericRange* key_range(std::string_view name) {
    const ConfigKey* key = find_config_key(name);
    return key && key->range ? &*key->range : nullptr;
}

const char* to_string(ModelKind v) {
    return kModelNames.name(v);
}
const char* to_string(Activation v) {
    return kActivationNames.name(v);
}
const char* to_string(LossKind v) {
    return kLossNames.name(v);
}
const char* to_string(InitKind v) {
    return kInitNames.name(v);
}
const char* to_string(OptimizerKind v) {
    return kOptimizerNames.name(v);
}
const char* to_string(NoiseKind v) {
    return kNoiseNames.name(v);
}
const char* to_string(SparsityKind v) {
    return kSparsityNames.name(v);
}
const char* to_string(NormalizeKind v) {
    return kNormalizeNames.name(v);
}

Activation hidden_activation(const Config& config, size_t i) {
    return config.hidden[i].act.value_or(config.encoder_act);
}

Activation code_activation(const Config& config) {
    return hidden_activation(config, config.hidden.size() - 1);
}

int code_size(const Config& config) { return config.hidden.back().size; }

void adopt_model_kind(Config& config, ModelKind from) {
    const Config defaults;
    if (config.model == ModelKind::Vae && from == ModelKind::Autoencoder) {
        config.tied = false;
        if (config.hidden == defaults.hidden) config.hidden = {512};
        if (config.encoder_act == defaults.encoder_act) config.encoder_act = Activation::Relu;
    } else if (config.model == ModelKind::Autoencoder && from == ModelKind::Vae &&
               config.hidden == std::vector<HiddenLayer>{512} && config.encoder_act == Activation::Relu) {
        config.hidden = defaults.hidden;
        config.encoder_act = defaults.encoder_act;
    }
}

CarriedOver knobs_carried_over(const Config& config) {
    const Knobs defaults;
    const Knobs& k = config.knobs;
    CarriedOver out;
    const auto describe = [](const char* name, const std::string& value) {
        return std::string(name) + " " + value;
    };
    if (k.noise != defaults.noise)
        out.kept.push_back(describe("noise", std::string(to_string(k.noise)) + " " + format_float(k.noise_level)));
    if (k.l2 != defaults.l2) out.kept.push_back(describe("L2 λ", format_float(k.l2)));
    if (k.contractive != defaults.contractive)
        out.kept.push_back(describe("contractive λ", format_float(k.contractive)));
    if (k.sparsity != defaults.sparsity)
        (config.model == ModelKind::Vae ? out.ignored : out.kept)
            .push_back(describe("sparsity", to_string(k.sparsity)));
    return out;
}

int resolve_threads(const Config& config, int cores, bool window) {
    if (config.threads > 0) return config.threads;
    return std::max(1, cores - (window ? 1 : 0));
}

LossKind effective_loss(const Config& config) {
    if (config.loss != LossKind::Auto) return config.loss;
    return config.model == ModelKind::Vae && config.normalize == NormalizeKind::None
               ? LossKind::Bce
               : LossKind::Mse;
}

const std::vector<ConfigKey>& config_keys() {
    static const std::vector<ConfigKey> keys = [] {
        std::vector<ConfigKey> out;
        for (const KeyImpl& k : key_table()) out.push_back(k.info);
        return out;
    }();
    return keys;
}

const ConfigKey* find_config_key(std::string_view name) {
    const KeyImpl* impl = find_impl(name);
    return impl ? &impl->info : nullptr;
}

namespace {

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF), as JSON requires.
bool is_utf8(std::string_view text) {
    for (size_t i = 0; i < text.size();) {
        const auto byte = [&](size_t k) { return uint8_t(text[k]); };
        const uint8_t c = byte(i);
        size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        if (length == 0 || i + length > text.size()) return false;
        uint32_t code = length == 1 ? c : c & (0x7f >> length);
        for (size_t k = 1; k < length; ++k) {
            if ((byte(i + k) & 0xc0) != 0x80) return false;
            code = code << 6 | (byte(i + k) & 0x3f);
        }
        static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (code < kSmallest[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
            return false;
        i += length;
    }
    return true;
}

}  // namespace

std::optional<Error> set_config_value(Config& config, std::string_view key,
                                      std::string_view value) {
    // Keys and values end up in JSON (config.json, run files, metrics), which holds UTF-8
    // only: bytes that are not would make every later save throw. Refused here, unquoted.
    if (!is_utf8(key)) return Error{"a config key that is not UTF-8 text"};
    const KeyImpl* impl = find_impl(trim(key));
    if (!impl)
        return Error{"unknown config key '" + std::string(key) + "'; known keys: " + known_keys()};
    if (!is_utf8(value))
        return Error{"config key '" + std::string(impl->info.name) + "': the value is not UTF-8 text"};
    Config updated = config;
    if (!impl->set(updated, value))
        return Error{"config key '" + std::string(impl->info.name) + "': '" + std::string(value) +
                     "' is not allowed; allowed: " + impl->info.allowed};
    config = std::move(updated);
    return std::nullopt;
}

std::optional<Error> apply_setting(Config& config, std::string_view key_equals_value) {
    size_t eq = key_equals_value.find('=');
    if (eq == std::string_view::npos)
        return Error{"setting '" + std::string(key_equals_value) +
                     "' is not of the form key=value; known keys: " + known_keys()};
    return set_config_value(config, key_equals_value.substr(0, eq),
                            key_equals_value.substr(eq + 1));
}

std::string get_config_value(const Config& config, std::string_view key) {
    const KeyImpl* impl = find_impl(key);
    AELAB_CHECK(impl != nullptr, "get_config_value of an unknown key");
    return impl->get(config);
}

std::optional<Error> validate_config(const Config& config) {
    if (config.loss == LossKind::Bce && config.normalize != NormalizeKind::None)
        return Error{std::string("config key 'loss': bce needs targets in [0, 1], but normalize=") +
                     to_string(config.normalize) +
                     " moves pixels outside it; use loss=mse (or auto) with normalised inputs"};
    // Every value, however it was set (a slider, a lesson, code), must be one its key allows:
    // its text form must parse back.
    for (const KeyImpl& k : key_table()) {
        Config copy = config;
        if (!k.set(copy, k.get(config)))
            return Error{"config key '" + std::string(k.info.name) + "': '" + k.get(config) +
                         "' is not allowed; allowed: " + k.info.allowed};
    }
    if (config.model == ModelKind::Vae && config.tied)
        return Error{
            "config key 'tied': true is not supported with model=vae (the VAE's "
            "encoder has two heads, so there is no single matrix to transpose); "
            "allowed with vae: false"};
    return std::nullopt;
}

std::vector<std::string> describe_changes(const Config& from, const Config& to, bool live) {
    std::vector<std::string> changes;
    for (const KeyImpl& k : key_table()) {
        if (k.info.live != live) continue;
        const std::string a = k.get(from), b = k.get(to);
        if (a != b) changes.push_back(std::string(k.info.ui_name) + " " + a + " → " + b);
    }
    return changes;
}

nlohmann::json config_to_json(const Config& config) {
    nlohmann::json out = nlohmann::json::object();
    for (const KeyImpl& k : key_table()) {
        std::string text = k.get(config);
        std::string name = k.info.name;
        if (name == "hidden") {
            // Sizes as numbers; a layer with its own activation as its text, "32:linear".
            nlohmann::json layers = nlohmann::json::array();
            for (const HiddenLayer& layer : config.hidden)
                if (layer.act)
                    layers.push_back(hidden_text({layer}));
                else
                    layers.push_back(layer.size);
            out[name] = layers;
        } else if (text == "true" || text == "false") {
            out[name] = text == "true";
        } else if (double v = 0; name != "dataset" && name != "holdout_class" &&
                                 parse_double(text, v)) {
            long long i = 0;
            if (parse_long(text, i))
                out[name] = i;
            else
                out[name] = v;
        } else {
            out[name] = text;
        }
    }
    return out;
}

std::optional<Error> config_from_json(Config& config, const nlohmann::json& object,
                                      std::string_view where) {
    if (!object.is_object())
        return Error{std::string(where) + ": the config must be a JSON object of key: value"};
    Config updated = config;
    for (const auto& [key, value] : object.items()) {
        std::string text;
        if (value.is_string()) {
            text = value.get<std::string>();
        } else if (value.is_boolean()) {
            text = value.get<bool>() ? "true" : "false";
        } else if (value.is_number()) {
            text = value.dump();
        } else if (value.is_array() && key == "hidden") {
            for (const auto& item : value) {
                if (!item.is_number_integer() && !item.is_string())
                    return Error{std::string(where) + ": config key 'hidden': " + value.dump() +
                                 " must hold sizes, or texts like \"32:linear\""};
                text += (text.empty() ? "" : ",") +
                        (item.is_string() ? item.get<std::string>() : item.dump());
            }
        } else {
            return Error{std::string(where) + ": config key '" + key + "': " + value.dump() +
                         " is not a string, number or boolean"};
        }
        if (auto error = set_config_value(updated, key, text))
            return Error{std::string(where) + ": " + error->message};
    }
    if (auto error = validate_config(updated))
        return Error{std::string(where) + ": " + error->message};
    config = std::move(updated);
    return std::nullopt;
}

}  // namespace aelab
