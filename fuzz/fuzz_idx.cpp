// An IDX file (MNIST format) as read_idx_images and read_idx_labels read it: the input as a
// plain file and gzipped (zlib's gzread serves both), so the header and size checks are
// reached through the decompressor too. The readers take paths: the bytes go to a file of
// this process in the temporary folder ($TMPDIR, else /tmp).
#include <unistd.h>
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/data/dataset.h"

namespace {

std::string temp_path(const char* suffix) {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/aelab_fuzz_idx_" +
           std::to_string(::getpid()) + suffix;
}

std::string gzipped(const uint8_t* data, size_t size) {
    z_stream z{};
    deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);  // gzip wrapper
    std::string out(deflateBound(&z, uLong(size)) + 32, '\0');
    z.next_in = const_cast<Bytef*>(data);
    z.avail_in = uInt(size);
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

void read_both(const std::string& path, const char* bytes, size_t size) {
    {
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        file.write(bytes, std::streamsize(size));
    }
    (void)aelab::read_idx_images(path);
    (void)aelab::read_idx_labels(path);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::string plain = temp_path(".idx"), gz = temp_path(".idx.gz");
    read_both(plain, reinterpret_cast<const char*>(data), size);
    const std::string packed = gzipped(data, size);
    read_both(gz, packed.data(), packed.size());
    std::filesystem::remove(plain);
    std::filesystem::remove(gz);
    return 0;
}
