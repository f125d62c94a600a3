// layout_prose(): a paragraph's words — prose and $…$ maths glued together where no space
// parts them, so "$\hat{p}_j$," never loses its comma to the next line — filled greedily into
// lines as widgets::wrap_at_spaces fills plain text; a line grows where its maths is taller.
#include <algorithm>

#include "app/formula/formula.h"

namespace formula {

namespace {

// An unbreakable run of prose and maths.
struct Word {
    std::vector<std::pair<Layout, float>> parts;  // each laid out at its baseline-left, and its x
    float width = 0, ascent = 0, descent = 0;
    int spaces = 0;  // before it
    int breaks = 0;  // '\n's before it
};

void add_part(Word& word, Layout part) {
    word.ascent = std::max(word.ascent, part.box.ascent);
    word.descent = std::max(word.descent, part.box.descent);
    const float width = part.box.width;
    word.parts.emplace_back(std::move(part), word.width);
    word.width += width;
}

Layout plain(const std::string& text, float size, const Measure& measure) {
    Layout out;
    out.box = {measure.ink(text, size, Face::Prose).advance, measure.prose_ascent * size,
               measure.prose_descent * size};
    out.glyphs.push_back({text, 0, 0, size, Face::Prose, 1});
    return out;
}

// How far a formula's ink reaches left of its start: an italic j's tail would reach into the
// space before it, where TeX's wider spaces hide it; the formula moves right by as much.
float left_overhang(const Layout& maths, const Measure& measure) {
    float overhang = 0;
    for (const Glyphs& g : maths.glyphs)
        if (g.x < 0.5f * g.size)  // only the glyphs at its start can reach past it
            overhang = std::max(overhang, -(g.x + measure.ink(g.text, g.size, g.face).left));
    return overhang;
}

// Where maths opens and closes: unescaped '$'s in pairs; an odd last one is a literal '$'.
std::vector<size_t> maths_marks(const std::string& text, std::string& error) {
    std::vector<size_t> marks;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '$')
            ++i;
        else if (text[i] == '$')
            marks.push_back(i);
    }
    if (marks.size() % 2 == 1) {
        if (error.empty()) error = "a '$' opens maths that is never closed";
        marks.pop_back();
    }
    return marks;
}

std::vector<Word> split_words(const std::string& text, float size, const Measure& measure,
                              std::string& error) {
    const std::vector<size_t> marks = maths_marks(text, error);
    std::vector<Word> words(1);
    std::string prose;
    const auto flush = [&] {
        if (!prose.empty()) add_part(words.back(), plain(prose, size, measure));
        prose.clear();
    };
    const auto end_word = [&] {
        flush();
        if (!words.back().parts.empty()) words.emplace_back();
    };
    size_t next_mark = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if (next_mark < marks.size() && i == marks[next_mark]) {
            flush();
            const std::string tex = text.substr(i + 1, marks[next_mark + 1] - i - 1);
            Layout maths = layout(tex, size, measure, Style::Text);
            if (!maths.error.empty()) {
                if (error.empty()) error = maths.error + " (in $" + tex + "$)";
                maths = plain("$" + tex + "$", size, measure);
            }
            words.back().width += left_overhang(maths, measure);
            add_part(words.back(), std::move(maths));
            i = marks[next_mark + 1];
            next_mark += 2;
        } else if (text[i] == ' ' || text[i] == '\n') {
            end_word();
            ++(text[i] == ' ' ? words.back().spaces : words.back().breaks);
            if (text[i] == '\n') words.back().spaces = 0;
        } else {
            const bool escaped_dollar =
                text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '$';
            prose += escaped_dollar ? '$' : text[i];
            i += escaped_dollar ? 1 : 0;
        }
    }
    flush();
    return words;
}

struct Placed {
    const Word* word;
    float x;
};

// Greedy filling: a word goes on the line when it fits, and always when the line is empty.
std::vector<std::vector<Placed>> fill_lines(const std::vector<Word>& words, float width,
                                            float space) {
    std::vector<std::vector<Placed>> lines(1);
    float x = 0;
    bool paragraph_start = true;
    for (const Word& word : words) {
        for (int b = 0; b < word.breaks; ++b) lines.emplace_back();
        if (word.breaks > 0) x = 0, paragraph_start = true;
        if (word.parts.empty()) continue;
        float gap = lines.back().empty() && !paragraph_start ? 0 : word.spaces * space;
        if (!lines.back().empty() && x + gap + word.width > width) {
            lines.emplace_back();
            x = gap = 0;
        }
        lines.back().push_back({&word, x + gap});
        x += gap + word.width;
        paragraph_start = false;
    }
    return lines;
}

void append(Layout& out, const Layout& part, float dx, float dy) {
    for (Glyphs g : part.glyphs) {
        g.x += dx;
        g.y += dy;
        out.glyphs.push_back(std::move(g));
    }
    for (const Rule& r : part.rules)
        out.rules.push_back({r.x0 + dx, r.y0 + dy, r.x1 + dx, r.y1 + dy});
    for (Delimiter d : part.delimiters) {
        d.x += dx;
        d.top += dy;
        d.bottom += dy;
        out.delimiters.push_back(std::move(d));
    }
}

}  // namespace

Layout layout_prose(const std::string& text, float width, float size, const Measure& measure) {
    Layout out;
    if (!measure.ink) {
        out.error = "no text measurer";
        return out;
    }
    const std::vector<Word> words = split_words(text, size, measure, out.error);
    const float space = measure.ink(" ", size, Face::Prose).advance;
    float top = 0;
    for (const std::vector<Placed>& line : fill_lines(words, width, space)) {
        float ascent = measure.prose_ascent * size, descent = measure.prose_descent * size,
              right = 0;
        for (const Placed& p : line) {
            ascent = std::max(ascent, p.word->ascent);
            descent = std::max(descent, p.word->descent);
            right = p.x + p.word->width;
        }
        for (const Placed& p : line)
            for (const auto& [part, x] : p.word->parts) append(out, part, p.x + x, top + ascent);
        out.box.width = std::max(out.box.width, right);
        top += ascent + descent;
    }
    out.box.descent = top;
    return out;
}

}  // namespace formula
