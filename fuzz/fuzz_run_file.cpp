// A run file's bytes as a stranger may hand them over: decode_run (zip, npy, JSON, config),
// then, when it decodes, resumed and stepped (fuzz/resume.h). Mutations rarely keep a zip
// entry's CRC right, so this target mostly explores the container; fuzz_run_entries reaches
// the layers inside it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/files/run_file.h"
#include "fuzz/resume.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto run = aelab::decode_run(bytes, "fuzz.aelab");
    if (run) fuzz::try_resume(*run);
    return 0;
}
