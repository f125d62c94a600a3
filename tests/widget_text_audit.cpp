#include "tests/widget_text_audit.h"

#include <algorithm>
#include <cstring>
#include <string>

#include <imgui.h>
#include <imgui_internal.h>

#include "app/plot/context_state.h"

namespace {

// What is recorded, held by the ImGui context (no file-level state): the wrapped calls reach
// it through the context they draw in.
struct Recorder {
    bool recording = false;
    std::vector<ClippedText> cut;
};
Recorder& recorder() {
    constexpr ImGuiID kOwner = 0x77746175;  // "wtau"
    return plot::detail::context_state<Recorder>(kOwner);
}

// `text` drawn from `pos`, `size` as ImGui measures it, cut to [clip_min, clip_max]: cut
// sideways while its line is wholly visible vertically (text cut at the top or bottom is
// what scrolling does). A pixel's grace, as find_clipped_text() gives.
void check(ImVec2 pos, ImVec2 size, ImVec2 clip_min, ImVec2 clip_max, const char* text,
           const char* end) {
    Recorder& r = recorder();
    if (!r.recording || size.x <= 0) return;
    const float line = ImGui::GetTextLineHeight();
    // Only where the window shows it: its draw list's clip rectangle.
    const ImVec2 shown_min = ImGui::GetWindowDrawList()->GetClipRectMin();
    const ImVec2 shown_max = ImGui::GetWindowDrawList()->GetClipRectMax();
    const float top = std::max(clip_min.y, shown_min.y), bottom = std::min(clip_max.y, shown_max.y);
    if (pos.y < top - 1 || pos.y + line > bottom + 1) return;
    const float left = std::max(clip_min.x, shown_min.x), right = std::min(clip_max.x, shown_max.x);
    if (pos.x >= left - 1 && pos.x + size.x <= right + 1) return;
    const std::string window = ImGui::GetCurrentWindow()->Name;  // less any "###id"
    ClippedText found{window.substr(0, window.find("###")), std::string(text, end)};
    const auto same = [&](const ClippedText& c) { return c.window == found.window && c.line == found.line; };
    if (std::none_of(r.cut.begin(), r.cut.end(), same)) r.cut.push_back(found);
}

}  // namespace

namespace widget_text_audit {

void start() {
    recorder().cut.clear();
    recorder().recording = true;
}

std::vector<ClippedText> stop() {
    recorder().recording = false;
    return std::move(recorder().cut);
}

}  // namespace widget_text_audit

// The wrapped calls: the linker sends imgui_widgets.cpp's calls here, and __real_ is ImGui's.
extern "C" {
void __real__ZN5ImGui17RenderTextClippedERK6ImVec2S2_PKcS4_PS1_S2_PK6ImRect(
    const ImVec2& pos_min, const ImVec2& pos_max, const char* text, const char* text_end,
    const ImVec2* text_size_if_known, const ImVec2& align, const ImRect* clip_rect);
void __real__ZN5ImGui10RenderTextE6ImVec2PKcS2_b(ImVec2 pos, const char* text,
                                                 const char* text_end, bool hide_after_hash);

// ImGui::RenderTextClipped: the label starts at pos_min (further in when it is aligned and
// fits) and is cut to clip_rect, or to pos_max without one.
void __wrap__ZN5ImGui17RenderTextClippedERK6ImVec2S2_PKcS4_PS1_S2_PK6ImRect(
    const ImVec2& pos_min, const ImVec2& pos_max, const char* text, const char* text_end,
    const ImVec2* text_size_if_known, const ImVec2& align, const ImRect* clip_rect) {
    const char* end = ImGui::FindRenderedTextEnd(text, text_end);
    if (end > text) {
        const ImVec2 size = text_size_if_known ? *text_size_if_known
                                               : ImGui::CalcTextSize(text, end, false, 0.0f);
        check(pos_min, size, clip_rect ? clip_rect->Min : pos_min,
              clip_rect ? clip_rect->Max : pos_max, text, end);
    }
    __real__ZN5ImGui17RenderTextClippedERK6ImVec2S2_PKcS4_PS1_S2_PK6ImRect(
        pos_min, pos_max, text, text_end, text_size_if_known, align, clip_rect);
}

void __real__ZN5ImGui17RenderTextWrappedE6ImVec2PKcS2_f(ImVec2 pos, const char* text,
                                                        const char* text_end, float wrap_width);

// ImGui::RenderTextWrapped (every Text item): drawn at pos, wrapped at wrap_width when it is
// above 0, cut only by the window's clip rectangle.
void __wrap__ZN5ImGui17RenderTextWrappedE6ImVec2PKcS2_f(ImVec2 pos, const char* text,
                                                        const char* text_end, float wrap_width) {
    const char* end = text_end ? text_end : text + strlen(text);
    if (end > text) {
        const ImVec2 size = ImGui::CalcTextSize(text, end, false, wrap_width);
        check(pos, size, ImVec2(-1e30f, -1e30f), ImVec2(1e30f, 1e30f), text, end);
    }
    __real__ZN5ImGui17RenderTextWrappedE6ImVec2PKcS2_f(pos, text, text_end, wrap_width);
}

// ImGui::RenderText (labels beside widgets, menu items): drawn at pos, cut only by the
// window's clip rectangle.
void __wrap__ZN5ImGui10RenderTextE6ImVec2PKcS2_b(ImVec2 pos, const char* text,
                                                 const char* text_end, bool hide_after_hash) {
    const char* end = hide_after_hash ? ImGui::FindRenderedTextEnd(text, text_end)
                                      : text_end ? text_end : text + strlen(text);
    if (end > text) {
        const ImVec2 size = ImGui::CalcTextSize(text, end, false, 0.0f);
        check(pos, size, ImVec2(-1e30f, -1e30f), ImVec2(1e30f, 1e30f), text, end);
    }
    __real__ZN5ImGui10RenderTextE6ImVec2PKcS2_b(pos, text, text_end, hide_after_hash);
}
}
