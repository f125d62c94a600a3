// The Lessons menu and the Lesson panel: a lesson (core/lesson.h) opened from the menu or
// with --lesson sets up its chapter of the course — its config, the panels it needs — and
// the panel shows its text, formulas, live "watch" lines, "try" buttons and steps.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <utility>

#include "app/formula/formula.h"
#include "app/panels/config_changes.h"
#include "app/panels/lesson_save_dialog.h"
#include "app/panels/panel_needs.h"
#include "app/panels/panels.h"
#include "app/panels/widgets.h"
#include "core/lessons/lesson.h"
#include "core/views/backprop_view.h"
#include "core/views/model_figures.h"

using namespace aelab;

namespace {

// Lesson 03's chain rule by hand: which weight of which image (the seeds' indices).
struct BackpropPick {
    int sample = 0;
    bool decoder = true;
    int k = 0, l = 406;  // a pixel near the image's middle
};

struct LessonState {
    std::shared_ptr<const Lesson> lesson;
    int step = 0;
    bool arrange = false;  // open the lesson's panels on the next frame
    bool loaded = false;   // the menu's list, read once
    std::vector<std::shared_ptr<const Lesson>> all;
    std::string load_error;
    LessonSaveDialog save_dialog;  // Lessons ▸ Save this as a lesson step…
    UserLessons user;              // Lessons ▸ Your lessons
};
// The open lesson and its step: the app's, not the panel's, so that replacing the panels'
// objects when a lesson opens keeps it.
LessonState state;

// The panel's object: what it shows of the lesson (the picked weight of lesson 03).
struct LessonPanel final : PanelObject {
    BackpropPick pick;
    void draw(PanelContext& ctx) override;
    // Its title, its step's buttons and a few lines of text in sight (the rest scrolls); it
    // gains less from more room than the views do.
    PanelNeeds needs(const PanelContext&) const override;
};

// "0.0123" or "(−0.0123)": a factor as it goes into a product.
std::string factor_text(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", std::fabs(v));
    return v < 0 ? std::string("(-") + text + ")" : std::string(text);  // −0 prints as 0
}

void draw_backprop(PanelContext& ctx, BackpropPick& p) {
    const Snapshot& s = ctx.snapshot;
    if (s.model.probes.hidden.empty()) return;
    const int n = s.data.image_width * s.data.image_height, m = int(s.model.probes.hidden.back().rows());
    // Each control beside the last while it fits, else on the next line (a narrow panel).
    const ImGuiStyle& style = ImGui::GetStyle();
    const auto labelled = [&](const char* label, float field) {
        return field + style.ItemInnerSpacing.x + ImGui::CalcTextSize(label).x;
    };
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    ImGui::SliderInt("test image", &p.sample, 0, std::max(0, std::min(99, s.data.test_samples - 1)));
    widgets::same_line_if_fits(labelled("W^d (decoder)", ImGui::GetFrameHeight()));
    // Switching keeps the same pixel and unit: W^d_kl is (unit, pixel), W^e_kl (pixel, unit).
    if (ImGui::RadioButton("W^d (decoder)", p.decoder) && !p.decoder) {
        p.decoder = true;
        std::swap(p.k, p.l);
    }
    widgets::same_line_if_fits(labelled("W^e (encoder)", ImGui::GetFrameHeight()));
    if (ImGui::RadioButton("W^e (encoder)", !p.decoder) && p.decoder) {
        p.decoder = false;
        std::swap(p.k, p.l);
    }
    const int k_max = (p.decoder ? m : n) - 1, l_max = (p.decoder ? n : m) - 1;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    ImGui::SliderInt(p.decoder ? "k (hidden unit)" : "k (pixel)", &p.k, 0, std::max(0, k_max));
    widgets::same_line_if_fits(labelled("l (hidden unit)", ImGui::GetFontSize() * 10));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    ImGui::SliderInt(p.decoder ? "l (pixel)" : "l (hidden unit)", &p.l, 0, std::max(0, l_max));
    p.k = std::clamp(p.k, 0, std::max(0, k_max));
    p.l = std::clamp(p.l, 0, std::max(0, l_max));
    BackpropRequest request;
    request.sample = p.sample;
    request.decoder = p.decoder;
    request.k = p.k;
    request.l = p.l;
    ctx.views.want(ViewId::Backprop, request);
    const BackpropView* view = s.view<BackpropView>(ViewId::Backprop);
    if (!view) {
        ImGui::TextDisabled("computing…");
        return;
    }
    const BackpropFactors& f = view->f;
    if (!f.refusal.empty()) {
        widgets::hint(f.refusal.c_str());
        return;
    }
    const std::string k = std::to_string(f.k), l = std::to_string(f.l);
    std::string chain, numbers;
    if (f.decoder)
        chain = "\\frac{\\partial J}{\\partial W^d_{" + k + "," + l + "}} = (\\hat{x}_{" + l + "} - x_{" + l +
                "}) \\cdot \\hat{x}_{" + l + "}(1 - \\hat{x}_{" + l + "}) \\cdot h_{" + k + "}";
    else
        chain = "\\frac{\\partial J}{\\partial W^e_{" + k + "," + l + "}} = \\Big[\\sum_j (\\hat{x}_j - x_j) \\hat{x}_j(1 - \\hat{x}_j) W^d_{" +
                l + ",j}\\Big] \\cdot h_{" + l + "}(1 - h_{" + l + "}) \\cdot x_{" + k + "}";
    for (size_t i = 0; i < f.factors.size(); ++i)
        numbers += (i ? " \\cdot " : "= ") + factor_text(f.factors[i].second);
    char result[64];
    std::snprintf(result, sizeof result, " = %.6g", f.product == 0 ? 0.0 : f.product);  // no "−0"
    formula::draw(chain.c_str());
    formula::draw((numbers + result).c_str());
    ImGui::Text("finite difference (J(w + ε) − J(w − ε)) / 2ε, in double precision:  %.6g",
                f.finite_difference);
    ImGui::Text("aelab's backpropagated gradient ÷ 2:  %.6g", f.aelab_half);
    ImGui::TextDisabled("aelab's J = ‖x − x̂‖² has no ½, so its gradients are twice the seeds'. "
                        "Test image %d, step %lld.", f.sample, (long long)f.step);
}

// The values the step's watch lines name: the snapshot's, and the model figures when a line
// names one (then the trainer computes them, as a view, while the step is on screen).
std::map<std::string, double> watch_values(PanelContext& ctx, const LessonStep& step) {
    std::map<std::string, double> values = live_values(ctx.snapshot);
    const auto& figures_named = model_figure_names();
    bool wants_figures = false;
    for (const std::string& line : step.watch)
        for (const std::string& name : placeholder_names(line))
            wants_figures |= std::any_of(figures_named.begin(), figures_named.end(),
                                         [&](const ModelFigureName& n) { return name == n.name; });
    if (!wants_figures) return values;
    ctx.views.want(ViewId::ModelFigures, ModelFiguresRequest{});
    if (const auto* figures = ctx.snapshot.view<ModelFiguresView>(ViewId::ModelFigures))
        values.insert(figures->values.begin(), figures->values.end());
    return values;
}

// A try button's view settings as "k 3 → 2 in the Anomaly panel" lines.
std::string view_changes(const PanelRegistry& panels, const LessonTry& t) {
    std::string out;
    for (const auto& [name, value] : t.view) {
        char line[160];
        const double now = panels.view_setting(find_view_setting(name)->id).value_or(std::nan(""));
        if (now == value)
            std::snprintf(line, sizeof line, "%s: already %g\n", find_view_setting(name)->meaning, value);
        else
            std::snprintf(line, sizeof line, "%s: %g → %g\n", find_view_setting(name)->meaning, now, value);
        out += line;
    }
    return out;
}

// What applying `settings` to the running config would change, in the log's words.
std::vector<std::string> changes_of(const Config& from, const Config& to) {
    std::vector<std::string> all = describe_changes(from, to, /*live=*/false);
    for (const std::string& c : describe_changes(from, to, /*live=*/true)) all.push_back(c);
    return all;
}

// Takes `config`: live knobs when only they differ (the run goes on), else a rebuild; either
// can be undone.
void apply(PanelContext& ctx, const Config& config, const std::string& why) {
    change_config(ctx, config, "Lesson: " + why);
}

void go_to_step(PanelContext& ctx, int step, bool fresh) {
    const Lesson& lesson = *state.lesson;
    state.step = std::clamp(step, 0, int(lesson.steps.size()) - 1);
    auto config = lesson_config(lesson, state.step);
    if (!config) {
        ctx.log.add(lesson.path + ": " + config.error(), ctx.time, aelab::Severity::Error);
        return;
    }
    if (fresh || lesson.steps[size_t(state.step)].fresh) {
        ctx.log.add("Lesson: step " + std::to_string(state.step + 1) + " of " + lesson.name + ", a fresh model",
                    ctx.time);
        ctx.trainer.send(commands::Rebuild{*config});
        ctx.trainer.send(commands::Play{});
    } else {
        apply(ctx, *config, "step " + std::to_string(state.step + 1));
    }
    // A step that names its panels gets them; otherwise what is open stays.
    if (!lesson.steps[size_t(state.step)].panels.empty()) state.arrange = true;
}

// The step's panels (else the lesson's) open, the others closed; the Controls only when named.
void arrange_panels(PanelRegistry& panels, const Lesson& lesson, int step) {
    const std::vector<std::string>& wanted =
        lesson.steps[size_t(step)].panels.empty() ? lesson.panels : lesson.steps[size_t(step)].panels;
    for (Panel& p : panels.panels()) {
        const bool named = std::find(wanted.begin(), wanted.end(), p.name) != wanted.end();
        p.open = p.id == PanelId::Lesson || named || (wanted.empty() && p.open);
    }
    panels.restore();
}

void open_lesson(PanelContext& ctx, std::shared_ptr<const Lesson> lesson) {
    ctx.panels.reset();  // nothing the last lesson left in a panel (a page, a pick) carries over
    state.lesson = std::move(lesson);
    state.arrange = true;
    ctx.panels.find(PanelId::Lesson).open = true;
    ctx.log.add("Lesson " + state.lesson->name + ": " + state.lesson->title, ctx.time);
    go_to_step(ctx, 0, /*fresh=*/true);
}

}  // namespace

void start_with_lesson(std::shared_ptr<const Lesson> lesson, PanelRegistry& panels, int step) {
    state.lesson = std::move(lesson);
    state.step = std::clamp(step, 0, int(state.lesson->steps.size()) - 1);
    state.arrange = true;
    panels.find(PanelId::Lesson).open = true;
}

bool go_to_lesson_step(PanelContext& ctx, int step) {
    if (!state.lesson || step < 0 || step >= int(state.lesson->steps.size())) return false;
    go_to_step(ctx, step, false);
    return true;
}

int lesson_step() {
    return state.lesson ? state.step : 0;
}

int lesson_steps() {
    return state.lesson ? int(state.lesson->steps.size()) : 0;
}

void relayout_lesson(PanelRegistry& panels) {
    if (!state.lesson) return;
    state.arrange = true;
    // The Lesson panel arranges the others when it draws: it must stay open to do it.
    panels.find(PanelId::Lesson).open = true;
}

void draw_lessons_menu(PanelContext& ctx) {
    state.save_dialog.draw(ctx);  // a popup, drawn every frame outside the menu
    if (!ImGui::BeginMenu("Lessons")) return;
    if (!state.loaded) {
        state.loaded = true;
        auto all = load_all_lessons(lessons_folder());
        if (all)
            for (Lesson& l : *all) state.all.push_back(std::make_shared<const Lesson>(std::move(l)));
        else
            state.load_error = all.error();
    }
    if (!state.load_error.empty()) widgets::error_text(state.load_error.c_str());
    std::string chapter;
    for (const auto& lesson : state.all) {
        if (lesson->chapter != chapter) {
            chapter = lesson->chapter;
            ImGui::TextDisabled("%s", chapter.c_str());
        }
        char label[256];
        std::snprintf(label, sizeof label, "  %.2s  %s", lesson->name.c_str(), lesson->title.c_str());
        const bool current = state.lesson && state.lesson->name == lesson->name;
        if (ImGui::MenuItem(label, nullptr, current)) open_lesson(ctx, lesson);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", lesson->check.claim.c_str());
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Save this as a lesson step…")) state.save_dialog.open();
    if (ImGui::BeginMenu("Your lessons")) {
        // Read as the submenu opens: a step saved a moment ago is in it.
        if (ImGui::IsWindowAppearing()) state.user = read_user_lessons();
        if (state.user.lessons.empty())
            ImGui::TextDisabled("none yet: save one with the item above");
        for (const auto& lesson : state.user.lessons)
            if (ImGui::MenuItem((lesson->title + "##" + lesson->path).c_str()))
                open_lesson(ctx, lesson);
        for (const std::string& why : state.user.unreadable) widgets::error_text(why.c_str());
        ImGui::EndMenu();
    }
    ImGui::EndMenu();
}

std::unique_ptr<PanelObject> make_lesson_panel() { return std::make_unique<LessonPanel>(); }

// Its title, its step's buttons and a few lines of text in sight (the rest scrolls), and
// room for its widest formula made as small as it gets; it gains less from more room than
// the views do.
PanelNeeds LessonPanel::needs(const PanelContext&) const {
    float width = ImGui::GetFontSize() * 16;
    if (state.lesson)
        for (const std::string& tex : state.lesson->formulas)
            width = std::max(width, needs::least_formula_width(tex.c_str()));
    return {ImVec2(width, ImGui::GetTextLineHeightWithSpacing() * 7), 0.6f};
}

void LessonPanel::draw(PanelContext& ctx) {
    if (!state.lesson) {
        widgets::text_wrapped("No lesson open: choose one from the Lessons menu.");
        return;
    }
    const Lesson& lesson = *state.lesson;
    if (state.arrange) {
        state.arrange = false;
        arrange_panels(ctx.panels, lesson, state.step);
    }
    const LessonStep& step = lesson.steps[size_t(state.step)];
    const float wrap = ImGui::GetContentRegionAvail().x;

    widgets::note((lesson.chapter + (lesson.seed.empty() ? "" : "  ·  ") + lesson.seed).c_str());  // wraps
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
    ImGui::SetWindowFontScale(1.3f);  // the title, larger
    ImGui::TextUnformatted(lesson.title.c_str());
    ImGui::SetWindowFontScale(1.0f);
    // The steps' buttons first, where they never scroll out of sight.
    ImGui::BeginDisabled(state.step == 0);
    if (ImGui::Button("< Previous")) go_to_step(ctx, state.step - 1, false);
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(state.step + 1 >= int(lesson.steps.size()));
    if (ImGui::Button("Next >")) go_to_step(ctx, state.step + 1, false);
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Restart lesson")) go_to_step(ctx, 0, true);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Step 1 again, with a fresh model");
    // Beside the buttons when it fits; else under them (wrapped beside them, it would stand
    // a letter to a line).
    const std::string step_line = "Step " + std::to_string(state.step + 1) + " of " +
                                  std::to_string(lesson.steps.size()) + ": " + step.title;
    widgets::same_line_if_fits(ImGui::CalcTextSize(step_line.c_str()).x);
    ImGui::AlignTextToFramePadding();
    widgets::text_wrapped("%s", step_line.c_str());
    ImGui::Separator();
    // An interactive part comes first, in sight: it is what the lesson is about.
    if (lesson.widget == "backprop") {
        draw_backprop(ctx, pick);
        ImGui::Separator();
    }
    if (state.step == 0 && !lesson.intro.empty()) {
        formula::draw_prose(lesson.intro.c_str());  // prose with inline $…$ maths, typeset
        ImGui::Spacing();
    }
    // A formula the typesetter refuses (the loader checks only its length and braces) is drawn
    // as typed, and this line says which file to fix.
    for (size_t i = 0; i < lesson.formulas.size(); ++i)
        if (const std::string error = needs::fitted_formula(lesson.formulas[i].c_str(), wrap); !error.empty())
            widgets::error_text((lesson.path + ": formulas[" + std::to_string(i) + "]: " + error).c_str());
    ImGui::Spacing();
    widgets::section(("Step " + std::to_string(state.step + 1) + ": " + step.title).c_str());
    formula::draw_prose(step.text.c_str());
    if (!step.watch.empty()) {
        const auto values = watch_values(ctx, step);
        for (const std::string& line : step.watch) {
            ImGui::Bullet();
            ImGui::TextUnformatted(fill_placeholders(line, values).c_str());
        }
    }
    for (size_t i = 0; i < step.tries.size(); ++i) {
        const LessonTry& t = step.tries[i];
        auto config = apply_settings(ctx.snapshot.config, t.set);
        ImGui::PushID(int(i));
        if (i > 0 && ImGui::GetContentRegionAvail().x > ImGui::CalcTextSize(t.label.c_str()).x + 40)
            ImGui::SameLine();
        ImGui::BeginDisabled(!config);
        if (ImGui::Button(("Try: " + t.label).c_str()) && config) {
            for (const auto& [name, value] : t.view) ctx.panels.set_view_setting(find_view_setting(name)->id, value);
            if (!changes_of(ctx.snapshot.config, *config).empty()) apply(ctx, *config, t.label);
        }
        ImGui::EndDisabled();
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
            std::string tip = view_changes(ctx.panels, t);
            if (!config) tip = config.error();
            else
                for (const std::string& c : changes_of(ctx.snapshot.config, *config)) tip += c + "\n";
            if (config && describe_changes(ctx.snapshot.config, *config, false).size() > 0)
                tip += "(rebuilds the model)";
            ImGui::SetTooltip("%s", tip.empty() ? "nothing to change: already so" : tip.c_str());
        }
        ImGui::PopID();
    }
    ImGui::Spacing();
    widgets::note(("The claim, checked headless by CI: " + lesson.check.claim).c_str());
    ImGui::PopTextWrapPos();
}
