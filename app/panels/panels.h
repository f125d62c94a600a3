// The panel registry: every panel's name, open flag and draw function in one table, which
// builds the View menu, lays the windows out and does Begin/End in one place (the shape of
// imgui_demo's ShowDemoWindow). The app owns one PanelRegistry; panels reach it through their
// PanelContext. GUI thread only.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/panels/layout.h"
#include "app/panels/panel_context.h"
#include "core/config/config.h"

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

// What a panel's content needs of the layout (app/panels/layout.h): the smallest size at
// which it is readable — every image tile at least kMinTile, every plot's rectangle at least
// plot::kMinPlotWidth × kMinPlotHeight, no text cut — and its share of any space beyond.
// Pixels at the zoom in use, without the window's title bar and padding.
struct PanelNeeds {
    ImVec2 min{200, 120};
    float weight = 1;
};
// The smallest image tile (one picture) a panel shows, on its short side, at any zoom.
inline constexpr float kMinTile = 48;

// What a panel draws, with the state it keeps between frames (the shape of imgui_demo's
// ExampleAppLog). The registry owns one object per panel; reset_panels replaces them, so no
// selection, page or cache outlives a lesson or a new run.
struct PanelObject {
    virtual ~PanelObject() = default;
    virtual void draw(PanelContext& ctx) = 0;
    // What its content needs, from the snapshot the frame draws (ImGui's fonts are set).
    virtual PanelNeeds needs(const PanelContext&) const { return {}; }
    // Words for its title bar after its name ("Lesson: Denoising autoencoders"), "" for
    // none; asked before each draw, with the size its window is given.
    virtual std::string title_detail(ImVec2 /*window_size*/) { return {}; }
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
    bool scroll_to_top = false;  // reset(): its window and children, when next drawn
    // Shown in the presenter window (app/presenter.h) instead of the main one: a panel lives
    // in one window at a time, so its object is never drawn from two ImGui contexts.
    bool on_presenter = false;
    // Where the panel was drawn last frame (screen pixels), for per-panel screenshots.
    ImVec2 last_pos{}, last_size{};
    std::string last_title;  // its title bar's words, as last drawn
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
// The Lessons menu (lesson_panel.cpp), and the lesson --lesson opens the window with (at
// `step`, counted from 0).
void draw_lessons_menu(PanelContext& ctx);
namespace aelab { struct Lesson; }
void start_with_lesson(std::shared_ptr<const aelab::Lesson> lesson, PanelRegistry& panels, int step = 0);
// Opens step `step` of the open lesson, as its Next and Previous buttons do (a rebuild or a
// change of live knobs); false when no lesson is open or it has no such step.
bool go_to_lesson_step(PanelContext& ctx, int step);
// The open lesson's step, counted from 0, and its number of steps (0 when none is open).
// The open lesson is the Lesson panel object's, so a reset() closes it.
int lesson_step(PanelRegistry& panels);
int lesson_steps(PanelRegistry& panels);
// The open lesson's panels for its step, again on the next frame (View ▸ Default layout).
void relayout_lesson(PanelRegistry& panels);

// Whether a panel may go to the presenter window: the main window keeps the Controls, the
// lesson's text and the messages.
bool presentable(const Panel& panel);
// Moves a panel to the presenter (opening it) or back to the main window, and logs it.
void show_on_presenter(PanelContext& ctx, Panel& panel, bool on_presenter);
// The panels' menu of either window: each presentable panel, ticked where it is on the
// presenter; choosing one moves it to the other window.
void draw_presenter_panel_items(PanelContext& ctx);

// Every panel's name, in the registry's order (the command line checks names against it).
std::vector<const char*> panel_names();

class PanelRegistry {
public:
    PanelRegistry();  // every panel, with a fresh object, open or closed as at launch

    std::vector<Panel>& panels() { return m_panels; }
    Panel& find(PanelId id);
    Panel* find_named(const char* name);  // null when none
    // Every panel's object replaced by a fresh one (a lesson opening, File ▸ New): pages,
    // selections and caches start again, every panel window scrolls back to its top and the
    // plots forget pans, zooms and hidden lines. The open flags stay.
    void reset();
    // View settings a lesson's try button may set (core/lessons/lesson.h, view_setting_names),
    // routed by their id to the panel object that owns one.
    std::optional<double> view_setting(aelab::ViewSetting setting) const;
    void set_view_setting(aelab::ViewSetting setting, double value);

    // View ▸ Default layout: the panels open as at launch, laid out automatically, none
    // maximised, and the Controls' groups unfolded.
    void default_layout(UiSettings& settings);
    // How many times Default layout was chosen: a panel with folds of its own unfolds them
    // when it sees this change.
    uint64_t layout_resets() const { return m_layout_resets; }
    // The presenter's gesture: one panel takes the whole window (double-click its title, or
    // F11 over it), and the same again brings the layout back.
    void toggle_maximised(PanelId id);
    void restore();  // nothing maximised
    // F11: the panel under the mouse, else the focused one (last frame's), is maximised; or
    // the maximised one is restored.
    void toggle_maximised_here();
    std::optional<PanelId> maximised() const { return m_maximised; }
    // At launch and after Default layout, once there is a model: where the window (at its
    // size and zoom) has no room for every panel open at launch, the last ones close, and
    // the log says which (View opens them again). Not while a lesson arranges the panels.
    void fit_to_window(bool fit) { m_fit_pending = fit; }
    // A panel the fit keeps open (the one --screenshot-panel asks for).
    void keep_open(PanelId id) { m_kept_open = id; }

    // Draws every open panel of the main window in its place (or the maximised one alone),
    // then sends the computed views' requests (ctx.views) to the trainer.
    void draw(PanelContext& ctx);
    // Draws the open panels on the presenter, tiled over the current ImGui context's
    // window. Sends nothing: the main window's draw, after it, sends every request.
    void draw_presenter(PanelContext& ctx);

private:
    void arrange_for_model(const aelab::Snapshot& s);
    void fit_panels(PanelContext& ctx);
    struct Place;
    std::vector<Place> places(PanelContext& ctx, bool presenter = false);
    void draw_one(PanelContext& ctx, Panel& p, const Place& place, bool presenter = false);

    std::vector<Panel> m_panels;
    // Which panels a kind of model starts with: the VAE's latent space replaces the p̂ bars
    // and the heat map (its code is μ and log σ²); a 2-unit autoencoder code gets a plane too.
    // Applied when the kind of model changes, so the user's own choices stand otherwise.
    aelab::ModelKind m_arranged_kind = aelab::ModelKind::Autoencoder;
    int m_arranged_code = -1;
    bool m_rearrange = false;  // arrange for the model on the next frame, whatever it is
    bool m_fit_pending = true;  // fit_to_window
    uint64_t m_layout_resets = 0;
    std::optional<PanelId> m_kept_open;  // keep_open
    bool m_drawing = false;  // a panel's draw must not replace the object it runs in
    std::optional<PanelId> m_maximised, m_said_maximised;  // and what the log said last
    std::optional<PanelId> m_hovered, m_focused;  // last frame's, for F11
    // The last arrangement, and what it was made for (the area, each tiled panel's needs):
    // one for the main window, one for the presenter's.
    struct Arrangement {
        std::vector<float> key;
        std::vector<layout::Box> boxes;
    };
    Arrangement m_arrangements[2];
};

// The light or dark theme of settings.dark_theme (call once a frame, before drawing).
void apply_theme(const UiSettings& settings);

// Main menu bar (View, Export), the panels, and the status bar along the bottom. draw_panels
// (ctx.panels.draw) ends by sending the computed views' requests (ctx.views) to the trainer.
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
    void draw_guide(PanelRegistry& panels);
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
