// --record: the window records N frames, K training steps apart, then exits (as --screenshot
// does). It drives the trainer step by step — Step{K}, wait for that step's snapshot to settle,
// take the frame — so frame n shows exactly step n·K (after the --steps trained first), and two
// runs of the same deterministic training give the same files byte for byte. GUI thread.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>

#include "app/record/recorder.h"
#include "core/run/snapshot.h"
#include "core/trainer/trainer_port.h"

class CommandLineRecording {
public:
    // `first_step`: the step the recording starts at (what --steps trains first).
    CommandLineRecording(RecordSettings settings, int64_t first_step)
        : m_settings(std::move(settings)), m_first_step(first_step) {}

    // Called every loop iteration with the newest snapshot: starts the recording once the
    // first step is reached, and says whether this frame is to be taken (its step settled).
    bool take_this_frame(const aelab::Snapshot& snapshot, Recorder& recorder);
    // After a frame was handed to the recorder: train the next K steps, unless that was the last.
    void frame_taken(aelab::TrainerPort& trainer, const Recorder& recorder);
    // Once the file is complete: the line printed, and the exit code (0, or 2 on an error).
    std::optional<int> finished(Recorder& recorder, std::ostream& out, std::ostream& err);

private:
    RecordSettings m_settings;
    int64_t m_first_step = 0;
    bool m_started = false;
    bool m_failed_to_start = false;
    uint64_t m_seen_version = 0;
    int m_settled_frames = 0;  // loop iterations the snapshot has stayed the same
};
