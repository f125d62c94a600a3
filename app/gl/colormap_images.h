// ImageStore on OpenGL: float pixels go up as an R32F texture, and a colormap shader
// renders them once into an RGBA texture that ImGui draws. GUI thread only.
#pragma once

#include <memory>
#include <string>

#include "app/gl/gl_objects.h"
#include "app/panels/image_cache.h"
#include "app/panels/image_store.h"

class ColormapImages : public ImageStore {
public:
    static aelab::Expected<std::unique_ptr<ColormapImages>> create();

    ImTextureID image(const char* key, uint64_t version,
                      const std::function<ImageRequest()>& make) override;
    // Frees the textures of images not shown in the last kKeepFrames frames (a closed
    // panel's); call once a frame, after the panels drew.
    void end_frame(int frame) { m_entries.sweep(frame); }
    size_t entries() const { return m_entries.size(); }

    // ~2 s at 60 frames a second, longer when idle: a panel toggled back soon keeps its images.
    static constexpr int kKeepFrames = 120;

private:
    struct Entry {
        uint64_t version = 0;
        int width = 0, height = 0;
        GlTexture values, colors;
        GlFramebuffer framebuffer;
    };
    void upload(Entry& entry, const ImageRequest& request);

    GlProgram m_program;
    GlVertexArray m_vertex_array;
    GLint m_lo = -1, m_hi = -1, m_colormap = -1, m_values = -1;
    FrameCache<Entry> m_entries{kKeepFrames};
};
