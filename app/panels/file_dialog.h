// A file dialog for ImGui (which has none): FileBrowser is the model (folder, listing,
// typed path, recent folders; std::filesystem only, testable without a window), FileDialog
// draws it as a modal popup. GUI thread only (FileBrowser: any one thread at a time).
//
// Use:   FileDialog dialog(".aelab");
//        if (menu item clicked) dialog.open(FileMode::Save, "Save run");
//        if (auto path = dialog.draw()) save_to(*path);     // every frame, at one ID level
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

enum class FileMode { Open, Save };

// "512 B", "5.3 MB": decimal units, as desktop file managers show them.
std::string format_file_size(std::uintmax_t bytes);

class FileBrowser {
public:
    struct Entry {
        std::string name;
        bool is_folder = false;
        std::uintmax_t size_bytes = 0;  // 0 for folders
    };
    static constexpr size_t kMaxRecent = 8;

    // extension: the files listed and the one Save appends, e.g. ".aelab"; "" lists every
    // file. Starts in the working folder.
    explicit FileBrowser(std::string extension);

    // Lists `folder` (relative to the current one, or absolute) and makes it current. On
    // failure returns false, keeps the current folder, and error() names the folder.
    bool open_folder(const std::filesystem::path& folder);
    // Lists the current folder again (files come and go while the dialog is closed).
    bool refresh() { return open_folder(m_folder); }
    bool go_up();                     // false at the root
    bool enter(const Entry& entry);   // opens a folder entry; false for a file
    void select(const Entry& entry);  // a file entry's name becomes the typed path

    // What the user typed, relative to the current folder or absolute; "~" is $HOME.
    // Returns the file to open or save; nullopt with error() set when it cannot be, or
    // nullopt with no error when `typed` names a folder, which becomes the current one.
    // Open: the file must exist (if it does not, the name with the extension is tried).
    // Save: the extension is appended when missing; the folder must exist; the target must
    // not be a folder (an existing file is accepted: asking before overwriting is the app's).
    std::optional<std::filesystem::path> resolve(std::string typed, FileMode mode);

    const std::filesystem::path& folder() const { return m_folder; }
    // Folders first, then files, each sorted ignoring case; no hidden entries, no "..".
    const std::vector<Entry>& entries() const { return m_entries; }
    const std::string& extension() const { return m_extension; }
    const std::string& error() const { return m_error; }
    void clear_error() { m_error.clear(); }
    std::string& typed() { return m_typed; }

    // Recent folders, most recent first, no repeats, at most kMaxRecent.
    void remember(const std::filesystem::path& folder);
    const std::vector<std::filesystem::path>& recent() const { return m_recent; }
    // One folder a line, most recent first, for the app to keep wherever it keeps settings.
    std::string recent_to_lines() const;
    // Replaces the list; blank lines are skipped, the rest kept as written (a name may start
    // or end with spaces). A folder whose name holds a line break cannot make the round trip.
    void recent_from_lines(std::string_view lines);

private:
    bool has_extension(const std::string& name) const;
    bool fail(std::string message);  // sets error(), returns false

    std::string m_extension;
    std::filesystem::path m_folder;
    std::vector<Entry> m_entries;
    std::string m_typed;
    std::string m_error;
    std::vector<std::filesystem::path> m_recent;
};

class FileDialog {
public:
    explicit FileDialog(std::string extension) : m_browser(std::move(extension)) {}

    // Opens the dialog on the next draw(); callable from anywhere (a menu, a key handler).
    // The folder is listed again; the typed name is kept (set browser().typed() to suggest
    // one, e.g. "run.aelab" for Save).
    void open(FileMode mode, std::string title);
    // Call every frame at the same ID level (e.g. the top of the frame, outside any window),
    // as ImGui popups require. Returns the chosen path on the frame the user accepts; the
    // chosen file's folder is remembered as recent.
    std::optional<std::filesystem::path> draw();
    bool is_open() const { return m_visible; }

    // For the app: recents to load and save, a starting folder, a suggested name.
    FileBrowser& browser() { return m_browser; }

private:
    std::optional<std::filesystem::path> draw_popup(const std::string& label);
    std::optional<std::filesystem::path> accept();
    void draw_header();
    bool draw_entries(float footer_height);  // true when a file was double-clicked
    std::optional<std::filesystem::path> draw_footer(bool accept_now);
    void close();

    FileBrowser m_browser;
    FileMode m_mode = FileMode::Open;
    std::string m_title;
    bool m_open_requested = false;
    bool m_visible = false;
    bool m_focus_typed = false;             // puts the cursor in the path field on the next frame
    std::filesystem::path m_listed_folder;  // to scroll back to the top in a new folder
};
