// The message log, newest last, repeats folded into one line with a count.
#include "app/panels/panels.h"
#include "app/panels/widgets.h"

namespace {
// No state of its own: the log lives in the context.
struct MessagesPanel final : PanelObject {
    void draw(PanelContext& ctx) override;
    // A few lines of the log are enough: it scrolls, and it gives way to the views.
    PanelNeeds needs(const PanelContext&) const override {
        return {ImVec2(ImGui::GetFontSize() * 20, ImGui::GetTextLineHeightWithSpacing() * 6), 0.3f};
    }
};
}  // namespace

std::unique_ptr<PanelObject> make_messages_panel() { return std::make_unique<MessagesPanel>(); }

void MessagesPanel::draw(PanelContext& ctx) {
    for (const MessageLog::Entry& e : ctx.log.entries()) {
        if (e.count > 1)
            widgets::text_wrapped("%s  ×%d", e.text.c_str(), e.count);
        else
            widgets::text_wrapped("%s", e.text.c_str());
    }
    if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY()) ImGui::SetScrollHereY(1.0f);
}
