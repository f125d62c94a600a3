// The panel registry: every panel's name, open flag and draw function in one table, which
// builds the View menu, lays the windows out and does Begin/End in one place (the shape of
// imgui_demo's ShowDemoWindow). GUI thread only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/panels/panel_context.h"

enum class PanelId {
    Controls,
    Loss,
    Reconstructions,
    Filters,
    Hidden,
    PHat,
    Contractive,
    Latent,
    Pca,
    Anomaly,
    Messages,
    Lesson,
};

struct Panel {
    PanelId id;
    const char* name;  // the window title, the View menu entry, --screenshot-panel NAME
    const char* guide = "";  // what it shows, in a line (Help ▸ Panel guide)
    bool open = true;
    void (*draw)(PanelContext&) = nullptr;
    // Drawn in the left column (the controls) rather than in the tiled area.
    bool left_column = false;
    // Shows the model (not the run's curves or its controls): at a past step while the
    // timeline has one on view, and its title says so.
    bool shows_model = false;
    // Takes a whole row of the tiled area (the latent space: a plane, a grid, a column).
    bool wide = false;
    // Where the panel was drawn last frame (screen pixels), for per-panel screenshots.
    ImVec2 last_pos{}, last_size{};
};

// One free function per panel, each in its own file.
void draw_controls_panel(PanelContext& ctx);
void draw_loss_panel(PanelContext& ctx);
void draw_reconstructions_panel(PanelContext& ctx);
void draw_hidden_panel(PanelContext& ctx);
void draw_filters_panel(PanelContext& ctx);
void draw_p_hat_panel(PanelContext& ctx);
void draw_contractive_panel(PanelContext& ctx);
void draw_latent_panel(PanelContext& ctx);
void draw_pca_panel(PanelContext& ctx);
void draw_anomaly_panel(PanelContext& ctx);
void draw_messages_panel(PanelContext& ctx);
void draw_lesson_panel(PanelContext& ctx);
// The Lessons menu (lesson_panel.cpp), and the lesson --lesson opens the window with.
void draw_lessons_menu(PanelContext& ctx);
namespace aelab { struct Lesson; }
void start_with_lesson(std::shared_ptr<const aelab::Lesson> lesson);

// View settings a lesson's try button may set (core/lesson.h, view_setting_names): each
// panel that has one gives a getter and a setter here, so a new one needs no other plumbing.
double view_setting(const std::string& name);  // NaN for an unknown name
void set_view_setting(const std::string& name, double value);
// The Anomaly panel's k in t = μ + kσ (anomaly_panel.cpp).
float anomaly_k();
void set_anomaly_k(float k);

std::vector<Panel>& panel_registry();
Panel& find_panel(PanelId id);
Panel* find_panel_named(const char* name);  // for the command line; null when none

// The light or dark theme of settings.dark_theme (call once a frame, before drawing).
void apply_theme(const UiSettings& settings);

// Main menu bar (View, Export), the panels, and the status bar along the bottom. draw_panels
// ends by sending the computed views' requests (ctx.views) to the trainer.
class RunFiles;
void draw_main_menu(PanelContext& ctx, RunFiles& files);  // File, View, Export
void draw_panels(PanelContext& ctx);
void draw_status_bar(PanelContext& ctx);
// The Help menu and its windows: keyboard shortcuts, the panel guide, About, and the
// first-run tour (help.cpp). `data_folder` keeps the mark that the tour was seen.
void draw_help_menu(PanelContext& ctx);
void draw_help_windows(PanelContext& ctx, const std::string& data_folder);
void start_tour();
// The timeline strip above the status bar (timeline_bar.cpp).
void draw_timeline_bar(PanelContext& ctx);

// Heights of the status bar and of the timeline strip, for the layout.
float status_bar_height();
float timeline_bar_height();
