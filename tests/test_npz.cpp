// Zip archives and .npy arrays (core/npz.h): round trips, the bytes on disk read by hand, the
// standard CRC-32, a corruption corpus (every prefix, every flipped byte, random bytes, under
// ASan no out-of-bounds read), raw-deflated entries, exact .npy headers, every refusal; and,
// where installed, Python's zipfile, Info-ZIP's unzip and numpy.load on our files.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <Eigen/Dense>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "core/base/npz.h"

using namespace aelab;

namespace {

uint32_t u16(std::string_view s, size_t at) {
    return uint32_t(uint8_t(s[at])) | uint32_t(uint8_t(s[at + 1])) << 8;
}
uint32_t u32(std::string_view s, size_t at) {
    return u16(s, at) | u16(s, at + 2) << 16;
}
void le(std::string& out, int width, uint64_t v) {
    for (int i = 0; i < width; ++i) out += char(v >> 8 * i & 0xff);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}
std::string zip_refusal(std::string_view bytes) {
    auto read = read_zip(bytes);
    return read ? "(accepted)" : read.error();
}
std::string npy_refusal(std::string_view bytes) {
    auto read = npy_decode(bytes);
    return read ? "(accepted)" : read.error();
}

using Pairs = std::vector<std::pair<std::string, std::string>>;
Pairs pairs(const std::vector<ZipEntry>& entries) {
    Pairs out;
    for (const ZipEntry& e : entries) out.emplace_back(e.name, e.bytes);
    return out;
}

uint32_t crc(std::string_view s) {
    return uint32_t(crc32(0, reinterpret_cast<const Bytef*>(s.data()), uInt(s.size())));
}

std::string raw_deflate(const std::string& in) {
    z_stream z{};
    EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    std::string out(deflateBound(&z, in.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = uInt(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

// An archive built field by field, independently of write_zip, so that the reader can be
// given what write_zip never writes: deflated entries, duplicate names, odd methods.
struct RawEntry {
    std::string name, stored;
    uint32_t method, crc, size;
};
std::string hand_zip(const std::vector<RawEntry>& entries) {
    std::string out, central;
    for (const RawEntry& e : entries) {
        const size_t offset = out.size();
        le(out, 4, 0x04034b50);
        for (uint64_t v : {20u, 0u, e.method, 0u, 0u}) le(out, 2, v);
        for (uint64_t v : {uint64_t(e.crc), e.stored.size(), uint64_t(e.size)}) le(out, 4, v);
        for (uint64_t v : {e.name.size(), size_t(0)}) le(out, 2, v);
        out += e.name + e.stored;
        le(central, 4, 0x02014b50);
        for (uint64_t v : {20u, 20u, 0u, e.method, 0u, 0u}) le(central, 2, v);
        for (uint64_t v : {uint64_t(e.crc), e.stored.size(), uint64_t(e.size)}) le(central, 4, v);
        for (uint64_t v : {e.name.size(), size_t(0), size_t(0), size_t(0), size_t(0)})
            le(central, 2, v);
        le(central, 4, 0);
        le(central, 4, offset);
        central += e.name;
    }
    const size_t central_offset = out.size();
    out += central;
    le(out, 4, 0x06054b50);
    for (uint64_t v : {size_t(0), size_t(0), entries.size(), entries.size()}) le(out, 2, v);
    le(out, 4, central.size());
    le(out, 4, central_offset);
    le(out, 2, 0);
    return out;
}

// A .npy with the header text as given (no padding), for refusals and other versions.
std::string npy_file(const std::string& dict, const std::string& data, int major = 1) {
    std::string out = "\x93NUMPY";
    out += char(major);
    out += '\0';
    le(out, major == 1 ? 2 : 4, dict.size());
    return out + dict + data;
}

std::string temp_path(const std::string& name) {
    return ::testing::TempDir() + "aelab_npz_" + std::to_string(::getpid()) + "_" + name;
}
void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}
std::string read_file(const std::string& path) {
    std::ostringstream bytes;
    bytes << std::ifstream(path, std::ios::binary).rdbuf();
    return bytes.str();
}
bool shell_ok(const std::string& command) {
    return std::system(command.c_str()) == 0;
}

const std::vector<ZipEntry> kSeveral = {
    {"weights.npy", "some weights"},
    {"empty.bin", ""},
    {"binary", std::string("\0\x01\xff\0PK\x03\x04\0", 9)},
    {"dir/nested.json", std::string(10000, 'j')},
};

}  // namespace

TEST(Zip, RoundTripsSeveralEntriesInOrder) {
    const std::string zip = write_zip(kSeveral);
    auto read = read_zip(zip);
    ASSERT_TRUE(read.ok()) << read.error();
    EXPECT_EQ(pairs(*read), pairs(kSeveral));
    EXPECT_EQ(write_zip(kSeveral), zip) << "identical entries, identical bytes";
    auto none = read_zip(write_zip({}));
    ASSERT_TRUE(none.ok()) << none.error();
    EXPECT_TRUE(none->empty());
}

TEST(Zip, EndRecordAndHeadersReadByHand) {
    const std::string zip = write_zip(kSeveral);
    ASSERT_GE(zip.size(), 22u);
    const size_t end = zip.size() - 22;  // no archive comment
    EXPECT_EQ(u32(zip, end), 0x06054b50u);
    EXPECT_EQ(u16(zip, end + 4), 0u);   // this disk
    EXPECT_EQ(u16(zip, end + 8), 4u);   // entries on this disk
    EXPECT_EQ(u16(zip, end + 10), 4u);  // entries in all
    EXPECT_EQ(u16(zip, end + 20), 0u);  // comment length
    const uint32_t central_size = u32(zip, end + 12), central_offset = u32(zip, end + 16);
    EXPECT_EQ(central_offset + central_size, end);
    size_t at = central_offset;
    for (const ZipEntry& e : kSeveral) {
        ASSERT_EQ(u32(zip, at), 0x02014b50u);
        const uint32_t name_length = u16(zip, at + 28), local = u32(zip, at + 42);
        EXPECT_EQ(zip.substr(at + 46, name_length), e.name);
        EXPECT_EQ(u16(zip, at + 10), 0u) << "stored";
        EXPECT_EQ(u32(zip, at + 24), e.bytes.size());
        ASSERT_EQ(u32(zip, local), 0x04034b50u);
        EXPECT_EQ(u16(zip, local + 12), 0x21u) << "1980-01-01, a valid DOS date";
        EXPECT_EQ(zip.substr(local + 30, name_length), e.name);
        EXPECT_EQ(zip.substr(local + 30 + name_length + u16(zip, local + 28), e.bytes.size()),
                  e.bytes);
        at += 46 + name_length + u16(zip, at + 30) + u16(zip, at + 32);
    }
    EXPECT_EQ(at, end);
}

TEST(Zip, StoresTheStandardCrc32) {
    const std::string zip = write_zip({{"check.txt", "123456789"}});
    EXPECT_EQ(u32(zip, 14), 0xCBF43926u) << "local header";
    EXPECT_EQ(u32(zip, 18), 9u);
    EXPECT_EQ(u32(zip, 22), 9u);
    const uint32_t central = u32(zip, zip.size() - 22 + 16);
    EXPECT_EQ(u32(zip, central + 16), 0xCBF43926u) << "central directory";
}

TEST(Zip, RefusesEmptyRandomAndTruncatedInput) {
    EXPECT_PRED2(contains, zip_refusal(""), "not a zip archive");
    std::mt19937 rng(11);
    for (int i = 0; i < 200; ++i) {
        std::string noise(rng() % 400, '\0');
        for (char& c : noise) c = char(rng());
        EXPECT_PRED2(contains, zip_refusal(noise), "not a zip archive");
        // The same noise behind a plausible end record with random counts and offsets: it
        // must be refused or be an empty archive, and never read outside the buffer.
        std::string fake = noise;
        le(fake, 4, 0x06054b50);
        const uint64_t count = rng() % 3;
        for (uint64_t v : {uint64_t(0), uint64_t(0), count, count}) le(fake, 2, v);
        le(fake, 4, rng() % (noise.size() + 2));
        le(fake, 4, rng() % (noise.size() + 2));
        le(fake, 2, 0);
        auto read = read_zip(fake);
        if (read) {
            EXPECT_TRUE(read->empty());
        }
    }
    const std::string good = write_zip(kSeveral);
    for (size_t n = 0; n < good.size(); ++n) {
        auto read = read_zip(std::string_view(good).substr(0, n));
        EXPECT_FALSE(read.ok()) << "prefix of " << n << " bytes accepted";
        if (n >= 4 && !read) {
            EXPECT_PRED2(contains, read.error(), "truncated");
        }
    }
}

TEST(Zip, EveryFlippedByteIsRefusedOrHarmless) {
    const std::vector<ZipEntry> entries = {
        {"a.npy", "alpha"}, {"b", std::string("\0\1\2", 3)}, {"empty", ""}};
    const std::string good = write_zip(entries);
    int refused = 0;
    for (size_t at = 0; at < good.size(); ++at)
        for (int mask : {0x01, 0x80, 0xff}) {
            std::string bad = good;
            bad[at] = char(bad[at] ^ mask);
            auto read = read_zip(bad);
            // Timestamps, attributes and the local CRC copy are not checked: accepted only
            // when what comes out is exactly what went in.
            if (read) {
                EXPECT_EQ(pairs(*read), pairs(entries)) << "byte " << at;
            }
            refused += !read;
        }
    EXPECT_GT(refused, int(good.size()));
    std::string flipped = good;
    flipped[good.find("alpha") + 2] ^= 0x20;
    EXPECT_PRED2(contains, zip_refusal(flipped), "entry 'a.npy': CRC mismatch");
}

TEST(Zip, RefusesDuplicateNamesUnknownMethodsAndMismatchedHeaders) {
    const RawEntry x{"x.npy", "data", 0, crc("data"), 4};
    EXPECT_PRED2(contains, zip_refusal(hand_zip({x, x})), "entry 'x.npy': duplicate name");
    RawEntry bzip2 = x;
    bzip2.method = 12;
    EXPECT_PRED2(contains, zip_refusal(hand_zip({bzip2})), "compression method 12");
    RawEntry sizes = x;
    sizes.size = 5;
    EXPECT_PRED2(contains, zip_refusal(hand_zip({sizes})), "two different sizes");
    std::string renamed = hand_zip({x});
    renamed[30] = 'y';  // the local header's name only
    EXPECT_PRED2(contains, zip_refusal(renamed), "local header names another file");
    std::string encrypted = hand_zip({x});
    encrypted[u32(encrypted, encrypted.size() - 22 + 16) + 8] |= 1;
    EXPECT_PRED2(contains, zip_refusal(encrypted), "encrypted");
    std::string fewer = hand_zip({x, {"y", "", 0, 0, 0}});
    fewer[fewer.size() - 22 + 8] = fewer[fewer.size() - 22 + 10] = 1;  // 1 of 2 entries
    EXPECT_PRED2(contains, zip_refusal(fewer), "the central directory's size does not match");
    ASSERT_TRUE(read_zip(hand_zip({x})).ok()) << "the unpatched archive is fine";
}

TEST(ZipDeathTest, WriterRefusesBadNames) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");  // OpenBLAS may have started threads
    EXPECT_DEATH(write_zip({{"", "x"}}), "without a name");
    EXPECT_DEATH(write_zip({{"a", "x"}, {"a", "y"}}), "same name");
    EXPECT_DEATH(write_zip({{std::string(65536, 'n'), "x"}}), "longer than 65535");
}

// What numpy.savez_compressed writes: method 8, raw deflate (windowBits −15).
TEST(Zip, ReadsRawDeflatedEntries) {
    std::string text;
    for (int i = 0; i < 600; ++i) text += "deflate me " + std::to_string(i % 7) + "\n";
    const std::string packed = raw_deflate(text), empty = raw_deflate("");
    ASSERT_LT(packed.size(), text.size() / 4);
    const uint32_t size = uint32_t(text.size());
    auto read = read_zip(hand_zip({{"text.npy", packed, 8, crc(text), size},
                                   {"empty.npy", empty, 8, 0, 0},
                                   {"plain", "abc", 0, crc("abc"), 3}}));
    ASSERT_TRUE(read.ok()) << read.error();
    EXPECT_EQ(pairs(*read), (Pairs{{"text.npy", text}, {"empty.npy", ""}, {"plain", "abc"}}));

    const std::string cut = packed.substr(0, packed.size() - 3);
    for (const RawEntry& bad :
         {RawEntry{"t", packed, 8, crc(text), size - 1},
          RawEntry{"t", packed, 8, crc(text), size + 1}, RawEntry{"t", cut, 8, crc(text), size},
          RawEntry{"t", std::string(20, '\xff'), 8, 0, 10}})
        EXPECT_PRED2(contains, zip_refusal(hand_zip({bad})), "entry 't': corrupt deflate data");
    EXPECT_PRED2(contains, zip_refusal(hand_zip({{"t", "xy", 8, 0, 1u << 30}})),
                 "implausible uncompressed size");
}

TEST(Zip, PythonZipfileAndOursReadEachOther) {
    if (!shell_ok("/usr/bin/python3 -c 'import zipfile' >/dev/null 2>&1"))
        GTEST_SKIP() << "python3 is not installed";
    const std::string ours = temp_path("ours.zip"), theirs = temp_path("theirs.zip"),
                      script = temp_path("zip.py");
    std::vector<ZipEntry> entries = kSeveral;
    entries.push_back({"größe.npy", "utf-8 name"});
    const float w[6] = {0.5f, -1, 2, 3, 4, 2.5f};
    entries.push_back({"array.npy", npy_encode(npy_from_floats(w, {2, 3}))});
    write_file(ours, write_zip(entries));
    // The .npy header is read as numpy.lib.format does (ast.literal_eval, then the keys).
    // numpy.savez opens each entry with force_zip64=True, which puts a zip64 extra field in
    // the local header; savez_compressed also deflates.
    write_file(script, R"(import ast, struct, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = ['weights.npy', 'empty.bin', 'binary', 'dir/nested.json', 'größe.npy', 'array.npy']
assert z.namelist() == names, z.namelist()
assert z.read('binary') == b'\0\x01\xff\0PK\x03\x04\0' and z.read('empty.bin') == b''
a = z.read('array.npy')
assert a[:8] == b'\x93NUMPY\x01\x00'
n = struct.unpack('<H', a[8:10])[0]
header = a[10:10 + n].decode('latin1')
assert ast.literal_eval(header) == {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}
assert (10 + n) % 64 == 0 and header.endswith('\n'), header
assert struct.unpack('<6f', a[10 + n:]) == (0.5, -1, 2, 3, 4, 2.5)
with zipfile.ZipFile(sys.argv[2], 'w', compression=zipfile.ZIP_DEFLATED) as out:
    with out.open('deflated.npy', 'w', force_zip64=True) as f: f.write(b'abc' * 1000)
    with out.open(zipfile.ZipInfo('stored.npy'), 'w', force_zip64=True) as f: f.write(b'plain')
    out.writestr('small', b'xy', compress_type=zipfile.ZIP_STORED)
)");
    ASSERT_TRUE(shell_ok("/usr/bin/python3 " + script + " " + ours + " " + theirs))
        << "Python's zipfile refused our archive";
    auto read = read_zip(read_file(theirs));
    ASSERT_TRUE(read.ok()) << read.error();
    std::string abc;
    for (int i = 0; i < 1000; ++i) abc += "abc";
    EXPECT_EQ(pairs(*read),
              (Pairs{{"deflated.npy", abc}, {"stored.npy", "plain"}, {"small", "xy"}}));
    for (const std::string& path : {ours, theirs, script}) std::remove(path.c_str());
}

TEST(Zip, InfoZipUnzipTestsOurArchive) {
    if (!shell_ok("command -v unzip >/dev/null 2>&1")) GTEST_SKIP() << "unzip is not installed";
    const std::string path = temp_path("unzip.zip");
    write_file(path, write_zip(kSeveral));
    EXPECT_TRUE(shell_ok("unzip -tqq " + path)) << "unzip -t found errors in " << path;
    std::remove(path.c_str());
}

TEST(Npy, HeaderBytesOfAKnownArray) {
    const float values[6] = {0, 1, 2, 3, 4, 5};  // 2×3, row-major
    const std::string npy = npy_encode(npy_from_floats(values, {2, 3}));
    const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    ASSERT_EQ(npy.size(), 128u + 24u) << "header padded to 128 bytes, then 6 floats";
    EXPECT_EQ(npy.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
    EXPECT_EQ(u16(npy, 8), 118u);
    EXPECT_EQ(npy.substr(10, 118), dict + std::string(58, ' ') + "\n");
    EXPECT_EQ(std::memcmp(npy.data() + 128, values, 24), 0);

    const std::pair<std::vector<int64_t>, std::string> shapes[] = {
        {{}, "()"}, {{0}, "(0,)"}, {{5}, "(5,)"}, {{2, 0, 7}, "(2, 0, 7)"}};
    for (const auto& [shape, text] : shapes) {
        NpyArray array{.type = NpyType::UInt8, .shape = shape};
        array.data.assign(size_t(array.count()), 'x');
        const std::string encoded = npy_encode(array);
        EXPECT_PRED2(contains, encoded,
                     "{'descr': '|u1', 'fortran_order': False, 'shape': " + text + ", }");
    }
}

TEST(Npy, RoundTripsEveryTypeAndShape) {
    std::mt19937 rng(7);
    const std::vector<std::vector<int64_t>> shapes = {{}, {0}, {5}, {2, 3}, {3, 1, 2}};
    for (NpyType type :
         {NpyType::Float32, NpyType::Float64, NpyType::Int64, NpyType::UInt64, NpyType::UInt8})
        for (const std::vector<int64_t>& shape : shapes) {
            NpyArray array{.type = type, .shape = shape};
            array.data.resize(size_t(array.count() * npy_itemsize(type)));
            for (char& c : array.data) c = char(rng());
            const std::string encoded = npy_encode(array);
            const size_t header = 10 + u16(encoded, 8);
            EXPECT_EQ(header % 64, 0u) << "data aligned to 64 bytes";
            EXPECT_EQ(encoded[header - 1], '\n');
            auto back = npy_decode(encoded);
            ASSERT_TRUE(back.ok()) << back.error();
            EXPECT_EQ(back->type, type) << npy_descr(type);
            EXPECT_EQ(back->shape, shape);
            EXPECT_EQ(back->data, array.data);
            EXPECT_EQ(back->count(), shape.empty() ? 1 : array.count());
        }
}

TEST(Npy, ReadsVersion2And3Headers) {
    const std::string dict = "{'shape': (2,), 'fortran_order': False, 'descr': '<i8'}\n";
    for (int major : {1, 2, 3}) {
        auto array = npy_decode(npy_file(dict, std::string(16, '\x01'), major));
        ASSERT_TRUE(array.ok()) << "version " << major << ": " << array.error();
        auto values = npy_i64(*array);
        ASSERT_TRUE(values.ok());
        EXPECT_EQ(*values, (std::vector<int64_t>{0x0101010101010101, 0x0101010101010101}));
    }
}

TEST(Npy, RefusesBadFiles) {
    const auto with = [](const std::string& descr, const std::string& fortran,
                         const std::string& shape, size_t bytes) {
        return npy_refusal(npy_file("{'descr': '" + descr + "', 'fortran_order': " + fortran +
                                        ", 'shape': " + shape + ", }",
                                    std::string(bytes, '\0')));
    };
    EXPECT_EQ(with("<f4", "False", "(2, 3)", 24), "(accepted)");
    EXPECT_PRED2(contains, with("<f4", "True", "(2, 3)", 24), "fortran_order True");
    EXPECT_PRED2(contains, with(">f4", "False", "(2, 3)", 24), "big-endian data ('>f4')");
    EXPECT_PRED2(contains, with("<c8", "False", "(2, 3)", 48), "unsupported dtype '<c8'");
    EXPECT_PRED2(contains, with("<f4", "False", "(2, 3)", 23),
                 "shape (2, 3) and dtype <f4 needs 24 data bytes; the file has 23");
    EXPECT_PRED2(contains, with("<f4", "False", "(2, 3)", 25), "the file has 25");
    EXPECT_PRED2(contains, with("<f4", "False", "(5)", 20), "shape is not a tuple");
    EXPECT_PRED2(contains, with("<f4", "False", "(-1,)", 0), "shape is not a tuple");
    EXPECT_PRED2(contains, with("<f4", "False", "(576460752303423488, 4)", 0), "too large");
    EXPECT_PRED2(contains, with("<f4", "Maybe", "(1,)", 4), "fortran_order is not True");
    EXPECT_PRED2(contains, npy_refusal(npy_file("{'descr': [('a', '<f4')], }", "")),
                 "structured dtype");
    EXPECT_PRED2(contains, npy_refusal(npy_file("{'descr': '<f4', 'shape': (1,)}", "abcd")),
                 "missing");
    EXPECT_PRED2(contains,
                 npy_refusal(npy_file(
                     "{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 1}", "abcd")),
                 "unexpected or repeated key 'x'");
    EXPECT_PRED2(contains, npy_refusal(npy_file("{'descr': '<f4'", "")), "malformed");
    EXPECT_PRED2(contains, npy_refusal(""), "not a .npy file");
    EXPECT_PRED2(contains, npy_refusal("NUMPY\x01\x00 and more bytes"), "not a .npy file");
    EXPECT_PRED2(contains, npy_refusal(npy_file("{}", "", 4)), "version 4.0");
    const std::string good = npy_encode(npy_from_u64({1, 2, 3}));
    for (size_t n = 0; n < good.size(); ++n)
        EXPECT_NE(npy_refusal(good.substr(0, n)), "(accepted)") << "prefix of " << n;
}

TEST(Npy, ConveniencesKeepRowMajorOrderAndRefuseOtherTypes) {
    Eigen::MatrixXf m(2, 3);
    m << 1, 2, 3, 4, 5, 6;  // stored column-major: 1 4 2 5 3 6
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = m;
    auto matrix = npy_decode(npy_encode(npy_from_floats(rows.data(), {2, 3})));
    ASSERT_TRUE(matrix.ok()) << matrix.error();
    EXPECT_EQ(*npy_floats(*matrix), (std::vector<float>{1, 2, 3, 4, 5, 6}));

    const std::vector<uint64_t> u = {0, 1, std::numeric_limits<uint64_t>::max()};
    const std::vector<int64_t> i = {std::numeric_limits<int64_t>::min(), -1, 0, 42};
    auto u_back = npy_decode(npy_encode(npy_from_u64(u)));
    auto i_back = npy_decode(npy_encode(npy_from_i64(i)));
    ASSERT_TRUE(u_back.ok() && i_back.ok());
    EXPECT_EQ(u_back->shape, (std::vector<int64_t>{3}));
    EXPECT_EQ(*npy_u64(*u_back), u);
    EXPECT_EQ(*npy_i64(*i_back), i);

    auto wrong = npy_floats(*u_back);
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error(), "expected <f4 data, got <u8");
    EXPECT_FALSE(npy_u64(*i_back).ok());
    EXPECT_FALSE(npy_i64(*matrix).ok());
}

TEST(Npz, ArraysRoundTripThroughAnArchive) {
    const float w[6] = {0.5f, -1, 2, 3, 4, 2.5f};
    const std::string zip = write_zip({{"weights.npy", npy_encode(npy_from_floats(w, {2, 3}))},
                                       {"steps.npy", npy_encode(npy_from_u64({7, 8}))}});
    auto entries = read_zip(zip);
    ASSERT_TRUE(entries.ok()) << entries.error();
    ASSERT_EQ(entries->size(), 2u);
    auto weights = npy_decode((*entries)[0].bytes);
    ASSERT_TRUE(weights.ok()) << weights.error();
    EXPECT_EQ(weights->shape, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ((*npy_floats(*weights))[5], 2.5f);
}

TEST(Npz, NumpyLoadsTwoArrays) {
    // scripts/install-deps installs python3-numpy: a missing numpy is a failure, not a skip.
    ASSERT_TRUE(shell_ok("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1"))
        << "numpy is not installed (scripts/install-deps installs python3-numpy)";
    const std::string path = temp_path("arrays.npz"), script = temp_path("load.py");
    const float w[6] = {0.5f, -1, 2, 3, 4, 2.5f};
    write_file(path, write_zip({{"weights.npy", npy_encode(npy_from_floats(w, {2, 3}))},
                                {"steps.npy", npy_encode(npy_from_u64({7, 8, 1ull << 63}))}}));
    write_file(script, R"(import sys, numpy as np
d = np.load(sys.argv[1])
assert sorted(d.files) == ['steps', 'weights'], d.files
w, s = d['weights'], d['steps']
assert w.dtype == np.float32 and w.shape == (2, 3) and w[1, 2] == 2.5 and w[0, 1] == -1, w
assert s.dtype == np.uint64 and s.shape == (3,) and s[2] == 2**63, s
)");
    EXPECT_TRUE(shell_ok("/usr/bin/python3 " + script + " " + path)) << "numpy.load refused " << path;
    std::remove(path.c_str());
    std::remove(script.c_str());
}

namespace {

// Fifield's "overlapping" zip bomb, small: entry i's deflate stream is a run of stored blocks
// quoting the local headers of entries i+1 … N−1, then one shared deflated kernel. Every entry
// is valid on its own (names match, CRCs match), yet they all share the kernel's bytes, so the
// archive declares N × kernel bytes. Local headers carry zero CRC and sizes (as with a data
// descriptor); the central directory carries the real ones.
std::string overlapping_bomb(int n, const std::string& kernel_plain) {
    const std::string kernel = raw_deflate(kernel_plain);
    std::vector<std::string> locals(n);
    for (int i = 0; i < n; ++i) {
        const std::string name = "e" + std::to_string(i) + ".npy";
        std::string& h = locals[i];
        le(h, 4, 0x04034b50);
        for (uint64_t v : {20, 0, 8, 0, 33}) le(h, 2, v);
        for (int k = 0; k < 3; ++k) le(h, 4, 0);
        le(h, 2, name.size());
        le(h, 2, 0);
        h += name;
    }
    std::string out;
    std::vector<size_t> offsets(n), data(n);
    for (int i = 0; i < n; ++i) {
        if (i > 0) {  // a stored, non-final deflate block quoting this local header
            out += '\0';
            le(out, 2, locals[i].size());
            le(out, 2, ~uint32_t(locals[i].size()) & 0xffff);
        }
        offsets[i] = out.size();
        out += locals[i];
        data[i] = out.size();
    }
    out += kernel;
    // Entry i's stream starts at the quote before local header i+1 (or the kernel).
    std::string central;
    for (int i = 0; i < n; ++i) {
        std::string plain;
        for (int k = i + 1; k < n; ++k) plain += locals[k];
        plain += kernel_plain;
        const size_t start = data[i];
        const std::string name = "e" + std::to_string(i) + ".npy";
        le(central, 4, 0x02014b50);
        for (uint64_t v : {20, 20, 0, 8, 0, 33}) le(central, 2, v);
        le(central, 4, crc(plain));
        le(central, 4, out.size() - start);
        le(central, 4, plain.size());
        for (uint64_t v : std::initializer_list<uint64_t>{name.size(), 0, 0, 0, 0}) le(central, 2, v);
        le(central, 4, 0);
        le(central, 4, offsets[i]);
        central += name;
    }
    const size_t central_offset = out.size();
    out += central;
    le(out, 4, 0x06054b50);
    for (uint64_t v : std::initializer_list<uint64_t>{0, 0, uint64_t(n), uint64_t(n)}) le(out, 2, v);
    le(out, 4, central.size());
    le(out, 4, central_offset);
    le(out, 2, 0);
    return out;
}

}  // namespace

// Issue 19: a 6.1 MB overlapping bomb grew to 7.2 GB before bad_alloc. Overlap is refused
// whatever the budget, before anything is inflated.
TEST(Zip, OverlappingEntriesAreRefused) {
    std::string kernel;
    for (int i = 0; i < 4000; ++i) kernel += "kernel " + std::to_string(i % 13) + "\n";
    const std::string bomb = overlapping_bomb(40, kernel);
    ASSERT_LT(bomb.size(), kernel.size());  // 40 entries of more than the kernel each
    EXPECT_PRED2(contains, zip_refusal(bomb), "overlap");
    // The same bytes as one entry (the last, which owns the kernel alone) would be fine:
    // the construction is valid zip apart from the sharing.
    EXPECT_PRED2(contains, zip_refusal(overlapping_bomb(1, kernel)), "(accepted)");
}

// The sum of the declared sizes is checked against the caller's budget first.
TEST(Zip, DeclaredSizesBeyondTheBudgetAreRefused) {
    const std::string zip = write_zip({{"a", std::string(600, 'a')}, {"b", std::string(600, 'b')}});
    EXPECT_TRUE(read_zip(zip, 1200).ok());
    auto over = read_zip(zip, 1199);
    ASSERT_FALSE(over.ok());
    EXPECT_PRED2(contains, over.error(), "over the budget of 1199");
    // A declared size is a claim: a deflated entry claiming 1 GiB against a 1 MiB budget is
    // refused before a byte of it is allocated.
    std::string big(1 << 16, 'z');
    const std::string packed = raw_deflate(big);
    EXPECT_PRED2(contains,
                 read_zip(hand_zip({{"z", packed, 8, crc(big), uint32_t(big.size())}}), 1 << 10).error(),
                 "over the budget");
}
