// The layout, headless (ImGui frames with the app's fonts, no GPU): each rule of the layout
// audit (app/panels/layout_audit.h) fails on a scene made to break it and passes the same
// scene made right; the layout engine (app/panels/layout.h) tiles its area and serves every
// panel when it can; and the registry's gestures — Controls closed, a panel maximised by a
// double-click on its title and back, the default layout, a reset — do what they say.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>

#include <imgui.h>
#include <imgui_internal.h>

#include "app/gl/fonts.h"
#include "app/panels/config_changes.h"
#include "app/panels/image_views.h"
#include "app/panels/layout.h"
#include "app/panels/layout_audit.h"
#include "app/panels/panels.h"
#include "app/panels/run_files.h"
#include "app/plot/plot.h"
#include "core/trainer/trainer.h"

using namespace aelab;
using namespace std::chrono_literals;

namespace {

// An ImGui context with the app's fonts at `zoom`, and no renderer.
class Headless {
public:
    explicit Headless(ImVec2 display = ImVec2(900, 700), float zoom = 1.0f) {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = display;
        io.DeltaTime = 1.0f / 60.0f;
        io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // as the GL3 backend
        fonts = add_app_fonts(*io.Fonts, zoom);
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        io.Fonts->SetTexID(ImTextureID(intptr_t(7)));
        io.FontDefault = fonts.normal;
    }
    ~Headless() { ImGui::DestroyContext(); }
    Headless(const Headless&) = delete;
    Headless& operator=(const Headless&) = delete;

    // Three frames of one 600×500 window "scene" running `draw`; the last one's faults.
    std::vector<LayoutFault> audit(const std::function<void()>& draw) {
        std::vector<LayoutFault> faults;
        for (int frame = 0; frame < 3; ++frame) {
            ImGui::NewFrame();
            ImGui::SetNextWindowPos(ImVec2(10, 10));
            ImGui::SetNextWindowSize(ImVec2(600, 500));
            ImGui::Begin("scene", nullptr, ImGuiWindowFlags_NoSavedSettings);
            draw();
            ImGui::End();
            ImGui::Render();
            faults = audit_layout(*ImGui::GetDrawData(), *fonts.normal, plot::drawn_frame());
        }
        return faults;
    }

    AppFonts fonts;
};

std::vector<LayoutFault::Kind> kinds(const std::vector<LayoutFault>& faults) {
    std::vector<LayoutFault::Kind> out;
    for (const LayoutFault& f : faults) out.push_back(f.kind);
    return out;
}

std::string said(const std::vector<LayoutFault>& faults) {
    std::string out;
    for (const LayoutFault& f : faults)
        out += f.window + ": " + to_string(f.kind) + ": " + f.what + "\n";
    return out;
}

const ImTextureID kImage = ImTextureID(intptr_t(3));  // any texture but the font's

// A line from the bottom left to the top right: it runs through the top-right corner.
struct Diagonal {
    float xs[2] = {0, 1}, ys[2] = {0, 1};
};

}  // namespace

TEST(LayoutAudit, TextOverTextIsAnOverlap) {
    Headless h;
    const auto text_at = [](bool same_place) {
        return [same_place] {
            const ImVec2 at = ImGui::GetCursorPos();
            ImGui::TextUnformatted("error per pixel");
            if (same_place) ImGui::SetCursorPos(ImVec2(at.x + 30, at.y));
            ImGui::TextUnformatted("variance explained");
        };
    };
    const auto bad = h.audit(text_at(true));
    EXPECT_EQ(kinds(bad), std::vector{LayoutFault::Overlap})
        << said(bad) << "(once: one pair of texts)";
    ASSERT_FALSE(bad.empty());
    EXPECT_EQ(bad[0].window, "scene");
    EXPECT_NE(bad[0].what.find("variance explained"), std::string::npos) << bad[0].what;
    EXPECT_TRUE(h.audit(text_at(false)).empty()) << "one under the other";
}

TEST(LayoutAudit, TextOverAnImageIsAnOverlap) {
    Headless h;
    const auto scene = [](float label_x) {
        return [label_x] {
            const ImVec2 p = ImGui::GetCursorScreenPos();
            ImGui::GetWindowDrawList()->AddImage(kImage, ImVec2(p.x + 120, p.y),
                                                 ImVec2(p.x + 220, p.y + 100));
            ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + label_x, p.y + 40),
                                                ImGui::GetColorU32(ImGuiCol_Text), "input");
            ImGui::Dummy(ImVec2(220, 100));
        };
    };
    EXPECT_EQ(kinds(h.audit(scene(140))), std::vector{LayoutFault::Overlap})
        << "the label on the tile";
    EXPECT_TRUE(h.audit(scene(0)).empty()) << "the label beside it";
}

TEST(LayoutAudit, ATileUnder48PxIsSmall) {
    Headless h;
    const auto tile = [](float side) {
        return [side] {
            const ImVec2 p = ImGui::GetCursorScreenPos();
            image_views::draw_tile(ImGui::GetWindowDrawList(), kImage, {1, 1, 28, 28}, 0, p,
                                   ImVec2(p.x + side, p.y + side));
            ImGui::Dummy(ImVec2(side, side));
        };
    };
    const auto small = h.audit(tile(40));
    EXPECT_EQ(kinds(small), std::vector{LayoutFault::SmallTile}) << said(small);
    EXPECT_TRUE(h.audit(tile(kMinTile)).empty());
}

TEST(LayoutAudit, APlotUnder240x160IsSmall) {
    Headless h;
    const Diagonal d;
    const auto plot = [&](ImVec2 rect) {
        return [&, rect] {
            const plot::PlotOptions options{.x_label = "step", .y_label = "loss", .legend = false};
            if (plot::begin_plot("##p", plot::frame_for_rect(rect, options), options)) {
                plot::plot_line("line", d.xs, d.ys, 2);
                plot::end_plot();
            }
        };
    };
    const auto small = h.audit(plot(ImVec2(200, 150)));
    EXPECT_EQ(kinds(small), std::vector{LayoutFault::SmallPlot}) << said(small);
    EXPECT_TRUE(h.audit(plot(ImVec2(plot::kMinPlotWidth + 1, plot::kMinPlotHeight + 1))).empty());
}

TEST(LayoutAudit, ALegendOverTheDataIsFound) {
    Headless h;
    const Diagonal d;
    const auto plot = [&](plot::LegendPlace place) {
        return [&, place] {
            const plot::PlotOptions options{
                .x_label = "step", .y_label = "loss", .legend_place = place};
            if (plot::begin_plot("##p", ImVec2(400, 300), options)) {
                plot::plot_line("train", d.xs, d.ys, 2);
                plot::end_plot();
            }
        };
    };
    const auto covered = h.audit(plot(plot::LegendPlace::TopRight));
    EXPECT_EQ(kinds(covered), std::vector{LayoutFault::LegendOverData}) << said(covered);
    EXPECT_TRUE(h.audit(plot(plot::LegendPlace::Best)).empty()) << "the module's own place";
}

TEST(LayoutAudit, AnotherItemOnAPlotIsAnOverlap) {
    Headless h;
    const Diagonal d;
    const auto scene = [&](bool over) {
        return [&, over] {
            const ImVec2 start = ImGui::GetCursorScreenPos();
            if (plot::begin_plot("##p", ImVec2(400, 300), {.legend = false})) {
                plot::plot_line("train", d.xs, d.ys, 2);
                plot::end_plot();
            }
            if (over) ImGui::SetCursorScreenPos(ImVec2(start.x + 150, start.y + 150));
            ImGui::TextUnformatted("a note");
        };
    };
    EXPECT_EQ(kinds(h.audit(scene(true))), std::vector{LayoutFault::Overlap});
    EXPECT_TRUE(h.audit(scene(false)).empty()) << "under it";
}

TEST(LayoutAudit, WhatIsScrolledOutOfSightIsNotJudged) {
    Headless h;
    const auto scene = [](float below) {
        return [below] {
            ImGui::Dummy(ImVec2(10, below));  // the window is 500 tall
            const ImVec2 p = ImGui::GetCursorScreenPos();
            image_views::draw_tile(ImGui::GetWindowDrawList(), kImage, {1, 1, 28, 28}, 0, p,
                                   ImVec2(p.x + 20, p.y + 20));
            ImGui::Dummy(ImVec2(20, 20));
        };
    };
    EXPECT_EQ(kinds(h.audit(scene(100))), std::vector{LayoutFault::SmallTile});
    EXPECT_TRUE(h.audit(scene(900)).empty());
}

// ---- The layout engine ----

namespace {

bool overlaps(const layout::Box& a, const layout::Box& b) {
    return a.pos.x < b.pos.x + b.size.x - 0.5f && b.pos.x < a.pos.x + a.size.x - 0.5f &&
           a.pos.y < b.pos.y + b.size.y - 0.5f && b.pos.y < a.pos.y + a.size.y - 0.5f;
}

float worst(const std::vector<layout::Need>& needs, const std::vector<layout::Box>& boxes) {
    float w = 1e9f;
    for (size_t i = 0; i < needs.size(); ++i) w = std::min(w, layout::served(needs[i], boxes[i]));
    return w;
}

}  // namespace

TEST(Layout, BoxesTileTheAreaWithoutGapsOrOverlaps) {
    const layout::Box area{ImVec2(340, 20), ImVec2(940, 600)};
    for (int n = 1; n <= 9; ++n) {
        std::vector<layout::Need> needs;
        for (int i = 0; i < n; ++i)
            needs.push_back({ImVec2(100.0f + 37 * i, 80.0f + 23 * (i % 4)), 1.0f + i % 3});
        const auto boxes = layout::arrange(needs, area);
        ASSERT_EQ(boxes.size(), needs.size());
        float covered = 0;
        for (size_t i = 0; i < boxes.size(); ++i) {
            covered += boxes[i].size.x * boxes[i].size.y;
            EXPECT_GE(boxes[i].pos.x, area.pos.x);
            EXPECT_GE(boxes[i].pos.y, area.pos.y);
            EXPECT_LE(boxes[i].pos.x + boxes[i].size.x, area.pos.x + area.size.x + 0.5f);
            EXPECT_LE(boxes[i].pos.y + boxes[i].size.y, area.pos.y + area.size.y + 0.5f);
            for (size_t j = 0; j < i; ++j)
                EXPECT_FALSE(overlaps(boxes[i], boxes[j])) << n << ": " << i << ", " << j;
        }
        EXPECT_NEAR(covered, area.size.x * area.size.y, 1.0f) << n << " panels";
    }
}

// Lesson 11 at 1280×720 and 130 %: the loss, the heat map, p̂ and the lesson fit only when
// the lesson shares a column with the loss curves (which are first in order): the engine
// moves the last panel to find that.
TEST(Layout, EveryPanelIsServedWhenTheyCanAllFit) {
    const std::vector<layout::Need> needs = {{ImVec2(369, 356), 1.2f},
                                             {ImVec2(334, 354), 0.8f},
                                             {ImVec2(369, 394), 1.0f},
                                             {ImVec2(355, 229), 0.6f}};
    const auto boxes = layout::arrange(needs, {ImVec2(0, 0), ImVec2(1280, 600)});
    EXPECT_GE(worst(needs, boxes), 1.0f);
}

TEST(Layout, WhenNoneServesAllTheWorstServedGetsMost) {
    // Two panels of 800×800 in 1000×600: side by side each gets 500 wide (0.625 of its
    // width), one over the other 300 tall (0.375): side by side.
    const std::vector<layout::Need> needs = {{ImVec2(800, 800), 1}, {ImVec2(800, 800), 1}};
    const auto boxes = layout::arrange(needs, {ImVec2(0, 0), ImVec2(1000, 600)});
    EXPECT_NEAR(worst(needs, boxes), 0.625f, 0.01f);
}

// ---- The registry's gestures ----

namespace {

class NoImages : public ImageStore {
public:
    ImTextureID image(const char*, uint64_t, const std::function<ImageRequest()>&) override {
        return kImage;
    }
};

// The whole window, headless, on a small model.
class App {
public:
    explicit App(ImVec2 display = ImVec2(1600, 900), float zoom = 1.0f)
        : headless(display, zoom), trainer(small_config(), {}, false) {
        settings.zoom = zoom;
        trainer.send(commands::Step{5});
        trainer.wait_for([](const Snapshot& s) { return s.progress.step == 5 && !s.status.running; }, 60s);
    }
    static Config small_config() {
        Config c;
        c.dataset = "shapes";
        c.hidden = {64, 16};
        return c;
    }
    void frames(int count) {
        for (int i = 0; i < count; ++i) {
            auto snapshot = trainer.latest();
            ImGui::NewFrame();
            apply_theme(settings);
            PanelContext ctx{*snapshot, trainer,  views,   images, log,
                             requests,  settings, changes, panels, ImGui::GetTime(), 60};
            draw_main_menu(ctx, files, help);
            draw_panels(ctx);
            timeline_bar.draw(ctx);
            draw_status_bar(ctx);
            ImGui::Render();
        }
    }
    bool drawn(const char* name) {
        const ImGuiWindow* w = ImGui::FindWindowByName((std::string(name) + "###" + name).c_str());
        return w && w->WasActive;
    }
    void mouse(ImVec2 at, bool down) {
        ImGui::GetIO().MousePos = at;
        ImGui::GetIO().MouseDown[0] = down;
        frames(1);
    }

    Headless headless;
    Trainer trainer;
    PanelRegistry panels;
    NoImages images;
    ViewRequests views;
    MessageLog log;
    AppRequests requests;
    UiSettings settings;
    RunFiles files;
    ConfigChanges changes;  // the undo history, as the app owns it
    HelpWindows help;
    TimelineBar timeline_bar;
};

}  // namespace

TEST(PanelLayout, ClosingControlsGivesItsColumnToThePanels) {
    App app;
    app.frames(3);
    const Panel& loss = app.panels.find(PanelId::Loss);
    EXPECT_GE(loss.last_pos.x, 339) << "right of the Controls' column";
    app.panels.find(PanelId::Controls).open = false;
    app.frames(2);
    EXPECT_EQ(loss.last_pos.x, 0) << "the column is the panels' now";
}

TEST(PanelLayout, ADoubleClickOnATitleMaximisesThePanelAndAnotherGoesBack) {
    App app;
    app.frames(3);
    const Panel& loss = app.panels.find(PanelId::Loss);
    const ImVec2 title(loss.last_pos.x + 60, loss.last_pos.y + 6);
    for (int click = 0; click < 2; ++click) app.mouse(title, true), app.mouse(title, false);
    app.frames(2);
    EXPECT_EQ(app.panels.maximised(), PanelId::Loss);
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    EXPECT_EQ(loss.last_pos.x, 0);
    EXPECT_EQ(loss.last_size.x, viewport->WorkSize.x) << "the whole width";
    EXPECT_GT(loss.last_size.y, 0.85f * viewport->WorkSize.y) << "all but the timeline and status";
    EXPECT_FALSE(app.drawn("Reconstructions")) << "alone in the window";
    EXPECT_FALSE(app.drawn("Controls"));
    ASSERT_NE(app.log.newest(), nullptr);
    EXPECT_NE(app.log.newest()->text.find("Loss curves fills the window"), std::string::npos);
    const ImVec2 again(loss.last_pos.x + 60, loss.last_pos.y + 6);
    app.mouse(ImVec2(-100, -100), false);
    app.frames(20);  // more than a double-click's time
    for (int click = 0; click < 2; ++click) app.mouse(again, true), app.mouse(again, false);
    app.frames(2);
    EXPECT_FALSE(app.panels.maximised().has_value());
    EXPECT_TRUE(app.drawn("Reconstructions"));
    EXPECT_GE(loss.last_pos.x, 339);
}

TEST(PanelLayout, F11MaximisesThePanelUnderTheMouse) {
    App app;
    app.frames(3);
    const Panel& filters = app.panels.find(PanelId::Filters);
    app.mouse(ImVec2(filters.last_pos.x + filters.last_size.x / 2,
                     filters.last_pos.y + filters.last_size.y / 2),
              false);
    app.panels.toggle_maximised_here();  // what F11 calls
    app.frames(2);
    EXPECT_EQ(app.panels.maximised(), PanelId::Filters);
    EXPECT_FALSE(app.drawn("Loss curves"));
    app.panels.toggle_maximised_here();
    app.frames(2);
    EXPECT_FALSE(app.panels.maximised().has_value());
    EXPECT_TRUE(app.drawn("Loss curves"));
}

TEST(PanelLayout, DefaultLayoutOpensTheLaunchPanelsAgain) {
    App app;
    app.frames(3);
    app.panels.find(PanelId::Loss).open = false;
    app.panels.find(PanelId::Messages).open = true;
    app.panels.toggle_maximised(PanelId::Filters);
    app.settings.auto_layout = false;
    app.panels.default_layout(app.settings);
    app.frames(2);
    EXPECT_TRUE(app.panels.find(PanelId::Loss).open);
    EXPECT_FALSE(app.panels.find(PanelId::Messages).open);
    EXPECT_FALSE(app.panels.maximised().has_value());
    EXPECT_TRUE(app.settings.auto_layout);
}

TEST(PanelLayout, AResetScrollsEveryPanelBackToItsTop) {
    App app(ImVec2(1280, 720), 1.3f);  // the Controls' knobs are taller than their column
    app.frames(3);
    // The knobs scroll in a region of their own, under the header that stays in sight.
    ImGuiWindow* controls = nullptr;
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
        if (w->RootWindow == ImGui::FindWindowByName("Controls###Controls") && w->ScrollMax.y > 0)
            controls = w;
    ASSERT_TRUE(controls) << "a region that scrolls";
    ImGui::SetScrollY(controls, controls->ScrollMax.y);
    app.frames(2);
    ASSERT_GT(controls->Scroll.y, 0);
    app.panels.reset();  // a lesson opening
    app.frames(2);
    EXPECT_EQ(controls->Scroll.y, 0);
}

TEST(PanelLayout, PanelsWithoutRoomCloseAtLaunchAndTheLogSaysWhich) {
    {
        App app(ImVec2(1280, 720), 1.3f);
        app.frames(3);
        EXPECT_TRUE(app.panels.find(PanelId::Loss).open);
        EXPECT_TRUE(app.panels.find(PanelId::Reconstructions).open);
        EXPECT_FALSE(app.panels.find(PanelId::PHat).open) << "the last to open closes first";
        ASSERT_NE(app.log.newest(), nullptr);
        EXPECT_NE(app.log.newest()->text.find("Average activation"), std::string::npos)
            << app.log.newest()->text;
        EXPECT_NE(app.log.newest()->text.find("no room"), std::string::npos);
    }
    App roomy;  // 1600×900 at 100 %: all five
    roomy.frames(3);
    for (PanelId id : {PanelId::Loss, PanelId::Reconstructions, PanelId::Filters, PanelId::Hidden,
                       PanelId::PHat})
        EXPECT_TRUE(roomy.panels.find(id).open);
}
