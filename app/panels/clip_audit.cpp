#include "app/panels/clip_audit.h"

#include <cmath>
#include <map>
#include <utility>

namespace {

using UvKey = std::pair<float, float>;

// The clip rectangle each vertex of the font's texture is drawn with (through the commands'
// index ranges); null for vertices of other textures.
std::vector<const ImVec4*> font_clips(const ImDrawList& list, const ImFont& font) {
    std::vector<const ImVec4*> clip(size_t(list.VtxBuffer.Size), nullptr);
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
        if (cmd.UserCallback || cmd.TextureId != font.ContainerAtlas->TexID) continue;
        for (unsigned int i = 0; i < cmd.ElemCount; ++i) {
            const unsigned int v = cmd.VtxOffset + list.IdxBuffer[int(cmd.IdxOffset + i)];
            if (v < clip.size()) clip[v] = &cmd.ClipRect;
        }
    }
    return clip;
}

}  // namespace

std::string utf8(unsigned int c) {
    std::string s;
    if (c < 0x80) {
        s += char(c);
    } else if (c < 0x800) {
        s += char(0xC0 | (c >> 6));
        s += char(0x80 | (c & 0x3F));
    } else {
        s += char(0xE0 | (c >> 12));
        s += char(0x80 | ((c >> 6) & 0x3F));
        s += char(0x80 | (c & 0x3F));
    }
    return s;
}

std::string window_of(const ImDrawList& list) {
    std::string name = list._OwnerName ? list._OwnerName : "?";
    name = name.substr(0, name.find('/'));  // a child window: "Parent/child_ID"
    return name.substr(0, name.find("###"));
}

std::vector<DrawnGlyph> drawn_glyphs(const ImDrawList& list, const ImFont& font) {
    // A glyph quad is four vertices in ImFont::RenderText's order — top-left, top-right,
    // bottom-right, bottom-left — with its atlas rectangle as UVs. A glyph keeps its top-left
    // UV when trimmed on the right and its bottom-right UV when trimmed on the left.
    // Every font of the atlas: the formulas' maths faces share the texture.
    using Found = std::pair<const ImFontGlyph*, const ImFont*>;
    std::map<UvKey, Found> by_top_left, by_bottom_right;
    for (const ImFont* f : font.ContainerAtlas->Fonts)
        for (const ImFontGlyph& g : f->Glyphs) {
            if (g.U0 == g.U1) continue;  // the space: nothing drawn
            by_top_left[{g.U0, g.V0}] = {&g, f};
            by_bottom_right[{g.U1, g.V1}] = {&g, f};
        }
    const std::vector<const ImVec4*> clip = font_clips(list, font);
    std::vector<DrawnGlyph> out;
    for (int i = 0; i + 3 < list.VtxBuffer.Size; ++i) {
        const ImDrawVert* q = &list.VtxBuffer[i];
        const bool rect = q[0].pos.y == q[1].pos.y && q[1].pos.x == q[2].pos.x &&
                          q[2].pos.y == q[3].pos.y && q[3].pos.x == q[0].pos.x &&
                          q[0].pos.x < q[1].pos.x && q[0].pos.y < q[3].pos.y;
        const bool uv = q[0].uv.y == q[1].uv.y && q[1].uv.x == q[2].uv.x &&
                        q[2].uv.y == q[3].uv.y && q[3].uv.x == q[0].uv.x && q[0].uv.x < q[1].uv.x &&
                        q[0].uv.y < q[3].uv.y;
        if (!rect || !uv || !clip[size_t(i)]) continue;
        const auto tl = by_top_left.find({q[0].uv.x, q[0].uv.y});
        const auto br = by_bottom_right.find({q[2].uv.x, q[2].uv.y});
        const Found found = tl != by_top_left.end()       ? tl->second
                            : br != by_bottom_right.end() ? br->second
                                                          : Found{nullptr, nullptr};
        const ImFontGlyph* g = found.first;
        if (!g) continue;
        DrawnGlyph d;
        d.glyph = g;
        d.font = found.second;
        d.min = q[0].pos;
        d.max = q[2].pos;
        d.clip = *clip[size_t(i)];
        d.vertex = i;
        // The baseline less the glyph's Y0, scaled as the glyph is (a formula's smaller text).
        const float scale =
            (g->Y1 - g->Y0) > 0 ? (q[2].pos.y - q[0].pos.y) / (g->Y1 - g->Y0) : 1.0f;
        d.row = std::round(q[0].pos.y - g->Y0 * scale);
        d.trimmed = g->U0 != q[0].uv.x || g->U1 != q[2].uv.x;
        out.push_back(d);
        i += 3;
    }
    return out;
}

std::vector<ClippedText> find_clipped_text(const ImDrawData& data, const ImFont& font) {
    std::vector<ClippedText> found;
    for (int l = 0; l < data.CmdListsCount; ++l) {
        const ImDrawList& list = *data.CmdLists[l];
        struct Line {
            std::string text;
            bool cut = false;
            float right = 0;  // where the last glyph ended: a gap is a space
        };
        std::map<float, Line> lines;  // by row
        for (const DrawnGlyph& g : drawn_glyphs(list, font)) {
            // A pixel's grace: text placed at the very edge may overhang it by a glyph's bearing.
            const bool crosses = g.min.x < g.clip.x - 1.0f || g.max.x > g.clip.z + 1.0f;
            Line& line = lines[g.row];
            if (!line.text.empty() && g.min.x - line.right > 0.2f * font.FontSize) line.text += ' ';
            line.text += utf8(g.glyph->Codepoint);
            line.right = g.max.x;
            line.cut |= g.trimmed || crosses;
        }
        for (const auto& [y, line] : lines)
            if (line.cut) {
                const std::string owner = list._OwnerName ? list._OwnerName : "?";
                found.push_back({owner.substr(0, owner.find("###")), line.text});  // less "###id"
            }
    }
    return found;
}
