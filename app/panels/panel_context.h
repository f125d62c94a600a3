// What every panel gets each frame: the one snapshot the frame draws, the trainer's narrow
// port (knobs, commands, view requests), the computed views' requests, images, the message
// log and app-level requests. GUI thread only.
#pragma once

#include <memory>
#include <string>

#include "app/panels/image_store.h"
#include "app/panels/message_log.h"
#include "app/panels/view_requests.h"
#include "core/snapshot.h"
#include "core/trainer_port.h"

// Things a panel may ask of the platform layer, which acts on them after the frame.
struct AppRequests {
    bool screenshot_window = false;
    std::string screenshot_panel;  // a panel's name: save just that panel
    int screenshot_scale = 1;      // 1 or 2
    bool quit = false;             // close the window (File ▸ Quit; the question answered)
};

struct UiSettings {
    bool dark_theme = false;
    bool auto_layout = true;
    float text_scale = 1.0f;
};

struct PanelContext {
    const aelab::Snapshot& snapshot;
    aelab::TrainerPort& trainer;
    ViewRequests& views;
    ImageStore& images;
    MessageLog& log;
    AppRequests& requests;
    UiSettings& settings;
    double time = 0;  // ImGui::GetTime()
    float fps = 0;
};
