// Key table of the configuration: parsing, printing and validation of every key.
#include "core/config/config.h"

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

template <class E, size_t N>
struct EnumNames {
    std::array<const char*, N> names;
    const char* name(E v) const { return names[static_cast<size_t>(v)]; }
    bool parse(std::string_view text, E& out) const {
        for (size_t i = 0; i < N; ++i) {
            if (text == names[i]) {
                out = static_cast<E>(i);
                return true;
            }
        }
        return false;
    }
};

constexpr EnumNames<ModelKind, 2> kModelNames{{"ae", "vae"}};
constexpr EnumNames<Activation, 4> kActivationNames{{"sigmoid", "tanh", "relu", "linear"}};
constexpr EnumNames<LossKind, 3> kLossNames{{"auto", "mse", "bce"}};
constexpr EnumNames<InitKind, 3> kInitNames{{"xavier", "he", "constant"}};
constexpr EnumNames<OptimizerKind, 3> kOptimizerNames{{"sgd", "momentum", "adam"}};
constexpr EnumNames<NoiseKind, 4> kNoiseNames{{"none", "gaussian", "mask", "saltpepper"}};
constexpr EnumNames<SparsityKind, 5> kSparsityNames{
    {"none", "kl", "squared", "hinge", "phat_squared"}};
constexpr EnumNames<NormalizeKind, 3> kNormalizeNames{{"none", "center", "standardize"}};

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

ConfigKey key_info(const char* name, const char* default_value, std::string allowed,
                   const char* help, bool live, std::optional<NumericRange> range = {}) {
    return {name, default_value, std::move(allowed), help, live, range};
}

// Builders: `field` is a generic lambda giving the member, for a Config or a const Config.
template <class E, size_t N, class Field>
KeyImpl enum_key(const char* name, const char* help, bool live, const EnumNames<E, N>& names,
                 Field field) {
    std::string allowed;
    for (const char* n : names.names) allowed += (allowed.empty() ? "" : ", ") + std::string(n);
    const Config defaults;
    return {key_info(name, names.name(field(defaults)), allowed, help, live),
            [&names, field](Config& c, std::string_view t) { return names.parse(trim(t), field(c)); },
            [&names, field](const Config& c) { return std::string(names.name(field(c))); }};
}

// A float knob: parsed as a double, stored as a float, and the range is checked on the value
// as stored — so lr=1e-320 (stored as 0) and sparsity_p=0.99999999 (stored as 1) are refused.
template <class Field>
KeyImpl float_key(const char* name, const char* default_value, const char* help, bool live,
                  NumericRange range, Field field) {
    return {key_info(name, default_value, describe_range(range), help, live, range),
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
                NumericRange range, Field field, const char* note = "") {
    return {key_info(name, default_value, describe_range(range) + note, help, live, range),
            [range, field](Config& c, std::string_view t) {
                long long v = 0;
                if (!parse_long(t, v) || !range.contains(double(v))) return false;
                field(c) = static_cast<std::remove_reference_t<decltype(field(c))>>(v);
                return true;
            },
            [field](const Config& c) { return std::to_string(field(c)); }};
}

template <class Field>
KeyImpl bool_key(const char* name, const char* help, Field field) {
    const Config defaults;
    return {key_info(name, field(defaults) ? "true" : "false", "true, false", help, false),
            [field](Config& c, std::string_view t) { return parse_bool(t, field(c)); },
            [field](const Config& c) { return std::string(field(c) ? "true" : "false"); }};
}

std::vector<KeyImpl> make_key_table();

// What the window calls each key (its label in Controls), for markers, the log, undo and
// the README: a student reads "target p", not "sparsity_p".
constexpr std::pair<const char*, const char*> kUiNames[] = {
    {"model", "model"},          {"hidden", "hidden"},
    {"latent", "latent size"},   {"encoder_act", "encoder act"},
    {"decoder_act", "decoder act"}, {"loss", "loss"},
    {"tied", "tied weights"},    {"init", "init"},
    {"optimizer", "optimizer"},  {"lr", "learning rate"},
    {"batch", "batch"},          {"l2", "L2 λ"},
    {"noise", "noise"},          {"noise_level", "noise level"},
    {"sparsity", "sparsity"},    {"sparsity_p", "target p"},
    {"sparsity_beta", "sparsity β"}, {"contractive", "contractive λ"},
    {"vae_beta", "VAE β"},       {"dataset", "dataset"},
    {"train_size", "train size"}, {"binarize", "binarize"},
    {"normalize", "normalize"},  {"holdout_class", "hold out"},
    {"seed", "seed"},            {"memory_budget", "memory budget"},
};

const std::vector<KeyImpl>& key_table() {
    static const std::vector<KeyImpl> table = [] {
        std::vector<KeyImpl> keys = make_key_table();
        for (KeyImpl& k : keys) {
            for (const auto& [name, ui] : kUiNames)
                if (std::string_view(name) == k.info.name) k.info.ui_name = ui;
            if (!k.info.ui_name) k.info.ui_name = k.info.name;
        }
        return keys;
    }();
    return table;
}

std::vector<KeyImpl> make_key_table() {
    return {
        enum_key("model", "autoencoder or variational autoencoder", false, kModelNames,
                 [](auto& c) -> auto& { return c.model; }),
        {key_info("hidden", "256,32",
                  "1 to " + std::to_string(kMaxLayers) + " comma-separated layers, each a size in [1, " +
                      std::to_string(kMaxLayerSize) +
                      "] with an optional :activation and *count, e.g. 256,32 or "
                      "32:linear*10,32:sigmoid",
                  "encoder layer sizes (and activations); the decoder mirrors them", false),
         [](Config& c, std::string_view t) { return parse_hidden(t, c.hidden); },
         [](const Config& c) { return hidden_text(c.hidden); }},
        int_key("latent", "2", "VAE latent size (μ and log σ² each)", false, {1, 64, false, false, true},
                [](auto& c) -> auto& { return c.latent; }),
        enum_key("encoder_act", "activation g of the hidden layers that name none in hidden", false, kActivationNames,
                 [](auto& c) -> auto& { return c.encoder_act; }),
        enum_key("decoder_act", "activation f of the output layer", false, kActivationNames,
                 [](auto& c) -> auto& { return c.decoder_act; }),
        enum_key("loss", "reconstruction loss; auto = bce for a VAE, mse otherwise", false,
                 kLossNames, [](auto& c) -> auto& { return c.loss; }),
        bool_key("tied", "decoder weights are the encoder's transposed",
                 [](auto& c) -> auto& { return c.tied; }),
        enum_key("init", "weight initialisation; constant = every weight 0.01, every bias 0",
                 false, kInitNames, [](auto& c) -> auto& { return c.init; }),
        enum_key("optimizer", "update rule (momentum 0.9)", true, kOptimizerNames,
                 [](auto& c) -> auto& { return c.knobs.optimizer; }),
        float_key("lr", "0.001", "learning rate η", true, {0, 10, true, false},
                  [](auto& c) -> auto& { return c.knobs.lr; }),
        int_key("batch", "64", "mini-batch size", true, {1, 4096, false, false, true},
                [](auto& c) -> auto& { return c.knobs.batch; }),
        float_key("l2", "0", "L2 weight decay λ (weights only)", true, {0, 10},
                  [](auto& c) -> auto& { return c.knobs.l2; }),
        enum_key("noise", "input corruption of the denoising autoencoder", true, kNoiseNames,
                 [](auto& c) -> auto& { return c.knobs.noise; }),
        float_key("noise_level", "0.3", "σ for gaussian noise, the probability for mask and saltpepper",
                  true, {0, 1}, [](auto& c) -> auto& { return c.knobs.noise_level; }),
        enum_key("sparsity", "sparsity penalty on the code layer", true, kSparsityNames,
                 [](auto& c) -> auto& { return c.knobs.sparsity; }),
        float_key("sparsity_p", "0.05", "sparsity target p", true, {0, 1, true, true},
                  [](auto& c) -> auto& { return c.knobs.sparsity_p; }),
        float_key("sparsity_beta", "3", "sparsity weight β", true, {0, 100},
                  [](auto& c) -> auto& { return c.knobs.sparsity_beta; }),
        float_key("contractive", "0",
                  "contractive weight λ on ‖J_x(h₁)‖²_F, the Jacobian of the first encoder layer",
                  true, {0, 100}, [](auto& c) -> auto& { return c.knobs.contractive; }),
        float_key("vae_beta", "1", "weight β of the VAE's KL term", true, {0, 100},
                  [](auto& c) -> auto& { return c.knobs.vae_beta; }),
        {key_info("dataset", "fashion-mnist",
                  "fashion-mnist, shapes, bars, plane3d, or a folder holding MNIST-format IDX "
                  "files",
                  "training data", false),
         [](Config& c, std::string_view t) {
             std::string s = trim(t);
             if (s.empty()) return false;
             c.dataset = s;
             return true;
         },
         [](const Config& c) { return c.dataset; }},
        int_key("train_size", "0", "size of the training subset", false,
                {0, 100000000, false, false, true}, [](auto& c) -> auto& { return c.train_size; },
                " (0 = all)"),
        bool_key("binarize", "threshold pixels at 0.5 to {0, 1}",
                 [](auto& c) -> auto& { return c.binarize; }),
        enum_key("normalize",
                 "per-pixel centring (x − mean) or standardising ((x − mean) / std) over the "
                 "training set, applied to train and test; images are shown de-normalised",
                 false, kNormalizeNames, [](auto& c) -> auto& { return c.normalize; }),
        {key_info("holdout_class", "none", "none, a class index (0, 1, …) or a class name",
                  "a class removed from the training set and kept in the test set: the "
                  "anomaly of the anomaly-detection view",
                  false),
         [](Config& c, std::string_view t) {
             std::string s = trim(t);
             if (s.empty()) return false;
             c.holdout_class = s;
             return true;
         },
         [](const Config& c) { return c.holdout_class; }},
        int_key("seed", "1", "seed of initialisation, batch order and noise", false,
                {0, 4294967295.0, false, false, true}, [](auto& c) -> auto& { return c.seed; }),
        {key_info("memory_budget", "auto",
                  "auto (half of physical memory) or a size of at least 1MB: 512MB, 4GB, 1.5GB, "
                  "or bytes",
                  "memory a run may take; a larger model is refused with its estimate", false),
         [](Config& c, std::string_view t) {
             const std::optional<uint64_t> bytes = parse_memory_size(trim(t));
             if (!bytes) return false;
             c.memory_budget = *bytes;
             return true;
         },
         [](const Config& c) { return memory_size_text(c.memory_budget); }},
    };
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
