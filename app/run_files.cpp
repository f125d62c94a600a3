#include "app/run_files.h"

#include <imgui.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/panels/widgets.h"
#include "core/atomic_file.h"

using namespace aelab;

namespace {
constexpr size_t kMaxRecent = 8;
constexpr const char* kQuestion = "Unsaved run";
}  // namespace

const char* RunFiles::then_words(Then then) {
    switch (then) {
        case Then::Quit:
            return "quitting";
        case Then::New:
            return "a new run";
        default:
            return "opening another";
    }
}

std::filesystem::path user_data_folder() {
    if (const char* data = std::getenv("XDG_DATA_HOME"); data && *data)
        return std::filesystem::path(data) / "aelab";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".local" / "share" / "aelab";
    return {};
}

RunFiles::RunFiles(std::filesystem::path recent_file) : m_recent_file(std::move(recent_file)) {
    if (m_recent_file.empty()) return;
    std::ifstream in(m_recent_file);
    for (std::string line; std::getline(in, line) && m_recent.size() < kMaxRecent;)
        if (!line.empty()) m_recent.push_back(line);
    // The folders of recent runs are the dialogs' recent folders too.
    for (auto it = m_recent.rbegin(); it != m_recent.rend(); ++it)
        m_runs.browser().remember(std::filesystem::path(*it).parent_path());
    if (!m_recent.empty()) m_runs.browser().open_folder(std::filesystem::path(m_recent[0]).parent_path());
}

void RunFiles::draw_file_menu(PanelContext& ctx) {
    if (!ImGui::BeginMenu("File")) return;
    if (ImGui::MenuItem("New run")) ask_or_do(ctx, Then::New);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("A fresh model with the default settings, on the same data");
    if (ImGui::MenuItem("Open run…", "Ctrl+O")) open(ctx);
    if (ImGui::BeginMenu("Open recent", !m_recent.empty())) {
        for (const std::string& path : m_recent)
            if (ImGui::MenuItem(path.c_str())) {
                m_recent_choice = path;
                ask_or_do(ctx, Then::OpenRecent);
            }
        ImGui::EndMenu();
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Save run", "Ctrl+S", false, !ctx.snapshot.loading)) save(ctx);
    if (ImGui::MenuItem("Save run as…", nullptr, false, !ctx.snapshot.loading)) {
        m_then = Then::Nothing;
        m_dialog = Dialog::SaveAs;
        m_runs.open(FileMode::Save, "Save run as");
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) ctx.requests.quit = true;
    ImGui::EndMenu();
}

void RunFiles::draw_export_items(PanelContext& ctx) {
    const bool model = !ctx.snapshot.loading && ctx.snapshot.error.empty();
    if (ImGui::MenuItem("Weights for PyTorch (.npz)…", nullptr, false, model)) {
        m_dialog = Dialog::Weights;
        m_npz.browser().typed() = "weights.npz";
        m_npz.open(FileMode::Save, "Export the weights");
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Named as nn.Linear names them: encoder.0.weight, …\n"
                          "docs/load_in_pytorch.py loads them into PyTorch");
    if (ImGui::MenuItem("Loss curves (.csv)…", nullptr, false, model)) {
        m_dialog = Dialog::Curves;
        m_csv.browser().typed() = "curves.csv";
        m_csv.open(FileMode::Save, "Export the loss curves");
    }
    if (ImGui::MenuItem("Test-set codes with labels (.npz)…", nullptr, false, model)) {
        m_dialog = Dialog::Codes;
        m_npz.browser().typed() = "codes.npz";
        m_npz.open(FileMode::Save, "Export the test set's codes");
    }
}

void RunFiles::save(PanelContext& ctx) {
    if (ctx.snapshot.loading) return;
    if (!ctx.snapshot.run_path.empty()) {
        send_save(ctx, ctx.snapshot.run_path);
        return;
    }
    m_dialog = Dialog::SaveAs;
    m_runs.browser().typed() = "run.aelab";
    m_runs.open(FileMode::Save, "Save run as");
}

void RunFiles::open(PanelContext& ctx) { ask_or_do(ctx, Then::Open); }

bool RunFiles::may_quit(const aelab::Snapshot& snapshot) {
    if (m_quit_confirmed || !snapshot.unsaved) return true;
    m_then = Then::Quit;
    m_ask = true;
    return false;
}

void RunFiles::ask_or_do(PanelContext& ctx, Then then) {
    m_then = then;
    if (ctx.snapshot.unsaved) {
        m_ask = true;
        return;
    }
    carry_out(ctx, then);
}

void RunFiles::carry_out(PanelContext& ctx, Then then) {
    m_then = Then::Nothing;
    switch (then) {
        case Then::Nothing:
            break;
        case Then::New: {
            Config fresh;
            fresh.dataset = ctx.snapshot.config.dataset;
            ctx.trainer.send(commands::New{fresh});
            break;
        }
        case Then::Open:
            m_dialog = Dialog::Open;
            m_runs.open(FileMode::Open, "Open run");
            break;
        case Then::OpenRecent:
            ctx.trainer.send(commands::Open{m_recent_choice});
            break;
        case Then::Quit:
            m_quit_confirmed = true;
            ctx.requests.quit = true;
            break;
    }
}

void RunFiles::send_save(PanelContext& ctx, const std::string& path) {
    m_saves_before = ctx.snapshot.saves_finished;
    ctx.trainer.send(commands::Save{path});
}

void RunFiles::draw(PanelContext& ctx) {
    follow_saves(ctx);
    // The dialogs, each at this one ID level; only the one asked for is ever open.
    std::optional<std::filesystem::path> chosen;
    if (auto p = m_runs.draw()) chosen = p;
    if (auto p = m_npz.draw()) chosen = p;
    if (auto p = m_csv.draw()) chosen = p;
    if (chosen) {
        const std::string path = chosen->string();
        switch (m_dialog) {
            case Dialog::Open:
                ctx.trainer.send(commands::Open{path});
                break;
            case Dialog::SaveAs:
                if (m_then != Then::Nothing) {
                    // Saving before New, Open or Quit: no steps after the copy, then act.
                    ctx.trainer.send(commands::Pause{});
                    m_waiting_for_save = true;
                }
                send_save(ctx, path);
                break;
            case Dialog::Weights:
                ctx.trainer.send(commands::Export{commands::ExportKind::Weights, path});
                break;
            case Dialog::Curves:
                ctx.trainer.send(commands::Export{commands::ExportKind::Curves, path});
                break;
            case Dialog::Codes:
                ctx.trainer.send(commands::Export{commands::ExportKind::Codes, path});
                break;
            case Dialog::None:
                break;
        }
        m_dialog = Dialog::None;
    } else if (m_dialog != Dialog::None && !m_runs.is_open() && !m_npz.is_open() &&
               !m_csv.is_open()) {
        // Cancelled. Save as… cancelled cancels what waited on it (New, Open, Quit).
        if (m_dialog == Dialog::SaveAs && !m_waiting_for_save) m_then = Then::Nothing;
        m_dialog = Dialog::None;
    }
    draw_question(ctx);
}

void RunFiles::follow_saves(PanelContext& ctx) {
    const aelab::Snapshot& s = ctx.snapshot;
    if (s.run_path != m_last_run_path) {  // saved or opened: it becomes the most recent
        m_last_run_path = s.run_path;
        if (!s.run_path.empty()) remember(s.run_path);
    }
    if (!m_waiting_for_save || s.saves_finished <= m_saves_before) return;
    m_waiting_for_save = false;
    if (s.unsaved) {  // the save failed (the log says why): stay, with the run as it is
        m_then = Then::Nothing;
        return;
    }
    carry_out(ctx, m_then);
}

void RunFiles::draw_question(PanelContext& ctx) {
    if (m_ask) {
        ImGui::OpenPopup(kQuestion);
        m_ask = false;
        ctx.log.add("unsaved run: save it before " + std::string(then_words(m_then)) +
                        "? (S save, D discard, Esc cancel)",
                    ctx.time);
    }
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal(kQuestion, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    const aelab::Snapshot& s = ctx.snapshot;
    ImGui::Text("This run (step %lld) has changes not saved to a file.", (long long)s.step);
    ImGui::Text("Save it before %s?", then_words(m_then));
    if (!s.run_path.empty()) ImGui::TextDisabled("%s", s.run_path.c_str());
    ImGui::Spacing();
    const float width = ImGui::GetFontSize() * 6;
    // Keys too, as dialogs have them: S saves, D discards, Escape cancels (typed characters,
    // whatever the platform's key codes).
    const auto typed = [](char key) {
        for (ImWchar c : ImGui::GetIO().InputQueueCharacters)
            if (c == ImWchar(key) || c == ImWchar(key - 'a' + 'A')) return true;
        return false;
    };
    const bool save = ImGui::Button("Save", ImVec2(width, 0)) || typed('s');
    ImGui::SameLine();
    const bool discard = ImGui::Button("Discard", ImVec2(width, 0)) || typed('d');
    ImGui::SameLine();
    const bool cancel = ImGui::Button("Cancel", ImVec2(width, 0)) ||
                        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
    ImGui::TextDisabled("keys: S save, D discard, Esc cancel");
    if (save || discard || cancel) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    if (cancel) {
        m_then = Then::Nothing;
    } else if (discard) {
        carry_out(ctx, m_then);
    } else if (save) {
        if (s.run_path.empty()) {
            m_dialog = Dialog::SaveAs;
            m_runs.browser().typed() = "run.aelab";
            m_runs.open(FileMode::Save, "Save run as");
        } else {
            ctx.trainer.send(commands::Pause{});
            m_waiting_for_save = true;
            send_save(ctx, s.run_path);
        }
    }
}

void RunFiles::remember(const std::string& path) {
    std::erase(m_recent, path);
    m_recent.insert(m_recent.begin(), path);
    if (m_recent.size() > kMaxRecent) m_recent.resize(kMaxRecent);
    m_runs.browser().remember(std::filesystem::path(path).parent_path());
    if (m_recent_file.empty()) return;
    std::error_code ec;
    std::filesystem::create_directories(m_recent_file.parent_path(), ec);
    std::ostringstream lines;
    for (const std::string& p : m_recent) lines << p << "\n";
    write_file_atomically(m_recent_file.string(), lines.str());  // a lost list is no loss
}
