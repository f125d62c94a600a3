// The window's fonts (DejaVu Sans with Greek, arrows and maths), at a text scale: the one
// place the font file, its size and its glyph ranges are named, for the window and for the
// headless layout tests. GUI thread, before NewFrame.
#pragma once

#include <string>

#include <imgui.h>

struct AppFonts {
    ImFont* normal = nullptr;
    ImFont* crisp_2x = nullptr;  // twice the size, for frames rendered at 2× (sharp slides)
    std::string notice;          // why the built-in font stands in, or ""
};

// Clears `atlas` and adds the two fonts at `text_scale` (1, or 1.3 in large-text mode).
AppFonts add_app_fonts(ImFontAtlas& atlas, float text_scale);
