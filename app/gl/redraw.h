// When the window draws a frame. Drawing is the expensive part (~20 ms a frame under a
// software renderer), so a frame is drawn only when something changed: a new snapshot (30 a
// second while training), input (then a few more frames, for hover effects), a message leaving
// the status bar, a resize or a screenshot. GUI thread; no GL or GLFW, so a test can drive it.
#pragma once

#include <cstdint>

class Redraw {
public:
    // What the window sees at the start of a frame.
    struct Now {
        uint64_t snapshot_version = 0;
        bool training = false;
        int width = 0, height = 0;    // the framebuffer
        uint64_t status_version = 0;  // MessageLog::status_version
        bool input = false;           // the pointer moved, a key or button is down, …
        bool capturing = false;       // a screenshot or recording frame is waiting
    };

    // Whether to draw this frame; a drawn frame is noted as the one on screen.
    bool draw(const Now& now);
    // Draw at least the next `frames` frames (a question answered, the layout audit).
    void at_least(int frames);
    // Nothing promised: the loop may sleep until input or the trainer's next publication.
    bool idle() const { return m_frames == 0; }

private:
    int m_frames = 0;  // frames still to draw whatever happens
    uint64_t m_drawn_version = 0, m_drawn_status = 0;
    int m_drawn_width = 0, m_drawn_height = 0;
};
