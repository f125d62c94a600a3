// Reading rendered pixels back (saved as PNG by core/image_grid's write_png, atomically).
// GUI thread (GL).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/gl/gl_objects.h"
#include "core/files/image_grid.h"

// The rectangle (x, y from the top-left, in framebuffer pixels) of the bound read
// framebuffer, whose height is framebuffer_height; rows are flipped to top-down, opaque.
aelab::RgbaImage read_pixels(int x, int y, int width, int height, int framebuffer_height);

// A framebuffer of a given size to render a frame into (for 2× screenshots).
class OffscreenTarget {
public:
    void bind(int width, int height);  // (re)creates at that size, binds for drawing and reading
    static void unbind();

private:
    int m_width = 0, m_height = 0;
    GlTexture m_color;
    GlFramebuffer m_framebuffer;
};
