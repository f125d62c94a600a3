// Animated GIFs of the window's frames (File ▸ Record…, --record): giflib writes them, one
// local colour table per frame, no dithering, so the flat colours of plots stay flat. Any one
// thread at a time (a recording's encoder thread); no GL.
//
// Each frame after the first is written as the rectangle that changed since the frame before,
// with the pixels in it that did not change made transparent: a loss curve that grows by a
// few pixels costs a few hundred bytes, not the whole panel again.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/expected.h"
#include "core/files/image_grid.h"

struct GifFileType;

namespace aelab {

// 0xRRGGBB, the colour of one opaque pixel.
using Rgb = uint32_t;

inline Rgb rgb_at(const RgbaImage& image, size_t pixel) {
    const uint8_t* p = &image.rgba[pixel * 4];
    return Rgb(p[0]) << 16 | Rgb(p[1]) << 8 | Rgb(p[2]);
}

// At most `max_colours` (1 … 256) colours for `pixels`: exactly the colours present, in
// increasing order, when there are that few; otherwise the most frequent colours kept exactly
// (a plot's background, axes and curves), the rest median-cut boxes' weighted means. The same
// pixels give the same palette, whatever their order.
std::vector<Rgb> choose_palette(const std::vector<Rgb>& pixels, int max_colours);

class GifWriter {
public:
    // Opens (creates or truncates) `path`; frames show for `delay_centiseconds` each and the
    // animation loops. The error names the file.
    static Expected<std::unique_ptr<GifWriter>> create(const std::string& path,
                                                       int delay_centiseconds);
    ~GifWriter();  // a writer neither finished nor abandoned is abandoned
    GifWriter(const GifWriter&) = delete;
    GifWriter& operator=(const GifWriter&) = delete;

    // The first frame sets the animation's size; a later frame of another size is cropped,
    // or padded with its top-left pixel's colour, to it. On an error (a full disk) the
    // writer is abandoned: the file is removed, and the error names it.
    std::optional<Error> add_frame(const RgbaImage& frame);
    // Writes the trailer and closes the file (an error removes it, as above).
    std::optional<Error> finish();
    // Closes and removes the file: a recording stopped by an error leaves no partial GIF.
    void abandon();

    int frames() const { return m_frames; }
    int64_t bytes_written() const { return m_bytes; }
    const std::string& path() const { return m_path; }

private:
    GifWriter(std::string path, std::FILE* file, int delay_centiseconds);
    static int write_bytes(GifFileType* gif, const unsigned char* bytes, int count);
    std::optional<Error> start(int width, int height);
    std::optional<Error> put_frame(const RgbaImage& frame);
    std::optional<Error> fail(const std::string& what);

    std::string m_path;
    std::FILE* m_file = nullptr;
    GifFileType* m_gif = nullptr;
    int m_delay = 10;
    int m_frames = 0;
    int64_t m_bytes = 0;
    bool m_write_failed = false;
    int m_write_errno = 0;
    RgbaImage m_previous;  // the frame as the viewer shows it now: what changes are taken against
};

}  // namespace aelab
