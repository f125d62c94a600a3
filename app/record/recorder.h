// A recording of the window or one panel, every K training steps (File ▸ Record…, a panel's
// title menu, --record): the GUI thread reads the pixels back and hands them over; a thread
// of the recorder's own stamps the step on them and encodes them (an animated GIF, or a folder
// of numbered PNGs), so neither the GUI thread nor the trainer waits for an encoder.
// start/wants_frame/submit/stop/progress: the GUI thread; the encoder thread is private.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/base/expected.h"
#include "core/files/gif_writer.h"
#include "core/files/image_grid.h"

struct RecordSettings {
    std::string path;   // ends in .gif: an animated GIF; otherwise a folder of numbered PNGs
    std::string panel;  // a panel's name; "" = the whole window
    int every = 10;     // steps between frames, ≥ 1
    int frames = 100;   // frames to take, then stop; 0 = until stopped
    int scale = 1;      // 1 or 2
    bool stamp_step = true;  // "step N" in the bottom-right corner
    int delay_centiseconds = 10;  // how long a GIF frame shows
};

bool records_gif(const std::string& path);  // ends in .gif (any case)

class Recorder {
public:
    struct Progress {
        int frames = 0;           // encoded and written
        int64_t bytes = 0;        // written so far
        bool recording = false;   // frames are still being taken
        bool busy = false;        // recording, or the encoder has frames left to write
    };
    // The end of a recording, once its file is complete (or removed after an error).
    struct Result {
        std::string path;
        int frames = 0;
        int64_t bytes = 0;
        std::optional<std::string> error;  // names the file
    };

    Recorder() = default;
    ~Recorder();  // finishes the file being written (frames already taken are kept)
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    // Opens the file (or makes the folder) and takes the first frame at `step`.
    std::optional<aelab::Error> start(const RecordSettings& settings, int64_t step);
    // Whether the frame showing `step` is one to take: the next multiple of `every` after
    // the last frame's step has come, and the encoder is not too far behind.
    bool wants_frame(int64_t step) const;
    int64_t next_step() const { return m_next_step; }
    // Hands a frame read back at `step` to the encoder; the last one asked for stops taking.
    void submit(aelab::RgbaImage pixels, int64_t step);
    void stop();                             // no more frames; the file is finished
    void fail(const std::string& message);  // stops; the file is removed; message as the error
    Progress progress() const;
    std::optional<Result> take_result();  // once, when the file is complete
    const RecordSettings& settings() const { return m_settings; }

private:
    struct Frame {
        aelab::RgbaImage pixels;
        int64_t step = 0;
    };
    void encode_frames();  // the encoder thread
    std::optional<aelab::Error> write(Frame& frame, int index, int64_t& bytes);
    void join();

    // GUI thread only.
    RecordSettings m_settings;
    int64_t m_next_step = 0;
    int m_taken = 0;
    bool m_taking = false;
    // The encoder thread only, between start() and join().
    std::unique_ptr<aelab::GifWriter> m_gif;

    // Shared, under m_mutex.
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Frame> m_queue;
    bool m_closing = false;  // no more frames will come
    std::optional<std::string> m_failure;  // fail(): the encoder removes the file
    int m_written = 0;
    int64_t m_bytes = 0;
    bool m_encoding = false;
    std::optional<Result> m_result;
    std::thread m_encoder;
};
