// A run file's entries (fuzz/entries.h), zipped with correct CRCs by write_zip, then read as
// fuzz_run_file reads a file: the npy and JSON layers see mutations the CRC would stop.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/base/npz.h"
#include "core/files/run_file.h"
#include "fuzz/entries.h"
#include "fuzz/resume.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto entries = fuzz::split_entries({reinterpret_cast<const char*>(data), size});
    if (entries.size() > 1000) return 0;
    const std::string zip = aelab::write_zip(entries);
    auto run = aelab::decode_run(zip, "fuzz.aelab");
    if (run) fuzz::try_resume(*run);
    return 0;
}
