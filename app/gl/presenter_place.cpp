#include "app/gl/presenter_place.h"

#include <algorithm>

namespace {

bool holds(const MonitorInfo& m, int x, int y) {
    return x >= m.x && x < m.x + m.width && y >= m.y && y < m.y + m.height;
}

// The monitor showing the main window: the one holding its centre, else the primary, else
// the first; -1 when there are none.
int main_monitor(const std::vector<MonitorInfo>& monitors, ScreenRect w) {
    for (size_t i = 0; i < monitors.size(); ++i)
        if (holds(monitors[i], w.x + w.width / 2, w.y + w.height / 2)) return int(i);
    for (size_t i = 0; i < monitors.size(); ++i)
        if (monitors[i].primary) return int(i);
    return monitors.empty() ? -1 : 0;
}

// A window of the main window's size beside it on its own monitor, where there is room.
ScreenRect beside(const MonitorInfo* m, ScreenRect w) {
    constexpr int kOffset = 40;  // no room beside: over it, its title bar still in sight
    if (!m) return {w.x + kOffset, w.y + kOffset, w.width, w.height};
    ScreenRect r{0, std::clamp(w.y, m->y, std::max(m->y, m->y + m->height - w.height)),
                 std::min(w.width, m->width), std::min(w.height, m->height)};
    if (w.x + w.width + r.width <= m->x + m->width)
        r.x = w.x + w.width;
    else if (w.x - r.width >= m->x)
        r.x = w.x - r.width;
    else {
        r.x = std::min(w.x + kOffset, std::max(m->x, m->x + m->width - r.width));
        r.y = std::min(w.y + kOffset, std::max(m->y, m->y + m->height - r.height));
    }
    return r;
}

}  // namespace

PresenterPlace place_presenter(const std::vector<MonitorInfo>& monitors, ScreenRect main_window,
                               bool full_screen) {
    const int home = main_monitor(monitors, main_window);
    int chosen = -1;
    for (size_t i = 0; i < monitors.size(); ++i) {
        if (int(i) == home) continue;
        const auto area = [&](size_t k) { return int64_t(monitors[k].width) * monitors[k].height; };
        if (chosen < 0 || area(i) > area(size_t(chosen))) chosen = int(i);
    }
    PresenterPlace place;
    if (chosen >= 0) {
        const MonitorInfo& m = monitors[size_t(chosen)];
        place.monitor = chosen;
        place.full_screen = full_screen;
        if (full_screen) {
            place.rect = {m.x, m.y, m.width, m.height};
        } else {
            const int w = std::min(main_window.width, m.width);
            const int h = std::min(main_window.height, m.height);
            place.rect = {m.x + (m.width - w) / 2, m.y + (m.height - h) / 2, w, h};
        }
        return place;
    }
    place.rect = beside(home >= 0 ? &monitors[size_t(home)] : nullptr, main_window);
    if (full_screen)
        place.notice = monitors.empty()
                           ? "full screen needs a second monitor, and none is known: the "
                             "presenter opens as a window"
                           : "full screen needs a second monitor; only one is connected (" +
                                 monitors[size_t(home)].name + "): the presenter opens as a window";
    return place;
}
