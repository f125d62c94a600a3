// No text is cut off: the whole window — menus, every panel a teacher opens, the timeline
// strip and the status bar — drawn headless (ImGui frames, no GPU) with the app's own fonts
// at 1280×720, 1600×900 and 1920×1080, light and dark, normal and large text, for an
// autoencoder, the PCA and anomaly panels, a VAE and a lesson, scrolled to the top and to the
// end; every text item that crosses its clip rectangle sideways fails the test, named with
// its window: glyphs cut in the draw data (app/clip_audit.h), and labels ImGui's widgets
// measured wider than the box or window they are cut to (tests/widget_text_audit.h).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include <imgui.h>
#include <imgui_internal.h>

#include "app/gl/fonts.h"
#include "app/panels/clip_audit.h"
#include "app/panels/config_changes.h"
#include "app/panels/layout_audit.h"
#include "app/panels/panels.h"
#include "app/panels/run_files.h"
#include "core/lessons/lesson.h"
#include "core/trainer/trainer.h"
#include "tests/widget_text_audit.h"

using namespace aelab;
using namespace std::chrono_literals;

namespace {

class NoImages : public ImageStore {
public:
    ImTextureID image(const char*, uint64_t, const std::function<ImageRequest()>&) override {
        return ImTextureID(intptr_t(1));
    }
};

struct Scene {
    const char* name;
    std::vector<std::string> settings;  // --set key=value
    std::vector<PanelId> also_open;
    const char* lesson_name = nullptr;
    std::shared_ptr<const Lesson> lesson;  // loaded from lesson_name
};

struct Size {
    int width, height;
};

// The frames a person would see: every panel drawn a few times (layouts settle), then the
// last frame's draw data searched.
std::vector<ClippedText> clipped(Trainer& trainer, Size size, bool dark, float text_scale,
                                 const Scene& scene) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(float(size.width), float(size.height));
    io.DeltaTime = 1.0f / 60.0f;
    const AppFonts fonts = add_app_fonts(*io.Fonts, text_scale);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    io.Fonts->SetTexID(ImTextureID(intptr_t(7)));
    io.FontDefault = fonts.normal;

    PanelRegistry panels;  // the panels the app opens with
    if (scene.lesson) start_with_lesson(scene.lesson, panels);
    NoImages images;
    ViewRequests views;
    MessageLog log;  // the status bar shows the newest message: a long one
    log.add("Controls: rebuilding the model: model vae → ae; hidden 512 → 256,32; encoder act "
            "relu → sigmoid; decoder act sigmoid → sigmoid; loss auto → mse",
            0.0);
    AppRequests requests;
    UiSettings settings;
    settings.dark_theme = dark;
    settings.zoom = text_scale;
    RunFiles files;
    ConfigChanges changes;
    HelpWindows help;
    TimelineBar timeline_bar;
    std::vector<ClippedText> found;
    // Frame 11 is searched as the windows open; then every window (the Controls' knobs, a
    // long panel) is scrolled to its end and frame 14 is searched too.
    const auto audited = [](int frame) { return frame == 11 || frame == 14; };
    for (int frame = 0; frame < 15; ++frame) {
        auto snapshot = trainer.latest();
        if (frame == 12)
            for (ImGuiWindow* window : ImGui::GetCurrentContext()->Windows)
                ImGui::SetScrollY(window, window->ScrollMax.y);
        ImGui::NewFrame();
        apply_theme(settings);
        PanelContext ctx{*snapshot, trainer, views,  images,           log,
                         requests,  settings, changes, panels, ImGui::GetTime(), 60};
        if (frame == 1)
            for (PanelId id : scene.also_open) panels.find(id).open = true;
        if (audited(frame)) widget_text_audit::start();
        draw_main_menu(ctx, files, help);
        draw_panels(ctx);
        timeline_bar.draw(ctx);
        draw_status_bar(ctx);
        ImGui::Render();
        if (audited(frame)) {
            for (ClippedText& c : widget_text_audit::stop()) found.push_back(std::move(c));
            for (ClippedText& c : find_clipped_text(*ImGui::GetDrawData(), *fonts.normal))
                found.push_back(std::move(c));
            // Text over text, or over an image, is never right however crowded the window.
            for (const LayoutFault& f : audit_layout(*ImGui::GetDrawData(), *fonts.normal, plot::drawn_frame()))
                if (f.kind == LayoutFault::Overlap) found.push_back({f.window, "overlap: " + f.what});
        }
    }
    ImGui::DestroyContext();
    return found;
}

}  // namespace

// The detectors themselves: a text running out of a narrow window and a field's hint trimmed
// to the field are found in the draw data; a button's label cut by the button, a combo's
// preview cut by the combo and a text cut by its window exactly on a space (no glyph crosses
// the edge) are found as ImGui draws them; text that fits is not.
TEST(ClippedText, FindsTextCutByItsWindowOrTrimmedToItsWidget) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(800, 600);
    io.DeltaTime = 1.0f / 60.0f;
    const AppFonts fonts = add_app_fonts(*io.Fonts, 1.0f);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    io.Fonts->SetTexID(ImTextureID(intptr_t(7)));
    io.FontDefault = fonts.normal;
    std::vector<ClippedText> found, widgets;
    // Where a space falls on the window's edge: as many 'i's as fit before the clip edge.
    std::string on_space;
    for (int frame = 0; frame < 3; ++frame) {
        ImGui::NewFrame();
        widget_text_audit::start();
        ImGui::SetNextWindowPos(ImVec2(10, 10));
        ImGui::SetNextWindowSize(ImVec2(160, 260));
        ImGui::Begin("narrow");
        ImGui::TextUnformatted("fits");
        ImGui::TextUnformatted("Alinewithoutspacesfartoolongforthiswindow");  // no space on the edge
        static char text[16] = "";
        ImGui::SetNextItemWidth(80);
        ImGui::InputTextWithHint("##field", "Ahintfartoolongforitsfield", text, sizeof text);
        ImGui::Button("A button label far too long##b", ImVec2(70, 0));
        ImGui::Button("ok");
        ImGui::SetNextItemWidth(70);
        if (ImGui::BeginCombo("##combo", "A preview far too long")) ImGui::EndCombo();
        if (on_space.empty()) {  // the most 'i's that end before the edge, then two spaces
            const float edge =
                ImGui::GetWindowDrawList()->GetClipRectMax().x - ImGui::GetCursorScreenPos().x;
            while (ImGui::CalcTextSize((on_space + "i").c_str()).x < edge - 1) on_space += "i";
            on_space += "  beyond";
        }
        ImGui::TextUnformatted(on_space.c_str());
        ImGui::End();
        ImGui::Render();
        widgets = widget_text_audit::stop();
        found = find_clipped_text(*ImGui::GetDrawData(), *fonts.normal);
    }
    ImGui::DestroyContext();
    // In the draw data: the two; the button's and the preview's labels only when a glyph
    // happens to be cut in two; never the text cut on a space.
    ASSERT_GE(found.size(), 2u);
    EXPECT_EQ(found[0].window, "narrow");
    EXPECT_EQ(found[0].line.rfind("Alinewithout", 0), 0u) << found[0].line;
    EXPECT_EQ(found[1].line.rfind("Ahint", 0), 0u) << found[1].line;
    for (const ClippedText& c : found) EXPECT_NE(c.line.rfind("iii", 0), 0u) << c.line;

    std::vector<std::string> lines;
    for (const ClippedText& c : widgets) {
        EXPECT_EQ(c.window, "narrow");
        lines.push_back(c.line);
    }
    EXPECT_EQ(lines, (std::vector<std::string>{"Alinewithoutspacesfartoolongforthiswindow",
                                               "A button label far too long",
                                               "A preview far too long", on_space}));
}

TEST(ClippedText, NoTextIsCutAtAnySizeThemeOrTextScale) {
    const bool fashion = std::filesystem::exists(std::string(kFashionMnistDir));
    std::vector<Scene> scenes = {
        {"autoencoder", {}, {}},
        {"PCA and anomalies", {"hidden=16", "holdout_class=8"}, {PanelId::Pca, PanelId::Anomaly}},
        {"VAE", {"model=vae", "hidden=512", "encoder_act=relu"}, {}},
        {"regularisers", {"noise=mask", "sparsity=kl", "contractive=0.1", "tied=true"},
         {PanelId::Contractive, PanelId::Messages}},
        {"lesson 03", {}, {}, "03"},
    };
    std::set<std::string> reported;
    for (Scene& scene : scenes) {
        Config config;
        if (!fashion) config.dataset = "shapes";
        for (const std::string& s : scene.settings) ASSERT_FALSE(apply_setting(config, s)) << s;
        if (scene.lesson_name) {
            auto lesson = find_lesson(scene.lesson_name, lessons_folder());
            ASSERT_TRUE(lesson) << lesson.error();
            auto lesson_config_ = lesson_config(*lesson, 0);
            ASSERT_TRUE(lesson_config_);
            config = *lesson_config_;
            if (!fashion) config.dataset = "shapes";
            scene.lesson = std::make_shared<const Lesson>(*lesson);
        }
        Trainer trainer(config, {}, false);
        trainer.send(commands::Step{30});
        trainer.wait_for([](const Snapshot& s) { return s.progress.step == 30 && !s.status.running; }, 120s);
        for (Size size : {Size{1280, 720}, Size{1600, 900}, Size{1920, 1080}})
            for (bool dark : {false, true})
                for (float text_scale : {1.0f, 1.3f})
                    for (const ClippedText& c : clipped(trainer, size, dark, text_scale, scene)) {
                        const std::string where = std::string(scene.name) + " at " +
                                                  std::to_string(size.width) + "×" +
                                                  std::to_string(size.height) +
                                                  (text_scale > 1 ? ", large text" : "") + ": " +
                                                  c.window + ": \"" + c.line + "\"";
                        if (reported.insert(c.window + c.line).second) ADD_FAILURE() << where;
                    }
    }
}
