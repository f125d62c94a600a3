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
    uint64_t seen_cancelled = 0;  // changes called off at the unsaved question (ConfigChanges)
    uint64_t seen_layout_resets = 0;  // View ▸ Default layout, when last looked at
    bool unfold = false;              // this frame: every group opens (Default layout)
    std::string hidden_error;   // a hidden text that does not parse, said under the field
    bool tied_dropped = false;  // the model combo switched tied off for a VAE: said under Model
};
// The panel's object: the registry owns one, and a reset replaces it (state and all).
struct ControlsPanel final : PanelObject {
    ControlsState state;
    void draw(PanelContext& ctx) override;
};

void sync_from(ControlsState& state, const Snapshot& s) {
    state.synced_model_version = s.model_version;
    state.seen_knobs = s.config.knobs;
    state.draft = s.config;
    std::snprintf(state.hidden_text, sizeof state.hidden_text, "%s",
                  get_config_value(s.config, "hidden").c_str());
    state.code_size = code_size(s.config);
    if (!is_synthetic_name(s.config.dataset) && s.config.dataset != "fashion-mnist")
        std::snprintf(state.folder_text, sizeof state.folder_text, "%s", s.config.dataset.c_str());
}

void rebuild(ControlsState& state, PanelContext& ctx) { change_config(ctx, state.draft, "Controls"); }

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
    if (ImGui::Button(s.status.running ? "Pause" : "Play", ImVec2(w, 0)))
        ctx.trainer.send(s.status.running ? Command{commands::Pause{}} : Command{commands::Play{}});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Space");
    ImGui::SameLine();
    if (ImGui::Button("Step", ImVec2(w, 0))) ctx.trainer.send(commands::Step{1});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Pause, then train one mini-batch");
    ImGui::SameLine();
    if (ImGui::Button("Step ×10", ImVec2(w, 0))) ctx.trainer.send(commands::Step{10});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Pause, then train ten mini-batches");
    ImGui::SameLine();
    // The run these replace is kept by the trainer (or asked about when it cannot be).
    if (ImGui::Button("Reset", ImVec2(w, 0)))
        ctx.changes.replace_run(ctx, "resetting", [](PanelContext& c) { c.trainer.send(commands::Reset{}); });
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Start again with the same seed: the same run, step for step");

    ImGui::SetNextItemWidth(2 * w + spacing);
    if (widgets::begin_combo("##speed", speed_label(s.status.speed_limit).c_str())) {
        for (double speed : kSpeeds)
            if (ImGui::Selectable(speed_label(speed).c_str(), speed == s.status.speed_limit))
                ctx.trainer.send(commands::SpeedLimit{speed});
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Slow motion: play at most this many training steps per second (the "
                          "curves keep every step); Step is never held");
    ImGui::SameLine();
    // (A screenshot is F12, or Export ▸ Save window as PNG.)
    if (ImGui::Button("New seed", ImVec2(2 * w + spacing, 0)))
        ctx.changes.replace_run(ctx, "a new seed", [](PanelContext& c) { c.trainer.send(commands::NewSeed{}); });
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Draw a new seed and start again");
}

void draw_status(PanelContext& ctx) {
    const Snapshot& s = ctx.snapshot;
    if (s.status.loading)
        ImGui::TextUnformatted("Loading data and building the model…");
    else if (!s.status.error.empty())
        widgets::error_text(s.status.error.c_str());
    else
        ImGui::Text("%s — %s", s.status.running ? "Training" : "Paused", s.data.name.c_str());
}

// Both knob sections return whether a knob changed this frame; the panel sends them.
bool draw_live_knobs(ControlsState& state) {
    Knobs& k = state.draft.knobs;
    bool changed = false;
    if (!widgets::fold_section("Training (live)", state.unfold)) return false;
    changed |= widgets::key_slider("lr", k.lr);
    widgets::key_help("lr");
    changed |= widgets::key_slider("batch", k.batch);
    widgets::key_help("batch");
    changed |= widgets::key_combo("optimizer", k.optimizer);
    widgets::key_help("optimizer");
    changed |= widgets::key_slider("l2", k.l2);
    widgets::key_help("l2");
    return changed;
}

bool draw_regularisers(ControlsState& state, PanelContext& ctx) {
    Knobs& k = state.draft.knobs;
    const float contractive_before = k.contractive;
    bool changed = false;
    if (!widgets::fold_section("Regularisers (live)", state.unfold)) return false;
    changed |= widgets::key_combo("noise", k.noise);
    widgets::key_help("noise");
    ImGui::BeginDisabled(k.noise == NoiseKind::None);
    changed |= widgets::key_slider("noise_level", k.noise_level,
                                   k.noise == NoiseKind::Gaussian ? "noise σ" : "noise q");
    ImGui::EndDisabled();
    widgets::key_help("noise_level");

    const bool vae = ctx.snapshot.config.model == ModelKind::Vae;
    ImGui::BeginDisabled(vae);
    changed |= widgets::key_combo("sparsity", k.sparsity);
    widgets::key_help("sparsity");
    ImGui::BeginDisabled(k.sparsity == SparsityKind::None);
    changed |= widgets::key_slider("sparsity_p", k.sparsity_p);
    widgets::key_help("sparsity_p");
    changed |= widgets::key_slider("sparsity_beta", k.sparsity_beta);
    widgets::key_help("sparsity_beta");
    ImGui::EndDisabled();
    ImGui::EndDisabled();
    changed |= widgets::key_slider("contractive", k.contractive);
    widgets::key_help("contractive");
    // Shown for every model (disabled but for a VAE), so switching ae ↔ vae moves nothing.
    ImGui::BeginDisabled(!vae);
    changed |= widgets::key_slider("vae_beta", k.vae_beta);
    ImGui::EndDisabled();
    widgets::key_help("vae_beta");
    if (k.sparsity == SparsityKind::Kl && code_activation(state.draft) != Activation::Sigmoid && !vae)
        widgets::hint("KL sparsity expects a sigmoid code (p̂ in (0, 1)).");
    if (contractive_before == 0.0f && k.contractive > 0.0f)
        ctx.panels.find(PanelId::Contractive).open = true;
    return changed;
}

// A rebuild the trainer refused (a folder that is not IDX data, a model too large): the
// model on screen goes on; the reason stays in red until a rebuild succeeds — under the
// model's settings when it names a config key, else under the data's.
bool refusal_names_a_key(const Snapshot& s) {
    return s.status.rebuild_refused.find("config key") != std::string::npos;
}

void draw_refusal(const Snapshot& s) {
    if (s.status.rebuild_refused.empty()) return;
    widgets::error_text(("Not rebuilt: " + s.status.rebuild_refused + ". The current model keeps training.").c_str());
}

void draw_structure(ControlsState& state, PanelContext& ctx) {
    Config& c = state.draft;
    bool changed = false;
    const bool refused_here = !ctx.snapshot.status.rebuild_refused.empty() && refusal_names_a_key(ctx.snapshot);
    if (!widgets::fold_section("Model (changes rebuild it)", refused_here || state.unfold)) return;
    if (refused_here) draw_refusal(ctx.snapshot);
    const ModelKind kind_before = c.model;
    if (widgets::key_combo("model", c.model)) {
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
    widgets::key_help("model");
    if (c.model != ModelKind::Vae) state.tied_dropped = false;
    if (state.tied_dropped)
        widgets::hint("Tied weights were switched off: a VAE's encoder has two heads (μ and "
                      "log σ²), so there is no single matrix to transpose.");
    if (c.model == ModelKind::Vae) {
        widgets::key_slider("latent", c.latent);
        if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
        widgets::key_help("latent");
    }
    if (ImGui::InputText(config_key("hidden").label, state.hidden_text, sizeof state.hidden_text,
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
    widgets::key_help("hidden");
    if (!state.hidden_error.empty()) widgets::error_text(state.hidden_error.c_str());
    const int n = std::max(1, ctx.snapshot.data.image_width * ctx.snapshot.data.image_height);
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
    changed |= widgets::key_combo("encoder_act", c.encoder_act);
    widgets::key_help("encoder_act");
    changed |= widgets::key_combo("decoder_act", c.decoder_act);
    widgets::key_help("decoder_act");
    changed |= widgets::key_combo("loss", c.loss);
    widgets::key_help("loss");
    ImGui::BeginDisabled(c.model == ModelKind::Vae);
    changed |= widgets::key_checkbox("tied", c.tied);
    widgets::key_help("tied");
    ImGui::EndDisabled();
    changed |= widgets::key_combo("init", c.init);
    widgets::key_help("init");

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
    if (code_size(c) >= n && ctx.snapshot.data.image_width > 0)
        widgets::hint(
            "Overcomplete (code ≥ n): without a regulariser the net can copy its "
            "input — low error, but the filters say nothing about the data.");
    if (changed) rebuild(state, ctx);
}

void draw_data(ControlsState& state, PanelContext& ctx) {
    Config& c = state.draft;
    bool changed = false;
    const bool refused_here = !ctx.snapshot.status.rebuild_refused.empty() && !refusal_names_a_key(ctx.snapshot);
    if (!widgets::fold_section("Data (changes rebuild)", refused_here || state.unfold)) return;
    if (refused_here) draw_refusal(ctx.snapshot);
    const std::vector<EnumValue>& sets = config_key("dataset").values;  // the built-in ones
    const auto built_in = std::find_if(sets.begin(), sets.end(),
                                       [&](const EnumValue& v) { return c.dataset == v.name; });
    if (widgets::begin_key_combo("dataset",
                                 built_in == sets.end() ? "IDX folder" : built_in->label)) {
        for (const EnumValue& set : sets)
            if (ImGui::Selectable(set.label, c.dataset == set.name)) {
                changed = c.dataset != set.name;
                c.dataset = set.name;
            }
        ImGui::EndCombo();
    }
    widgets::key_help("dataset");
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
    changed |= widgets::key_input("train_size", c.train_size);
    widgets::key_help("train_size");
    changed |= widgets::key_checkbox("binarize", c.binarize);
    widgets::key_help("binarize");
    changed |= widgets::key_combo("normalize", c.normalize);
    widgets::key_help("normalize");
    // The class kept out of training: the anomaly of the anomaly-detection view.
    const std::vector<std::string>& classes = ctx.snapshot.data.class_names;
    auto class_label = [&](const std::string& value) {
        if (value == "none") return std::string("none");
        for (size_t i = 0; i < classes.size(); ++i)
            if (value == std::to_string(i) || value == classes[i])
                return std::to_string(i) + " " + classes[i];
        return value;
    };
    if (widgets::begin_key_combo("holdout_class", class_label(c.holdout_class).c_str())) {
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
    widgets::key_help("holdout_class");
    int seed = int(c.seed);
    if (widgets::key_input("seed", seed)) {
        c.seed = uint32_t(std::max(0, seed));
        changed = true;
    }
    widgets::key_help("seed");
    if (changed) rebuild(state, ctx);
}

}  // namespace

std::unique_ptr<PanelObject> make_controls_panel() { return std::make_unique<ControlsPanel>(); }

void ControlsPanel::draw(PanelContext& ctx) {
    if (state.synced_model_version != ctx.snapshot.model_version) sync_from(state, ctx.snapshot);
    if (state.seen_cancelled != ctx.changes.cancelled()) {
        // A change called off at the unsaved question: the controls show the running model.
        state.seen_cancelled = ctx.changes.cancelled();
        sync_from(state, ctx.snapshot);
    }
    if (state.seen_refusal != ctx.snapshot.status.refusal_version) {
        // Refused: the controls show the model that runs again, and the folder field clears.
        state.seen_refusal = ctx.snapshot.status.refusal_version;
        sync_from(state, ctx.snapshot);
        state.folder_text[0] = '\0';
    }
    // Knobs set elsewhere (a lesson's step or Try button) show here too; not while a control
    // is being dragged, whose newer value the snapshot has not caught up with yet.
    if (ctx.snapshot.config.knobs != state.seen_knobs && !ImGui::IsAnyItemActive()) {
        state.seen_knobs = ctx.snapshot.config.knobs;
        state.draft.knobs = ctx.snapshot.config.knobs;
    }
    // Default layout puts the groups back as at launch too: a folded group hides its knobs
    // from a class that does not know the title folds.
    state.unfold = state.seen_layout_resets != ctx.panels.layout_resets();
    state.seen_layout_resets = ctx.panels.layout_resets();
    // The header stays in sight; the knobs below it scroll.
    draw_status(ctx);
    draw_run_buttons(ctx);
    ImGui::BeginChild("##knobs");
    ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
    bool knobs_changed = draw_live_knobs(state);
    knobs_changed |= draw_regularisers(state, ctx);
    // A slider still held sends its knobs as a drag: one marker and one undo step when it
    // is let go, not one per frame.
    if (auto note = widgets::take_clamp_note()) ctx.log.add(*note, ctx.time, Severity::Warning);
    const bool held = ImGui::IsAnyItemActive();
    if (knobs_changed || (state.knob_drag && !held)) {
        change_knobs(ctx, state.draft.knobs, /*dragging=*/held);
        state.knob_drag = held;
    }
    draw_structure(state, ctx);
    draw_data(state, ctx);
    ImGui::PopItemWidth();
    ImGui::EndChild();
}
