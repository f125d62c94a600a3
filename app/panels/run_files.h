// The File menu and what it opens: New, Open…, Open recent, Save (Ctrl+S), Save as…, Quit;
// the Export menu's weights / curves / codes; the file dialogs; and the unsaved-changes
// question before New, Open and Quit, and before what a panel asks through
// AppRequests::replace_run (a lesson opening, a rebuild whose old run cannot be kept). Reading and writing happen on the trainer's side
// (commands::Open, Save, Export) and its writer thread, never on this one. GUI thread only.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/panels/file_dialog.h"
#include "app/panels/panel_context.h"

class RunFiles {
public:
    // `data_folder`: where the recent runs and autosaves are kept ("" = nowhere);
    // `autosave_seconds`: how often an unsaved run is copied there (0 = never). Finds the
    // autosave of a session that did not quit (a crash, a kill) and offers to open it.
    explicit RunFiles(std::filesystem::path data_folder = {}, double autosave_seconds = 0);

    void draw_file_menu(PanelContext& ctx);    // inside the main menu bar
    void draw_export_items(PanelContext& ctx);  // inside the Export menu
    // The dialogs and the question; every frame, outside any window (ImGui popups need it).
    void draw(PanelContext& ctx);

    void save(PanelContext& ctx);  // Ctrl+S: to the run's file, or Save as… when it has none
    void open(PanelContext& ctx);  // Ctrl+O
    // The window's close button or Ctrl+Q. True when the window may close now; otherwise the
    // question goes up, and requests.quit is set once it is answered (Save and it lands, or
    // Discard).
    bool may_quit(const aelab::Snapshot& snapshot);

    const std::vector<std::string>& recent() const { return m_recent; }
    // This session's autosave ("" if none): a clean exit removes it, after the trainer's
    // last write.
    const std::filesystem::path& autosave_path() const { return m_autosave_path; }

private:
    enum class Then { Nothing, New, Open, OpenRecent, Quit, Replace };
    enum class Dialog { None, Open, SaveAs, Weights, Curves, Codes, ProbesPng, FiltersPng };

    void ask_or_do(PanelContext& ctx, Then then);  // the question first, if the run is unsaved
    void carry_out(PanelContext& ctx, Then then);
    void call_off(PanelContext& ctx);  // what waited (m_then) will not happen
    void take_replace_request(PanelContext& ctx);
    void send_save(PanelContext& ctx, const std::string& path);
    void draw_question(PanelContext& ctx);
    void follow_saves(PanelContext& ctx);
    void remember(const std::string& path);
    void autosave(PanelContext& ctx);
    void draw_recovery(PanelContext& ctx);
    std::string then_words() const;  // "quitting", "a new run", … (of m_then)

    FileDialog m_runs{".aelab"}, m_npz{".npz"}, m_csv{".csv"}, m_png{".png"};
    Dialog m_dialog = Dialog::None;
    Then m_then = Then::Nothing;      // what waits for the question, a dialog or a save
    std::optional<ReplaceRun> m_replace;  // Then::Replace's
    std::string m_recent_choice;      // Open recent: the file, once the question allows
    bool m_ask = false;               // open the question on the next draw
    bool m_waiting_for_save = false;  // Save was chosen: act when it lands
    uint64_t m_saves_before = 0;
    bool m_quit_confirmed = false;
    std::string m_last_run_path;
    std::vector<std::string> m_recent;  // most recent first, at most 8
    std::filesystem::path m_recent_file;
    std::filesystem::path m_autosave_path;
    double m_autosave_seconds = 0, m_last_autosave = 0;
    std::filesystem::path m_orphan;  // an earlier session's autosave, offered once
    bool m_offer_orphan = false;
};

// The autosave of a session whose process is gone (autosave-<pid>.aelab in `folder`, the
// newest), or "" — another running aelab's autosave is its own.
std::filesystem::path find_orphan_autosave(const std::filesystem::path& folder);

// Where aelab keeps its own files: $XDG_DATA_HOME/aelab, else ~/.local/share/aelab.
std::filesystem::path user_data_folder();
