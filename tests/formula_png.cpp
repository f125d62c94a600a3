// Renders formulas to PNG with the real window's code — its fonts, formula::draw and
// draw_prose, its OpenGL renderer — at 2× (as the window's 2× screenshots), black on white,
// cropped to the formula with a margin. For docs/typesetting/make_pairs, which sets each
// beside KaTeX's rendering of the same TeX. Needs a display: run it under tests/with_xvfb.
//
//   formula_png [--zoom Z] LIST OUTDIR
//
// LIST has one formula a line: NAME <tab> display|inline|prose <tab> TEXT, where display is a
// formula on its own line, inline the same TeX set in text style inside a line, and prose a
// paragraph with $…$ maths wrapped at 600 pixels. Writes OUTDIR/NAME.png; prints each name.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <imgui.h>
#include <imgui_internal.h>

#include "app/formula/formula.h"
#include "app/gl/screenshot.h"
#include "app/gl/window.h"

namespace {

constexpr int kWidth = 1200, kHeight = 600;  // window coordinates; the PNG has twice the pixels
constexpr float kProseWidth = 600;
constexpr int kMargin = 8;  // window coordinates around the formula's box

struct Item {
    std::string name, kind, text;
};

// Draws the item in a borderless white window; returns its box (window coordinates).
ImRect draw_item(const Item& item) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(255, 255, 255, 255));
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(0, 0, 0, 255));
    ImGui::Begin("formula", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
    ImGui::SetCursorPos(ImVec2(2 * kMargin, 2 * kMargin));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + kProseWidth);
    std::string error;
    if (item.kind == "display")
        error = formula::draw(item.text.c_str());
    else if (item.kind == "inline")
        error = formula::draw_prose(("$" + item.text + "$").c_str());
    else
        error = formula::draw_prose(item.text.c_str());
    const ImRect box(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    ImGui::PopTextWrapPos();
    ImGui::End();
    ImGui::PopStyleColor(2);
    if (!error.empty()) std::cerr << "formula_png: " << item.name << ": " << error << "\n";
    return box;
}

std::vector<Item> read_list(const std::string& path) {
    std::vector<Item> items;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        Item item;
        if (std::getline(fields, item.name, '\t') && std::getline(fields, item.kind, '\t') &&
            std::getline(fields, item.text))
            items.push_back(item);
    }
    return items;
}

}  // namespace

int main(int argc, char** argv) {
    float zoom = 1.0f;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() >= 2 && args[0] == "--zoom") {
        zoom = std::stof(args[1]);
        args.erase(args.begin(), args.begin() + 2);
    }
    if (args.size() != 2) {
        std::cerr << "usage: formula_png [--zoom Z] LIST OUTDIR (under tests/with_xvfb)\n";
        return 2;
    }
    auto window = Window::open(kWidth, kHeight, "formula_png");
    if (!window) {
        std::cerr << "formula_png: " << window.error() << "\n";
        return 2;
    }
    ImGui::GetIO().IniFilename = nullptr;
    OffscreenTarget target;
    for (const Item& item : read_list(args[0])) {
        ImRect box;
        for (int frame = 0; frame < 3; ++frame) {  // a new window shows from its second frame
            (*window)->new_frame(zoom, /*crisp_2x=*/true, /*ignore_mouse=*/true);
            box = draw_item(item);
            ImGui::Render();
        }
        const float scale = ImGui::GetIO().DisplayFramebufferScale.x;
        const int fb_width = int(kWidth * scale), fb_height = int(kHeight * scale);
        target.bind(fb_width, fb_height);
        (*window)->render(fb_width, fb_height);
        const int x = int((box.Min.x - kMargin) * scale), y = int((box.Min.y - kMargin) * scale);
        const int w = std::min(fb_width - x, int((box.GetWidth() + 2 * kMargin) * scale));
        const int h = std::min(fb_height - y, int((box.GetHeight() + 2 * kMargin) * scale));
        const auto error = aelab::write_png(args[1] + "/" + item.name + ".png",
                                            read_pixels(x, y, w, h, fb_height));
        OffscreenTarget::unbind();
        if (error) {
            std::cerr << "formula_png: " << error->message << "\n";
            return 1;
        }
        std::cout << item.name << "\n";
    }
    return 0;
}
