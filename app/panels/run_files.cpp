#include "app/panels/run_files.h"

#include <imgui.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include <unistd.h>

#include "app/panels/config_changes.h"
#include "app/panels/panels.h"
#include "app/panels/widgets.h"
#include "core/base/atomic_file.h"

using namespace aelab;

namespace {
constexpr size_t kMaxRecent = 8;
constexpr const char* kQuestion = "Unsaved run";

// Whether `key` (a lower-case letter) was typed this frame, either case: typed characters,
// whatever the platform's key codes.
bool typed_key(char key) {
    for (ImWchar c : ImGui::GetIO().InputQueueCharacters)
        if (c == ImWchar(key) || c == ImWchar(key - 'a' + 'A')) return true;
    return false;
}
struct Choice {
    const char* label;
    char key;  // typed (either case) as the button
};
enum class Answer { None, First, Second, Cancel };

// A question's row of buttons, inside an open modal: two choices with their keys and a
// cancel on Escape, then a line naming the keys; closes the modal once answered.
Answer three_buttons(Choice first, Choice second, const char* cancel, const char* keys_line) {
    const float width = ImGui::GetFontSize() * 6;
    Answer answer = Answer::None;
    if (ImGui::Button(first.label, ImVec2(width, 0)) || typed_key(first.key)) answer = Answer::First;
    ImGui::SameLine();
    if (ImGui::Button(second.label, ImVec2(width, 0)) || typed_key(second.key))
        answer = Answer::Second;
    ImGui::SameLine();
    if (ImGui::Button(cancel, ImVec2(width, 0)) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
        answer = Answer::Cancel;
    ImGui::TextDisabled("%s", keys_line);
    if (answer != Answer::None) ImGui::CloseCurrentPopup();
    return answer;
}
}  // namespace

std::string RunFiles::then_words() const {
    switch (m_then) {
        case Then::Quit:
            return "quitting";
        case Then::New:
            return "a new run";
        case Then::Replace:
            return m_replace ? m_replace->words : "replacing it";
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

std::filesystem::path find_orphan_autosave(const std::filesystem::path& folder) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path newest;
    fs::file_time_type newest_time{};
    for (const fs::directory_entry& e : fs::directory_iterator(folder, ec)) {
        const std::string name = e.path().filename().string();
        int pid = 0;
        char tail[16] = "";
        if (std::sscanf(name.c_str(), "autosave-%d.aelab%15s", &pid, tail) != 1 || pid <= 0) continue;
        if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // that aelab is still running
        const auto time = e.last_write_time(ec);
        if (!ec && (newest.empty() || time > newest_time)) newest = e.path(), newest_time = time;
    }
    return newest;
}

RunFiles::RunFiles(std::filesystem::path data_folder, double autosave_seconds)
    : m_autosave_seconds(autosave_seconds) {
    if (data_folder.empty()) return;
    m_recent_file = data_folder / "recent-runs.txt";
    if (autosave_seconds > 0) {
        m_autosave_path = data_folder / ("autosave-" + std::to_string(::getpid()) + ".aelab");
        m_orphan = find_orphan_autosave(data_folder);
        m_offer_orphan = !m_orphan.empty();
    }
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
    if (ImGui::MenuItem("Save run", "Ctrl+S", false, !ctx.snapshot.status.loading)) save(ctx);
    if (ImGui::MenuItem("Save run as…", nullptr, false, !ctx.snapshot.status.loading)) {
        m_then = Then::Nothing;
        m_dialog = Dialog::SaveAs;
        m_runs.open(FileMode::Save, "Save run as");
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Record…")) ctx.requests.record_dialog_for = "";
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("An animated GIF of the window or a panel as it trains");
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) ctx.requests.quit = true;
    ImGui::EndMenu();
}

void RunFiles::draw_export_items(PanelContext& ctx) {
    const bool model = !ctx.snapshot.status.loading && ctx.snapshot.status.error.empty();
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
    // Figures for papers: the images alone, one image pixel per PNG pixel.
    const bool images = model && ctx.snapshot.data.image_width > 0;
    if (ImGui::MenuItem("Probe reconstructions as a PNG grid…", nullptr, false, images)) {
        m_dialog = Dialog::ProbesPng;
        m_png.browser().typed() = "reconstructions.png";
        m_png.open(FileMode::Save, "Export the probe images and their reconstructions");
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Inputs, noisy inputs (when a noise is on) and outputs, one row each,\n"
                          "at native pixel size, without the window: for papers");
    if (ImGui::MenuItem("Filters as a PNG grid…", nullptr, false, images)) {
        m_dialog = Dialog::FiltersPng;
        m_png.browser().typed() = "filters.png";
        m_png.open(FileMode::Save, "Export the first layer's filters");
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Row j of the first layer's W as an image, blue − / white 0 / red +,\n"
                          "each scaled to its own largest |weight|, at native pixel size");
}

void RunFiles::save(PanelContext& ctx) {
    if (ctx.snapshot.status.loading) return;
    if (!ctx.snapshot.file.path.empty()) {
        send_save(ctx, ctx.snapshot.file.path);
        return;
    }
    m_dialog = Dialog::SaveAs;
    m_runs.browser().typed() = "run.aelab";
    m_runs.open(FileMode::Save, "Save run as");
}

void RunFiles::open(PanelContext& ctx) { ask_or_do(ctx, Then::Open); }

bool RunFiles::may_quit(const aelab::Snapshot& snapshot) {
    if (m_quit_confirmed || !snapshot.file.unsaved) return true;
    m_then = Then::Quit;
    m_ask = true;
    return false;
}

void RunFiles::ask_or_do(PanelContext& ctx, Then then) {
    m_then = then;
    if (ctx.snapshot.file.unsaved) {
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
            ctx.changes.send_rebuild(ctx, fresh, commands::New{fresh});
            // A new run: every panel starts as it does at launch, the lesson's too (no lesson
            // open), and the Lesson panel closes as at launch.
            ctx.panels.reset();
            ctx.panels.find(PanelId::Lesson).open = false;
            break;
        }
        case Then::Replace:
            if (std::optional<ReplaceRun> replace = std::exchange(m_replace, std::nullopt))
                replace->then(ctx);
            break;
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

void RunFiles::call_off(PanelContext& ctx) {
    if (m_then == Then::Replace && m_replace && m_replace->cancelled) m_replace->cancelled(ctx);
    if (m_then == Then::Replace) ctx.log.add("kept the run: not " + then_words(), ctx.time);
    m_replace.reset();
    m_then = Then::Nothing;
}

void RunFiles::take_replace_request(PanelContext& ctx) {
    std::optional<ReplaceRun> asked = std::exchange(ctx.requests.replace_run, std::nullopt);
    if (!asked) return;
    if (m_then != Then::Nothing) {  // a question or a save already waits: this one is off
        if (asked->cancelled) asked->cancelled(ctx);
        return;
    }
    m_replace = std::move(asked);
    ask_or_do(ctx, Then::Replace);
}

void RunFiles::send_save(PanelContext& ctx, const std::string& path) {
    m_saves_before = ctx.snapshot.file.saves_finished;
    ctx.trainer.send(commands::Save{path});
}

void RunFiles::autosave(PanelContext& ctx) {
    const aelab::Snapshot& s = ctx.snapshot;
    if (m_autosave_path.empty() || s.status.loading) return;
    if (m_last_autosave == 0) m_last_autosave = ctx.time;  // the first one after an interval
    if (!s.file.unsaved || s.file.saving || ctx.time - m_last_autosave < m_autosave_seconds) return;
    m_last_autosave = ctx.time;
    std::error_code ec;
    std::filesystem::create_directories(m_autosave_path.parent_path(), ec);
    ctx.trainer.send(commands::Save{m_autosave_path.string(), /*autosave=*/true});
}

void RunFiles::draw_recovery(PanelContext& ctx) {
    constexpr const char* kTitle = "Recover a run";
    if (m_offer_orphan) {
        m_offer_orphan = false;
        ImGui::OpenPopup(kTitle);
        ctx.log.add_prompt("recovery",
                           "an earlier session did not quit; its autosave: " + m_orphan.string() +
                               " (O open, D discard, Esc later)",
                           ctx.time);
    }
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    ImGui::TextUnformatted("An earlier aelab session ended without quitting (a crash or a kill).");
    ImGui::TextUnformatted("Its run was autosaved:");
    ImGui::TextDisabled("%s", m_orphan.string().c_str());
    ImGui::Spacing();
    const Answer answer = three_buttons({"Open it", 'o'}, {"Discard it", 'd'}, "Later",
                                        "keys: O open, D discard, Esc later (the file stays)");
    ImGui::EndPopup();
    if (answer != Answer::None) ctx.log.end_moment("recovery");  // its keys say nothing now
    const bool open = answer == Answer::First, discard = answer == Answer::Second;
    std::error_code ec;
    if (open) {
        // Opened under a name of its own, so that Save never writes into an autosave.
        const std::filesystem::path kept = m_orphan.parent_path() / ("recovered-" + m_orphan.filename().string());
        std::filesystem::rename(m_orphan, kept, ec);
        ctx.trainer.send(commands::Open{(ec ? m_orphan : kept).string()});
    } else if (discard) {
        std::filesystem::remove(m_orphan, ec);
    }
}

void RunFiles::draw(PanelContext& ctx) {
    take_replace_request(ctx);
    follow_saves(ctx);
    autosave(ctx);
    draw_recovery(ctx);
    // The dialogs, each at this one ID level; only the one asked for is ever open.
    std::optional<std::filesystem::path> chosen;
    if (auto p = m_runs.draw()) chosen = p;
    if (auto p = m_npz.draw()) chosen = p;
    if (auto p = m_csv.draw()) chosen = p;
    if (auto p = m_png.draw()) chosen = p;
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
            case Dialog::ProbesPng:
                ctx.trainer.send(commands::Export{commands::ExportKind::ProbesPng, path});
                break;
            case Dialog::FiltersPng:
                ctx.trainer.send(commands::Export{commands::ExportKind::FiltersPng, path});
                break;
            case Dialog::None:
                break;
        }
        m_dialog = Dialog::None;
    } else if (m_dialog != Dialog::None && !m_runs.is_open() && !m_npz.is_open() &&
               !m_csv.is_open() && !m_png.is_open()) {
        // Cancelled. Save as… cancelled cancels what waited on it (New, Open, Quit, …).
        if (m_dialog == Dialog::SaveAs && !m_waiting_for_save) call_off(ctx);
        m_dialog = Dialog::None;
    }
    draw_question(ctx);
}

void RunFiles::follow_saves(PanelContext& ctx) {
    const aelab::Snapshot& s = ctx.snapshot;
    if (s.file.path != m_last_run_path) {  // saved or opened: it becomes the most recent
        m_last_run_path = s.file.path;
        if (!s.file.path.empty()) remember(s.file.path);
    }
    if (!m_waiting_for_save || s.file.saves_finished <= m_saves_before) return;
    m_waiting_for_save = false;
    if (s.file.unsaved) {  // the save failed (the log says why): stay, with the run as it is
        call_off(ctx);
        return;
    }
    carry_out(ctx, m_then);
}

void RunFiles::draw_question(PanelContext& ctx) {
    if (m_ask) {
        ImGui::OpenPopup(kQuestion);
        m_ask = false;
        ctx.log.add_prompt("question",
                           "unsaved run: save it before " + then_words() +
                               "? (S save, D discard, Esc cancel)",
                           ctx.time);
    }
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal(kQuestion, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    const aelab::Snapshot& s = ctx.snapshot;
    ImGui::Text("This run (step %lld) has changes not saved to a file.", (long long)s.progress.step);
    ImGui::Text("Save it before %s?", then_words().c_str());
    if (m_then == Then::Replace && m_replace && !m_replace->why.empty())
        ImGui::TextDisabled("%s", m_replace->why.c_str());
    if (!s.file.path.empty()) ImGui::TextDisabled("%s", s.file.path.c_str());
    ImGui::Spacing();
    const Answer answer = three_buttons({"Save", 's'}, {"Discard", 'd'}, "Cancel",
                                        "keys: S save, D discard, Esc cancel");
    ImGui::EndPopup();
    if (answer != Answer::None) ctx.log.end_moment("question");  // its keys say nothing now
    const bool save = answer == Answer::First, discard = answer == Answer::Second,
               cancel = answer == Answer::Cancel;
    if (cancel) {
        call_off(ctx);
    } else if (discard) {
        carry_out(ctx, m_then);
    } else if (save) {
        if (s.file.path.empty()) {
            m_dialog = Dialog::SaveAs;
            m_runs.browser().typed() = "run.aelab";
            m_runs.open(FileMode::Save, "Save run as");
        } else {
            ctx.trainer.send(commands::Pause{});
            m_waiting_for_save = true;
            send_save(ctx, s.file.path);
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
