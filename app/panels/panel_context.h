// What every panel gets each frame: the one snapshot the frame draws, the trainer's narrow
// port (knobs, commands, view requests), the computed views' requests, images, the message
// log and app-level requests. GUI thread only.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/panels/image_store.h"
#include "app/panels/message_log.h"
#include "app/panels/view_requests.h"
#include "core/run/snapshot.h"
#include "core/trainer/trainer_port.h"

struct PanelContext;
class ConfigChanges;  // app/panels/config_changes.h

// Something that replaces the run on screen while it may hold unsaved training (a lesson
// opening; a rebuild the trainer cannot keep the old run of): the File menu's question
// "Save / Discard / Cancel" comes first when the run is unsaved, then `then` runs (Discard, or
// once the save landed); Cancel drops it.
struct ReplaceRun {
    std::string words;  // what waits, in the question: "opening lesson 01", …
    std::string why;    // a line under it, why the run would be lost ("" for none)
    std::function<void(PanelContext&)> then;
    std::function<void(PanelContext&)> cancelled;  // may be empty
};

// Things a panel may ask of the platform layer, which acts on them after the frame.
struct AppRequests {
    bool screenshot_window = false;
    std::string screenshot_panel;  // a panel's name: save just that panel
    int screenshot_scale = 1;      // 1 or 2
    bool quit = false;             // close the window (File ▸ Quit; the question answered)
    std::optional<ReplaceRun> replace_run;  // asked by RunFiles::draw, after the panels
    // The presenter window (app/presenter.h): the app says whether it shows; View ▸ Presenter
    // window asks to open or close it, and whether it fills a second monitor.
    bool presenter_shown = false;
    bool toggle_presenter = false;
    bool presenter_full_screen = false;
    // File ▸ Record… ("") or a panel's "Record this panel…" (its name): open the record dialog.
    std::optional<std::string> record_dialog_for;
};

inline constexpr float kZoomSteps[] = {0.8f, 0.9f, 1.0f, 1.15f, 1.3f, 1.5f, 1.75f, 2.0f};
// The next zoom step up (+1) or down (−1) from `zoom`, within kZoomSteps.
float next_zoom(float zoom, int direction);

struct UiSettings {
    bool dark_theme = false;
    bool auto_layout = true;
    // The projector zoom: text, spacing and images alike (View ▸ Large text is 1.3; Ctrl + /
    // Ctrl − / Ctrl 0 step through kZoomSteps).
    float zoom = 1.0f;
};

class PanelRegistry;

struct PanelContext {
    const aelab::Snapshot& snapshot;
    aelab::TrainerPort& trainer;
    ViewRequests& views;
    ImageStore& images;
    MessageLog& log;
    AppRequests& requests;
    UiSettings& settings;
    ConfigChanges& changes;  // knob and model changes, and their undo history (the app's)
    PanelRegistry& panels;  // the app's: open flags, objects, layout (app/panels/panels.h)
    double time = 0;  // ImGui::GetTime()
    float fps = 0;
};
