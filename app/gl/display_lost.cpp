#include "app/gl/display_lost.h"

#include <X11/Xlib.h>
#include <unistd.h>

namespace {

// Xlib calls this when the connection breaks, and exits if it returns. _exit ends at once:
// files are written atomically, so nothing half-written is left, and the last autosave is
// offered at the next start. Only async-signal-safe calls here: the process is going down.
int on_display_lost(Display*) {
    static const char message[] =
        "aelab: the display went away (X connection lost): training stopped; the last "
        "autosave is offered at the next start\n";
    [[maybe_unused]] const ssize_t written = write(STDERR_FILENO, message, sizeof message - 1);
    _exit(1);
}

}  // namespace

void exit_when_the_display_goes() { XSetIOErrorHandler(on_display_lost); }
