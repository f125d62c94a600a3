// Reading rendered pixels back and saving them as PNG without ever leaving a partial file.
// read_pixels and OffscreenTarget: GUI thread (GL); encode_and_save: any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/gl/gl_objects.h"
#include "core/expected.h"

struct Pixels {
    int width = 0, height = 0;
    std::vector<uint8_t> rgba;  // rows top to bottom
};

// The rectangle (x, y from the top-left, in framebuffer pixels) of the bound read
// framebuffer, whose height is framebuffer_height; rows are flipped to top-down.
Pixels read_pixels(int x, int y, int width, int height, int framebuffer_height);

// PNG-encodes and writes through a temporary file and a rename.
std::optional<aelab::Error> encode_and_save(const std::string& path, const Pixels& pixels);

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
