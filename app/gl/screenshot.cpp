#include "app/gl/screenshot.h"

#include <algorithm>
#include <cstring>


aelab::RgbaImage read_pixels(int x, int y, int width, int height, int framebuffer_height) {
    aelab::RgbaImage p;
    p.width = std::max(0, width);
    p.height = std::max(0, height);
    p.rgba.resize(size_t(p.width) * p.height * 4);
    if (p.rgba.empty()) return p;
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    // GL rows run bottom-up: read the rectangle, then flip it.
    glReadPixels(x, framebuffer_height - y - height, width, height, GL_RGBA, GL_UNSIGNED_BYTE,
                 p.rgba.data());
    const size_t row = size_t(width) * 4;
    std::vector<uint8_t> swap(row);
    for (int r = 0; r < height / 2; ++r) {
        uint8_t* a = p.rgba.data() + r * row;
        uint8_t* b = p.rgba.data() + (height - 1 - r) * row;
        std::memcpy(swap.data(), a, row);
        std::memcpy(a, b, row);
        std::memcpy(b, swap.data(), row);
    }
    for (size_t i = 3; i < p.rgba.size(); i += 4) p.rgba[i] = 255;  // opaque for slides
    return p;
}

void OffscreenTarget::bind(int width, int height) {
    if (width != m_width || height != m_height || !m_framebuffer.id()) {
        m_color = make_texture();
        m_framebuffer = make_framebuffer();
        glBindTexture(GL_TEXTURE_2D, m_color.id());
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     nullptr);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glBindFramebuffer(GL_FRAMEBUFFER, m_framebuffer.id());
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_color.id(),
                               0);
        m_width = width;
        m_height = height;
    }
    glBindFramebuffer(GL_FRAMEBUFFER, m_framebuffer.id());
}

void OffscreenTarget::unbind() {
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}
