// The configuration of a run: every key users can set with --set, in session files and in
// lesson files, with its default, its allowed values and whether it acts live. Any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/base/expected.h"

namespace aelab {

enum class ModelKind { Autoencoder, Vae };
enum class Activation { Sigmoid, Tanh, Relu, Linear };
enum class LossKind { Auto, Mse, Bce };  // Auto: bce for a VAE, mse otherwise
enum class InitKind { Xavier, He, Constant };
enum class OptimizerKind { Sgd, Momentum, Adam };
enum class NoiseKind { None, Gaussian, Mask, SaltPepper };
// Hinge and PHatSquared are the two wrong answers of seed 001's quiz (h, i): Σ max(0, (1 − p̂_j)p)
// and Σ p̂_j², kept so a lesson can show that they do not pull p̂ to p.
enum class SparsityKind { None, Kl, Squared, Hinge, PHatSquared };
enum class NormalizeKind { None, Center, Standardize };

const char* to_string(ModelKind v);
const char* to_string(Activation v);
const char* to_string(LossKind v);
const char* to_string(InitKind v);
const char* to_string(OptimizerKind v);
const char* to_string(NoiseKind v);
const char* to_string(SparsityKind v);
const char* to_string(NormalizeKind v);

// The knobs that act on the next mini-batch without touching the weights.
struct Knobs {
    OptimizerKind optimizer = OptimizerKind::Adam;
    float lr = 0.001f;
    int batch = 64;
    float l2 = 0.0f;
    NoiseKind noise = NoiseKind::None;
    float noise_level = 0.3f;
    SparsityKind sparsity = SparsityKind::None;
    float sparsity_p = 0.05f;
    float sparsity_beta = 3.0f;
    float contractive = 0.0f;
    float vae_beta = 1.0f;

    bool operator==(const Knobs&) const = default;
};

// One encoder layer of `hidden`: its size and, when written "32:linear", an activation of its
// own instead of encoder_act. Converts from an int so that {256, 32} still reads as sizes.
struct HiddenLayer {
    int size = 0;
    std::optional<Activation> act;
    HiddenLayer(int size = 0, std::optional<Activation> act = {}) : size(size), act(act) {}
    bool operator==(const HiddenLayer&) const = default;
};

struct Config {
    // Structure: changing any of these rebuilds the model.
    ModelKind model = ModelKind::Autoencoder;
    std::vector<HiddenLayer> hidden = {256, 32};   // encoder layers; the decoder mirrors them
    int latent = 2;                                // VAE only: size of μ and log σ²
    Activation encoder_act = Activation::Sigmoid;  // hidden layers without their own
    Activation decoder_act = Activation::Sigmoid;  // the output layer
    LossKind loss = LossKind::Auto;
    bool tied = false;
    InitKind init = InitKind::Xavier;
    std::string dataset = "fashion-mnist";
    int train_size = 0;  // 0 = the whole training set
    bool binarize = false;
    NormalizeKind normalize = NormalizeKind::None;  // per pixel, over the training set
    std::string holdout_class = "none";  // a class index or name kept out of training

    uint32_t seed = 1;
    // Bytes a run may take (key memory_budget); 0 = auto: half of physical memory. A model whose
    // estimate (core/memory_budget.h) is larger is refused before anything is allocated.
    uint64_t memory_budget = 0;
    // Threads of training and the views (key threads); 0 = auto: every core but one in the
    // window, every core headless (resolve_threads).
    int threads = 0;

    Knobs knobs;

    bool operator==(const Config&) const = default;
};

// The activation of encoder layer i (its own, else encoder_act); the decoder layer that
// mirrors it uses the same. code_activation: the last encoder layer's (the code h).
Activation hidden_activation(const Config& config, size_t i);
Activation code_activation(const Config& config);
int code_size(const Config& config);  // the last encoder layer's size

// The usual shape of each kind of model, taken when `config.model` has just changed from
// `from` and the model was not shaped by hand (hidden and encoder_act at their defaults): a
// VAE gets one 512-unit ReLU layer and untied weights; back to an autoencoder, the
// defaults return. The one place the window's model combo and --set model=vae decide it.
void adopt_model_kind(Config& config, ModelKind from);
// The live knobs set away from their defaults that still act on `config`'s kind of model
// ("noise mask 0.5", "contractive λ 0.5"), and those it ignores (a VAE has no sparsity
// penalty): what a switch of model kind says it kept.
struct CarriedOver {
    std::vector<std::string> kept, ignored;
};
CarriedOver knobs_carried_over(const Config& config);

// Loss after resolving `auto`: bce for a VAE on raw pixels, mse otherwise (normalised inputs
// are not in [0, 1], where cross-entropy is defined).
LossKind effective_loss(const Config& config);

inline constexpr int kMaxLayers = 16;           // encoder layers in `hidden` (lesson 09 uses 11)
inline constexpr int kMaxLayerSize = 100000;     // units in one layer
inline constexpr int kMaxThreads = 256;          // the threads key's largest value

// The threads a run of `config` uses on a machine with `cores` cores: config.threads when
// set, else every core, less one when a window shares the machine (at least 1).
int resolve_threads(const Config& config, int cores, bool window);

// The values a numeric key allows: [lo, hi], either end open, integers only or any number.
// The one place a knob's range lives: the parser checks it, the sliders clamp to it.
struct NumericRange {
    double lo = 0, hi = 0;
    bool lo_open = false, hi_open = false;
    bool integer = false;
    bool contains(double v) const;
    double clamp(double v) const;  // the nearest allowed value (as a float, for open ends)
};

// One value of an enum key: its config name ("phat_squared") and the window's label for it
// ("p̂² (quiz)"; the name itself where nothing more is to be said).
struct EnumValue {
    const char* name;
    const char* label;
};

// How the window edits a numeric key. A slider spans [lo, hi], which may be narrower than
// the key's range (Ctrl-click types beyond it, up to the range); an input field (step > 0)
// has −/+ buttons of `step` (and `step_fast` with Ctrl).
struct KnobWidget {
    double lo = 0, hi = 0;
    bool logarithmic = false;
    const char* format = "%d";  // ImGui's display format: "%.4f", "%.3g"
    double step = 0, step_fast = 0;
    bool input_field() const { return step > 0; }
};

// One row of the knob table: everything any part of aelab knows about a key. The CLI's
// --set and --help, session and lesson files, the Controls panel's widgets and (?) tips,
// undo's names and the log's markers all read it; a new knob is one row here (and its field
// in Config or Knobs).
struct ConfigKey {
    const char* name;  // the config key, as in --set and in files
    const char* default_value;
    std::string allowed;  // human text: "sigmoid, tanh, relu, linear", "a number in (0, 10]"
    const char* help;     // one line, for --help
    bool live;  // acts on the running model; otherwise a change rebuilds it
    std::optional<NumericRange> range;  // numeric keys
    const char* ui_name = nullptr;  // the window's word for it: "target p" for sparsity_p
    const char* label = nullptr;    // its widget's label in Controls: ui_name, or more
                                    // ("tied weights (W* = Wᵀ)")
    std::optional<KnobWidget> widget;  // numeric keys the window shows as a slider or field
    std::vector<EnumValue> values;     // enum keys: every value, in the enum's order
    const char* tip = nullptr;  // the (?) tooltip beside the widget: the formula it sets
};

// Every key, in the order --help lists them.
const std::vector<ConfigKey>& config_keys();
const ConfigKey* find_config_key(std::string_view name);
// The range of a numeric key, or null.
const NumericRange* key_range(std::string_view name);
// The row of a key that must exist (a name written in code): asserts otherwise.
const ConfigKey& config_key(std::string_view name);

// A float as the shortest text that reads back to the same float ("0.0012345678").
std::string format_float(float v);

// Sets one key from its text form. The error names the key and the allowed values.
std::optional<Error> set_config_value(Config& config, std::string_view key, std::string_view value);
// Parses "key=value" as given to --set.
std::optional<Error> apply_setting(Config& config, std::string_view key_equals_value);
// The text form of a key's value, as set_config_value accepts it.
std::string get_config_value(const Config& config, std::string_view key);
// Checks that concern several keys at once (e.g. tied weights with a VAE).
std::optional<Error> validate_config(const Config& config);

// "name old → new", in the window's words (ui_name: "target p 0.05 → 0.2"), for every key whose value differs, among the live keys (live = true) or
// the structural ones (live = false). Used for the loss-curve markers and the log.
std::vector<std::string> describe_changes(const Config& from, const Config& to, bool live);

// Typed JSON (numbers as numbers, `hidden` as an array); from_json accepts the same and
// also strings, so lesson files may be written either way. `where` names the file.
nlohmann::json config_to_json(const Config& config);
std::optional<Error> config_from_json(Config& config, const nlohmann::json& object,
                                      std::string_view where);

}  // namespace aelab
