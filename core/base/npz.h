// Files numpy reads: zip archives (PKWARE APPNOTE) and .npy arrays, together numpy's .npz
// layout — the container of run files. Pure functions on bytes; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/expected.h"

namespace aelab {

// One file inside a zip archive.
struct ZipEntry {
    std::string name;
    std::string bytes;
};

// A zip archive of `entries`, in order, stored uncompressed (method 0) with zlib's CRC-32:
// local headers, a central directory and an end record — what numpy.savez writes and
// numpy.load, Python's zipfile and `unzip` read. Byte-identical for identical entries (a
// fixed 1980-01-01 timestamp). No zip64: the archive must stay under 4 GiB and 65535
// entries, which run files do by orders of magnitude. Empty, duplicate or over-long
// (> 65535 bytes) names are programmer errors (AELAB_CHECK), as is a too-large archive.
std::string write_zip(const std::vector<ZipEntry>& entries);

// Reads an archive written by write_zip or numpy.savez / savez_compressed (stored or
// deflated entries), in central-directory order. Everything is checked before anything is
// returned: the end record, the central directory inside the file, each local header's
// signature and name, sizes inside the file, CRC-32, unique names, known methods only.
// Errors say what is wrong ("not a zip archive …", "truncated …", "entry 'x.npy': CRC
// mismatch"); the caller adds the file's name.
// Before anything is inflated, the sum of the entries' declared sizes must stay within
// `byte_budget` and no two entries' local header + data may overlap: an "overlapping" zip bomb
// (many central entries sharing one deflated kernel) expands a few MB into gigabytes otherwise.
inline constexpr uint64_t kNoZipBudget = ~uint64_t(0);
Expected<std::vector<ZipEntry>> read_zip(std::string_view bytes, uint64_t byte_budget = kNoZipBudget);

// .npy format 1.0: magic "\x93NUMPY", version, a little-endian header length, the dict
// {'descr': '<f4', 'fortran_order': False, 'shape': (r, c), } padded with spaces so the data
// starts at a multiple of 64 bytes, ending in '\n'; then the data in C order.
enum class NpyType { Float32, Float64, Int64, UInt64, UInt8 };  // '<f4' '<f8' '<i8' '<u8' '|u1'

struct NpyArray {
    NpyType type = NpyType::Float32;
    std::vector<int64_t> shape;  // () a scalar, (n,) a vector, (rows, cols) a matrix
    std::string data;            // little-endian, C order (row-major): count()·itemsize bytes
    int64_t count() const;       // product of shape (1 for a scalar)
};

// numpy's name of the type ('<f4', …), and its size in bytes.
const char* npy_descr(NpyType type);
int npy_itemsize(NpyType type);

// Header version 1.0. data must hold count()·itemsize bytes (AELAB_CHECK).
std::string npy_encode(const NpyArray& array);
// Reads header versions 1.0, 2.0 and 3.0; refuses fortran_order True, unknown or big-endian
// descr, a data size that does not fit the shape, and a malformed header, saying which.
Expected<NpyArray> npy_decode(std::string_view bytes);

// Float matrices are taken in C order (row-major): Eigen's default is column-major, so pass
// a RowMajor copy (or the transpose's data, with the shape swapped).
NpyArray npy_from_floats(const float* row_major, std::vector<int64_t> shape);
NpyArray npy_from_u64(const std::vector<uint64_t>& values);  // shape (n,)
NpyArray npy_from_i64(const std::vector<int64_t>& values);   // shape (n,)
// All count() values in C order, whatever the shape; an array of another type is an Error
// naming both types (no silent conversion).
Expected<std::vector<float>> npy_floats(const NpyArray& array);
Expected<std::vector<uint64_t>> npy_u64(const NpyArray& array);
Expected<std::vector<int64_t>> npy_i64(const NpyArray& array);

}  // namespace aelab
