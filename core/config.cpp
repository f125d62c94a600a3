// Key table of the configuration: parsing, printing and validation of every key.
#include "core/config.h"

#include <array>
#include <charconv>
#include <cmath>
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
constexpr EnumNames<SparsityKind, 3> kSparsityNames{{"none", "kl", "squared"}};

std::string trim(std::string_view s) {
    size_t a = s.find_first_not_of(" \t");
    size_t b = s.find_last_not_of(" \t");
    return a == std::string_view::npos ? std::string() : std::string(s.substr(a, b - a + 1));
}

bool parse_double(std::string_view text, double& out) {
    std::string s = trim(text);
    if (s.empty()) return false;
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return end == s.c_str() + s.size() && std::isfinite(out);
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

bool parse_sizes(std::string_view text, std::vector<int>& out) {
    std::vector<int> sizes;
    std::string s = trim(text);
    if (s.empty()) return false;
    std::stringstream stream(s);
    std::string item;
    while (std::getline(stream, item, ',')) {
        long long v = 0;
        if (!parse_long(item, v) || v < 1 || v > 100000) return false;
        sizes.push_back(static_cast<int>(v));
    }
    if (sizes.empty() || sizes.size() > 8) return false;
    out = std::move(sizes);
    return true;
}

std::string format_float(float v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

// A setter returns false when the text is not an allowed value for its key.
struct KeyImpl {
    ConfigKey info;
    bool (*set)(Config&, std::string_view);
    std::string (*get)(const Config&);
};

bool in_range(double v, double lo, double hi, bool lo_open = false) {
    return (lo_open ? v > lo : v >= lo) && v <= hi;
}

const std::vector<KeyImpl>& key_table() {
    static const std::vector<KeyImpl> table = {
        {{"model", "ae", "ae, vae", "autoencoder or variational autoencoder", false},
         [](Config& c, std::string_view t) { return kModelNames.parse(trim(t), c.model); },
         [](const Config& c) { return std::string(kModelNames.name(c.model)); }},
        {{"hidden", "256,32", "1 to 8 comma-separated sizes in [1, 100000], e.g. 256,32",
          "encoder layer sizes; the decoder mirrors them", false},
         [](Config& c, std::string_view t) { return parse_sizes(t, c.hidden); },
         [](const Config& c) {
             std::string s;
             for (size_t i = 0; i < c.hidden.size(); ++i)
                 s += (i ? "," : "") + std::to_string(c.hidden[i]);
             return s;
         }},
        {{"latent", "2", "an integer in [1, 64]", "VAE latent size (μ and log σ² each)", false},
         [](Config& c, std::string_view t) {
             long long v = 0;
             if (!parse_long(t, v) || v < 1 || v > 64) return false;
             c.latent = static_cast<int>(v);
             return true;
         },
         [](const Config& c) { return std::to_string(c.latent); }},
        {{"encoder_act", "sigmoid", "sigmoid, tanh, relu, linear",
          "activation g of every hidden layer", false},
         [](Config& c, std::string_view t) {
             return kActivationNames.parse(trim(t), c.encoder_act);
         },
         [](const Config& c) { return std::string(kActivationNames.name(c.encoder_act)); }},
        {{"decoder_act", "sigmoid", "sigmoid, tanh, relu, linear",
          "activation f of the output layer", false},
         [](Config& c, std::string_view t) {
             return kActivationNames.parse(trim(t), c.decoder_act);
         },
         [](const Config& c) { return std::string(kActivationNames.name(c.decoder_act)); }},
        {{"loss", "auto", "auto, mse, bce",
          "reconstruction loss; auto = bce for a VAE, mse otherwise", false},
         [](Config& c, std::string_view t) { return kLossNames.parse(trim(t), c.loss); },
         [](const Config& c) { return std::string(kLossNames.name(c.loss)); }},
        {{"tied", "false", "true, false", "decoder weights are the encoder's transposed", false},
         [](Config& c, std::string_view t) { return parse_bool(t, c.tied); },
         [](const Config& c) { return std::string(c.tied ? "true" : "false"); }},
        {{"init", "xavier", "xavier, he, constant",
          "weight initialisation; constant = every weight 0.01, every bias 0", false},
         [](Config& c, std::string_view t) { return kInitNames.parse(trim(t), c.init); },
         [](const Config& c) { return std::string(kInitNames.name(c.init)); }},
        {{"optimizer", "adam", "sgd, momentum, adam", "update rule (momentum 0.9)", true},
         [](Config& c, std::string_view t) {
             return kOptimizerNames.parse(trim(t), c.knobs.optimizer);
         },
         [](const Config& c) { return std::string(kOptimizerNames.name(c.knobs.optimizer)); }},
        {{"lr", "0.001", "a number in (0, 10]", "learning rate η", true},
         [](Config& c, std::string_view t) {
             double v = 0;
             if (!parse_double(t, v) || !in_range(v, 0, 10, true)) return false;
             c.knobs.lr = static_cast<float>(v);
             return true;
         },
         [](const Config& c) { return format_float(c.knobs.lr); }},
        {{"batch", "64", "an integer in [1, 4096]", "mini-batch size", true},
         [](Config& c, std::string_view t) {
             long long v = 0;
             if (!parse_long(t, v) || v < 1 || v > 4096) return false;
             c.knobs.batch = static_cast<int>(v);
             return true;
         },
         [](const Config& c) { return std::to_string(c.knobs.batch); }},
        {{"l2", "0", "a number in [0, 10]", "L2 weight decay λ (weights only)", true},
         [](Config& c, std::string_view t) {
             double v = 0;
             if (!parse_double(t, v) || !in_range(v, 0, 10)) return false;
             c.knobs.l2 = static_cast<float>(v);
             return true;
         },
         [](const Config& c) { return format_float(c.knobs.l2); }},
        {{"noise", "none", "none, gaussian, mask, saltpepper",
          "input corruption of the denoising autoencoder", true},
         [](Config& c, std::string_view t) { return kNoiseNames.parse(trim(t), c.knobs.noise); },
         [](const Config& c) { return std::string(kNoiseNames.name(c.knobs.noise)); }},
        {{"noise_level", "0.3", "a number in [0, 1]",
          "σ for gaussian noise, the probability for mask and saltpepper", true},
         [](Config& c, std::string_view t) {
             double v = 0;
             if (!parse_double(t, v) || !in_range(v, 0, 1)) return false;
             c.knobs.noise_level = static_cast<float>(v);
             return true;
         },
         [](const Config& c) { return format_float(c.knobs.noise_level); }},
        {{"sparsity", "none", "none, kl, squared", "sparsity penalty on the code layer", true},
         [](Config& c, std::string_view t) {
             return kSparsityNames.parse(trim(t), c.knobs.sparsity);
         },
         [](const Config& c) { return std::string(kSparsityNames.name(c.knobs.sparsity)); }},
        {{"sparsity_p", "0.05", "a number in (0, 1)", "sparsity target p", true},
         [](Config& c, std::string_view t) {
             double v = 0;
             if (!parse_double(t, v) || !(v > 0 && v < 1)) return false;
             c.knobs.sparsity_p = static_cast<float>(v);
             return true;
         },
         [](const Config& c) { return format_float(c.knobs.sparsity_p); }},
        {{"sparsity_beta", "3", "a number in [0, 100]", "sparsity weight β", true},
         [](Config& c, std::string_view t) {
             double v = 0;
             if (!parse_double(t, v) || !in_range(v, 0, 100)) return false;
             c.knobs.sparsity_beta = static_cast<float>(v);
             return true;
         },
         [](const Config& c) { return format_float(c.knobs.sparsity_beta); }},
        {{"contractive", "0", "a number in [0, 100]",
          "contractive weight λ on ‖J_x(h)‖² of the first encoder layer", true},
         [](Config& c, std::string_view t) {
             double v = 0;
             if (!parse_double(t, v) || !in_range(v, 0, 100)) return false;
             c.knobs.contractive = static_cast<float>(v);
             return true;
         },
         [](const Config& c) { return format_float(c.knobs.contractive); }},
        {{"vae_beta", "1", "a number in [0, 100]", "weight β of the VAE's KL term", true},
         [](Config& c, std::string_view t) {
             double v = 0;
             if (!parse_double(t, v) || !in_range(v, 0, 100)) return false;
             c.knobs.vae_beta = static_cast<float>(v);
             return true;
         },
         [](const Config& c) { return format_float(c.knobs.vae_beta); }},
        {{"dataset", "fashion-mnist",
          "fashion-mnist, shapes, bars, or a folder holding MNIST-format IDX files",
          "training data", false},
         [](Config& c, std::string_view t) {
             std::string s = trim(t);
             if (s.empty()) return false;
             c.dataset = s;
             return true;
         },
         [](const Config& c) { return c.dataset; }},
        {{"train_size", "0", "an integer >= 0 (0 = all)", "size of the training subset", false},
         [](Config& c, std::string_view t) {
             long long v = 0;
             if (!parse_long(t, v) || v < 0 || v > 100000000) return false;
             c.train_size = static_cast<int>(v);
             return true;
         },
         [](const Config& c) { return std::to_string(c.train_size); }},
        {{"binarize", "false", "true, false", "threshold pixels at 0.5 to {0, 1}", false},
         [](Config& c, std::string_view t) { return parse_bool(t, c.binarize); },
         [](const Config& c) { return std::string(c.binarize ? "true" : "false"); }},
        {{"seed", "1", "an integer in [0, 4294967295]",
          "seed of initialisation, batch order and noise", false},
         [](Config& c, std::string_view t) {
             long long v = 0;
             if (!parse_long(t, v) || v < 0 || v > 4294967295LL) return false;
             c.seed = static_cast<uint32_t>(v);
             return true;
         },
         [](const Config& c) { return std::to_string(c.seed); }},
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

LossKind effective_loss(const Config& config) {
    if (config.loss != LossKind::Auto) return config.loss;
    return config.model == ModelKind::Vae ? LossKind::Bce : LossKind::Mse;
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

std::optional<Error> set_config_value(Config& config, std::string_view key,
                                      std::string_view value) {
    const KeyImpl* impl = find_impl(trim(key));
    if (!impl)
        return Error{"unknown config key '" + std::string(key) + "'; known keys: " + known_keys()};
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
        if (a != b) changes.push_back(std::string(k.info.name) + " " + a + " → " + b);
    }
    return changes;
}

nlohmann::json config_to_json(const Config& config) {
    nlohmann::json out = nlohmann::json::object();
    for (const KeyImpl& k : key_table()) {
        std::string text = k.get(config);
        std::string name = k.info.name;
        if (name == "hidden") {
            out[name] = config.hidden;
        } else if (text == "true" || text == "false") {
            out[name] = text == "true";
        } else if (double v = 0; name != "dataset" && parse_double(text, v)) {
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
                if (!item.is_number_integer())
                    return Error{std::string(where) + ": config key 'hidden': " + value.dump() +
                                 " must hold whole numbers only"};
                text += (text.empty() ? "" : ",") + item.dump();
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
