// The window's fonts (DejaVu Sans with Greek, arrows and maths) and the formulas' maths faces
// (DejaVu Serif upright and italic, named for app/formula to find), at a text scale: the one
// place the font files, their sizes and glyph ranges are named, for the window and for the
// headless layout tests. GUI thread, before NewFrame.
#pragma once

#include <string>

#include <imgui.h>

struct AppFonts {
    ImFont* normal = nullptr;
    ImFont* crisp_2x = nullptr;  // twice the size, for frames rendered at 2× (sharp slides)
    std::string notice;          // why a built-in or stand-in face is used, or ""
};

// Clears `atlas` and adds the two fonts, and the maths faces at 1× and 2× (each at the text's
// size and at a display formula's), at `text_scale` (1, or 1.3 in large-text mode).
AppFonts add_app_fonts(ImFontAtlas& atlas, float text_scale);
