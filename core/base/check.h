// Programmer-error checks that stay on in release builds and print file:line.
// Any thread. Environment errors (bad files, bad keys) use Expected<T> instead.
#pragma once

#include <cstdio>
#include <cstdlib>

#define AELAB_CHECK(cond, msg)                                                                \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            std::fprintf(stderr, "%s:%d: check failed: %s (%s)\n", __FILE__, __LINE__, #cond, \
                         msg);                                                                \
            std::abort();                                                                     \
        }                                                                                     \
    } while (0)
