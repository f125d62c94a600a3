// Saving files without ever leaving a half-written one: write a temporary file beside the
// target, flush it, then rename it over the target. Any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/base/expected.h"

namespace aelab {

// The error names the path and the reason (e.g. "No such file or directory"). Something
// at `path` that is not a regular file (a device, a folder, a FIFO) is never replaced.
std::optional<Error> write_file_atomically(const std::string& path, std::string_view bytes);

// Whether write_file_atomically(path, …) can succeed, checked before long work (a training
// run) so that a typo does not waste it: the folder exists and takes a new file, and `path`
// is absent or a regular file. Leaves nothing behind.
std::optional<Error> check_can_write(const std::string& path);

// Removes what a save of `path` killed half-way (kill -9, a power cut) left beside it: files
// named exactly `<path>.tmp-<PID>` whose PID is no live process, or that nobody has written
// for an hour (a PID since reused by another program keeps a dead save's file "alive"). A
// save in progress — its PID alive, its file fresh — is left alone. write_file_atomically
// and load_run call it; returns how many were removed. Best effort: errors are ignored.
int remove_stale_temporaries(const std::string& path);

}  // namespace aelab
