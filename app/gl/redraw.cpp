#include "app/gl/redraw.h"

#include <algorithm>

bool Redraw::draw(const Now& now) {
    if (now.input) at_least(3);
    if (now.status_version != m_drawn_status) {  // a message left the status bar: a change
        m_drawn_status = now.status_version;
        at_least(1);
    }
    const bool news = now.snapshot_version != m_drawn_version || now.width != m_drawn_width ||
                      now.height != m_drawn_height;
    // ImGui places some things from the frame before (the panels' top below the menu bar is
    // known a frame late; an auto-sized window fits a frame late): a frame drawn for news is
    // followed by one more, or a still window would keep a half-placed picture (the first
    // frame, panels over the menu bar, stayed on screen while a slow machine loaded the data).
    // While training the next snapshot is the next frame anyway.
    if (news && !now.training) at_least(2);
    if (!news && m_frames == 0 && !now.capturing) return false;
    if (m_frames > 0) --m_frames;
    m_drawn_version = now.snapshot_version;
    m_drawn_width = now.width;
    m_drawn_height = now.height;
    return true;
}

void Redraw::at_least(int frames) {
    m_frames = std::max(m_frames, frames);
}
