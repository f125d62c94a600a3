// Panel registry, View/Export menus and the automatic tiling of the panel windows.
#include "app/panels/panels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace {

constexpr float kLeftColumnWidth = 340.0f;

// The area the tiled panels share: right of the controls, between the menu and status bars.
struct Area {
    ImVec2 pos, size;
};

void tile(std::vector<Panel*>& panels, Area area, std::vector<Area>& out) {
    const int k = int(panels.size());
    out.assign(k, {});
    if (k == 0) return;
    const int cols = k <= 2 ? k : (k <= 4 ? 2 : 3);
    const int rows = (k + cols - 1) / cols;
    const float h = area.size.y / rows;
    for (int r = 0, i = 0; r < rows; ++r) {
        const int in_row = std::min(cols, k - r * cols);  // the last row may be shorter: widen
        const float w = area.size.x / in_row;
        for (int c = 0; c < in_row; ++c, ++i)
            out[i] = {ImVec2(area.pos.x + c * w, area.pos.y + r * h), ImVec2(w, h)};
    }
}

}  // namespace

std::vector<Panel>& panel_registry() {
    static std::vector<Panel> panels = {
        {"Controls", true, draw_controls_panel, true},
        // Tiled in this order, three to a row; the last row's panels get the extra width.
        {"Loss curves", true, draw_loss_panel},
        {"Reconstructions", true, draw_reconstructions_panel},
        {"Filters", true, draw_filters_panel},
        {"Hidden activations", true, draw_hidden_panel},
        {"Average activation", true, draw_p_hat_panel},
        {"Contractive", false, draw_contractive_panel},
        {"Messages", false, draw_messages_panel},
    };
    return panels;
}

Panel* find_panel(const char* name) {
    for (Panel& p : panel_registry())
        if (std::strcmp(p.name, name) == 0) return &p;
    return nullptr;
}

void draw_main_menu(PanelContext& ctx) {
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu("View")) {
        for (Panel& p : panel_registry()) ImGui::MenuItem(p.name, nullptr, &p.open);
        ImGui::Separator();
        ImGui::MenuItem("Automatic layout", nullptr, &ctx.settings.auto_layout);
        ImGui::MenuItem("Dark theme", nullptr, &ctx.settings.dark_theme);
        bool large = ctx.settings.text_scale > 1.0f;
        if (ImGui::MenuItem("Large text (projector)", nullptr, &large))
            ctx.settings.text_scale = large ? 1.3f : 1.0f;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Export")) {
        if (ImGui::MenuItem("Save window as PNG", "F12")) ctx.requests.screenshot_window = true;
        if (ImGui::BeginMenu("Save one panel as PNG")) {
            for (Panel& p : panel_registry())
                if (p.open && ImGui::MenuItem(p.name)) ctx.requests.screenshot_panel = p.name;
            ImGui::EndMenu();
        }
        ImGui::Separator();
        if (ImGui::RadioButton("1× scale", ctx.requests.screenshot_scale == 1))
            ctx.requests.screenshot_scale = 1;
        if (ImGui::RadioButton("2× scale (sharper slides)", ctx.requests.screenshot_scale == 2))
            ctx.requests.screenshot_scale = 2;
        ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
}

void draw_panels(PanelContext& ctx) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float top = viewport->WorkPos.y;  // below the main menu bar
    const float bottom = viewport->WorkPos.y + viewport->WorkSize.y - status_bar_height();
    const float left_width = kLeftColumnWidth * ctx.settings.text_scale;

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
        if (ImGui::Begin(p.name, &p.open, flags)) p.draw(ctx);
        p.last_pos = ImGui::GetWindowPos();
        p.last_size = ImGui::GetWindowSize();
        ImGui::End();
    }
}
