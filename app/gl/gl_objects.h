// Owners of OpenGL objects (texture, framebuffer, program, vertex array) that delete them
// when they go. GUI thread only: the thread that holds the GL context.
#pragma once

#include <epoxy/gl.h>

#include <string>
#include <utility>

#include "core/base/expected.h"

template <void (*Delete)(GLuint)>
class GlHandle {
public:
    GlHandle() = default;
    explicit GlHandle(GLuint id) : m_id(id) {}
    ~GlHandle() { reset(); }
    GlHandle(GlHandle&& other) noexcept : m_id(std::exchange(other.m_id, 0)) {}
    GlHandle& operator=(GlHandle&& other) noexcept {
        if (this != &other) {
            reset();
            m_id = std::exchange(other.m_id, 0);
        }
        return *this;
    }
    GlHandle(const GlHandle&) = delete;
    GlHandle& operator=(const GlHandle&) = delete;

    GLuint id() const { return m_id; }
    void reset() {
        if (m_id) Delete(m_id);
        m_id = 0;
    }

private:
    GLuint m_id = 0;
};

namespace gl_detail {
inline void delete_texture(GLuint id) {
    glDeleteTextures(1, &id);
}
inline void delete_framebuffer(GLuint id) {
    glDeleteFramebuffers(1, &id);
}
inline void delete_vertex_array(GLuint id) {
    glDeleteVertexArrays(1, &id);
}
inline void delete_program(GLuint id) {
    glDeleteProgram(id);
}
}  // namespace gl_detail

using GlTexture = GlHandle<gl_detail::delete_texture>;
using GlFramebuffer = GlHandle<gl_detail::delete_framebuffer>;
using GlVertexArray = GlHandle<gl_detail::delete_vertex_array>;
using GlProgram = GlHandle<gl_detail::delete_program>;

GlTexture make_texture();
GlFramebuffer make_framebuffer();
GlVertexArray make_vertex_array();
// Compiles and links; the error carries the driver's log and the shader's name.
aelab::Expected<GlProgram> build_program(const char* name, const char* vertex_source,
                                         const char* fragment_source);
