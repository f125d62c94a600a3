#include "app/gl/window.h"

#include "app/gl/display_lost.h"
#include "app/gl/fonts.h"

#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <cfloat>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace {

std::string g_glfw_error;  // the last GLFW error, for a one-line message

void on_glfw_error(int code, const char* text) {
    g_glfw_error = std::string(text) + " (GLFW error " + std::to_string(code) + ")";
}

}  // namespace

std::string glfw_last_error() {
    return g_glfw_error;
}

aelab::Expected<std::unique_ptr<Window>> Window::open(int width, int height, const char* title) {
    glfwSetErrorCallback(on_glfw_error);
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland))
        return aelab::Error{
            "no display found (DISPLAY is not set): use --headless to train "
            "without a window, or run under xvfb-run"};
    if (!glfwInit())
        return aelab::Error{"cannot open a window (" + g_glfw_error +
                            "): use --headless to train without a window, or run under xvfb-run"};
    exit_when_the_display_goes();
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    std::unique_ptr<Window> window(new Window());
    window->m_window = glfwCreateWindow(width, height, title, nullptr, nullptr);
    if (!window->m_window) {
        glfwTerminate();
        return aelab::Error{"cannot create an OpenGL 3.3 window (" + g_glfw_error + ")"};
    }
    glfwMakeContextCurrent(window->m_window);
    glfwSwapInterval(1);
    // Installed before ImGui's backend, which chains to it: every key press is kept, even
    // when its release arrives in the same poll (ImGui 1.86 would see neither).
    glfwSetWindowUserPointer(window->m_window, window.get());
    glfwSetKeyCallback(window->m_window, [](GLFWwindow* w, int key, int, int action, int mods) {
        if (action != GLFW_PRESS) return;
        auto* self = static_cast<Window*>(glfwGetWindowUserPointer(w));
        self->m_key_presses.push_back({key, mods});
        self->m_taps.push_back({key, mods});
    });
    // The mouse likewise: each click and wheel turn with the pointer's place at the time
    // (app/gl/mouse_replay.h). ImGui's backend chains to the button and wheel callbacks.
    glfwSetCursorPosCallback(window->m_window, [](GLFWwindow* w, double x, double y) {
        static_cast<Window*>(glfwGetWindowUserPointer(w))->m_mouse.moved(float(x), float(y));
    });
    glfwSetMouseButtonCallback(window->m_window, [](GLFWwindow* w, int button, int action, int mods) {
        if (action != GLFW_PRESS && action != GLFW_RELEASE) return;
        static_cast<Window*>(glfwGetWindowUserPointer(w))->m_mouse.button(button, action == GLFW_PRESS, mods);
    });
    glfwSetScrollCallback(window->m_window, [](GLFWwindow* w, double dx, double dy) {
        static_cast<Window*>(glfwGetWindowUserPointer(w))->m_mouse.scrolled(float(dx), float(dy));
    });

    IMGUI_CHECKVERSION();
    window->m_imgui = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the layout is automatic; nothing to remember between runs
    ImGui_ImplGlfw_InitForOpenGL(window->m_window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    window->m_imgui_ready = true;
    if (const char* heartbeat = std::getenv("AELAB_HEARTBEAT")) window->m_heartbeat_path = heartbeat;
    return window;
}

Window::~Window() {
    if (m_imgui_ready) {
        make_current();
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext(m_imgui);
    }
    if (m_window) glfwDestroyWindow(m_window);
    glfwTerminate();
}

void Window::make_current() const {
    glfwMakeContextCurrent(m_window);
    ImGui::SetCurrentContext(m_imgui);
}

bool Window::should_close() const {
    return glfwWindowShouldClose(m_window);
}

std::vector<Window::KeyPress> Window::take_key_presses() {
    std::vector<KeyPress> presses;
    presses.swap(m_key_presses);
    return presses;
}

void Window::request_close() {
    glfwSetWindowShouldClose(m_window, GLFW_TRUE);
}

void Window::cancel_close() {
    glfwSetWindowShouldClose(m_window, GLFW_FALSE);
}

void Window::poll_events(bool idle, double timeout) {
    beat();
    if (idle)
        glfwWaitEventsTimeout(timeout);
    else
        glfwPollEvents();
}

void Window::beat() {
    if (m_heartbeat_path.empty()) return;
    const double now = glfwGetTime();
    if (m_last_beat >= 0 && now - m_last_beat < 0.1) return;
    m_last_beat = now;
    // Rewritten in place (no rename): the reader only compares contents, and a torn read
    // just looks like one more beat.
    if (std::FILE* f = std::fopen(m_heartbeat_path.c_str(), "w")) {
        std::fprintf(f, "%llu\n", (unsigned long long)++m_beats);
        std::fclose(f);
    }
}

void Window::wake() {
    glfwPostEmptyEvent();
}

void Window::build_fonts(float text_scale) {
    const AppFonts fonts = add_app_fonts(*ImGui::GetIO().Fonts, text_scale);
    m_font = fonts.normal;
    m_font_2x = fonts.crisp_2x;
    m_font_notice = fonts.notice;
    if (m_built_text_scale > 0) {  // the first atlas is uploaded by the backend's first frame
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    m_built_text_scale = text_scale;
}

void Window::new_frame(float text_scale, bool crisp_2x, bool ignore_mouse) {
    if (text_scale != m_built_text_scale) build_fonts(text_scale);
    ImGuiIO& io = ImGui::GetIO();
    io.FontDefault = crisp_2x ? m_font_2x : m_font;
    io.FontGlobalScale = crisp_2x ? 0.5f : 1.0f;
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    replay_taps(io);
    m_mouse.apply(io);
    if (crisp_2x) io.DisplayFramebufferScale = ImVec2(2 * content_scale(), 2 * content_scale());
    if (ignore_mouse) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    ImGui::NewFrame();
}

void Window::replay_taps(ImGuiIO& io) {
    // ImGui 1.86 reads keys as "down now": a key pressed and released within one poll (a
    // quick tap, xdotool) never reaches it, so Enter in a text field would do nothing. Each
    // press is shown as held for one frame, with its modifiers, then the real state returns.
    const auto down = [&](int key) { return glfwGetKey(m_window, key) == GLFW_PRESS; };
    for (int key : m_replayed)
        if (key >= 0 && key < IM_ARRAYSIZE(io.KeysDown)) io.KeysDown[key] = down(key);
    m_replayed.clear();
    io.KeyCtrl = down(GLFW_KEY_LEFT_CONTROL) || down(GLFW_KEY_RIGHT_CONTROL);
    io.KeyShift = down(GLFW_KEY_LEFT_SHIFT) || down(GLFW_KEY_RIGHT_SHIFT);
    io.KeyAlt = down(GLFW_KEY_LEFT_ALT) || down(GLFW_KEY_RIGHT_ALT);
    io.KeySuper = down(GLFW_KEY_LEFT_SUPER) || down(GLFW_KEY_RIGHT_SUPER);
    // One tap a frame, so that two quick taps of one key are two presses.
    for (size_t i = 0; i < m_taps.size(); ++i) {
        const KeyPress tap = m_taps[i];
        if (tap.key < 0 || tap.key >= IM_ARRAYSIZE(io.KeysDown) || io.KeysDown[tap.key]) continue;
        io.KeysDown[tap.key] = true;
        io.KeyCtrl |= (tap.mods & GLFW_MOD_CONTROL) != 0;
        io.KeyShift |= (tap.mods & GLFW_MOD_SHIFT) != 0;
        io.KeyAlt |= (tap.mods & GLFW_MOD_ALT) != 0;
        io.KeySuper |= (tap.mods & GLFW_MOD_SUPER) != 0;
        m_replayed.push_back(tap.key);
        m_taps.erase(m_taps.begin(), m_taps.begin() + long(i) + 1);
        return;
    }
    m_taps.clear();
}

void Window::render(int fb_width, int fb_height) {
    glViewport(0, 0, fb_width, fb_height);
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void Window::swap() {
    glfwSwapBuffers(m_window);
}

void Window::set_size(int width, int height) {
    glfwSetWindowSize(m_window, width, height);
}

void Window::framebuffer_size(int& width, int& height) const {
    glfwGetFramebufferSize(m_window, &width, &height);
}

float Window::content_scale() const {
    int fb_w = 0, fb_h = 0, w = 0, h = 0;
    glfwGetFramebufferSize(m_window, &fb_w, &fb_h);
    glfwGetWindowSize(m_window, &w, &h);
    return w > 0 ? float(fb_w) / float(w) : 1.0f;
}
