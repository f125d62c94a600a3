#include "app/gl/colormap_images.h"

#include "app/gl/embedded_shaders.h"

aelab::Expected<std::unique_ptr<ColormapImages>> ColormapImages::create() {
    auto program = build_program("colormap", shader_fullscreen_vert, shader_colormap_frag);
    if (!program) return aelab::Error{program.error()};
    auto images = std::unique_ptr<ColormapImages>(new ColormapImages());
    images->m_program = std::move(*program);
    images->m_vertex_array = make_vertex_array();
    const GLuint id = images->m_program.id();
    images->m_lo = glGetUniformLocation(id, "lo");
    images->m_hi = glGetUniformLocation(id, "hi");
    images->m_colormap = glGetUniformLocation(id, "colormap");
    images->m_values = glGetUniformLocation(id, "values");
    return images;
}

ImTextureID ColormapImages::image(const char* key, uint64_t version,
                                  const std::function<ImageRequest()>& make) {
    auto [entry, inserted] = m_entries.use(key, ImGui::GetFrameCount());
    if (inserted || entry.version != version) {
        const ImageRequest request = make();
        if (request.width > 0 && request.height > 0 && request.pixels) upload(entry, request);
        entry.version = version;
    }
    return (ImTextureID)(intptr_t)entry.colors.id();
}

void ColormapImages::upload(Entry& e, const ImageRequest& r) {
    // ImGui's renderer sets its own state, but the framebuffer and viewport it draws into
    // are ours to leave as we found them.
    GLint previous_framebuffer = 0, previous_program = 0, previous_texture = 0, viewport[4];
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &previous_framebuffer);
    glGetIntegerv(GL_CURRENT_PROGRAM, &previous_program);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous_texture);
    glGetIntegerv(GL_VIEWPORT, viewport);

    const bool resized = e.width != r.width || e.height != r.height || !e.values.id();
    if (resized) {
        e.values = make_texture();
        e.colors = make_texture();
        e.framebuffer = make_framebuffer();
        e.width = r.width;
        e.height = r.height;
        glBindTexture(GL_TEXTURE_2D, e.values.id());
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, r.width, r.height, 0, GL_RED, GL_FLOAT, nullptr);
        glBindTexture(GL_TEXTURE_2D, e.colors.id());
        // Pixels stay crisp when magnified; minified maps (1000 units in 400 px) average.
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, r.width, r.height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     nullptr);
        glBindFramebuffer(GL_FRAMEBUFFER, e.framebuffer.id());
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, e.colors.id(),
                               0);
    }

    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, e.values.id());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, r.width, r.height, GL_RED, GL_FLOAT, r.pixels);

    glBindFramebuffer(GL_FRAMEBUFFER, e.framebuffer.id());
    glViewport(0, 0, r.width, r.height);
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    glUseProgram(m_program.id());
    glUniform1f(m_lo, r.lo);
    glUniform1f(m_hi, r.hi);
    glUniform1i(m_colormap, int(r.colormap));
    glUniform1i(m_values, 0);
    glBindVertexArray(m_vertex_array.id());
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glBindVertexArray(0);

    glBindFramebuffer(GL_FRAMEBUFFER, previous_framebuffer);
    glUseProgram(previous_program);
    glBindTexture(GL_TEXTURE_2D, previous_texture);
    glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
}
