// How many bytes this machine lets a run, or a file being read, take: the budget every reader
// checks declared sizes against before it allocates. Any thread.
#pragma once

#include <cstdint>
#include <string>

namespace aelab {

// Physical memory (MemTotal), and the share a run may take by default: half of it, because
// the window, the GL driver and the rest of the desktop need the other half. (A config's own
// budget, key memory_budget: run/memory_budget.h.)
uint64_t physical_memory_bytes();
uint64_t memory_budget_bytes();

// "512 KB", "1.3 GB": what the messages say.
std::string format_bytes(double bytes);

}  // namespace aelab
