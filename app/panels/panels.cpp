// The panel registry: the table of panels, their objects and open flags, view settings, and
// the View/Export menus. Laying the windows out and drawing them: panel_windows.cpp.
#include "app/panels/panels.h"

#include "app/panels/config_changes.h"

#include "app/panels/run_files.h"
#include "app/panels/widgets.h"
#include "app/plot/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <imgui_internal.h>

#include "core/base/check.h"

namespace {

// Every panel as the app starts, in the order of the View menu and of the tiling (the lesson,
// last, lands at the right or the bottom), without objects: the registry makes them.
std::vector<Panel> panels_at_launch() {
    std::vector<Panel> list;  // Panel holds a unique_ptr: built by moves, not copied
    list.push_back(Panel{.id = PanelId::Controls, .name = "Controls",
                         .guide = "play, pause, step, slow motion; the live knobs (act on the next mini-batch) and the model and data (a change rebuilds)",
                         .make = make_controls_panel, .left_column = true});
    list.push_back(Panel{.id = PanelId::Loss, .name = "Loss curves",
                         .guide = "the objective on training batches and on held-out test images; a marker where a knob changed; each penalty's term",
                         .make = make_loss_panel});
    list.push_back(Panel{.id = PanelId::Reconstructions, .name = "Reconstructions",
                         .guide = "probe images, their reconstructions x̂ and |x − x̂| (and the corrupted input x̃ with noise on)",
                         .make = make_reconstructions_panel, .shows_model = true});
    list.push_back(Panel{.id = PanelId::Filters, .name = "Filters",
                         .guide = "each hidden unit's incoming weights (a row of W) and its outgoing ones (a column of W*), as images",
                         .make = make_filters_panel, .shows_model = true});
    list.push_back(Panel{.id = PanelId::Hidden, .name = "Hidden activations",
                         .guide = "every hidden unit's activation for each probe image, layer by layer",
                         .make = make_hidden_panel, .shows_model = true});
    list.push_back(Panel{.id = PanelId::PHat, .name = "Average activation",
                         .guide = "p̂_j, each code unit's mean activation, against the sparsity target p",
                         .make = make_p_hat_panel, .shows_model = true});
    list.push_back(Panel{.id = PanelId::Contractive, .name = "Contractive",
                         .guide = "‖J_x(h)‖²_F, the penalty of the contractive autoencoder, over training",
                         .open = false, .make = make_contractive_panel});
    list.push_back(Panel{.id = PanelId::Latent, .name = "Latent space",
                         .guide = "the VAE's 2-D latent plane: test codes by class, decoded grid, prior samples",
                         .open = false, .make = make_latent_panel, .shows_model = true});
    list.push_back(Panel{.id = PanelId::Pca, .name = "PCA",
                         .guide = "a one-layer autoencoder beside the PCA of its data: principal angles and errors",
                         .open = false, .make = make_pca_panel, .shows_model = true});
    list.push_back(Panel{.id = PanelId::Anomaly, .name = "Anomaly detection",
                         .guide = "reconstruction errors of normal and held-out images, the 3σ rule, its ROC curve",
                         .open = false, .make = make_anomaly_panel, .shows_model = true});
    list.push_back(Panel{.id = PanelId::Messages, .name = "Messages",
                         .guide = "everything the trainer and the window have said, in order",
                         .open = false, .make = make_messages_panel});
    list.push_back(Panel{.id = PanelId::Lesson, .name = "Lesson",
                         .guide = "the open lesson: its text, formulas, live values, Try buttons and steps",
                         .open = false, .make = make_lesson_panel});
    return list;
}

}  // namespace

void apply_theme(const UiSettings& settings) {
    // Every frame: a fresh style costs nothing, and no state can go stale (a new ImGui
    // context, a switch of theme, a new zoom).
    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle();
    if (settings.dark_theme)
        ImGui::StyleColorsDark(&style);
    else
        ImGui::StyleColorsLight(&style);
    style.WindowRounding = 4.0f;
    style.FrameRounding = 3.0f;
    style.GrabRounding = 3.0f;
    style.WindowBorderSize = 1.0f;
    // Menus, popups and tooltips opaque: the live plots behind them do not show through and
    // move under their text (ImGui's themes leave them 2–6 % see-through).
    style.Colors[ImGuiCol_PopupBg].w = 1.0f;
    style.ScaleAllSizes(settings.zoom);  // padding, spacing, scrollbars grow with the text
}

float next_zoom(float zoom, int direction) {
    if (direction > 0) {
        for (float z : kZoomSteps)
            if (z > zoom + 1e-3f) return z;
        return kZoomSteps[std::size(kZoomSteps) - 1];
    }
    for (auto it = std::rbegin(kZoomSteps); it != std::rend(kZoomSteps); ++it)
        if (*it < zoom - 1e-3f) return *it;
    return kZoomSteps[0];
}

std::vector<const char*> panel_names() {
    std::vector<const char*> names;
    for (const Panel& p : panels_at_launch()) names.push_back(p.name);
    return names;
}

PanelRegistry::PanelRegistry() : m_panels(panels_at_launch()) {
    for (Panel& p : m_panels) p.object = p.make();
}

Panel& PanelRegistry::find(PanelId id) {
    for (Panel& p : m_panels)
        if (p.id == id) return p;
    AELAB_CHECK(false, "a PanelId missing from the registry");
    return m_panels.front();
}

Panel* PanelRegistry::find_named(const char* name) {
    for (Panel& p : m_panels)
        if (std::strcmp(p.name, name) == 0) return &p;
    return nullptr;
}

void PanelRegistry::reset() {
    AELAB_CHECK(!m_drawing, "PanelRegistry::reset called from inside a panel's draw");
    for (Panel& p : m_panels) {
        p.object = p.make();
        p.scroll_to_top = true;
    }
    plot::forget_views();
}

std::optional<double> PanelRegistry::view_setting(aelab::ViewSetting setting) const {
    for (const Panel& p : m_panels)
        if (auto value = p.object->view_setting(setting)) return value;
    return std::nullopt;
}

void PanelRegistry::set_view_setting(aelab::ViewSetting setting, double value) {
    for (Panel& p : m_panels)
        if (p.object->set_view_setting(setting, value)) return;
    AELAB_CHECK(false, "a view setting no panel owns");
}

void PanelRegistry::default_layout(UiSettings& settings) {
    const std::vector<Panel> launch = panels_at_launch();
    for (size_t i = 0; i < m_panels.size(); ++i) m_panels[i].open = launch[i].open;
    settings.auto_layout = true;
    m_maximised.reset();
    m_rearrange = true;  // the model's own panels again (the latent plane of a VAE)
    m_fit_pending = true;
    ++m_layout_resets;
}

void PanelRegistry::toggle_maximised(PanelId id) {
    if (m_maximised == id)
        m_maximised.reset();
    else
        m_maximised = id;
}

void PanelRegistry::restore() {
    m_maximised.reset();
}

void PanelRegistry::toggle_maximised_here() {
    if (m_maximised) {
        m_maximised.reset();
        return;
    }
    if (m_hovered)
        m_maximised = m_hovered;
    else if (m_focused)
        m_maximised = m_focused;
}

bool presentable(const Panel& panel) {
    return !panel.left_column && panel.id != PanelId::Lesson && panel.id != PanelId::Messages;
}

void show_on_presenter(PanelContext& ctx, Panel& panel, bool on_presenter) {
    if (!presentable(panel) || (panel.on_presenter == on_presenter && panel.open)) return;
    panel.on_presenter = on_presenter;
    panel.open = true;
    ctx.log.add(std::string("Presenter: ") + panel.name +
                    (on_presenter ? " moved to the presenter" : " back in the main window"),
                ctx.time);
}

void draw_presenter_panel_items(PanelContext& ctx) {
    for (Panel& p : ctx.panels.panels())
        if (presentable(p) && ImGui::MenuItem(p.name, nullptr, p.on_presenter && p.open))
            show_on_presenter(ctx, p, !(p.on_presenter && p.open));
}

namespace {

void draw_presenter_items(PanelContext& ctx) {
    if (ImGui::MenuItem("Presenter window", nullptr, ctx.requests.presenter_shown))
        ctx.requests.toggle_presenter = true;
    ImGui::MenuItem("Presenter full screen (on a second monitor)", nullptr,
                    &ctx.requests.presenter_full_screen);
    if (!ctx.requests.presenter_shown) return;
    if (ImGui::BeginMenu("On the presenter")) {
        draw_presenter_panel_items(ctx);
        ImGui::EndMenu();
    }
}

void draw_view_menu(PanelContext& ctx) {
    PanelRegistry& registry = ctx.panels;
    for (Panel& p : registry.panels()) ImGui::MenuItem(p.name, nullptr, &p.open);
    ImGui::Separator();
    if (ImGui::MenuItem("Default layout")) {
        registry.default_layout(ctx.settings);
        relayout_lesson(registry);  // an open lesson's step shows its own panels again
    }
    if (registry.maximised()) {
        if (ImGui::MenuItem("Back to the layout", "F11")) registry.restore();
    } else {
        ImGui::TextDisabled("F11 or double-click a title: that panel fills the window");
    }
    ImGui::MenuItem("Automatic layout", nullptr, &ctx.settings.auto_layout);
    ImGui::MenuItem("Dark theme", nullptr, &ctx.settings.dark_theme);
    bool large = ctx.settings.zoom > 1.0f;
    if (ImGui::MenuItem("Large text (projector)", nullptr, &large))
        ctx.settings.zoom = large ? 1.3f : 1.0f;
    if (ImGui::MenuItem("Zoom in", "Ctrl +")) ctx.settings.zoom = next_zoom(ctx.settings.zoom, +1);
    if (ImGui::MenuItem("Zoom out", "Ctrl −")) ctx.settings.zoom = next_zoom(ctx.settings.zoom, -1);
    if (ImGui::MenuItem("Actual size", "Ctrl 0")) ctx.settings.zoom = 1.0f;
    ImGui::TextDisabled("zoom %.0f %%: text, spacing and images", 100 * ctx.settings.zoom);
    ImGui::Separator();
    draw_presenter_items(ctx);
}

}  // namespace

void draw_main_menu(PanelContext& ctx, RunFiles& files, HelpWindows& help) {
    if (!ImGui::BeginMainMenuBar()) return;
    files.draw_file_menu(ctx);
    if (ImGui::BeginMenu("Edit")) {
        const ConfigChange* undo = ctx.changes.history().next_undo();
        const ConfigChange* redo = ctx.changes.history().next_redo();
        const std::string undo_label = undo ? "Undo " + undo->describe() : "Undo";
        const std::string redo_label = redo ? "Redo " + redo->describe() : "Redo";
        if (ImGui::MenuItem(undo_label.c_str(), "Ctrl+Z", false, undo)) undo_change(ctx);
        if (ImGui::MenuItem(redo_label.c_str(), "Ctrl+Shift+Z", false, redo)) redo_change(ctx);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        draw_view_menu(ctx);
        ImGui::EndMenu();
    }
    draw_lessons_menu(ctx);
    if (ImGui::BeginMenu("Export")) {
        if (ImGui::MenuItem("Save window as PNG", "F12")) ctx.requests.screenshot_window = true;
        if (ImGui::BeginMenu("Save one panel as PNG")) {
            for (Panel& p : ctx.panels.panels())
                if (p.open && ImGui::MenuItem(p.name)) ctx.requests.screenshot_panel = p.name;
            ImGui::EndMenu();
        }
        ImGui::Separator();
        files.draw_export_items(ctx);
        ImGui::Separator();
        if (ImGui::RadioButton("1× scale", ctx.requests.screenshot_scale == 1))
            ctx.requests.screenshot_scale = 1;
        if (ImGui::RadioButton("2× scale (sharper slides)", ctx.requests.screenshot_scale == 2))
            ctx.requests.screenshot_scale = 2;
        ImGui::EndMenu();
    }
    help.draw_menu(ctx);
    ImGui::EndMainMenuBar();
}

