#include "app/record/recorder.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "app/record/step_stamp.h"
#include "core/base/atomic_file.h"

using namespace aelab;

namespace {

// Frames read back but not yet encoded. A 2× frame of the whole window is ~30 MB: the
// recorder skips a step's frame rather than let memory grow while the encoder catches up.
constexpr size_t kMaxQueuedFrames = 8;

}  // namespace

bool records_gif(const std::string& path) {
    if (path.size() < 4) return false;
    std::string end = path.substr(path.size() - 4);
    for (char& c : end) c = char(std::tolower((unsigned char)c));
    return end == ".gif";
}

Recorder::~Recorder() {
    stop();
    join();
}

void Recorder::join() {
    if (m_encoder.joinable()) m_encoder.join();
}

std::optional<Error> Recorder::start(const RecordSettings& settings, int64_t step) {
    if (progress().busy) return Error{"a recording is already under way (" + m_settings.path + ")"};
    join();
    if (settings.every < 1 || settings.frames < 0 || (settings.scale != 1 && settings.scale != 2))
        return Error{"record: every must be ≥ 1 step, frames ≥ 0 and the scale 1 or 2"};
    if (records_gif(settings.path)) {
        auto gif = GifWriter::create(settings.path, settings.delay_centiseconds);
        if (!gif) return Error{gif.error()};
        m_gif = std::move(*gif);
    } else {
        std::error_code ec;
        std::filesystem::create_directories(settings.path, ec);
        if (ec || !std::filesystem::is_directory(settings.path))
            return Error{settings.path + ": cannot make this folder for the frames: " +
                         (ec ? ec.message() : "a file of that name is in the way")};
        m_gif.reset();
    }
    m_settings = settings;
    m_next_step = step;
    m_taken = 0;
    m_taking = true;
    {
        std::lock_guard lock(m_mutex);
        m_queue.clear();
        m_closing = false;
        m_failure.reset();
        m_written = 0;
        m_bytes = 0;
        m_encoding = true;
        m_result.reset();
    }
    m_encoder = std::thread([this] { encode_frames(); });
    return std::nullopt;
}

bool Recorder::wants_frame(int64_t step) const {
    if (!m_taking || step < m_next_step) return false;
    std::lock_guard lock(m_mutex);
    return m_encoding && m_queue.size() < kMaxQueuedFrames;
}

void Recorder::submit(RgbaImage pixels, int64_t step) {
    if (!m_taking) return;
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(Frame{std::move(pixels), step});
    }
    m_wake.notify_one();
    ++m_taken;
    // The next frame is at the next multiple of `every` on from the first frame's step,
    // whatever step this one turned out to be: frames stay on the training's clock.
    const int64_t every = m_settings.every;
    m_next_step += (step - m_next_step) / every * every + every;
    if (m_settings.frames > 0 && m_taken >= m_settings.frames) stop();
}

void Recorder::stop() {
    m_taking = false;
    {
        std::lock_guard lock(m_mutex);
        m_closing = true;
    }
    m_wake.notify_one();
}

void Recorder::fail(const std::string& message) {
    {
        std::lock_guard lock(m_mutex);
        if (!m_failure) m_failure = message;
    }
    stop();
}

Recorder::Progress Recorder::progress() const {
    std::lock_guard lock(m_mutex);
    // An encoder stopped by an error takes no more frames.
    return {m_written, m_bytes, m_taking && m_encoding, m_encoding};
}

std::optional<Recorder::Result> Recorder::take_result() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_result, std::nullopt);
}

void Recorder::encode_frames() {
    int index = 0;
    int64_t bytes = 0;
    std::optional<std::string> error;
    for (;;) {
        Frame frame;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return !m_queue.empty() || m_closing || m_failure; });
            if (m_failure && !error) error = m_failure;
            if (error || m_queue.empty()) break;  // closing, every frame written
            frame = std::move(m_queue.front());
            m_queue.pop_front();
        }
        if (auto failed = write(frame, index, bytes)) {
            error = failed->message;
            break;
        }
        std::lock_guard lock(m_mutex);
        m_written = ++index;
        m_bytes = bytes;
    }
    if (m_gif && !error) {
        if (auto failed = m_gif->finish()) error = failed->message;
        else bytes = m_gif->bytes_written();
    }
    if (m_gif) m_gif->abandon();  // after an error: the partial GIF goes
    m_gif.reset();
    std::lock_guard lock(m_mutex);
    m_queue.clear();
    m_bytes = bytes;
    m_encoding = false;
    m_result = Result{m_settings.path, index, bytes, error};
}

std::optional<Error> Recorder::write(Frame& frame, int index, int64_t& bytes) {
    if (m_settings.stamp_step) stamp_step(frame.pixels, frame.step);
    if (m_gif) {
        if (auto error = m_gif->add_frame(frame.pixels)) return error;
        bytes = m_gif->bytes_written();
        return std::nullopt;
    }
    char name[32];
    std::snprintf(name, sizeof name, "frame-%05d.png", index + 1);
    const std::string path = (std::filesystem::path(m_settings.path) / name).string();
    const std::string png = encode_png(frame.pixels);
    if (png.empty()) return Error{path + ": nothing to save (an empty frame)"};
    if (auto error = write_file_atomically(path, png)) return error;
    bytes += int64_t(png.size());
    return std::nullopt;
}
