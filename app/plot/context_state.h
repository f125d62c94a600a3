// State a module keeps per ImGui context, held by the context itself: made on first use in a
// context, freed when that context is destroyed (a Shutdown hook). So the plot module has no
// file-level state, and a new context (a test's, a second window's) starts afresh. GUI thread
// only: the current ImGui context's thread.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

namespace plot::detail {

// The T of the current ImGui context, one per `owner` (a constant naming the module).
template <class T>
T& context_state(ImGuiID owner) {
    ImGuiContext* g = ImGui::GetCurrentContext();
    IM_ASSERT(g && "an ImGui context first");
    for (ImGuiContextHook& hook : g->Hooks)
        if (hook.Owner == owner && hook.Type == ImGuiContextHookType_Shutdown)
            return *static_cast<T*>(hook.UserData);
    ImGuiContextHook hook;
    hook.Type = ImGuiContextHookType_Shutdown;
    hook.Owner = owner;
    hook.UserData = new T();
    hook.Callback = [](ImGuiContext*, ImGuiContextHook* h) {
        delete static_cast<T*>(h->UserData);
        h->UserData = nullptr;
    };
    ImGui::AddContextHook(g, &hook);
    return *static_cast<T*>(hook.UserData);
}

}  // namespace plot::detail
