#include "app/gl/fonts.h"

#include <filesystem>

namespace {

constexpr const char* kFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr float kFontSize = 16.0f;

// Latin, Greek (λ β σ μ), punctuation (— … ‖), super/subscripts (², ᵀ), arrows (→),
// maths (√ ≥ ⊙ −) and the triangles of menus (▸): what the labels and lessons use.
const ImWchar kGlyphRanges[] = {0x0020, 0x00FF, 0x0300, 0x036F, 0x0370, 0x03FF, 0x1D00,
                                0x1D7F, 0x2000, 0x206F, 0x2070, 0x209F, 0x2190, 0x21FF,
                                0x2200, 0x22FF, 0x25A0, 0x25FF, 0};

}  // namespace

AppFonts add_app_fonts(ImFontAtlas& atlas, float text_scale) {
    AppFonts fonts;
    atlas.Clear();
    std::error_code ec;
    if (std::filesystem::exists(kFontPath, ec)) {  // ImGui asserts (aborts) on a missing file
        fonts.normal = atlas.AddFontFromFileTTF(kFontPath, kFontSize * text_scale, nullptr, kGlyphRanges);
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
    }
    return fonts;
}
