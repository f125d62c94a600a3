// ImageStore on OpenGL: float pixels go up as an R32F texture, and a colormap shader
// renders them once into an RGBA texture that ImGui draws. GUI thread only.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "app/gl/gl_objects.h"
#include "app/panels/image_store.h"

class ColormapImages : public ImageStore {
public:
    static aelab::Expected<std::unique_ptr<ColormapImages>> create();

    ImTextureID image(const char* key, uint64_t version,
                      const std::function<ImageRequest()>& make) override;

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
    std::unordered_map<std::string, Entry> m_entries;
};
