// What the window does when its display goes away under it (the X server quit, the session
// ended, a forwarded display dropped). Apart from window.cpp: Xlib's `Window` type would
// clash with ours.
#pragma once

// After glfwInit: a lost display ends the process at once with exit code 1 and one line on
// stderr, instead of Xlib's exit(), whose static destructors run while the trainer thread is
// mid-step (a crash in OpenBLAS 2 times in 3).
void exit_when_the_display_goes();
