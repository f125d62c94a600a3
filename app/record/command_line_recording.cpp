#include "app/record/command_line_recording.h"

#include <iostream>

#include "app/panels/file_dialog.h"

using namespace aelab;

namespace {

// Iterations of the window's loop (~60 a second) a paused snapshot must stay the same before
// its frame is taken: views the panels ask for arrive in the next publications, and new
// auto-sized windows need a few frames. 6 was too few on a loaded machine (a Filters frame
// drawn before its view came; 1 run in 3 differed); with 20, 6 of 6 runs under load agreed.
constexpr int kSettleFrames = 20;

}  // namespace

bool CommandLineRecording::take_this_frame(const Snapshot& s, Recorder& recorder) {
    if (m_failed_to_start) return false;
    const bool paused = !s.status.running && !s.status.loading;
    if (s.version != m_seen_version || !paused) {
        m_seen_version = s.version;
        m_settled_frames = 0;
        return false;
    }
    if (++m_settled_frames < kSettleFrames) return false;
    if (!m_started) {
        if (s.progress.step < m_first_step) return false;
        m_started = true;
        if (auto error = recorder.start(m_settings, s.progress.step)) {
            std::cerr << "aelab: --record: " << error->message << "\n";
            m_failed_to_start = true;
            return false;
        }
    }
    return recorder.progress().recording && recorder.wants_frame(s.progress.step);
}

void CommandLineRecording::frame_taken(TrainerPort& trainer, const Recorder& recorder) {
    m_settled_frames = 0;
    if (recorder.progress().recording) trainer.send(commands::Step{m_settings.every});
}

std::optional<int> CommandLineRecording::finished(Recorder& recorder, std::ostream& out, std::ostream& err) {
    if (m_failed_to_start) return 2;
    const auto result = recorder.take_result();
    if (!result) return std::nullopt;
    if (result->error) {
        err << "aelab: recording not saved: " << *result->error << "\n";
        return 2;
    }
    out << "aelab: recorded " << result->frames << " frames to " << result->path << " ("
        << format_file_size(uintmax_t(result->bytes)) << ", " << result->bytes << " bytes)\n";
    return 0;
}
