// The Lessons menu and the Lesson panel: a lesson (core/lesson.h) opened from the menu or
// with --lesson sets up its chapter of the course — its config, the panels it needs — and
// the panel shows its text, formulas, live "watch" lines, "try" buttons and steps.
//
// A presenter drives it: each step opens at its top (the text scrolls in its own region), and
// the step's buttons — Try…, Previous / Next / Restart, the check's claim — sit in a footer
// that never scrolls away. The open lesson is the panel object's, which the registry owns:
// replacing the objects (File ▸ New, another lesson) leaves no lesson, step or scroll behind.
// Opening a lesson starts a run of its own, so an unsaved run is asked about first.
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
#include "core/base/check.h"
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

// The Lessons menu's list, read from the lessons folder when the menu first opens.
struct LessonList {
    bool loaded = false;
    std::vector<std::shared_ptr<const Lesson>> all;
    std::string load_error;
    LessonSaveDialog save_dialog;  // Lessons ▸ Save this as a lesson step…
    UserLessons user;              // Lessons ▸ Your lessons
};

// The panel's object: the open lesson, its step, where its text is scrolled, and what the
// panel shows of it (the picked weight of lesson 03).
struct LessonPanel final : PanelObject {
    std::shared_ptr<const Lesson> lesson;  // null: none open
    int step = 0;
    bool arrange = false;     // open the lesson's panels on the next frame
    bool to_top = true;       // the next frame shows the step from its top
    float footer_height = 0;  // the footer's, as last drawn (0: not yet)
    // The footer's height as last drawn, or room for four rows of buttons before the first.
    float footer_or_guess() const {
        return footer_height > 0 ? footer_height : 4 * ImGui::GetFrameHeightWithSpacing();
    }
    LessonList menu;
    BackpropPick pick;

    void draw(PanelContext& ctx) override;
    // Its title and a few lines of text in sight above its footer (the rest scrolls), and
    // room for its widest formula made as small as it gets; it gains less from more room
    // than the views do.
    PanelNeeds needs(const PanelContext&) const override;
    // In a short panel (a projector's 720 rows) the lesson's title goes to the title bar and
    // the step's region leaves the chapter and the large title out: every line it has goes
    // to the step (lesson 10 at 1280×720 and 130 %: 1½ lines of the step → 4½).
    bool short_panel = false;  // decided with the window's size, before each draw
    std::string title_detail(ImVec2 window_size) override;
    void draw_step(PanelContext& ctx);
    void draw_footer(PanelContext& ctx);
    void draw_tries(PanelContext& ctx, const LessonStep& step);
};

// The registry's Lesson panel object: the lesson open now.
LessonPanel& lesson_panel(PanelRegistry& panels) {
    auto* panel = dynamic_cast<LessonPanel*>(panels.find(PanelId::Lesson).object.get());
    AELAB_CHECK(panel != nullptr, "the Lesson panel's object is not a LessonPanel");
    return *panel;
}

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

// Step `step` of the open lesson, from its top. A fresh step (or Restart) replaces the run —
// which the trainer keeps, or the question comes first; any other takes the step's config as
// a change that can be undone.
void go_to_step(PanelContext& ctx, LessonPanel& panel, int step, bool fresh) {
    const Lesson& lesson = *panel.lesson;
    panel.step = std::clamp(step, 0, int(lesson.steps.size()) - 1);
    panel.to_top = true;
    auto config = lesson_config(lesson, panel.step);
    if (!config) {
        ctx.log.add(lesson.path + ": " + config.error(), ctx.time, Severity::Error);
        return;
    }
    // A step that names its panels gets them; otherwise what is open stays.
    if (!lesson.steps[size_t(panel.step)].panels.empty()) panel.arrange = true;
    if (fresh || lesson.steps[size_t(panel.step)].fresh) {
        const std::string what = "step " + std::to_string(panel.step + 1) + " of " + lesson.name;
        ctx.changes.replace_run(ctx, "starting " + what + " afresh", [what, config = *config](PanelContext& c) {
            c.log.add("Lesson: " + what + ", a fresh model", c.time);
            c.changes.send_rebuild(c, config, commands::Rebuild{config});
            c.trainer.send(commands::Play{});
        });
    } else {
        apply(ctx, *config, "step " + std::to_string(panel.step + 1));
    }
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

// A lesson opens as a run of its own (commands::New: no run kept or compared from before):
// the File menu's question came first. Called after the panels are drawn (RunFiles::draw).
void open_lesson(PanelContext& ctx, std::shared_ptr<const Lesson> lesson) {
    auto config = lesson_config(*lesson, 0);
    if (!config) {
        ctx.log.add(lesson->path + ": " + config.error(), ctx.time, Severity::Error);
        return;
    }
    ctx.panels.reset();  // nothing the last lesson left in a panel (a page, a pick) carries over
    start_with_lesson(lesson, ctx.panels);
    ctx.log.add("Lesson " + lesson->name + ": " + lesson->title, ctx.time);
    ctx.log.add("Lesson: step 1 of " + lesson->name + ", a fresh model", ctx.time);
    ctx.changes.send_rebuild(ctx, *config, commands::New{*config});
    ctx.trainer.send(commands::Play{});
}

}  // namespace

void start_with_lesson(std::shared_ptr<const Lesson> lesson, PanelRegistry& panels, int step) {
    LessonPanel& panel = lesson_panel(panels);
    panel.lesson = std::move(lesson);
    panel.step = std::clamp(step, 0, int(panel.lesson->steps.size()) - 1);
    panel.arrange = true;
    panel.to_top = true;
    panels.find(PanelId::Lesson).open = true;
}

bool go_to_lesson_step(PanelContext& ctx, int step) {
    LessonPanel& panel = lesson_panel(ctx.panels);
    if (!panel.lesson || step < 0 || step >= int(panel.lesson->steps.size())) return false;
    go_to_step(ctx, panel, step, false);
    return true;
}

int lesson_step(PanelRegistry& panels) {
    const LessonPanel& panel = lesson_panel(panels);
    return panel.lesson ? panel.step : 0;
}

int lesson_steps(PanelRegistry& panels) {
    const LessonPanel& panel = lesson_panel(panels);
    return panel.lesson ? int(panel.lesson->steps.size()) : 0;
}

void relayout_lesson(PanelRegistry& panels) {
    LessonPanel& panel = lesson_panel(panels);
    if (!panel.lesson) return;
    panel.arrange = true;
    // The Lesson panel arranges the others when it draws: it must stay open to do it.
    panels.find(PanelId::Lesson).open = true;
}

void draw_lessons_menu(PanelContext& ctx) {
    LessonPanel& panel = lesson_panel(ctx.panels);
    LessonList& list = panel.menu;
    list.save_dialog.draw(ctx);  // a popup, drawn every frame outside the menu
    if (!ImGui::BeginMenu("Lessons")) return;
    if (!list.loaded) {
        list.loaded = true;
        auto all = load_all_lessons(lessons_folder());
        if (all)
            for (Lesson& l : *all) list.all.push_back(std::make_shared<const Lesson>(std::move(l)));
        else
            list.load_error = all.error();
    }
    if (!list.load_error.empty()) widgets::error_text(list.load_error.c_str());
    std::string chapter;
    for (const auto& lesson : list.all) {
        if (lesson->chapter != chapter) {
            chapter = lesson->chapter;
            ImGui::TextDisabled("%s", chapter.c_str());
        }
        char label[256];
        std::snprintf(label, sizeof label, "  %.2s  %s", lesson->name.c_str(), lesson->title.c_str());
        const bool current = panel.lesson && panel.lesson->name == lesson->name;
        if (ImGui::MenuItem(label, nullptr, current))
            ctx.requests.replace_run = ReplaceRun{
                "opening lesson " + lesson->name, "A lesson starts a run of its own.",
                [lesson](PanelContext& c) { open_lesson(c, lesson); }, {}};
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", lesson->check.claim.c_str());
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Save this as a lesson step…")) list.save_dialog.open();
    if (ImGui::BeginMenu("Your lessons")) {
        // Read as the submenu opens: a step saved a moment ago is in it.
        if (ImGui::IsWindowAppearing()) list.user = read_user_lessons();
        if (list.user.lessons.empty())
            ImGui::TextDisabled("none yet: save one with the item above");
        for (const auto& lesson : list.user.lessons)
            if (ImGui::MenuItem((lesson->title + "##" + lesson->path).c_str()))
                ctx.requests.replace_run = ReplaceRun{
                    "opening lesson " + lesson->title, "A lesson starts a run of its own.",
                    [lesson](PanelContext& c) { open_lesson(c, lesson); }, {}};
        for (const std::string& why : list.user.unreadable) widgets::error_text(why.c_str());
        ImGui::EndMenu();
    }
    ImGui::EndMenu();
}

std::unique_ptr<PanelObject> make_lesson_panel() { return std::make_unique<LessonPanel>(); }

PanelNeeds LessonPanel::needs(const PanelContext&) const {
    // The formulas sit in the step's region, whose scrollbar takes its own width.
    float width = ImGui::GetFontSize() * 16;
    if (lesson)
        for (const std::string& tex : lesson->formulas)
            width = std::max(width, needs::least_formula_width(tex.c_str()) +
                                        ImGui::GetStyle().ScrollbarSize);
    // The footer as last drawn (its Try buttons may wrap) and two lines of the step's text;
    // more would take the height the plots need at 1280×720 and 130 % (lesson 10).
    const float footer = footer_or_guess();
    const float height = std::max(ImGui::GetTextLineHeightWithSpacing() * 7,
                                  footer + ImGui::GetTextLineHeightWithSpacing() * 2);
    return {ImVec2(width, height), 0.6f};
}

std::string LessonPanel::title_detail(ImVec2 window_size) {
    // The step's region: the window less its title bar, its padding and the footer.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float footer = footer_or_guess();
    const float region = window_size.y - ImGui::GetFrameHeight() - 2 * style.WindowPadding.y - footer;
    short_panel = lesson && region < 8 * ImGui::GetTextLineHeightWithSpacing();
    return short_panel ? lesson->title : std::string();
}

void LessonPanel::draw(PanelContext& ctx) {
    if (!lesson) {
        widgets::text_wrapped("No lesson open: choose one from the Lessons menu.");
        return;
    }
    if (arrange) {
        arrange = false;
        arrange_panels(ctx.panels, *lesson, step);
    }
    // The step in a region of its own that scrolls, above the footer. A new step (or lesson)
    // starts at its top, the panel's own scroll included.
    if (to_top) ImGui::SetScrollY(0);
    const float footer = footer_or_guess();
    // A padding of its own (a child has none): an italic J or a formula's first glyph hangs
    // left of where text starts, and the region's clip would cut it.
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0.5f * ImGui::GetFontSize(), 0));
    ImGui::BeginChild("##step", ImVec2(0, -footer), false, ImGuiWindowFlags_AlwaysUseWindowPadding);
    ImGui::PopStyleVar();
    if (std::exchange(to_top, false)) ImGui::SetScrollY(0);
    draw_step(ctx);
    ImGui::EndChild();
    const float footer_top = ImGui::GetCursorPosY();
    draw_footer(ctx);
    footer_height = ImGui::GetCursorPosY() - footer_top;
}

void LessonPanel::draw_step(PanelContext& ctx) {
    const LessonStep& step = lesson->steps[size_t(this->step)];
    const float wrap = ImGui::GetContentRegionAvail().x;
    if (!short_panel)
        widgets::note((lesson->chapter + (lesson->seed.empty() ? "" : "  ·  ") + lesson->seed).c_str());  // wraps
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
    if (!short_panel) {
        ImGui::SetWindowFontScale(1.3f);  // the title, larger
        ImGui::TextUnformatted(lesson->title.c_str());
        ImGui::SetWindowFontScale(1.0f);
    }
    // An interactive part comes first, in sight: it is what the lesson is about.
    if (lesson->widget == "backprop") {
        draw_backprop(ctx, pick);
        ImGui::Separator();
    }
    if (this->step == 0 && !lesson->intro.empty()) {
        formula::draw_prose(lesson->intro.c_str());  // prose with inline $…$ maths, typeset
        ImGui::Spacing();
    }
    // A formula the typesetter refuses (the loader checks only its length and braces) is drawn
    // as typed, and this line says which file to fix.
    for (size_t i = 0; i < lesson->formulas.size(); ++i)
        if (const std::string error = needs::fitted_formula(lesson->formulas[i].c_str(), wrap); !error.empty())
            widgets::error_text((lesson->path + ": formulas[" + std::to_string(i) + "]: " + error).c_str());
    ImGui::Spacing();
    widgets::section(("Step " + std::to_string(this->step + 1) + ": " + step.title).c_str());
    formula::draw_prose(step.text.c_str());
    if (!step.watch.empty()) {
        const auto values = watch_values(ctx, step);
        for (const std::string& line : step.watch) {
            ImGui::Bullet();
            ImGui::TextUnformatted(fill_placeholders(line, values).c_str());
        }
    }
    // The claim closes the step's text, where it scrolls with it: a footnote, it takes no
    // line from the text on a projector's 720 rows.
    ImGui::Spacing();
    widgets::note(("The claim, checked headless by CI: " + lesson->check.claim).c_str());
    ImGui::PopTextWrapPos();
}

// Under the step, never scrolled away: its Try buttons and the steps' buttons.
void LessonPanel::draw_footer(PanelContext& ctx) {
    const LessonStep& current = lesson->steps[size_t(step)];
    ImGui::Separator();
    draw_tries(ctx, current);
    // The steps' buttons last, on the panel's bottom line: a step with more or fewer Try
    // buttons leaves them where they were, so Next can be clicked again without looking.
    ImGui::BeginDisabled(step == 0);
    if (ImGui::Button("< Previous")) go_to_step(ctx, *this, step - 1, false);
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(step + 1 >= int(lesson->steps.size()));
    if (ImGui::Button("Next >")) go_to_step(ctx, *this, step + 1, false);
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Restart lesson")) go_to_step(ctx, *this, 0, true);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Step 1 again, with a fresh model");
    // Beside the buttons, cut to the room left (whole in its tip; the step's heading above
    // says it whole): wrapped, it would move the buttons up.
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    const std::string count = "Step " + std::to_string(step + 1) + " of " +
                              std::to_string(lesson->steps.size());
    const std::string where = count + ": " + current.title;
    const float room = ImGui::GetContentRegionAvail().x;
    // The title cut to the room, else the count alone, else nothing ("St…" says nothing).
    std::string shown = widgets::fit_text(where, room);
    if (shown.size() < count.size() + 6)
        shown = ImGui::CalcTextSize(count.c_str()).x <= room ? count : std::string();
    ImGui::TextUnformatted(shown.c_str());
    if (shown != where && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", where.c_str());
}

void LessonPanel::draw_tries(PanelContext& ctx, const LessonStep& step) {
    for (size_t i = 0; i < step.tries.size(); ++i) {
        const LessonTry& t = step.tries[i];
        const Config now = ctx.changes.asked(ctx);
        auto config = apply_settings(now, t.set);
        const std::string label = "Try: " + t.label;
        ImGui::PushID(int(i));
        // Side by side while they fit the panel's width, then on the next line.
        if (i > 0)
            widgets::same_line_if_fits(ImGui::CalcTextSize(label.c_str()).x +
                                       2 * ImGui::GetStyle().FramePadding.x);
        ImGui::BeginDisabled(!config);
        if (ImGui::Button(label.c_str()) && config) {
            for (const auto& [name, value] : t.view) ctx.panels.set_view_setting(find_view_setting(name)->id, value);
            if (!changes_of(now, *config).empty()) apply(ctx, *config, t.label);
        }
        ImGui::EndDisabled();
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
            std::string tip = view_changes(ctx.panels, t);
            if (!config) tip = config.error();
            else
                for (const std::string& c : changes_of(now, *config)) tip += c + "\n";
            if (config && describe_changes(now, *config, false).size() > 0)
                tip += "(rebuilds the model)";
            ImGui::SetTooltip("%s", tip.empty() ? "nothing to change: already so" : tip.c_str());
        }
        ImGui::PopID();
    }
}
