#include "app/gl/gl_objects.h"

#include <vector>

GlTexture make_texture() {
    GLuint id = 0;
    glGenTextures(1, &id);
    return GlTexture(id);
}

GlFramebuffer make_framebuffer() {
    GLuint id = 0;
    glGenFramebuffers(1, &id);
    return GlFramebuffer(id);
}

GlVertexArray make_vertex_array() {
    GLuint id = 0;
    glGenVertexArrays(1, &id);
    return GlVertexArray(id);
}

namespace {
std::string shader_log(GLuint shader) {
    GLint length = 0;
    glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
    std::vector<char> text(std::max(1, length));
    glGetShaderInfoLog(shader, length, nullptr, text.data());
    return text.data();
}

GLuint compile(GLenum kind, const char* source, std::string& error) {
    const GLuint shader = glCreateShader(kind);
    glShaderSource(shader, 1, &source, nullptr);
    glCompileShader(shader);
    GLint ok = 0;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        error = shader_log(shader);
        glDeleteShader(shader);
        return 0;
    }
    return shader;
}
}  // namespace

aelab::Expected<GlProgram> build_program(const char* name, const char* vertex_source,
                                         const char* fragment_source) {
    std::string error;
    const GLuint vs = compile(GL_VERTEX_SHADER, vertex_source, error);
    if (!vs) return aelab::Error{std::string(name) + ": vertex shader: " + error};
    const GLuint fs = compile(GL_FRAGMENT_SHADER, fragment_source, error);
    if (!fs) {
        glDeleteShader(vs);
        return aelab::Error{std::string(name) + ": fragment shader: " + error};
    }
    GlProgram program(glCreateProgram());
    glAttachShader(program.id(), vs);
    glAttachShader(program.id(), fs);
    glLinkProgram(program.id());
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(program.id(), GL_LINK_STATUS, &ok);
    if (!ok) {
        GLint length = 0;
        glGetProgramiv(program.id(), GL_INFO_LOG_LENGTH, &length);
        std::vector<char> text(std::max(1, length));
        glGetProgramInfoLog(program.id(), length, nullptr, text.data());
        return aelab::Error{std::string(name) + ": link: " + text.data()};
    }
    return program;
}
