// The run-file targets' second half: a decoded run resumed and stepped, as opening a file in
// the window does (many run-file bugs live past the decoder: Session::resume, the optimiser's
// first step). Fuzz processes only.
#pragma once

#include "core/run/run_state.h"

namespace fuzz {

// Resumes `state` on its built-in data set and takes two steps; does nothing for a config
// that names other data or a model too big to step quickly.
void try_resume(const aelab::RunState& state);

}  // namespace fuzz
