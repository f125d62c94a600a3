#include "app/gl/mouse_replay.h"

#include <algorithm>

void MouseReplay::push(const Event& e) {
    m_events.push_back(e);
    if (m_events.size() <= kMaxWaiting) return;
    // ImGui reads the mouse as it is now; the buttons replayed next start from none held.
    m_events.clear();
    std::fill(std::begin(m_down), std::end(m_down), false);
}

void MouseReplay::button(int button, bool pressed, int mods) {
    if (button < 0 || button >= ImGuiMouseButton_COUNT) return;
    push({pressed ? Event::Press : Event::Release, button, mods, m_pointer});
}

void MouseReplay::scrolled(float dx, float dy) {
    // Turns in a row at one place are one turn (a touchpad sends dozens a second).
    if (!m_events.empty() && m_events.back().kind == Event::Scroll &&
        m_events.back().at.x == m_pointer.x && m_events.back().at.y == m_pointer.y) {
        m_events.back().dx += dx;
        m_events.back().dy += dy;
        return;
    }
    push({Event::Scroll, 0, 0, m_pointer, dx, dy});
}

void MouseReplay::apply(ImGuiIO& io) {
    // The backend adds every turn to the wheel as it comes; each is replayed from here instead.
    io.MouseWheel = io.MouseWheelH = 0;
    if (m_events.empty()) return;
    const Event e = m_events.front();
    m_events.pop_front();
    switch (e.kind) {
        case Event::Press: m_down[e.button] = true; break;
        case Event::Release: m_down[e.button] = false; break;
        case Event::Scroll:
            io.MouseWheel = e.dy;
            io.MouseWheelH = e.dx;
            break;
    }
    if (e.at.x != -FLT_MAX) io.MousePos = e.at;
    for (int b = 0; b < ImGuiMouseButton_COUNT; ++b) io.MouseDown[b] = m_down[b];
    if (e.kind == Event::Press) {  // Ctrl+click: the modifiers held at the click
        io.KeyCtrl |= (e.mods & 2) != 0;
        io.KeyShift |= (e.mods & 1) != 0;
        io.KeyAlt |= (e.mods & 4) != 0;
        io.KeySuper |= (e.mods & 8) != 0;
    }
}
