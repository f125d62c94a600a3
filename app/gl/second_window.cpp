#include "app/gl/second_window.h"

#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <cfloat>

namespace {

// Runs an ImGui backend callback with this window's ImGui context current, then gives the
// context back: GLFW delivers every window's events inside the first window's frame loop.
template <class F>
void with_context(ImGuiContext* context, F&& call) {
    ImGuiContext* previous = ImGui::GetCurrentContext();
    ImGui::SetCurrentContext(context);
    call();
    ImGui::SetCurrentContext(previous);
}

}  // namespace

std::vector<MonitorInfo> glfw_monitors() {
    int count = 0;
    GLFWmonitor** monitors = glfwGetMonitors(&count);
    GLFWmonitor* primary = glfwGetPrimaryMonitor();
    std::vector<MonitorInfo> list;
    for (int i = 0; i < count && monitors; ++i) {
        MonitorInfo m;
        const char* name = glfwGetMonitorName(monitors[i]);
        m.name = name ? name : "monitor " + std::to_string(i + 1);
        glfwGetMonitorPos(monitors[i], &m.x, &m.y);
        if (const GLFWvidmode* mode = glfwGetVideoMode(monitors[i]))
            m.width = mode->width, m.height = mode->height;
        m.primary = monitors[i] == primary;
        list.push_back(m);
    }
    return list;
}

ScreenRect window_rect(const Window& window) {
    ScreenRect r;
    glfwGetWindowPos(window.handle(), &r.x, &r.y);
    glfwGetWindowSize(window.handle(), &r.width, &r.height);
    return r;
}

aelab::Expected<std::unique_ptr<SecondWindow>> SecondWindow::open(Window& first,
                                                                  const PresenterPlace& place,
                                                                  const char* title) {
    int count = 0;
    GLFWmonitor** monitors = glfwGetMonitors(&count);
    GLFWmonitor* monitor = place.full_screen && place.monitor >= 0 && place.monitor < count
                               ? monitors[place.monitor]
                               : nullptr;
    std::unique_ptr<SecondWindow> second(new SecondWindow(first));
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);  // shown once in its place
    second->m_window =
        glfwCreateWindow(place.rect.width, place.rect.height, title, monitor, first.handle());
    glfwWindowHint(GLFW_VISIBLE, GLFW_TRUE);
    if (!second->m_window) {
        first.make_current();
        return aelab::Error{"cannot open the presenter window (" + glfw_last_error() + ")"};
    }
    if (!monitor) glfwSetWindowPos(second->m_window, place.rect.x, place.rect.y);
    glfwShowWindow(second->m_window);
    glfwMakeContextCurrent(second->m_window);
    glfwSwapInterval(0);  // the first window's swap paces the loop: two would halve it
    second->m_imgui = ImGui::CreateContext(ImGui::GetIO().Fonts);  // the first's atlas
    ImGui::SetCurrentContext(second->m_imgui);
    ImGui::GetIO().IniFilename = nullptr;
    ImGui_ImplGlfw_InitForOpenGL(second->m_window, /*install_callbacks=*/false);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    second->m_backends_ready = true;
    glfwSetWindowUserPointer(second->m_window, second.get());
    install_callbacks(second->m_window);
    first.make_current();
    return second;
}

void SecondWindow::install_callbacks(GLFWwindow* window) {
    // The pointer, buttons and wheel also go to its mouse replay, as the first window's: a
    // menu item clicked and the pointer moved on within one frame is still that item's click.
    glfwSetCursorPosCallback(
        window, [](GLFWwindow* w, double x, double y) { of(w).m_mouse.moved(float(x), float(y)); });
    glfwSetMouseButtonCallback(window, [](GLFWwindow* w, int button, int action, int mods) {
        of(w).m_mouse.button(button, action == GLFW_PRESS, mods);
        with_context(of(w).m_imgui,
                     [&] { ImGui_ImplGlfw_MouseButtonCallback(w, button, action, mods); });
    });
    glfwSetScrollCallback(window, [](GLFWwindow* w, double x, double y) {
        of(w).m_mouse.scrolled(float(x), float(y));
        with_context(of(w).m_imgui, [&] { ImGui_ImplGlfw_ScrollCallback(w, x, y); });
    });
    glfwSetKeyCallback(window, [](GLFWwindow* w, int key, int scancode, int action, int mods) {
        with_context(of(w).m_imgui,
                     [&] { ImGui_ImplGlfw_KeyCallback(w, key, scancode, action, mods); });
    });
    glfwSetCharCallback(window, [](GLFWwindow* w, unsigned int c) {
        with_context(of(w).m_imgui, [&] { ImGui_ImplGlfw_CharCallback(w, c); });
    });
    glfwSetWindowFocusCallback(window, [](GLFWwindow* w, int focused) {
        with_context(of(w).m_imgui, [&] { ImGui_ImplGlfw_WindowFocusCallback(w, focused); });
    });
    glfwSetCursorEnterCallback(window, [](GLFWwindow* w, int entered) {
        with_context(of(w).m_imgui, [&] { ImGui_ImplGlfw_CursorEnterCallback(w, entered); });
    });
}

SecondWindow::~SecondWindow() {
    if (m_backends_ready) {
        make_current();
        // Its renderer's shutdown deletes its own copy of the font texture and clears the
        // shared atlas's texture id: the first window's stays the atlas's.
        ImFontAtlas* atlas = ImGui::GetIO().Fonts;
        const ImTextureID first_texture = atlas->TexID;
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext(m_imgui);
        atlas->SetTexID(first_texture);
    }
    if (m_window) glfwDestroyWindow(m_window);
    m_first.make_current();
}

void SecondWindow::make_current() const {
    glfwMakeContextCurrent(m_window);
    ImGui::SetCurrentContext(m_imgui);
}

bool SecondWindow::should_close() const {
    return glfwWindowShouldClose(m_window);
}

void SecondWindow::new_frame(float text_scale, const std::function<bool(ImVec2)>& hide_pointer) {
    ImGuiIO& io = ImGui::GetIO();
    // The shared atlas holds the first window's text size and twice it: the larger one,
    // scaled down to this window's size, stays crisp up to twice the first window's zoom.
    io.FontDefault = m_first.font(/*crisp_2x=*/true);
    io.FontGlobalScale = text_scale / (2 * m_first.built_text_scale());
    // Its renderer builds its own font texture on the first frame and points the shared
    // atlas at it; the atlas keeps pointing at the first window's, which follows a rebuild.
    const ImTextureID first_texture = io.Fonts->TexID;
    ImGui_ImplOpenGL3_NewFrame();
    io.Fonts->SetTexID(first_texture);
    ImGui_ImplGlfw_NewFrame();
    m_mouse.apply(io);  // the pointer of this frame's event, where it was
    if (hide_pointer(io.MousePos)) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    ImGui::NewFrame();
}

void SecondWindow::render(int fb_width, int fb_height) {
    glViewport(0, 0, fb_width, fb_height);
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void SecondWindow::swap() {
    glfwSwapBuffers(m_window);
}

void SecondWindow::framebuffer_size(int& width, int& height) const {
    glfwGetFramebufferSize(m_window, &width, &height);
}
