// Help: the keyboard shortcuts in one table, the panel guide (each panel's line from the
// registry), About (version, CPU, BLAS and its kernels, where data and runs are kept), and
// the first-run tour — three callouts (the controls, the curves, the views) shown once, on
// the first start, and again only when asked from this menu.
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "app/panels/panels.h"
#include "app/panels/widgets.h"
#include "core/base/gemm.h"
#include "core/base/openblas.h"
#include "core/data/dataset.h"

using namespace aelab;

namespace {

constexpr const char* kTourMark = "tour-seen";

struct Shortcut {
    const char* keys;
    const char* action;
};
constexpr Shortcut kShortcuts[] = {
    {"Space", "play / pause training"},
    {"Ctrl+Z", "undo the last knob or model change"},
    {"Ctrl+Shift+Z, Ctrl+Y", "redo"},
    {"F12", "save the window as a PNG (Export ▸ 2× for slides)"},
    {"Ctrl+S", "save the run"},
    {"Ctrl+O", "open a run"},
    {"Ctrl+Q", "quit (asks about an unsaved run)"},
    {"Ctrl+click a slider", "type a value"},
    {"F11, or double-click a title", "maximise the panel under the mouse to the whole window; again to go back"},
    {"Wheel on a plot", "zoom; drag to pan; double-click to fit"},
    {"Escape", "close a dialog or a menu"},
};

// Read once: About is drawn every frame while open, the CPU does not change.
const std::string& cpu_name() {
    static const std::string name = [] {
        std::ifstream in("/proc/cpuinfo");
        for (std::string line; std::getline(in, line);)
            if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos)
                return line.substr(line.find(':') + 2);
        return std::string("unknown");
    }();
    return name;
}

// A help window of two columns — a name, and a line that wraps — with `intro` above it.
void draw_table_window(const char* title, bool* open, const char* intro,
                       const std::vector<std::pair<const char*, const char*>>& rows) {
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 36, 0), ImGuiCond_Appearing);
    if (!ImGui::Begin(title, open, ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return;
    }
    if (intro) widgets::text_wrapped("%s", intro);
    if (ImGui::BeginTable("##rows", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
        ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 10);
        ImGui::TableSetupColumn("line", ImGuiTableColumnFlags_WidthStretch);
        for (const auto& [name, line] : rows) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(name);
            ImGui::TableNextColumn();
            widgets::text_wrapped("%s", line);
        }
        ImGui::EndTable();
    }
    ImGui::End();
}

// One callout of the tour, beside what it explains.
struct Callout {
    const char* title;
    const char* text;
};
constexpr Callout kTour[] = {
    {"1 of 3: the controls",
     "Play, pause or step the training here; slow it down to watch. The knobs under them act "
     "on the running model at once (drag one while it trains); the model's settings rebuild it. "
     "Every (?) says what a control does; a title folds its group. Ctrl+Z undoes."},
    {"2 of 3: the curves",
     "The objective on training batches and on held-out test images. A dashed line marks each "
     "change of a knob. The timeline under the panels rewinds every view to an earlier step."},
    {"3 of 3: the views",
     "What the model has learned: reconstructions, filters, hidden activations, p̂ — and more in "
     "View. Lessons ▸ sets up one chapter of the course at a time. Help ▸ has the shortcuts."},
};

void mark_tour_seen(const std::string& data_folder) {
    if (data_folder.empty()) return;
    std::error_code ec;
    std::filesystem::create_directories(data_folder, ec);
    std::ofstream(std::filesystem::path(data_folder) / kTourMark) << "seen\n";
}

}  // namespace

void HelpWindows::draw_shortcuts() {
    std::vector<std::pair<const char*, const char*>> rows;
    for (const Shortcut& s : kShortcuts) rows.emplace_back(s.keys, s.action);
    draw_table_window("Keyboard shortcuts", &m_shortcuts, nullptr, rows);
}

void HelpWindows::draw_guide(PanelRegistry& panels) {
    std::vector<std::pair<const char*, const char*>> rows;
    for (const Panel& p : panels.panels()) rows.emplace_back(p.name, p.guide);
    draw_table_window("Panel guide", &m_guide,
                      "Open and close panels in View. Every panel can be saved as a PNG "
                      "(Export ▸ Save one panel as PNG).",
                      rows);
}

void HelpWindows::draw_about(PanelContext& ctx, const std::string& data_folder) {
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 36, 0), ImGuiCond_Appearing);
    if (!ImGui::Begin("About aelab", &m_about, ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return;
    }
    ImGui::Text("aelab %s — a laboratory for autoencoders", AELAB_VERSION);
    ImGui::Separator();
    widgets::text_wrapped("CPU: %s", cpu_name().c_str());
    widgets::text_wrapped("BLAS: %s", gemm_backend_name());
    widgets::text_wrapped("BLAS kernels in use: %s%s", gemm_kernel_name(),
                          blas_kernels_chosen_by_aelab()
                              ? " (chosen by aelab: this CPU runs AVX-512, which OpenBLAS 0.3.21 "
                                "does not always detect)"
                              : "");
    widgets::text_wrapped("Data: %s (Fashion-MNIST is read from %s)", ctx.snapshot.data.name.c_str(),
                       kFashionMnistDir);
    widgets::text_wrapped("Recent runs and autosaves: %s", data_folder.empty() ? "(none: no $HOME)" : data_folder.c_str());
    ImGui::End();
}

void HelpWindows::draw_tour(PanelContext& ctx, const std::string& data_folder) {
    if (m_tour_step < 0) return;
    // Beside the panel it explains: right of the controls, under the loss curves' title, or
    // under the reconstructions' (the first open view).
    const Panel& controls = ctx.panels.find(PanelId::Controls);
    const Panel& loss = ctx.panels.find(PanelId::Loss);
    const Panel& views = ctx.panels.find(PanelId::Reconstructions);
    ImVec2 at;
    if (m_tour_step == 0)
        at = ImVec2(controls.last_pos.x + controls.last_size.x + 8, controls.last_pos.y + 60);
    else {
        const Panel& p = m_tour_step == 1 || !views.open ? loss : views;
        at = ImVec2(p.last_pos.x + 24, p.last_pos.y + 60);
    }
    ImGui::SetNextWindowPos(at, ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 20, 0), ImGuiCond_Always);
    // Brought to the front once per step — never over a question or a dialog (a popup),
    // whose keys (S, D, Escape) must keep reaching it.
    const bool popup_open = ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel);
    if (m_focused_step != m_tour_step && !popup_open) {
        m_focused_step = m_tour_step;
        ImGui::SetNextWindowFocus();
    }
    const Callout& c = kTour[m_tour_step];
    ImGui::Begin("Tour", nullptr,
                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoTitleBar);
    ImGui::TextUnformatted(c.title);
    ImGui::Separator();
    widgets::text_wrapped("%s", c.text);
    const bool last = m_tour_step + 1 == int(std::size(kTour));
    if (ImGui::Button(last ? "Done" : "Next")) {
        if (last) {
            m_tour_step = -1;
            mark_tour_seen(data_folder);
            ctx.log.end_moment("tour");
            ctx.log.add("Tour done (Help ▸ Show the tour brings it back)", ctx.time);
        } else {
            ++m_tour_step;
            ctx.log.add_prompt("tour",
                               "Tour: " + std::to_string(m_tour_step + 1) + " of " +
                                   std::to_string(std::size(kTour)),
                               ctx.time);
        }
    }
    if (!last) {
        ImGui::SameLine();
        if (ImGui::Button("Skip the tour")) {
            m_tour_step = -1;
            mark_tour_seen(data_folder);
            ctx.log.end_moment("tour");
            ctx.log.add("Tour skipped (Help ▸ Show the tour brings it back)", ctx.time);
        }
    }
    ImGui::End();
}

void HelpWindows::start_tour() {
    m_tour_step = 0;
    m_focused_step = -1;
}

void HelpWindows::draw_menu(PanelContext& ctx) {
    if (!ImGui::BeginMenu("Help")) return;
    ImGui::MenuItem("Keyboard shortcuts", nullptr, &m_shortcuts);
    ImGui::MenuItem("Panel guide", nullptr, &m_guide);
    if (ImGui::MenuItem("Show the tour")) start_tour();
    ImGui::Separator();
    ImGui::MenuItem("About aelab", nullptr, &m_about);
    ImGui::EndMenu();
}

void HelpWindows::draw_windows(PanelContext& ctx, const std::string& data_folder) {
    if (!m_tour_checked) {
        // The first start on this machine (for this user) shows the tour.
        m_tour_checked = true;
        std::error_code ec;
        if (!data_folder.empty() && !std::filesystem::exists(std::filesystem::path(data_folder) / kTourMark, ec)) {
            start_tour();
            ctx.log.add_prompt("tour", "Tour: 1 of " + std::to_string(std::size(kTour)), ctx.time);
        }
    }
    if (m_shortcuts) draw_shortcuts();
    if (m_guide) draw_guide(ctx.panels);
    if (m_about) draw_about(ctx, data_folder);
    draw_tour(ctx, data_folder);
}
