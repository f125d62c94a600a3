// Why OpenBLAS is loaded with dlopen: it picks its kernels once, when it is loaded, from the
// CPU's family and model number, and Debian 12's OpenBLAS 0.3.21 predates Intel's Sapphire
// and Emerald Rapids (family 6, models 143 and 207). On those it falls back to its generic
// "Prescott" (SSE3) kernels and every product runs about four times slower than the CPU
// allows (AE batch 256 on one thread of an Emerald Rapids Xeon: 14.0k against 56.7k
// samples/s). Its only knob is OPENBLAS_CORETYPE, read by its constructor, which for a linked
// library runs before any code of ours. Loaded here, by a static initialiser, after the
// choice is in the environment: a CPU (and system) that runs AVX-512 gets the kernels
// OpenBLAS 0.3.21 gives the AVX-512 CPUs it does know, Cooperlake with bf16 and SkylakeX
// without. OPENBLAS_CORETYPE set by the user wins, and another OpenBLAS version is left to
// its own detection.
#include "core/base/openblas.h"

#include <cstdlib>
#include <cstring>
#include <string>

#ifdef AELAB_HAVE_OPENBLAS
#include <cpuid.h>
#include <dlfcn.h>
#include <openblas_config.h>
#endif

namespace aelab {

const char* blas_kernels_to_choose(const char* openblas_version, bool user_chose, bool avx512,
                                   bool bf16) {
    if (user_chose || !avx512 || std::strstr(openblas_version, "0.3.21") == nullptr)
        return nullptr;  // AVX2 and older CPUs: OpenBLAS 0.3.21's own table covers them
    return bf16 ? "Cooperlake" : "SkylakeX";
}

namespace {

struct Loaded {
    OpenBlas api{};
    bool ok = false;
    const char* chosen = nullptr;
    std::string error;
};

#ifdef AELAB_HAVE_OPENBLAS
// AVX-512 usable: the instructions OpenBLAS's SkylakeX kernels use (F, CD, DQ, BW, VL) and
// the operating system saving the ZMM registers (XCR0 bits 1, 2, 5, 6, 7).
bool cpu_runs_avx512(bool* bf16) {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_OSXSAVE))
        return false;
    unsigned xcr0 = 0, xcr0_high = 0;
    __asm__("xgetbv" : "=a"(xcr0), "=d"(xcr0_high) : "c"(0));
    if ((xcr0 & 0xE6) != 0xE6)
        return false;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
        return false;
    const unsigned needed = bit_AVX512F | bit_AVX512CD | bit_AVX512DQ | bit_AVX512BW |
                            bit_AVX512VL;
    if ((ebx & needed) != needed)
        return false;
    *bf16 = __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) && (eax & (1u << 5));
    return true;
}

template <typename F>
bool find(void* library, const char* name, F* function, std::string& error) {
    *function = reinterpret_cast<F>(dlsym(library, name));
    if (!*function) error = std::string("libopenblas.so.0 has no ") + name;
    return *function != nullptr;
}

Loaded load() {
    Loaded out;
    bool bf16 = false;
    const bool avx512 = cpu_runs_avx512(&bf16);
    out.chosen = blas_kernels_to_choose(OPENBLAS_VERSION, std::getenv("OPENBLAS_CORETYPE") != nullptr,
                                        avx512, bf16);
    // setenv is safe here: this runs before main (below), on the only thread there is.
    if (out.chosen) setenv("OPENBLAS_CORETYPE", out.chosen, 0);
    // aelab runs every product on one OpenBLAS thread (set_num_threads(1) below). Told so
    // before it loads, OpenBLAS starts no threads of its own, which otherwise spin for a while
    // at startup (about 65 ms of CPU on 2 cores) and then sit idle for the whole run.
    setenv("OPENBLAS_NUM_THREADS", "1", 1);
    void* library = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char* why = dlerror();
        out.error = why ? why : "libopenblas.so.0 could not be loaded";
        out.chosen = nullptr;
        return out;
    }
    out.ok = find(library, "cblas_sgemm", &out.api.sgemm, out.error) &&
             find(library, "openblas_set_num_threads", &out.api.set_num_threads, out.error) &&
             find(library, "openblas_get_config", &out.api.get_config, out.error) &&
             find(library, "openblas_get_corename", &out.api.get_corename, out.error);
    if (!out.ok) {
        out.chosen = nullptr;
        return out;
    }
    // aelab's own threads cut the batch; a pthread OpenBLAS would otherwise start a pool of
    // its own for each product and fight them (and the window) for the cores.
    out.api.set_num_threads(1);
    return out;
}
#else
Loaded load() {
    Loaded out;
    out.error = "built without OpenBLAS (libopenblas-dev)";
    return out;
}
#endif

const Loaded& loaded() {
    static const Loaded once = load();
    return once;
}

// Loaded before main, while the program has one thread: setenv races with any other
// thread's getenv (GLFW, Mesa and the C library read the environment on theirs).
[[maybe_unused]] const bool g_loaded_before_main = (loaded(), true);

}  // namespace

const OpenBlas* openblas() {
    return loaded().ok ? &loaded().api : nullptr;
}

const char* openblas_load_error() {
    return loaded().error.c_str();
}

const char* blas_kernels_chosen_by_aelab() {
    return loaded().chosen;
}

}  // namespace aelab
