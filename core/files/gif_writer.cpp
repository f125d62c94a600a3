#include "core/files/gif_writer.h"

#include <gif_lib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unordered_map>

namespace aelab {

namespace {

struct ColourCount {
    Rgb colour;
    int64_t count;
};

int channel(Rgb colour, int c) { return int(colour >> (16 - 8 * c)) & 0xff; }

// Each colour once, in increasing order, with how many pixels have it.
std::vector<ColourCount> histogram(std::vector<Rgb> pixels) {
    std::sort(pixels.begin(), pixels.end());
    std::vector<ColourCount> counts;
    for (Rgb p : pixels) {
        if (counts.empty() || counts.back().colour != p) counts.push_back({p, 0});
        ++counts.back().count;
    }
    return counts;
}

// The channel (0 r, 1 g, 2 b) along which [first, last) spreads furthest, and how far.
std::pair<int, int> widest_channel(const ColourCount* first, const ColourCount* last) {
    std::pair<int, int> best{0, -1};
    for (int c = 0; c < 3; ++c) {
        int lo = 255, hi = 0;
        for (const ColourCount* it = first; it != last; ++it) {
            lo = std::min(lo, channel(it->colour, c));
            hi = std::max(hi, channel(it->colour, c));
        }
        if (hi - lo > best.second) best = {c, hi - lo};
    }
    return best;
}

// Median cut of `colours` into at most `boxes` boxes; each box gives its weighted mean.
std::vector<Rgb> median_cut(std::vector<ColourCount> colours, int boxes) {
    std::vector<std::pair<size_t, size_t>> ranges{{0, colours.size()}};
    while (int(ranges.size()) < boxes) {
        int pick = -1, pick_width = 0, pick_channel = 0;
        for (size_t i = 0; i < ranges.size(); ++i) {
            if (ranges[i].second - ranges[i].first < 2) continue;
            const auto [c, width] = widest_channel(&colours[ranges[i].first], &colours[ranges[i].second]);
            if (width > pick_width) pick = int(i), pick_width = width, pick_channel = c;
        }
        if (pick < 0) break;  // every box holds one colour (or one shade)
        auto [begin, end] = ranges[pick];
        // Colours are unique, so sorting by (channel, colour) is a total order: deterministic.
        std::sort(colours.begin() + begin, colours.begin() + end, [c = pick_channel](auto& a, auto& b) {
            return std::pair(channel(a.colour, c), a.colour) < std::pair(channel(b.colour, c), b.colour);
        });
        int64_t total = 0, running = 0;
        for (size_t i = begin; i < end; ++i) total += colours[i].count;
        size_t split = begin + 1;
        while (split < end - 1 && (running += colours[split - 1].count) * 2 < total) ++split;
        ranges[pick] = {begin, split};
        ranges.push_back({split, end});
    }
    std::vector<Rgb> palette;
    for (auto [begin, end] : ranges) {
        std::array<int64_t, 3> sum{};
        int64_t weight = 0;
        for (size_t i = begin; i < end; ++i) {
            for (int c = 0; c < 3; ++c) sum[c] += channel(colours[i].colour, c) * colours[i].count;
            weight += colours[i].count;
        }
        Rgb mean = 0;
        for (int c = 0; c < 3; ++c) mean = mean << 8 | Rgb((sum[c] + weight / 2) / weight);
        palette.push_back(mean);
    }
    return palette;
}

// Maps colours to palette indices: exact where the palette has the colour, else the nearest
// (squared RGB distance, the lowest index on a tie); remembered per colour.
class NearestColour {
public:
    explicit NearestColour(const std::vector<Rgb>& palette) : m_palette(palette) {}
    uint8_t operator()(Rgb colour) {
        if (auto it = m_known.find(colour); it != m_known.end()) return it->second;
        int best = 0, best_distance = 1 << 30;
        for (size_t i = 0; i < m_palette.size() && best_distance > 0; ++i) {
            int d = 0;
            for (int c = 0; c < 3; ++c) {
                const int diff = channel(colour, c) - channel(m_palette[i], c);
                d += diff * diff;
            }
            if (d < best_distance) best = int(i), best_distance = d;
        }
        return m_known[colour] = uint8_t(best);
    }

private:
    const std::vector<Rgb>& m_palette;
    std::unordered_map<Rgb, uint8_t> m_known;
};

// `frame` cut or padded (with its top-left pixel's colour) to width × height.
RgbaImage fit(const RgbaImage& frame, int width, int height) {
    if (frame.width == width && frame.height == height) return frame;
    RgbaImage out{width, height, std::vector<uint8_t>(size_t(width) * height * 4, 255)};
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const bool inside = x < frame.width && y < frame.height;
            const size_t from = inside ? (size_t(y) * frame.width + x) * 4 : 0;
            if (frame.rgba.empty()) continue;
            std::memcpy(&out.rgba[(size_t(y) * width + x) * 4], &frame.rgba[from], 3);
        }
    return out;
}

struct Rect {
    int x = 0, y = 0, width = 0, height = 0;
};

// The smallest rectangle holding every pixel whose colour differs; empty when none does.
Rect changed_rect(const RgbaImage& before, const RgbaImage& after) {
    int x0 = after.width, y0 = after.height, x1 = -1, y1 = -1;
    for (int y = 0; y < after.height; ++y)
        for (int x = 0; x < after.width; ++x) {
            const size_t i = size_t(y) * after.width + x;
            if (rgb_at(before, i) == rgb_at(after, i)) continue;
            x0 = std::min(x0, x), x1 = std::max(x1, x);
            y0 = std::min(y0, y), y1 = std::max(y1, y);
        }
    if (x1 < 0) return {};
    return {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

}  // namespace

std::vector<Rgb> choose_palette(const std::vector<Rgb>& pixels, int max_colours) {
    max_colours = std::clamp(max_colours, 1, 256);
    std::vector<ColourCount> colours = histogram(pixels);
    std::vector<Rgb> palette;
    if (int(colours.size()) <= max_colours) {
        for (const ColourCount& c : colours) palette.push_back(c.colour);
        return palette;
    }
    // The most frequent quarter stays exact: flat backgrounds, axes and curve colours.
    std::stable_sort(colours.begin(), colours.end(),
                     [](const ColourCount& a, const ColourCount& b) { return a.count > b.count; });
    const int exact = max_colours / 4;
    for (int i = 0; i < exact; ++i) palette.push_back(colours[i].colour);
    std::vector<ColourCount> rest(colours.begin() + exact, colours.end());
    std::sort(rest.begin(), rest.end(), [](auto& a, auto& b) { return a.colour < b.colour; });
    for (Rgb mean : median_cut(std::move(rest), max_colours - exact)) palette.push_back(mean);
    return palette;
}

Expected<std::unique_ptr<GifWriter>> GifWriter::create(const std::string& path, int delay_centiseconds) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return Error{path + ": is a folder, not a file name"};
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (!file) return Error{path + ": cannot write: " + std::strerror(errno)};
    std::unique_ptr<GifWriter> writer(new GifWriter(path, file, std::clamp(delay_centiseconds, 1, 65535)));
    int error = 0;
    writer->m_gif = EGifOpen(writer.get(), &GifWriter::write_bytes, &error);
    if (!writer->m_gif) {
        const std::string reason = GifErrorString(error) ? GifErrorString(error) : "giflib failed";
        writer->abandon();
        return Error{path + ": " + reason};
    }
    return writer;
}

GifWriter::GifWriter(std::string path, std::FILE* file, int delay_centiseconds)
    : m_path(std::move(path)), m_file(file), m_delay(delay_centiseconds) {}

GifWriter::~GifWriter() { abandon(); }

int GifWriter::write_bytes(GifFileType* gif, const unsigned char* bytes, int count) {
    auto* self = static_cast<GifWriter*>(gif->UserData);
    const size_t written = std::fwrite(bytes, 1, size_t(count), self->m_file);
    self->m_bytes += int64_t(written);
    if (written != size_t(count) && !self->m_write_failed)
        self->m_write_failed = true, self->m_write_errno = errno;
    return int(written);
}

std::optional<Error> GifWriter::fail(const std::string& what) {
    std::string reason = what;
    if (m_write_failed || std::ferror(m_file))
        reason = std::strerror(m_write_errno ? m_write_errno : errno);
    abandon();
    return Error{m_path + ": " + reason + " (the partial file was removed)"};
}

void GifWriter::abandon() {
    if (!m_file) return;
    if (m_gif) EGifCloseFile(m_gif, nullptr);
    m_gif = nullptr;
    std::fclose(m_file);
    m_file = nullptr;
    std::error_code ec;
    // Only a file this writer made is removed (never /dev/full or another device).
    if (std::filesystem::is_regular_file(m_path, ec)) std::filesystem::remove(m_path, ec);
}

std::optional<Error> GifWriter::start(int width, int height) {
    if (width < 1 || height < 1 || width > 65535 || height > 65535)
        return fail("a frame of " + std::to_string(width) + "x" + std::to_string(height) +
                    " pixels cannot be a GIF (1 to 65535 a side)");
    EGifSetGifVersion(m_gif, true);  // GIF89a: delays and looping need its extensions
    if (EGifPutScreenDesc(m_gif, width, height, 8, 0, nullptr) == GIF_ERROR) return fail("write error");
    // The NETSCAPE2.0 extension: loop for ever.
    const unsigned char loop[3] = {1, 0, 0};
    if (EGifPutExtensionLeader(m_gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
        EGifPutExtensionBlock(m_gif, 11, "NETSCAPE2.0") == GIF_ERROR ||
        EGifPutExtensionBlock(m_gif, 3, loop) == GIF_ERROR || EGifPutExtensionTrailer(m_gif) == GIF_ERROR)
        return fail("write error");
    m_previous = RgbaImage{width, height, {}};
    return std::nullopt;
}

std::optional<Error> GifWriter::add_frame(const RgbaImage& given) {
    if (!m_file) return Error{m_path + ": the recording was already closed"};
    if (m_frames == 0)
        if (auto error = start(given.width, given.height)) return error;
    if (auto error = put_frame(fit(given, m_previous.width, m_previous.height))) return error;
    ++m_frames;
    // Flushed per frame, so a full disk shows at this frame and the counter shows real bytes.
    if (std::fflush(m_file) != 0 || m_write_failed) return fail("write error");
    return std::nullopt;
}

std::optional<Error> GifWriter::put_frame(const RgbaImage& frame) {
    const bool first = m_previous.rgba.empty();
    if (first) m_previous.rgba.assign(size_t(frame.width) * frame.height * 4, 255);
    Rect rect = first ? Rect{0, 0, frame.width, frame.height} : changed_rect(m_previous, frame);
    if (rect.width == 0) rect = {0, 0, 1, 1};  // nothing changed: one transparent pixel
    // Pixels inside the rectangle that did not change stay as they were (transparent).
    std::vector<Rgb> changed;
    bool any_unchanged = false;
    for (int y = rect.y; y < rect.y + rect.height; ++y)
        for (int x = rect.x; x < rect.x + rect.width; ++x) {
            const size_t i = size_t(y) * frame.width + x;
            if (!first && rgb_at(m_previous, i) == rgb_at(frame, i)) any_unchanged = true;
            else changed.push_back(rgb_at(frame, i));
        }
    std::vector<Rgb> palette = choose_palette(changed, any_unchanged ? 255 : 256);
    if (changed.empty()) palette.clear();
    const int transparent = any_unchanged ? int(palette.size()) : NO_TRANSPARENT_COLOR;
    const int used = int(palette.size()) + (any_unchanged ? 1 : 0);
    const int table_size = 1 << std::max(1, GifBitSize(used));
    std::vector<GifColorType> colours(size_t(table_size), GifColorType{0, 0, 0});
    for (size_t i = 0; i < palette.size(); ++i)
        colours[i] = {GifByteType(channel(palette[i], 0)), GifByteType(channel(palette[i], 1)),
                      GifByteType(channel(palette[i], 2))};
    ColorMapObject* map = GifMakeMapObject(table_size, colours.data());
    if (!map) return fail("out of memory for a colour table");

    GraphicsControlBlock control{DISPOSE_DO_NOT, false, m_delay, transparent};
    GifByteType control_bytes[4];
    EGifGCBToExtension(&control, control_bytes);
    const bool described =
        EGifPutExtension(m_gif, GRAPHICS_EXT_FUNC_CODE, 4, control_bytes) != GIF_ERROR &&
        EGifPutImageDesc(m_gif, rect.x, rect.y, rect.width, rect.height, false, map) != GIF_ERROR;
    GifFreeMapObject(map);
    if (!described) return fail("write error");

    NearestColour nearest(palette);
    std::vector<GifPixelType> line(size_t(rect.width));
    for (int y = rect.y; y < rect.y + rect.height; ++y) {
        for (int x = rect.x; x < rect.x + rect.width; ++x) {
            const size_t i = size_t(y) * frame.width + x;
            const Rgb colour = rgb_at(frame, i);
            if (!first && rgb_at(m_previous, i) == colour) {
                line[size_t(x - rect.x)] = GifPixelType(transparent);
                continue;
            }
            const uint8_t index = nearest(colour);
            line[size_t(x - rect.x)] = index;
            // The viewer now shows the palette's colour: the next frame is compared with that.
            uint8_t* shown = &m_previous.rgba[i * 4];
            for (int c = 0; c < 3; ++c) shown[c] = uint8_t(channel(palette[index], c));
        }
        if (EGifPutLine(m_gif, line.data(), rect.width) == GIF_ERROR) return fail("write error");
    }
    return std::nullopt;
}

std::optional<Error> GifWriter::finish() {
    if (!m_file) return Error{m_path + ": the recording was already closed"};
    if (m_frames == 0) {
        abandon();
        return Error{m_path + ": no frame was recorded, so no file was written"};
    }
    int error = 0;
    const int closed = EGifCloseFile(m_gif, &error);
    m_gif = nullptr;
    if (closed == GIF_ERROR || m_write_failed || std::fflush(m_file) != 0) return fail("write error");
    if (std::fclose(std::exchange(m_file, nullptr)) != 0) {
        const int saved = errno;
        std::error_code ec;
        if (std::filesystem::is_regular_file(m_path, ec)) std::filesystem::remove(m_path, ec);
        return Error{m_path + ": " + std::strerror(saved) + " (the partial file was removed)"};
    }
    return std::nullopt;
}

}  // namespace aelab
