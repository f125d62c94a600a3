// The panel registry: every panel's name, open flag and draw function in one table, which
// builds the View menu, lays the windows out and does Begin/End in one place (the shape of
// imgui_demo's ShowDemoWindow). GUI thread only.
#pragma once

#include <memory>
#include <optional>
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

namespace aelab { enum class ViewSetting; }

// What a panel draws, with the state it keeps between frames (the shape of imgui_demo's
// ExampleAppLog). The registry owns one object per panel; reset_panels replaces them, so no
// selection, page or cache outlives a lesson or a new run.
struct PanelObject {
    virtual ~PanelObject() = default;
    virtual void draw(PanelContext& ctx) = 0;
    // A lesson's view setting, when this panel owns it: its value (nullopt otherwise).
    virtual std::optional<double> view_setting(aelab::ViewSetting) const { return std::nullopt; }
    // Sets it; false when this panel does not own it.
    virtual bool set_view_setting(aelab::ViewSetting, double) { return false; }
};

struct Panel {
    PanelId id;
    const char* name;  // the window title, the View menu entry, --screenshot-panel NAME
    const char* guide = "";  // what it shows, in a line (Help ▸ Panel guide)
    bool open = true;
    std::unique_ptr<PanelObject> (*make)() = nullptr;  // a fresh object, at start and on reset
    std::unique_ptr<PanelObject> object;
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

// One maker per panel, each in its own file.
std::unique_ptr<PanelObject> make_controls_panel();
std::unique_ptr<PanelObject> make_loss_panel();
std::unique_ptr<PanelObject> make_reconstructions_panel();
std::unique_ptr<PanelObject> make_hidden_panel();
std::unique_ptr<PanelObject> make_filters_panel();
std::unique_ptr<PanelObject> make_p_hat_panel();
std::unique_ptr<PanelObject> make_contractive_panel();
std::unique_ptr<PanelObject> make_latent_panel();
std::unique_ptr<PanelObject> make_pca_panel();
std::unique_ptr<PanelObject> make_anomaly_panel();
std::unique_ptr<PanelObject> make_messages_panel();
std::unique_ptr<PanelObject> make_lesson_panel();
// The Lessons menu (lesson_panel.cpp), and the lesson --lesson opens the window with.
void draw_lessons_menu(PanelContext& ctx);
namespace aelab { struct Lesson; }
void start_with_lesson(std::shared_ptr<const aelab::Lesson> lesson);

// View settings a lesson's try button may set (core/lessons/lesson.h, view_setting_names),
// routed by their id to the panel object that owns one.
std::optional<double> view_setting(aelab::ViewSetting setting);
void set_view_setting(aelab::ViewSetting setting, double value);

std::vector<Panel>& panel_registry();
Panel& find_panel(PanelId id);
Panel* find_panel_named(const char* name);  // for the command line; null when none
// Every panel's object replaced by a fresh one (a lesson opening, File ▸ New): pages,
// selections and caches start again. The open flags stay.
void reset_panels();

// The light or dark theme of settings.dark_theme (call once a frame, before drawing).
void apply_theme(const UiSettings& settings);

// Main menu bar (View, Export), the panels, and the status bar along the bottom. draw_panels
// ends by sending the computed views' requests (ctx.views) to the trainer.
class RunFiles;
class HelpWindows;
void draw_main_menu(PanelContext& ctx, RunFiles& files, HelpWindows& help);  // File, View, Export, Help
void draw_panels(PanelContext& ctx);
void draw_status_bar(PanelContext& ctx);

// The Help menu and its windows: keyboard shortcuts, the panel guide, About, and the
// first-run tour (help.cpp). The app owns one. `data_folder` keeps the mark that the tour
// was seen.
class HelpWindows {
public:
    void draw_menu(PanelContext& ctx);
    void draw_windows(PanelContext& ctx, const std::string& data_folder);
    void start_tour();

private:
    void draw_shortcuts();
    void draw_guide();
    void draw_about(PanelContext& ctx, const std::string& data_folder);
    void draw_tour(PanelContext& ctx, const std::string& data_folder);

    bool m_shortcuts = false, m_guide = false, m_about = false;
    int m_tour_step = -1;         // -1: no tour on screen
    int m_focused_step = -1;      // the step brought to the front (once: typing elsewhere goes on)
    bool m_tour_checked = false;  // looked for the mark of a tour seen before
};

// The timeline strip above the status bar (timeline_bar.cpp); the app owns one.
class TimelineBar {
public:
    void draw(PanelContext& ctx);

private:
    int m_index = 0;          // the slider's position; the last one is "live"
    bool m_dragging = false;  // the slider was held last frame
    char m_name[64] = "";     // the run's name as being typed
    std::string m_synced_name;
};

// Heights of the status bar and of the timeline strip, for the layout.
float status_bar_height();
float timeline_bar_height();
