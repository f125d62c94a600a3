// The panels' windows: where each goes (the Controls' column at the left while it is open,
// the others tiled by what they need, app/panels/layout.h, or one maximised over all), their
// titles, and drawing them.
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include <imgui_internal.h>

#include "app/panels/layout.h"
#include "app/panels/panels.h"
#include "app/panels/widgets.h"

using aelab::ModelKind;

namespace {

constexpr float kLeftColumnWidth = 340.0f;  // the Controls, at 100 % zoom

// A window's frame around its content: title bar, padding and border.
ImVec2 window_decoration() {
    const ImGuiStyle& style = ImGui::GetStyle();
    return ImVec2(2 * (style.WindowPadding.x + style.WindowBorderSize),
                  2 * (style.WindowPadding.y + style.WindowBorderSize) + ImGui::GetFrameHeight());
}

// Back to the top: the window and the child windows inside it (a panel's scrolled regions).
void scroll_to_top(ImGuiWindow* window) {
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
        if (w->RootWindow == window) {
            ImGui::SetScrollX(w, 0);
            ImGui::SetScrollY(w, 0);
        }
}

}  // namespace

struct PanelRegistry::Place {
    Panel* panel;
    ImVec2 pos, size;
};

void PanelRegistry::arrange_for_model(const aelab::Snapshot& s) {
    if (s.model.probes.hidden.empty()) return;  // no model yet
    const int code = int(s.model.probes.hidden.back().rows());
    if (!std::exchange(m_rearrange, false) && s.config.model == m_arranged_kind &&
        (code == 2) == (m_arranged_code == 2))
        return;
    const bool vae = s.config.model == ModelKind::Vae;
    find(PanelId::Latent).open = vae || code == 2;
    find(PanelId::PHat).open = !vae;
    find(PanelId::Hidden).open = !vae;
    m_arranged_kind = s.config.model;
    m_arranged_code = code;
}

std::vector<PanelRegistry::Place> PanelRegistry::places(PanelContext& ctx, bool presenter) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float top = viewport->WorkPos.y;  // below the main menu bar
    // The presenter has no status bar or timeline: those stay with the controls.
    const float bottom = viewport->WorkPos.y + viewport->WorkSize.y -
                         (presenter ? 0 : status_bar_height() + timeline_bar_height());
    const layout::Box whole{ImVec2(viewport->WorkPos.x, top),
                            ImVec2(viewport->WorkSize.x, bottom - top)};
    if (m_maximised && (!find(*m_maximised).open || find(*m_maximised).on_presenter))
        m_maximised.reset();  // closed or moved meanwhile
    if (m_maximised && !presenter) return {{&find(*m_maximised), whole.pos, whole.size}};

    std::vector<Place> out;
    float left_width = 0;
    for (Panel& p : m_panels)
        if (p.open && p.left_column && !presenter) {
            left_width = std::floor(kLeftColumnWidth * ctx.settings.zoom);
            out.push_back({&p, whole.pos, ImVec2(left_width, whole.size.y)});
        }
    // The tiled panels share what the Controls leave: all of it when they are closed.
    std::vector<Panel*> tiled;
    std::vector<layout::Need> needs;
    const ImVec2 frame = window_decoration();
    for (Panel& p : m_panels) {
        if (!p.open || p.left_column || p.on_presenter != presenter) continue;
        const PanelNeeds need = p.object->needs(ctx);
        tiled.push_back(&p);
        needs.push_back({ImVec2(need.min.x + frame.x, need.min.y + frame.y), need.weight});
    }
    const layout::Box area{ImVec2(whole.pos.x + left_width, whole.pos.y),
                           ImVec2(whole.size.x - left_width, whole.size.y)};
    // Arranging tries a few thousand slicings: only when what it is given changes.
    std::vector<float> key = {area.pos.x, area.pos.y, area.size.x, area.size.y};
    for (const layout::Need& n : needs) key.insert(key.end(), {n.min.x, n.min.y, n.weight});
    Arrangement& arrangement = m_arrangements[presenter ? 1 : 0];
    if (key != arrangement.key) {
        arrangement.key = std::move(key);
        arrangement.boxes = layout::arrange(needs, area);
    }
    const std::vector<layout::Box>& boxes = arrangement.boxes;
    for (size_t i = 0; i < tiled.size(); ++i)
        out.push_back({tiled[i], boxes[i].pos, boxes[i].size});
    return out;
}

void PanelRegistry::fit_panels(PanelContext& ctx) {
    if (!m_fit_pending || ctx.snapshot.model.probes.input.cols() == 0) return;  // no model yet
    m_fit_pending = false;
    if (find(PanelId::Lesson).open) return;  // the lesson has chosen
    std::string closed;
    for (;;) {
        const std::vector<Place> placed = places(ctx);
        const ImVec2 frame = window_decoration();
        bool all_fit = true;
        Panel* last = nullptr;
        for (const Place& place : placed) {
            if (place.panel->left_column) continue;
            if (place.panel->id != m_kept_open) last = place.panel;
            const PanelNeeds need = place.panel->object->needs(ctx);
            all_fit &=
                layout::served({ImVec2(need.min.x + frame.x, need.min.y + frame.y), need.weight},
                               {place.pos, place.size}) >= 0.999f;
        }
        if (all_fit || !last || placed.size() <= 2) break;
        last->open = false;
        closed += (closed.empty() ? "" : ", ") + std::string(last->name);
    }
    if (!closed.empty())
        ctx.log.add("View: " + closed +
                        " closed: no room for them at this window size and zoom "
                        "(View opens them again)",
                    ctx.time);
}

void PanelRegistry::draw(PanelContext& ctx) {
    arrange_for_model(ctx.snapshot);
    fit_panels(ctx);
    const std::vector<Place> placed = places(ctx);
    if (m_maximised != m_said_maximised) {  // the log says what the window shows now
        if (m_maximised)
            ctx.log.add(std::string("View: ") + find(*m_maximised).name +
                            " fills the window (F11 or a double-click on its title: back)",
                        ctx.time);
        else
            ctx.log.add("View: back to the layout", ctx.time);
        m_said_maximised = m_maximised;
    }
    m_hovered.reset();
    m_focused.reset();
    for (Panel& p : m_panels) {
        if (!p.open || p.on_presenter) continue;
        const auto place = std::find_if(placed.begin(), placed.end(),
                                        [&](const Place& q) { return q.panel == &p; });
        if (place != placed.end()) draw_one(ctx, p, *place);
    }
    // Open panels asked for their views while drawing. Those hidden behind a maximised one
    // keep theirs (a PCA's curves go on); the rest are switched off here.
    if (m_maximised) ctx.views.keep_all();
    ctx.views.flush(ctx.trainer);
}

void PanelRegistry::draw_presenter(PanelContext& ctx) {
    for (const Place& place : places(ctx, /*presenter=*/true))
        draw_one(ctx, *place.panel, place, true);
}

void PanelRegistry::draw_one(PanelContext& ctx, Panel& p, const Place& place, bool presenter) {
    const bool maximised = m_maximised == p.id && !presenter;
    const bool fixed = ctx.settings.auto_layout || maximised;
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoCollapse;
    if (fixed) flags |= ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize;
    const ImGuiCond cond = fixed ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
    ImGui::SetNextWindowPos(place.pos, cond);
    ImGui::SetNextWindowSize(place.size, cond);
    // "###" keeps the window's identity while its title changes.
    char title[256];
    const aelab::Snapshot& s = ctx.snapshot;
    const bool past = p.shows_model && s.timeline.viewing_step >= 0;
    const char* how =
        maximised ? "  — maximised: F11 or a double-click on this title goes back" : "";
    // The panel's own words after its name, asked with the size it is given (laid out by
    // hand: the size it had last frame) and cut to what the title bar leaves beside the name
    // and the close button (a title cut by the window's edge is unreadable).
    const ImVec2 size = fixed || p.last_size.y <= 0 ? place.size : p.last_size;
    std::string detail = p.object ? p.object->title_detail(size) : std::string();
    if (!detail.empty() && !past && !maximised) {
        const ImGuiStyle& style = ImGui::GetStyle();
        const float room = size.x - 2 * style.FramePadding.x - ImGui::GetFontSize() -
                           2 * style.ItemInnerSpacing.x - ImGui::CalcTextSize(p.name).x -
                           ImGui::CalcTextSize(": ").x - 0.5f * ImGui::GetFontSize();
        detail = widgets::fit_text(detail, room);
        if (detail.size() < 8) detail.clear();  // "Deno…" says nothing
    } else {
        detail.clear();
    }
    if (past)
        std::snprintf(title, sizeof title, "%s  (at step %s of %s)%s###%s", p.name,
                      widgets::format_step(s.timeline.viewing_step).c_str(),
                      widgets::format_step(s.progress.step).c_str(), how, p.name);
    else
        std::snprintf(title, sizeof title, "%s%s%s%s###%s", p.name, detail.empty() ? "" : ": ",
                      detail.c_str(), how, p.name);
    // A past model's panels get a title bar in the timeline's colour, focused or not.
    if (past) {
        const ImVec4 past_colour = ImGui::GetStyleColorVec4(ImGuiCol_PlotHistogram);
        ImGui::PushStyleColor(ImGuiCol_TitleBg, past_colour);
        ImGui::PushStyleColor(ImGuiCol_TitleBgActive, past_colour);
    }
    const bool visible = ImGui::Begin(title, &p.open, flags);
    p.last_title.assign(title, std::string_view(title).find("###"));
    if (past) ImGui::PopStyleColor(2);
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    if (std::exchange(p.scroll_to_top, false)) scroll_to_top(window);
    if (!presenter && ImGui::IsWindowHovered(ImGuiHoveredFlags_RootAndChildWindows))
        m_hovered = p.id;
    if (!presenter && ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows))
        m_focused = p.id;
    // The presenter's gesture: a double-click on the title fills the window with this panel.
    if (!presenter && ImGui::IsWindowHovered() &&
        ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left) &&
        window->TitleBarRect().Contains(ImGui::GetIO().MousePos))
        toggle_maximised(p.id);
    // The panel's menu: a right-click on its title (the window's first item).
    if (ImGui::BeginPopupContextItem("panel menu")) {
        if (ImGui::MenuItem("Record this panel…")) ctx.requests.record_dialog_for = p.name;
        if (ImGui::MenuItem("Save this panel as PNG")) ctx.requests.screenshot_panel = p.name;
        ImGui::EndPopup();
    }
    if (visible) {
        m_drawing = true;
        p.object->draw(ctx);
        m_drawing = false;
    }
    p.last_pos = ImGui::GetWindowPos();
    p.last_size = ImGui::GetWindowSize();
    ImGui::End();
}

void draw_panels(PanelContext& ctx) {
    ctx.panels.draw(ctx);
}
