#include "app/gl/fonts.h"

#include <cstdio>
#include <filesystem>

#include "app/formula/formula.h"

namespace {

constexpr const char* kFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
// The maths faces: DejaVu Serif (fonts-dejavu-core) upright, its italic (fonts-dejavu-extra)
// for variables — TeX's look, in the family of the window's text.
constexpr const char* kSerifPath = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
constexpr const char* kSerifItalicPath = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf";
constexpr float kFontSize = 16.0f;
// Maths is rasterised at the sizes it is drawn at: inline (the text's) and display (1.15×).
constexpr float kMathsRatios[] = {1.0f, 1.15f};

// Latin, Greek (λ β σ μ), punctuation (— … ‖), super/subscripts (², ᵀ), arrows (→),
// maths (√ ≥ ⊙ −) and the triangles of menus (▸): what the labels and lessons use.
const ImWchar kGlyphRanges[] = {0x0020, 0x00FF, 0x0300, 0x036F, 0x0370, 0x03FF, 0x1D00,
                                0x1D7F, 0x2000, 0x206F, 0x2070, 0x209F, 0x2190, 0x21FF,
                                0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
// What formulas draw upright: Latin-1, accents (ˆ ˜ ˙), Greek, the em space that gives the
// layout its quad, ‖ … ′, ℝ ℕ ℓ, arrows, operators up to ⊙, ⊤ ⊥ ⋅ ⋯, ⌈ ⌉ ⟨ ⟩ — the glyphs
// app/formula/symbols.cpp names, and few more (the atlas holds each at four sizes).
const ImWchar kMathsRanges[] = {0x0020, 0x00FF, 0x02C6, 0x02DD, 0x0391, 0x03C9, 0x03D1, 0x03D1,
                                0x03D5, 0x03D6, 0x03F0, 0x03F5, 0x2003, 0x2003, 0x2016, 0x2016,
                                0x2026, 0x2026, 0x2032, 0x2033, 0x2102, 0x2102, 0x2113, 0x2115,
                                0x2119, 0x211D, 0x2124, 0x2124, 0x2190, 0x2199, 0x21A6, 0x21A6,
                                0x21D0, 0x21D5, 0x2200, 0x2299, 0x22A4, 0x22A5, 0x22C5, 0x22C5,
                                0x22EF, 0x22EF, 0x2308, 0x230B, 0x27E8, 0x27E9, 0};
// …and in italic: letters only.
const ImWchar kItalicRanges[] = {0x0020, 0x007E, 0x0391, 0x03D6, 0x03F0, 0x03F5, 0};

bool exists(const char* path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);  // ImGui asserts (aborts) on a missing file
}

// The maths faces at `pixels`, named for formula::draw to find.
void add_maths_faces(ImFontAtlas& atlas, float pixels) {
    ImFontConfig roman;
    // Scripts are drawn at 0.7 and 0.5 of this size: two samples across keep them smooth at 1×;
    // a 2× frame's glyphs have pixels enough.
    roman.OversampleH = pixels < 2 * kFontSize ? 2 : 1;
    std::snprintf(roman.Name, sizeof roman.Name, "%s %.1fpx", formula::kRomanFontName, pixels);
    atlas.AddFontFromFileTTF(kSerifPath, pixels, &roman, kMathsRanges);
    ImFontConfig fill = roman;  // what DejaVu Serif lacks (⋯ ≪ ≫) from DejaVu Sans
    fill.MergeMode = true;
    atlas.AddFontFromFileTTF(kFontPath, pixels, &fill, kMathsRanges);
    if (!exists(kSerifItalicPath)) return;
    ImFontConfig italic = roman;
    std::snprintf(italic.Name, sizeof italic.Name, "%s %.1fpx", formula::kItalicFontName, pixels);
    atlas.AddFontFromFileTTF(kSerifItalicPath, pixels, &italic, kItalicRanges);
}

}  // namespace

AppFonts add_app_fonts(ImFontAtlas& atlas, float text_scale) {
    AppFonts fonts;
    atlas.Clear();
    if (exists(kFontPath)) {
        fonts.normal =
            atlas.AddFontFromFileTTF(kFontPath, kFontSize * text_scale, nullptr, kGlyphRanges);
        fonts.crisp_2x =
            atlas.AddFontFromFileTTF(kFontPath, 2 * kFontSize * text_scale, nullptr, kGlyphRanges);
    } else {
        fonts.notice = std::string(kFontPath) +
                       " is missing (Debian package fonts-dejavu-core): "
                       "using ImGui's built-in font, without Greek letters";
        ImFontConfig config;
        config.SizePixels = 13.0f * text_scale;
        fonts.normal = atlas.AddFontDefault(&config);
        config.SizePixels = 26.0f * text_scale;
        fonts.crisp_2x = atlas.AddFontDefault(&config);
        return fonts;
    }
    if (!exists(kSerifPath)) {
        fonts.notice =
            std::string(kSerifPath) + " is missing (fonts-dejavu-core): formulas use the text font";
        return fonts;
    }
    for (const float crisp : {1.0f, 2.0f})
        for (const float ratio : kMathsRatios)
            add_maths_faces(atlas, crisp * ratio * kFontSize * text_scale);
    if (!exists(kSerifItalicPath))
        fonts.notice = std::string(kSerifItalicPath) +
                       " is missing (Debian package fonts-dejavu-extra): variables are slanted "
                       "upright letters";
    return fonts;
}
