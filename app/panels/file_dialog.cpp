#include "app/panels/file_dialog.h"

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cstdio>
#include <cstdlib>
#include <system_error>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/panels/widgets.h"

namespace fs = std::filesystem;

namespace {

std::string lower(std::string text) {
    for (char& c : text) c = char(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

std::string quoted(const fs::path& path) {
    return "'" + path.string() + "'";
}

std::string trimmed(const std::string& text) {
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// "/a/b/" and "/a/./b" → "/a/b": lexically_normal keeps a trailing separator, which would
// make parent_path() return the folder itself.
fs::path normal(const fs::path& path) {
    fs::path p = path.lexically_normal();
    if (p.filename().empty() && p.has_relative_path()) p = p.parent_path();
    return p;
}

bool is_missing(const std::error_code& ec) {
    return !ec || ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory;
}

}  // namespace

std::string format_file_size(std::uintmax_t bytes) {
    if (bytes < 1000) return std::to_string(bytes) + " B";
    static const char* const units[] = {"KB", "MB", "GB", "TB", "PB"};
    double value = double(bytes) / 1000;
    int unit = 0;
    for (; value >= 999.95 && unit < 4; ++unit) value /= 1000;
    char text[32];
    std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    return text;
}

FileBrowser::FileBrowser(std::string extension) : m_extension(lower(std::move(extension))) {
    if (!m_extension.empty() && m_extension[0] != '.') m_extension.insert(0, ".");
    std::error_code ec;
    const fs::path start = fs::current_path(ec);
    if (ec || !open_folder(start)) open_folder(fs::path("/"));
    m_error.clear();
}

bool FileBrowser::fail(std::string message) {
    m_error = std::move(message);
    return false;
}

bool FileBrowser::has_extension(const std::string& name) const {
    return name.size() > m_extension.size() && lower(name).ends_with(m_extension);
}

bool FileBrowser::open_folder(const fs::path& folder) {
    if (folder.empty()) return fail("No folder given");
    const fs::path path = normal(folder.is_absolute() ? folder : m_folder / folder);
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (!fs::exists(status)) {
        if (is_missing(ec)) return fail("Folder " + quoted(path) + " does not exist");
        return fail("Cannot reach folder " + quoted(path) + ": " + ec.message());
    }
    if (!fs::is_directory(status)) return fail(quoted(path) + " is not a folder");

    fs::directory_iterator it(path, ec);
    if (ec) return fail("Cannot read folder " + quoted(path) + ": " + ec.message());
    std::vector<Entry> folders, files;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.starts_with(".")) continue;
        std::error_code entry_ec;  // an entry that cannot be looked at is left out
        if (it->is_directory(entry_ec)) {
            folders.push_back({name, true, 0});
        } else if (it->is_regular_file(entry_ec) && (m_extension.empty() || has_extension(name))) {
            const std::uintmax_t size = it->file_size(entry_ec);
            files.push_back({name, false, entry_ec ? 0 : size});
        }
    }
    if (ec) return fail("Cannot read folder " + quoted(path) + ": " + ec.message());

    const auto by_name = [](const Entry& a, const Entry& b) {
        const std::string la = lower(a.name), lb = lower(b.name);
        return la != lb ? la < lb : a.name < b.name;
    };
    std::sort(folders.begin(), folders.end(), by_name);
    std::sort(files.begin(), files.end(), by_name);
    folders.insert(folders.end(), files.begin(), files.end());

    // Symbolic links resolved, so "Up" goes where the path bar says.
    const fs::path canonical = fs::canonical(path, ec);
    m_folder = ec ? path : canonical;
    m_entries = std::move(folders);
    m_error.clear();
    return true;
}

bool FileBrowser::go_up() {
    const fs::path parent = m_folder.parent_path();
    if (parent == m_folder || parent.empty()) return false;
    return open_folder(parent);
}

bool FileBrowser::enter(const Entry& entry) {
    return entry.is_folder && open_folder(m_folder / entry.name);
}

void FileBrowser::select(const Entry& entry) {
    if (!entry.is_folder) m_typed = entry.name;
}

std::optional<fs::path> FileBrowser::resolve(std::string typed, FileMode mode) {
    m_error.clear();
    typed = trimmed(typed);
    if (typed.empty()) {
        fail(mode == FileMode::Open ? "Choose a file to open" : "Type a name to save as");
        return std::nullopt;
    }
    if (typed == "~" || typed.starts_with("~/")) {
        const char* home = std::getenv("HOME");
        if (!home || !*home) {
            fail("Cannot expand '~' in '" + typed + "': $HOME is not set");
            return std::nullopt;
        }
        typed.replace(0, 1, home);
    }
    const fs::path typed_path(typed);
    fs::path path = normal(typed_path.is_absolute() ? typed_path : m_folder / typed_path);

    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        open_folder(path);  // on failure its error says why
        return std::nullopt;
    }
    if (mode == FileMode::Open) {
        fs::file_status status = fs::status(path, ec);
        if (!fs::exists(status) && !m_extension.empty() &&
            !has_extension(path.filename().string())) {
            const fs::path with_extension = fs::path(path) += m_extension;
            if (fs::is_regular_file(with_extension, ec)) return with_extension;
        }
        if (!fs::exists(status)) {
            fail(is_missing(ec) ? quoted(path) + " does not exist"
                                : "Cannot reach " + quoted(path) + ": " + ec.message());
            return std::nullopt;
        }
        if (!fs::is_regular_file(status)) {
            fail(quoted(path) + " is not a regular file");
            return std::nullopt;
        }
        return path;
    }

    if (!m_extension.empty() && !has_extension(path.filename().string())) path += m_extension;
    const fs::path parent = path.parent_path();
    if (!fs::is_directory(parent, ec)) {
        fail("Cannot save to " + quoted(path) + ": the folder " + quoted(parent) +
             " does not exist");
        return std::nullopt;
    }
    const fs::file_status status = fs::status(path, ec);
    if (fs::is_directory(status)) {
        fail("Cannot save to " + quoted(path) + ": it is a folder");
        return std::nullopt;
    }
    if (fs::exists(status) && !fs::is_regular_file(status)) {
        fail("Cannot save to " + quoted(path) + ": it is not a regular file");
        return std::nullopt;
    }
    return path;
}

void FileBrowser::remember(const fs::path& folder) {
    const fs::path f = normal(folder);
    if (f.empty()) return;
    std::erase(m_recent, f);
    m_recent.insert(m_recent.begin(), f);
    if (m_recent.size() > kMaxRecent) m_recent.resize(kMaxRecent);
}

std::string FileBrowser::recent_to_lines() const {
    std::string lines;
    for (const fs::path& f : m_recent) lines += f.string() + "\n";
    return lines;
}

void FileBrowser::recent_from_lines(std::string_view lines) {
    m_recent.clear();
    // Remembered oldest first, so the first line ends up most recent.
    std::vector<std::string> folders;
    size_t start = 0;
    while (start < lines.size()) {
        size_t end = lines.find('\n', start);
        if (end == std::string_view::npos) end = lines.size();
        std::string line(lines.substr(start, end - start));
        if (line.ends_with('\r')) line.pop_back();  // written on Windows
        if (!trimmed(line).empty()) folders.push_back(line);
        start = end + 1;
    }
    for (auto it = folders.rbegin(); it != folders.rend(); ++it) remember(*it);
}

// ---- drawing ------------------------------------------------------------------------------

void FileDialog::open(FileMode mode, std::string title) {
    m_mode = mode;
    m_title = std::move(title);
    m_open_requested = true;
    m_focus_typed = true;
    std::error_code ec;
    if (!m_browser.refresh()) m_browser.open_folder(fs::current_path(ec));  // folder gone
    m_browser.clear_error();
}

void FileDialog::close() {
    m_visible = false;
    ImGui::CloseCurrentPopup();
}

std::optional<fs::path> FileDialog::accept() {
    const fs::path before = m_browser.folder();
    std::optional<fs::path> chosen = m_browser.resolve(m_browser.typed(), m_mode);
    if (chosen) {
        m_browser.remember(chosen->parent_path());
        close();
    } else if (m_browser.error().empty()) {
        m_browser.typed().clear();  // a typed folder was entered: the name is used up
    }
    m_focus_typed = true;  // Enter took the focus away from the field
    return chosen;
}

void FileDialog::draw_header() {
    const fs::path& folder = m_browser.folder();
    ImGui::BeginDisabled(folder.parent_path() == folder);
    if (ImGui::Button("Up")) m_browser.go_up();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::TextUnformatted(m_browser.folder().string().c_str());

    const std::vector<fs::path>& recent = m_browser.recent();
    ImGui::BeginDisabled(recent.empty());
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Recent");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (ImGui::BeginCombo("##recent", recent.empty() ? "none yet" : "go to a recent folder")) {
        std::optional<fs::path> chosen;
        for (size_t i = 0; i < recent.size(); ++i) {
            ImGui::PushID(int(i));
            if (ImGui::Selectable(recent[i].string().c_str())) chosen = recent[i];
            ImGui::PopID();
        }
        ImGui::EndCombo();
        if (chosen) m_browser.open_folder(*chosen);  // after the loop: it may reorder recents
    }
    ImGui::EndDisabled();
}

bool FileDialog::draw_entries(float footer_height) {
    ImGui::BeginChild("##entries", ImVec2(0, -footer_height), true);
    if (m_listed_folder != m_browser.folder()) {
        m_listed_folder = m_browser.folder();
        ImGui::SetScrollY(0);
    }
    const std::vector<FileBrowser::Entry>& entries = m_browser.entries();
    if (entries.empty()) {
        ImGui::TextDisabled(m_browser.extension().empty()
                                ? "(empty folder)"
                                : ("(no folders or " + m_browser.extension() + " files)").c_str());
    }
    // Acted on after the loop: entering a folder replaces the list being drawn.
    std::optional<FileBrowser::Entry> clicked;
    bool double_clicked = false;
    const float right_x = ImGui::GetWindowContentRegionMax().x;
    ImGuiListClipper clipper;
    clipper.Begin(int(entries.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const FileBrowser::Entry& e = entries[size_t(i)];
            // The name is drawn as text over an empty selectable, not as its label: ImGui
            // would read "##" in a file name as the start of an ID.
            const float row_x = ImGui::GetCursorPosX();
            ImGui::PushID(i);
            const bool selected = !e.is_folder && e.name == m_browser.typed();
            if (ImGui::Selectable(
                    "##entry", selected,
                    ImGuiSelectableFlags_AllowDoubleClick | ImGuiSelectableFlags_DontClosePopups)) {
                clicked = e;
                double_clicked = ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left);
            }
            ImGui::PopID();
            ImGui::SameLine();
            ImGui::SetCursorPosX(row_x);
            ImGui::TextUnformatted(e.is_folder ? (e.name + "/").c_str() : e.name.c_str());
            if (!e.is_folder) {
                const std::string size = format_file_size(e.size_bytes);
                ImGui::SameLine();
                ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(),
                                              right_x - ImGui::CalcTextSize(size.c_str()).x));
                ImGui::TextDisabled("%s", size.c_str());
            }
        }
    }
    ImGui::EndChild();
    if (!clicked) return false;
    if (clicked->is_folder) {
        if (double_clicked) m_browser.enter(*clicked);
        return false;
    }
    m_browser.select(*clicked);
    return double_clicked;
}

std::optional<fs::path> FileDialog::draw_footer(bool accept_now) {
    std::optional<fs::path> chosen;
    const char* action = m_mode == FileMode::Open ? "Open" : "Save";
    const float button_width = ImGui::GetFontSize() * 5;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;

    if (m_focus_typed) {
        ImGui::SetKeyboardFocusHere();
        m_focus_typed = false;
    }
    ImGui::SetNextItemWidth(-(2 * button_width + 2 * spacing));
    const bool entered =
        ImGui::InputTextWithHint("##typed", "file name or path, then Enter", &m_browser.typed(),
                                 ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    const bool clicked = ImGui::Button(action, ImVec2(button_width, 0));
    if (entered || clicked || accept_now) chosen = accept();
    ImGui::SameLine();
    // Escape cancels unless it is meant for the recent-folders combo.
    const bool escape = ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows |
                                               ImGuiFocusedFlags_NoPopupHierarchy) &&
                        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false);
    if (ImGui::Button("Cancel", ImVec2(button_width, 0)) || escape) close();
    widgets::error_text(m_browser.error().c_str());
    return chosen;
}

std::optional<fs::path> FileDialog::draw() {
    if (!m_open_requested && !m_visible) return std::nullopt;
    // One popup ID per dialog whatever its title, so two dialogs never share one.
    ImGui::PushID(this);
    std::optional<fs::path> chosen = draw_popup(m_title + "###file_dialog");
    ImGui::PopID();
    return chosen;
}

std::optional<fs::path> FileDialog::draw_popup(const std::string& label) {
    if (m_open_requested) {
        ImGui::OpenPopup(label.c_str());
        m_open_requested = false;
        m_visible = true;
    }

    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float font = ImGui::GetFontSize();
    ImGui::SetNextWindowPos(viewport->GetWorkCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x * 0.6f, viewport->WorkSize.y * 0.6f),
                             ImGuiCond_Appearing);
    ImGui::SetNextWindowSizeConstraints(ImVec2(font * 24, font * 16), ImVec2(FLT_MAX, FLT_MAX));
    if (!ImGui::BeginPopupModal(label.c_str(), &m_visible)) {
        // Closed by its title bar's button (which clears m_visible) or by another popup
        // opened in its place; a minimised window only skips drawing it.
        if (!ImGui::IsPopupOpen(label.c_str())) m_visible = false;
        return std::nullopt;
    }
    draw_header();
    // The footer: the path field and buttons, then room for a two-line error.
    const ImGuiStyle& style = ImGui::GetStyle();
    const bool file_double_clicked = draw_entries(
        ImGui::GetFrameHeightWithSpacing() + 2 * ImGui::GetTextLineHeight() + style.ItemSpacing.y);
    std::optional<fs::path> chosen = draw_footer(file_double_clicked);
    ImGui::EndPopup();
    return chosen;
}
