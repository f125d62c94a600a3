#include "app/panels/lesson_save_dialog.h"

#include <algorithm>
#include <filesystem>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/panels/panels.h"
#include "app/panels/run_files.h"
#include "app/panels/widgets.h"
#include "core/lessons/lesson.h"
#include "core/lessons/lesson_writer.h"

using namespace aelab;
namespace fs = std::filesystem;

namespace {

constexpr const char* kTitle = "Save this as a lesson step###lesson_save";
constexpr const char* kNewLesson = "a new lesson";

std::string lessons_folder_of_user() {
    return user_lessons_folder(user_data_folder().string());
}

// The open panels, by the View menu's names, and the Lesson panel, where the step is read.
std::vector<std::string> open_panels(PanelContext& ctx) {
    std::vector<std::string> names;
    for (const Panel& p : ctx.panels.panels())
        if (p.open) names.emplace_back(p.name);
    if (std::find(names.begin(), names.end(), "Lesson") == names.end())
        names.emplace_back("Lesson");
    return names;
}

}  // namespace

UserLessons read_user_lessons() {
    UserLessons found;
    std::error_code ec;
    std::vector<std::string> paths;
    for (const auto& entry : fs::directory_iterator(lessons_folder_of_user(), ec))
        if (entry.path().extension() == ".json") paths.push_back(entry.path().string());
    std::sort(paths.begin(), paths.end());
    for (const std::string& path : paths) {
        auto lesson = load_lesson(path);
        if (lesson)
            found.lessons.push_back(std::make_shared<const Lesson>(std::move(*lesson)));
        else
            found.unreadable.push_back(lesson.error());
    }
    return found;
}

void LessonSaveDialog::start(const PanelContext& ctx) {
    m_user = read_user_lessons();
    m_file = -1;
    m_lesson_title = m_step_title = m_text = m_error = m_ask_replace = "";
    m_metrics.clear();
    const auto live = live_values(ctx.snapshot);
    for (const CheckMetric& m : check_metrics())
        if (live.count(m.live)) m_metrics.emplace_back(m.live);
    m_metric = m_comparison = 0;
    m_steps = 2000;
    m_focus_first = true;
    prefill_value(ctx);
}

// The bound starts at the number the window shows now.
void LessonSaveDialog::prefill_value(const PanelContext& ctx) {
    if (m_metrics.empty()) return;
    const auto live = live_values(ctx.snapshot);
    const auto it = live.find(m_metrics[size_t(m_metric)]);
    m_value = it == live.end() ? 0 : std::max(0.0, it->second);
}

std::string LessonSaveDialog::target_path() const {
    if (m_file >= 0) return m_user.lessons[size_t(m_file)]->path;
    return (fs::path(lessons_folder_of_user()) / (lesson_file_stem(m_lesson_title) + ".json"))
        .string();
}

void LessonSaveDialog::draw_file_choice() {
    const float field = ImGui::GetFontSize() * 22;
    ImGui::SetNextItemWidth(field);
    const std::string preview = m_file < 0 ? kNewLesson : m_user.lessons[size_t(m_file)]->title;
    if (widgets::begin_combo("file", preview.c_str())) {
        if (ImGui::Selectable(kNewLesson, m_file < 0)) m_file = -1;
        for (size_t i = 0; i < m_user.lessons.size(); ++i) {
            const Lesson& l = *m_user.lessons[i];
            const std::string label = "append to: " + l.title + " (" +
                                      std::to_string(l.steps.size()) + " steps)##" + l.path;
            if (ImGui::Selectable(label.c_str(), m_file == int(i))) m_file = int(i);
        }
        ImGui::EndCombo();
    }
    // The first field takes the typing as the dialog opens.
    const auto focus_first = [this] {
        if (m_focus_first) ImGui::SetKeyboardFocusHere();
        m_focus_first = false;
    };
    if (m_file < 0) {
        ImGui::SetNextItemWidth(field);
        focus_first();
        ImGui::InputText("lesson title", &m_lesson_title);
    }
    // One line, cut with "…" (whole in the tooltip): the fields below keep their places.
    const std::string saves_to = "saves to " + target_path();
    ImGui::TextDisabled("%s",
                        widgets::fit_text(saves_to, ImGui::GetContentRegionAvail().x).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", saves_to.c_str());
    ImGui::SetNextItemWidth(field);
    focus_first();
    ImGui::InputText("step title", &m_step_title);
    ImGui::InputTextMultiline("text", &m_text, ImVec2(field, ImGui::GetTextLineHeight() * 5));
}

void LessonSaveDialog::draw_check_choice(const PanelContext& ctx) {
    if (m_metrics.empty()) {
        widgets::error_text("No number a check can test is shown yet: train a few steps first.");
        return;
    }
    ImGui::TextUnformatted("watch and check:");
    const float font = ImGui::GetFontSize();
    ImGui::SetNextItemWidth(font * 11);
    if (widgets::begin_combo("##metric", find_check_metric(m_metrics[size_t(m_metric)])->label)) {
        for (size_t i = 0; i < m_metrics.size(); ++i)
            if (ImGui::Selectable(find_check_metric(m_metrics[i])->label, m_metric == int(i))) {
                m_metric = int(i);
                prefill_value(ctx);
            }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(font * 3.5f);
    const auto& comparisons = check_comparisons();
    if (widgets::begin_combo("##comparison", comparisons[size_t(m_comparison)].c_str())) {
        for (size_t i = 0; i < comparisons.size(); ++i)
            if (ImGui::Selectable(comparisons[i].c_str(), m_comparison == int(i)))
                m_comparison = int(i);
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(font * 6);
    ImGui::InputDouble("##value", &m_value, 0, 0, "%.6g", ImGuiInputTextFlags_AutoSelectAll);
    ImGui::SameLine();
    ImGui::TextUnformatted("after");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(font * 5);
    ImGui::InputInt("steps", &m_steps, 0, 0, ImGuiInputTextFlags_AutoSelectAll);
    m_steps = std::clamp(m_steps, 1, 10'000'000);
}

void LessonSaveDialog::draw(PanelContext& ctx) {
    if (m_open_requested) {
        m_open_requested = false;
        start(ctx);
        ImGui::OpenPopup(kTitle);
    }
    // A fixed width and a fixed top: the fields stay where they are whatever the path's
    // length, and a question or an error below them only lengthens the dialog.
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const ImVec2 top(viewport->WorkPos.x + viewport->WorkSize.x * 0.5f,
                     viewport->WorkPos.y + viewport->WorkSize.y * 0.15f);
    ImGui::SetNextWindowPos(top, ImGuiCond_Always, ImVec2(0.5f, 0.0f));
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 34, 0),
                             ImGuiCond_Always);  // height: fits
    const bool shown = ImGui::BeginPopupModal(kTitle, nullptr,
                                              ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove);
    if (!shown) return;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
    draw_file_choice();
    draw_check_choice(ctx);
    draw_buttons(ctx);  // above the lines below, whose length varies: they stay put
    if (!m_ask_replace.empty())
        widgets::hint(
            (m_ask_replace + " exists. Replace it? (To add the step to it, pick it under 'file'.)")
                .c_str());
    if (!m_error.empty()) widgets::error_text(m_error.c_str());
    // What is saved, from the state now.
    const size_t changed = settings_between(Config{}, ctx.snapshot.config).size();
    widgets::note(("also saved: the " + std::to_string(changed) + " config " +
                   (changed == 1 ? "key that differs" : "keys that differ") +
                   " from the defaults (live knobs included) and the " +
                   std::to_string(open_panels(ctx).size()) + " open panels")
                      .c_str());
    for (const std::string& why : m_user.unreadable)
        widgets::note(("not listed under 'file': " + why).c_str());
    ImGui::EndPopup();
}

void LessonSaveDialog::draw_buttons(PanelContext& ctx) {
    if (!m_ask_replace.empty()) {  // where Save was: the question is under the buttons
        if (ImGui::Button("Replace")) save(ctx, /*replace=*/true);
        ImGui::SameLine();
        if (ImGui::Button("Keep it")) m_ask_replace.clear();
        return;
    }
    ImGui::BeginDisabled(m_metrics.empty());
    const std::string save_label =
        m_file < 0
            ? "Save"
            : "Append step " + std::to_string(m_user.lessons[size_t(m_file)]->steps.size() + 1);
    if (ImGui::Button(save_label.c_str())) save(ctx, /*replace=*/false);
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
}

void LessonSaveDialog::save(PanelContext& ctx, bool replace) {
    LessonStepDraft d;
    d.lesson_title = m_lesson_title;
    d.step_title = m_step_title;
    d.text = m_text;
    d.config = ctx.snapshot.config;
    d.panels = open_panels(ctx);
    d.metric = m_metrics[size_t(m_metric)];
    d.comparison = check_comparisons()[size_t(m_comparison)];
    d.value = m_value;
    d.steps = m_steps;
    const std::string path = target_path();
    const LessonSave how = m_file >= 0 ? LessonSave::Append
                           : replace   ? LessonSave::Replace
                                       : LessonSave::New;
    std::error_code ec;
    // A step that cannot be saved says why before a question that would not help.
    if (auto text = how == LessonSave::Append ? Expected<std::string>(std::string())
                                              : new_lesson_text(d, path);
        !text) {
        m_error = text.error();
        m_ask_replace.clear();
        return;
    }
    if (how == LessonSave::New && fs::exists(path, ec) && !is_builtin_lesson_path(path)) {
        m_ask_replace = path;
        m_error.clear();
        ctx.log.add(
            "Lesson not saved yet: " + path + " exists; replace it, or pick it to append the step",
            ctx.time, Severity::Warning);
        return;
    }
    m_ask_replace.clear();
    auto steps = save_lesson_step(d, path, how);
    if (!steps) {
        m_error = steps.error();
        ctx.log.add("Lesson step not saved: " + m_error, ctx.time, Severity::Error);
        return;
    }
    ctx.log.add("Lesson step saved: step " + std::to_string(*steps) + " of " + path +
                    " (aelab --lesson " + path + " --check runs its check)",
                ctx.time);
    ImGui::CloseCurrentPopup();
}
