// The message log, newest last, repeats folded into one line with a count.
#include "app/panels/panels.h"
#include "app/panels/widgets.h"

void draw_messages_panel(PanelContext& ctx) {
    for (const MessageLog::Entry& e : ctx.log.entries()) {
        if (e.count > 1)
            widgets::text_wrapped("%s  ×%d", e.text.c_str(), e.count);
        else
            widgets::text_wrapped("%s", e.text.c_str());
    }
    if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY()) ImGui::SetScrollHereY(1.0f);
}
