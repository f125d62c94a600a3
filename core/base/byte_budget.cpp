#include "core/base/byte_budget.h"

#include <unistd.h>

#include <cstdio>

namespace aelab {

uint64_t physical_memory_bytes() {
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page <= 0) return uint64_t(4) << 30;  // unknown: assume a small machine
    return uint64_t(pages) * uint64_t(page);
}

uint64_t memory_budget_bytes() {
    return physical_memory_bytes() / 2;
}

std::string format_bytes(double bytes) {
    const char* units[] = {"bytes", "KB", "MB", "GB", "TB", "PB"};
    int u = 0;
    while (bytes >= 1000 && u < 5) bytes /= 1000, ++u;
    char text[32];
    std::snprintf(text, sizeof text, u == 0 ? "%.0f %s" : "%.3g %s", bytes, units[u]);
    return text;
}

}  // namespace aelab
