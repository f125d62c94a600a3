// Controls: play/pause/step/reset, the live knobs (act on the next mini-batch) and the
// model's structure (changes rebuild it). Edits a draft config; never touches the model.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "app/panels/config_changes.h"
#include "app/panels/panels.h"
#include "app/panels/widgets.h"

using namespace aelab;

namespace {

struct ControlsState {
    uint64_t synced_model_version = ~0ull;
    Knobs seen_knobs;  // the running model's knobs when last looked at
    Config draft;
    char hidden_text[128] = "";
    char folder_text[512] = "";
    int code_size = 32;
    bool knob_drag = false;  // a knob's slider is held: its change is not settled yet
    uint64_t seen_refusal = 0;  // the trainer's refusal count when last looked at
    std::string hidden_error;   // a hidden text that does not parse, said under the field
    bool tied_dropped = false;  // the model combo switched tied off for a VAE: said under Model
};
ControlsState state;

void sync_from(const Snapshot& s) {
    state.synced_model_version = s.model_version;
    state.seen_knobs = s.config.knobs;
    state.draft = s.config;
    std::snprintf(state.hidden_text, sizeof state.hidden_text, "%s",
                  get_config_value(s.config, "hidden").c_str());
    state.code_size = code_size(s.config);
    if (!is_synthetic_name(s.config.dataset) && s.config.dataset != "fashion-mnist")
        std::snprintf(state.folder_text, sizeof state.folder_text, "%s", s.config.dataset.c_str());
}

void rebuild(PanelContext& ctx) { change_config(ctx, state.draft, "Controls"); }

// The speeds a class can watch: full, or a cap in steps per second.
constexpr double kSpeeds[] = {0, 1000, 100, 30, 10, 3, 1};

std::string speed_label(double steps_per_second) {
    if (steps_per_second <= 0) return "full speed";
    char text[32];
    std::snprintf(text, sizeof text, "%g steps/s", steps_per_second);
    return text;
}

void draw_run_buttons(PanelContext& ctx) {
    const Snapshot& s = ctx.snapshot;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float w = (ImGui::GetContentRegionAvail().x - 3 * spacing) / 4;
    if (ImGui::Button(s.running ? "Pause" : "Play", ImVec2(w, 0)))
        ctx.trainer.send(s.running ? Command{commands::Pause{}} : Command{commands::Play{}});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Space");
    ImGui::SameLine();
    if (ImGui::Button("Step", ImVec2(w, 0))) ctx.trainer.send(commands::Step{1});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Pause, then train one mini-batch");
    ImGui::SameLine();
    if (ImGui::Button("Step ×10", ImVec2(w, 0))) ctx.trainer.send(commands::Step{10});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Pause, then train ten mini-batches");
    ImGui::SameLine();
    if (ImGui::Button("Reset", ImVec2(w, 0))) ctx.trainer.send(commands::Reset{});
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Start again with the same seed: the same run, step for step");

    ImGui::SetNextItemWidth(2 * w + spacing);
    if (ImGui::BeginCombo("##speed", speed_label(s.speed_limit).c_str())) {
        for (double speed : kSpeeds)
            if (ImGui::Selectable(speed_label(speed).c_str(), speed == s.speed_limit))
                ctx.trainer.send(commands::SpeedLimit{speed});
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Slow motion: play at most this many training steps per second (the "
                          "curves keep every step); Step is never held");
    ImGui::SameLine();
    // (A screenshot is F12, or Export ▸ Save window as PNG.)
    if (ImGui::Button("New seed", ImVec2(2 * w + spacing, 0))) ctx.trainer.send(commands::NewSeed{});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Draw a new seed and start again");
}

void draw_status(PanelContext& ctx) {
    const Snapshot& s = ctx.snapshot;
    if (s.loading)
        ImGui::TextUnformatted("Loading data and building the model…");
    else if (!s.error.empty())
        widgets::error_text(s.error.c_str());
    else
        ImGui::Text("%s — %s", s.running ? "Training" : "Paused", s.dataset_name.c_str());
}

// Both knob sections return whether a knob changed this frame; the panel sends them.
bool draw_live_knobs() {
    Knobs& k = state.draft.knobs;
    bool changed = false;
    if (!widgets::fold_section("Training (live)")) return false;
    changed |= widgets::key_slider_float("learning rate", "lr", k.lr, 1e-5f, 1.0f, "%.5g",
                                         ImGuiSliderFlags_Logarithmic);
    widgets::help_marker(
        "η: each step moves every parameter by −η × its gradient (sgd); momentum and adam "
        "scale that step. Too large and the loss jumps or turns NaN; too small and it crawls. "
        "Ctrl-click to type a value beyond the slider (up to 10).");
    changed |= widgets::key_slider_int("batch", *key_range("batch"), k.batch, 1, 1024,
                                       ImGuiSliderFlags_Logarithmic);
    widgets::help_marker(
        "B: images per training step; J is averaged over them. Smaller batches give cheaper, "
        "noisier steps.");
    changed |= widgets::enum_combo("optimizer", k.optimizer, 3);
    widgets::help_marker(
        "sgd: θ ← θ − η∇J.  momentum: v ← 0.9v + ∇J, θ ← θ − ηv.  adam: each parameter's "
        "step scaled by running averages of its gradient and of its square.");
    changed |= widgets::key_slider_float("L2 λ", "l2", k.l2, 0.0f, 1.0f, "%.5g",
                                         ImGuiSliderFlags_Logarithmic);
    widgets::help_marker("Adds λ Σ‖W‖² (weights only) to the objective: 2λW in the gradient.");
    return changed;
}

bool draw_regularisers(PanelContext& ctx) {
    Knobs& k = state.draft.knobs;
    const float contractive_before = k.contractive;
    bool changed = false;
    if (!widgets::fold_section("Regularisers (live)")) return false;
    changed |= widgets::enum_combo("noise", k.noise, 4);
    widgets::help_marker(
        "Denoising: the encoder sees a corrupted x̃, the loss compares with the "
        "clean x. gaussian: x + N(0, σ²); mask: each pixel → 0 with probability "
        "q; saltpepper: each pixel → 0 or 1 with probability q.");
    ImGui::BeginDisabled(k.noise == NoiseKind::None);
    changed |= widgets::key_slider_float(k.noise == NoiseKind::Gaussian ? "noise σ" : "noise q",
                                         "noise_level", k.noise_level, 0.0f, 1.0f, "%.3f");
    ImGui::EndDisabled();
    widgets::help_marker(
        "noise level: σ of gaussian noise (x̃ = x + N(0, σ²)), or q, the probability that "
        "mask or saltpepper noise hits a pixel.");

    const bool vae = ctx.snapshot.config.model == ModelKind::Vae;
    ImGui::BeginDisabled(vae);
    // The quiz's two wrong answers are marked so in the list (their config names: hinge,
    // phat_squared).
    static const char* const kSparsityLabels[] = {"none", "kl", "squared", "hinge (quiz)",
                                                  "p̂² (quiz)"};
    changed |= widgets::labelled_combo("sparsity", k.sparsity, kSparsityLabels, 5);
    widgets::help_marker(
        "On the code layer's mean activations p̂_j over the batch: "
        "kl = β Σ KL(p‖p̂_j), squared = β Σ (p̂_j − p)².\n"
        "Quiz (seed 001 h, i), the two wrong answers: hinge = β Σ max(0, (1 − p̂_j)p), "
        "phat_squared = β Σ p̂_j². Neither pulls p̂ to p.");
    ImGui::BeginDisabled(k.sparsity == SparsityKind::None);
    changed |= widgets::key_slider_float("target p", "sparsity_p", k.sparsity_p, 0.001f, 0.5f,
                                         "%.4f", ImGuiSliderFlags_Logarithmic);
    widgets::help_marker(
        "p: the mean activation p̂_j each code unit is pulled towards.");
    changed |= widgets::key_slider_float("sparsity β", "sparsity_beta", k.sparsity_beta, 0.0f,
                                         20.0f, "%.3g", ImGuiSliderFlags_Logarithmic);
    widgets::help_marker(
        "β: the weight of the sparsity penalty in J.");
    ImGui::EndDisabled();
    ImGui::EndDisabled();
    changed |= widgets::key_slider_float("contractive λ", "contractive", k.contractive, 0.0f,
                                         10.0f, "%.4g", ImGuiSliderFlags_Logarithmic);
    widgets::help_marker(
        "Adds λ‖J_x(h₁)‖²_F, the Jacobian of layer 1 (the first encoder layer; "
        "the code itself only for a one-layer encoder): h₁ changes little when the "
        "input changes. View ▸ Contractive shows it, and the code's own ‖J_x(h)‖²_F.");
    // Shown for every model (disabled but for a VAE), so switching ae ↔ vae moves nothing.
    ImGui::BeginDisabled(!vae);
    changed |= widgets::key_slider_float("VAE β", "vae_beta", k.vae_beta, 0.0f, 20.0f, "%.3g",
                                         ImGuiSliderFlags_Logarithmic);
    ImGui::EndDisabled();
    widgets::help_marker(
        "VAE only. Weight of KL(N(μ, σ²) ‖ N(0, I)) in the loss: larger β pulls the "
        "codes towards the prior (smoother, blurrier); β = 1 is the ELBO.");
    if (k.sparsity == SparsityKind::Kl && code_activation(state.draft) != Activation::Sigmoid && !vae)
        widgets::hint("KL sparsity expects a sigmoid code (p̂ in (0, 1)).");
    if (contractive_before == 0.0f && k.contractive > 0.0f)
        find_panel(PanelId::Contractive).open = true;
    return changed;
}

// A rebuild the trainer refused (a folder that is not IDX data, a model too large): the
// model on screen goes on; the reason stays in red until a rebuild succeeds — under the
// model's settings when it names a config key, else under the data's.
bool refusal_names_a_key(const Snapshot& s) {
    return s.rebuild_refused.find("config key") != std::string::npos;
}

void draw_refusal(const Snapshot& s) {
    if (s.rebuild_refused.empty()) return;
    widgets::error_text(("Not rebuilt: " + s.rebuild_refused + ". The current model keeps training.").c_str());
}

void draw_structure(PanelContext& ctx) {
    Config& c = state.draft;
    bool changed = false;
    const bool refused_here = !ctx.snapshot.rebuild_refused.empty() && refusal_names_a_key(ctx.snapshot);
    if (!widgets::fold_section("Model (changes rebuild it)", refused_here)) return;
    if (refused_here) draw_refusal(ctx.snapshot);
    const ModelKind kind_before = c.model;
    if (widgets::enum_combo("model", c.model, 2)) {
        changed = true;
        const bool was_tied = c.tied;
        adopt_model_kind(c, kind_before);
        // A VAE cannot be tied: the switch unticks it, and says so under Model (not silently).
        state.tied_dropped = was_tied && !c.tied;
        if (state.tied_dropped)
            ctx.log.add("model vae: tied weights switched off (a VAE's encoder has two heads, "
                        "no single matrix to transpose)", ctx.time);
        // Say what the other kind keeps, and what it ignores.
        const CarriedOver carried = knobs_carried_over(c);
        std::string said;
        for (size_t i = 0; i < carried.kept.size(); ++i)
            said += (i == 0 ? "" : i + 1 == carried.kept.size() ? " and " : ", ") + carried.kept[i];
        if (!said.empty()) said += carried.kept.size() == 1 ? " still applies" : " still apply";
        for (const std::string& off : carried.ignored)
            said += (said.empty() ? "" : "; ") + off + " does not apply to a VAE";
        if (!said.empty())
            ctx.log.add(std::string("model ") + to_string(kind_before) + " → " + to_string(c.model) + ": " + said,
                        ctx.time);
        std::snprintf(state.hidden_text, sizeof state.hidden_text, "%s",
                      get_config_value(c, "hidden").c_str());
        state.code_size = code_size(c);
    }
    widgets::help_marker(
        "ae: h = g(Wx + b), x̂ = f(W*h + c). vae: the encoder gives μ(x) and "
        "log σ²(x); training decodes z = μ + σ ⊙ ε, generation z ~ N(0, I).");
    if (c.model != ModelKind::Vae) state.tied_dropped = false;
    if (state.tied_dropped)
        widgets::hint("Tied weights were switched off: a VAE's encoder has two heads (μ and "
                      "log σ²), so there is no single matrix to transpose.");
    if (c.model == ModelKind::Vae) {
        widgets::key_slider_int("latent size", *key_range("latent"), c.latent, 1, 16);
        if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
    widgets::help_marker(
        "d: the VAE's code z has d dimensions; the encoder gives μ and log σ², d each. d = 2 "
        "draws the latent plane.");
    }
    if (ImGui::InputText("hidden", state.hidden_text, sizeof state.hidden_text,
                         ImGuiInputTextFlags_EnterReturnsTrue)) {
        // A bad text is refused in place: said in red under the field, the old value back.
        if (auto error = set_config_value(c, "hidden", state.hidden_text)) {
            state.hidden_error = error->message;
            std::snprintf(state.hidden_text, sizeof state.hidden_text, "%s",
                          get_config_value(c, "hidden").c_str());
        } else {
            state.hidden_error.clear();
            changed = true;
        }
    }
    widgets::help_marker(
        "Encoder layer sizes, comma-separated; the decoder mirrors them. A layer may "
        "name its activation and repeat: 32:linear*10,32:sigmoid. Press Enter to rebuild.");
    if (!state.hidden_error.empty()) widgets::error_text(state.hidden_error.c_str());
    const int n = std::max(1, ctx.snapshot.image_width * ctx.snapshot.image_height);
    widgets::key_slider_int(c.model == ModelKind::Vae ? "last hidden" : "code size",
                            NumericRange{1, kMaxLayerSize, false, false, true}, state.code_size, 1,
                            2 * n, ImGuiSliderFlags_Logarithmic);
    if (ImGui::IsItemDeactivatedAfterEdit()) {
        c.hidden.back().size = std::max(1, state.code_size);
        std::snprintf(state.hidden_text, sizeof state.hidden_text, "%s",
                      get_config_value(c, "hidden").c_str());
        changed = true;
    }
    widgets::help_marker(
        "Size of the code layer. Crossing the input size n makes the "
        "autoencoder overcomplete: it can then learn the identity.");
    changed |= widgets::enum_combo("encoder act", c.encoder_act, 4);
    widgets::help_marker(
        "g in h = g(Wx + b), for every hidden layer that 'hidden' gives no activation of its "
        "own (32:linear*10,32:sigmoid names them per layer).");
    changed |= widgets::enum_combo("decoder act", c.decoder_act, 4);
    widgets::help_marker(
        "f in x̂ = f(W*h + c): sigmoid for pixels in [0, 1], linear for real values.");
    changed |= widgets::enum_combo("loss", c.loss, 3);
    widgets::help_marker(
        "mse: ‖x − x̂‖² per image.  bce: −Σ [x log x̂ + (1 − x) log(1 − x̂)], for x and x̂ in "
        "[0, 1].  auto: bce for a VAE on raw pixels, mse otherwise.");
    ImGui::BeginDisabled(c.model == ModelKind::Vae);
    changed |= ImGui::Checkbox("tied weights (W* = Wᵀ)", &c.tied);
    widgets::help_marker(
        "The decoder reuses the encoder's matrices transposed: half the weights, and each W "
        "gets a gradient through both paths (lesson 04). Not for a VAE.");
    ImGui::EndDisabled();
    changed |= widgets::enum_combo("init", c.init, 3);
    widgets::help_marker(
        "constant: every weight 0.01 and every bias 0 — all hidden units "
        "then stay identical for ever (the symmetry problem).");

    const LossKind loss = effective_loss(c);
    if (c.loss == LossKind::Bce && c.normalize != NormalizeKind::None)
        widgets::hint(
            "Cross-entropy needs targets in [0, 1]: with normalised inputs the rebuild is "
            "refused. Pick mse (or auto).");
    if (loss == LossKind::Bce && c.decoder_act != Activation::Sigmoid)
        widgets::hint(
            "Cross-entropy needs outputs in (0, 1). With this output activation x̂ "
            "leaves that range, is clamped there and stops learning: pick a sigmoid "
            "output, or mse.");
    if (loss == LossKind::Mse && c.decoder_act == Activation::Relu)
        widgets::hint("A ReLU output cannot recover from x̂ = 0 (its gradient is 0 there).");
    if (c.decoder_act == Activation::Tanh)
        widgets::hint("tanh outputs lie in [−1, 1]: pixels in [0, 1] use only half the range.");
    if (code_size(c) >= n && ctx.snapshot.image_width > 0)
        widgets::hint(
            "Overcomplete (code ≥ n): without a regulariser the net can copy its "
            "input — low error, but the filters say nothing about the data.");
    if (changed) rebuild(ctx);
}

void draw_data(PanelContext& ctx) {
    Config& c = state.draft;
    bool changed = false;
    const bool refused_here = !ctx.snapshot.rebuild_refused.empty() && !refusal_names_a_key(ctx.snapshot);
    if (!widgets::fold_section("Data (changes rebuild)", refused_here)) return;
    if (refused_here) draw_refusal(ctx.snapshot);
    const char* sets[] = {"fashion-mnist", "shapes", "bars", "plane3d"};
    const bool folder = std::find(std::begin(sets), std::end(sets), c.dataset) == std::end(sets);
    if (ImGui::BeginCombo("dataset", folder ? "IDX folder" : c.dataset.c_str())) {
        for (const char* name : sets)
            if (ImGui::Selectable(name, c.dataset == name)) {
                changed = c.dataset != name;
                c.dataset = name;
            }
        ImGui::EndCombo();
    }
    widgets::help_marker(
        "fashion-mnist: 28×28 images of clothing, 10 classes. shapes, bars, plane3d: small "
        "built-in sets that train in seconds (plane3d: 3-D points near a plane, for PCA).");
    if (ImGui::InputTextWithHint("##folder", "or an IDX folder", state.folder_text,
                                 sizeof state.folder_text, ImGuiInputTextFlags_EnterReturnsTrue) &&
        state.folder_text[0]) {
        c.dataset = state.folder_text;
        changed = true;
    }
    widgets::help_marker(
        "Type a folder holding MNIST-format IDX files (train-images-idx3-ubyte and the "
        "other three), then press Enter. A folder that is not one is refused and the "
        "current model keeps training.");
    int train_size = c.train_size;
    if (ImGui::InputInt("train size", &train_size, 100, 1000,
                        ImGuiInputTextFlags_EnterReturnsTrue)) {
        c.train_size = int(key_range("train_size")->clamp(train_size));
        changed = true;
    }
    widgets::help_marker(
        "0 = the whole training set. A small set with a wide model shows "
        "overfitting: train loss falls while test loss rises.");
    changed |= ImGui::Checkbox("binarize (threshold 0.5)", &c.binarize);
    widgets::help_marker(
        "Pixels above 0.5 become 1, the rest 0: binary data, for a logistic output with "
        "cross-entropy (lesson 02).");
    changed |= widgets::enum_combo("normalize", c.normalize, 3);
    widgets::help_marker(
        "Per pixel, with the training set's statistics, for train and test alike: "
        "center = x − mean (the PCA lesson), standardize = (x − mean) / std. The views "
        "show images de-normalised. Noise corrupts the normalised inputs.");
    // The class kept out of training: the anomaly of the anomaly-detection view.
    const std::vector<std::string>& classes = ctx.snapshot.class_names;
    auto class_label = [&](const std::string& value) {
        if (value == "none") return std::string("none");
        for (size_t i = 0; i < classes.size(); ++i)
            if (value == std::to_string(i) || value == classes[i])
                return std::to_string(i) + " " + classes[i];
        return value;
    };
    if (ImGui::BeginCombo("hold out", class_label(c.holdout_class).c_str())) {
        if (ImGui::Selectable("none", c.holdout_class == "none")) {
            changed |= c.holdout_class != "none";
            c.holdout_class = "none";
        }
        for (size_t i = 0; i < classes.size(); ++i) {
            const std::string label = std::to_string(i) + " " + classes[i];
            if (ImGui::Selectable(label.c_str(), class_label(c.holdout_class) == label)) {
                changed |= class_label(c.holdout_class) != label;
                c.holdout_class = std::to_string(i);
            }
        }
        ImGui::EndCombo();
    }
    widgets::help_marker(
        "A class removed from the training set and kept in the test set: the anomaly that "
        "View ▸ Anomaly detection tries to flag by its reconstruction error.");
    int seed = int(c.seed);
    if (ImGui::InputInt("seed", &seed, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue)) {
        c.seed = uint32_t(std::max(0, seed));
        changed = true;
    }
    widgets::help_marker(
        "Seeds the initial weights, the batch order and the noise: the same seed and "
        "settings repeat a run step for step. Press Enter to rebuild.");
    if (changed) rebuild(ctx);
}

}  // namespace

void draw_controls_panel(PanelContext& ctx) {
    if (state.synced_model_version != ctx.snapshot.model_version) sync_from(ctx.snapshot);
    if (state.seen_refusal != ctx.snapshot.refusal_version) {
        // Refused: the controls show the model that runs again, and the folder field clears.
        state.seen_refusal = ctx.snapshot.refusal_version;
        sync_from(ctx.snapshot);
        state.folder_text[0] = '\0';
    }
    // Knobs set elsewhere (a lesson's step or Try button) show here too; not while a control
    // is being dragged, whose newer value the snapshot has not caught up with yet.
    if (ctx.snapshot.config.knobs != state.seen_knobs && !ImGui::IsAnyItemActive()) {
        state.seen_knobs = ctx.snapshot.config.knobs;
        state.draft.knobs = ctx.snapshot.config.knobs;
    }
    // The header stays in sight; the knobs below it scroll.
    draw_status(ctx);
    draw_run_buttons(ctx);
    ImGui::BeginChild("##knobs");
    ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
    bool knobs_changed = draw_live_knobs();
    knobs_changed |= draw_regularisers(ctx);
    // A slider still held sends its knobs as a drag: one marker and one undo step when it
    // is let go, not one per frame.
    if (auto note = widgets::take_clamp_note()) ctx.log.add(*note, ctx.time);
    const bool held = ImGui::IsAnyItemActive();
    if (knobs_changed || (state.knob_drag && !held)) {
        change_knobs(ctx, state.draft.knobs, /*dragging=*/held);
        state.knob_drag = held;
    }
    draw_structure(ctx);
    draw_data(ctx);
    ImGui::PopItemWidth();
    ImGui::EndChild();
}
