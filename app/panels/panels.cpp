// Panel registry, View/Export menus and the automatic tiling of the panel windows.
#include "app/panels/panels.h"

#include "app/panels/config_changes.h"

#include "app/panels/run_files.h"
#include "app/panels/widgets.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/base/check.h"

using aelab::ModelKind;

namespace {

constexpr float kLeftColumnWidth = 340.0f;

// The area the tiled panels share: right of the controls, between the menu and status bars.
struct Area {
    ImVec2 pos, size;
};

// Rows of up to three panels in registry order (a shorter last row widens its panels),
// then one row for each wide panel, a little taller than the others.
void tile(std::vector<Panel*>& panels, Area area, std::vector<Area>& out) {
    out.assign(panels.size(), {});
    std::vector<size_t> narrow, wide;
    for (size_t i = 0; i < panels.size(); ++i) (panels[i]->wide ? wide : narrow).push_back(i);
    const int k = int(narrow.size());
    const int cols = k <= 3 ? std::max(k, 1) : (k == 4 ? 2 : 3);
    const int narrow_rows = (k + cols - 1) / cols;
    constexpr float kWideRowWeight = 1.3f;
    const float units = narrow_rows + kWideRowWeight * wide.size();
    if (units == 0) return;
    const float h = area.size.y / units, wide_h = kWideRowWeight * h;
    for (int r = 0; r < narrow_rows; ++r) {
        const int in_row = std::min(cols, k - r * cols);
        const float w = area.size.x / in_row;
        for (int c = 0; c < in_row; ++c)
            out[narrow[r * cols + c]] = {ImVec2(area.pos.x + c * w, area.pos.y + r * h),
                                         ImVec2(w, h)};
    }
    for (size_t j = 0; j < wide.size(); ++j)
        out[wide[j]] = {ImVec2(area.pos.x, area.pos.y + narrow_rows * h + j * wide_h),
                        ImVec2(area.size.x, wide_h)};
}

// Which panels a kind of model starts with: the VAE's latent space replaces the p̂ bars
// and the heat map (its code is μ and log σ²); a 2-unit autoencoder code gets a plane too.
// Applied when the kind of model changes, so the user's own choices stand otherwise.
struct Arrangement {
    ModelKind kind = ModelKind::Autoencoder;
    int code_size = -1;
};
Arrangement arranged;

void arrange_for_model(const aelab::Snapshot& s) {
    if (s.probe_hidden.empty()) return;  // no model yet
    const int code = int(s.probe_hidden.back().rows());
    if (s.config.model == arranged.kind && (code == 2) == (arranged.code_size == 2)) return;
    const bool vae = s.config.model == ModelKind::Vae;
    find_panel(PanelId::Latent).open = vae || code == 2;
    find_panel(PanelId::PHat).open = !vae;
    find_panel(PanelId::Hidden).open = !vae;
    arranged = {s.config.model, code};
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

std::vector<Panel>& panel_registry() {
    static std::vector<Panel> panels = [] {
        std::vector<Panel> list;  // Panel holds a unique_ptr: built by moves, not copied
        list.push_back(Panel{.id = PanelId::Controls, .name = "Controls", .guide = "play, pause, step, slow motion; the live knobs (act on the next mini-batch) and the model and data (a change rebuilds)", .make = make_controls_panel,
         .left_column = true});
        // Tiled in this order, three to a row; the last row's panels get the extra width.
        list.push_back(Panel{.id = PanelId::Loss, .name = "Loss curves", .guide = "the objective on training batches and on held-out test images; a marker where a knob changed; each penalty's term", .make = make_loss_panel});
        list.push_back(Panel{.id = PanelId::Reconstructions, .name = "Reconstructions", .guide = "probe images, their reconstructions x̂ and |x − x̂| (and the corrupted input x̃ with noise on)",
         .make = make_reconstructions_panel, .shows_model = true});
        list.push_back(Panel{.id = PanelId::Filters, .name = "Filters", .guide = "each hidden unit's incoming weights (a row of W) and its outgoing ones (a column of W*), as images", .make = make_filters_panel, .shows_model = true});
        list.push_back(Panel{.id = PanelId::Hidden, .name = "Hidden activations", .guide = "every hidden unit's activation for each probe image, layer by layer", .make = make_hidden_panel, .shows_model = true});
        list.push_back(Panel{.id = PanelId::PHat, .name = "Average activation", .guide = "p̂_j, each code unit's mean activation, against the sparsity target p", .make = make_p_hat_panel, .shows_model = true});
        list.push_back(Panel{.id = PanelId::Contractive, .name = "Contractive", .guide = "‖J_x(h)‖²_F, the penalty of the contractive autoencoder, over training", .open = false,
         .make = make_contractive_panel});
        list.push_back(Panel{.id = PanelId::Latent, .name = "Latent space", .guide = "the VAE's 2-D latent plane: test codes by class, decoded grid, prior samples", .open = false, .make = make_latent_panel, .shows_model = true,
         .wide = true});
        list.push_back(Panel{.id = PanelId::Pca, .name = "PCA", .guide = "a one-layer autoencoder beside the PCA of its data: principal angles and errors", .open = false, .make = make_pca_panel, .shows_model = true, .wide = true});
        list.push_back(Panel{.id = PanelId::Anomaly, .name = "Anomaly detection", .guide = "reconstruction errors of normal and held-out images, the 3σ rule, its ROC curve", .open = false,
         .make = make_anomaly_panel, .shows_model = true, .wide = true});
        list.push_back(Panel{.id = PanelId::Messages, .name = "Messages", .guide = "everything the trainer and the window have said, in order", .open = false, .make = make_messages_panel});
        // A lesson's text, formulas and steps: a whole row, under the panels it sets up.
        list.push_back(Panel{.id = PanelId::Lesson, .name = "Lesson", .guide = "the open lesson: its text, formulas, live values, Try buttons and steps", .open = false, .make = make_lesson_panel,
         .wide = true});
        for (Panel& p : list) p.object = p.make();
        return list;
    }();
    return panels;
}

Panel& find_panel(PanelId id) {
    for (Panel& p : panel_registry())
        if (p.id == id) return p;
    AELAB_CHECK(false, "a PanelId missing from the registry");
    return panel_registry().front();
}

namespace {
bool drawing_panels = false;  // a panel's draw must not replace the object it runs in
}  // namespace

void reset_panels() {
    AELAB_CHECK(!drawing_panels, "reset_panels called from inside a panel's draw");
    for (Panel& p : panel_registry()) p.object = p.make();
}

std::optional<double> view_setting(aelab::ViewSetting setting) {
    for (Panel& p : panel_registry())
        if (auto value = p.object->view_setting(setting)) return value;
    return std::nullopt;
}

void set_view_setting(aelab::ViewSetting setting, double value) {
    for (Panel& p : panel_registry())
        if (p.object->set_view_setting(setting, value)) return;
    AELAB_CHECK(false, "a view setting no panel owns");
}

Panel* find_panel_named(const char* name) {
    for (Panel& p : panel_registry())
        if (std::strcmp(p.name, name) == 0) return &p;
    return nullptr;
}

void draw_main_menu(PanelContext& ctx, RunFiles& files) {
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
        for (Panel& p : panel_registry()) ImGui::MenuItem(p.name, nullptr, &p.open);
        ImGui::Separator();
        ImGui::MenuItem("Automatic layout", nullptr, &ctx.settings.auto_layout);
        ImGui::MenuItem("Dark theme", nullptr, &ctx.settings.dark_theme);
        bool large = ctx.settings.zoom > 1.0f;
        if (ImGui::MenuItem("Large text (projector)", nullptr, &large))
            ctx.settings.zoom = large ? 1.3f : 1.0f;
        if (ImGui::MenuItem("Zoom in", "Ctrl +")) ctx.settings.zoom = next_zoom(ctx.settings.zoom, +1);
        if (ImGui::MenuItem("Zoom out", "Ctrl −")) ctx.settings.zoom = next_zoom(ctx.settings.zoom, -1);
        if (ImGui::MenuItem("Actual size", "Ctrl 0")) ctx.settings.zoom = 1.0f;
        ImGui::TextDisabled("zoom %.0f %%: text, spacing and images", 100 * ctx.settings.zoom);
        ImGui::EndMenu();
    }
    draw_lessons_menu(ctx);
    if (ImGui::BeginMenu("Export")) {
        if (ImGui::MenuItem("Save window as PNG", "F12")) ctx.requests.screenshot_window = true;
        if (ImGui::BeginMenu("Save one panel as PNG")) {
            for (Panel& p : panel_registry())
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
    draw_help_menu(ctx);
    ImGui::EndMainMenuBar();
}

void draw_panels(PanelContext& ctx) {
    arrange_for_model(ctx.snapshot);
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float top = viewport->WorkPos.y;  // below the main menu bar
    const float bottom =
        viewport->WorkPos.y + viewport->WorkSize.y - status_bar_height() - timeline_bar_height();
    const float left_width = kLeftColumnWidth * ctx.settings.zoom;

    std::vector<Panel*> tiled;
    for (Panel& p : panel_registry())
        if (p.open && !p.left_column) tiled.push_back(&p);
    Area area{ImVec2(viewport->WorkPos.x + left_width, top),
              ImVec2(viewport->WorkSize.x - left_width, bottom - top)};
    std::vector<Area> places;
    tile(tiled, area, places);

    ImGuiWindowFlags flags = ImGuiWindowFlags_NoCollapse;
    if (ctx.settings.auto_layout) flags |= ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize;
    const ImGuiCond cond = ctx.settings.auto_layout ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
    for (Panel& p : panel_registry()) {
        if (!p.open) continue;
        if (p.left_column) {
            ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x, top), cond);
            ImGui::SetNextWindowSize(ImVec2(left_width, bottom - top), cond);
        } else {
            const size_t i = std::find(tiled.begin(), tiled.end(), &p) - tiled.begin();
            ImGui::SetNextWindowPos(places[i].pos, cond);
            ImGui::SetNextWindowSize(places[i].size, cond);
        }
        // "###" keeps the window's identity while its title changes.
        char title[192];
        const aelab::Snapshot& s = ctx.snapshot;
        if (p.shows_model && s.viewing_step >= 0)
            std::snprintf(title, sizeof title, "%s  (at step %s of %s)###%s", p.name,
                          widgets::format_step(s.viewing_step).c_str(),
                          widgets::format_step(s.step).c_str(), p.name);
        else
            std::snprintf(title, sizeof title, "%s###%s", p.name, p.name);
        // A past model's panels get a title bar in the timeline's colour, focused or not.
        const bool past = p.shows_model && s.viewing_step >= 0;
        if (past) {
            const ImVec4 past_colour = ImGui::GetStyleColorVec4(ImGuiCol_PlotHistogram);
            ImGui::PushStyleColor(ImGuiCol_TitleBg, past_colour);
            ImGui::PushStyleColor(ImGuiCol_TitleBgActive, past_colour);
        }
        const bool visible = ImGui::Begin(title, &p.open, flags);
        if (past) ImGui::PopStyleColor(2);
        if (visible) {
            drawing_panels = true;
            p.object->draw(ctx);
            drawing_panels = false;
        }
        p.last_pos = ImGui::GetWindowPos();
        p.last_size = ImGui::GetWindowSize();
        ImGui::End();
    }
    // Open panels asked for their views while drawing; the rest are switched off here.
    ctx.views.flush(ctx.trainer);
}
