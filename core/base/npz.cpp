#include "core/base/npz.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <unordered_set>

namespace aelab {

// Array data is copied as raw bytes, and both formats are little-endian.
static_assert(std::endian::native == std::endian::little, "npz.cpp assumes a little-endian host");

namespace {

constexpr uint32_t kLocalSignature = 0x04034b50;
constexpr uint32_t kCentralSignature = 0x02014b50;
constexpr uint32_t kEndSignature = 0x06054b50;
constexpr size_t kLocalSize = 30, kCentralSize = 46, kEndSize = 22;
constexpr uint16_t kVersion = 20;          // 2.0: what Python's zipfile writes, stored or deflated
constexpr uint16_t kDosDate = 1 << 5 | 1;  // 1980-01-01: deterministic archives
constexpr uint16_t kUtf8Flag = 1 << 11;    // names that are not ASCII are UTF-8
constexpr uint16_t kEncryptedFlag = 1;

// Little-endian fields, each `width` (2 or 4) bytes wide.
void put(std::string& out, int width, std::initializer_list<uint64_t> values) {
    for (uint64_t v : values)
        for (int i = 0; i < width; ++i) out += char(v >> 8 * i & 0xff);
}
// The caller has checked that the bytes are inside `in`.
uint32_t get16(std::string_view in, size_t at) {
    return uint32_t(uint8_t(in[at])) | uint32_t(uint8_t(in[at + 1])) << 8;
}
uint32_t get32(std::string_view in, size_t at) {
    return get16(in, at) | get16(in, at + 2) << 16;
}

uint32_t crc_of(std::string_view bytes) {
    return uint32_t(crc32_z(0, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

// Raw deflate (no zlib header, windowBits −15), as zip method 8 stores it. One spare output
// byte tells a stream longer than declared from one of exactly `size` bytes.
std::optional<std::string> inflate_raw(std::string_view in, size_t size) {
    std::string out(size + 1, '\0');
    z_stream z{};
    if (inflateInit2(&z, -15) != Z_OK) return std::nullopt;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = uInt(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    const int status = inflate(&z, Z_FINISH);
    const bool whole = status == Z_STREAM_END && z.total_out == size;
    inflateEnd(&z);
    if (!whole) return std::nullopt;
    out.resize(size);
    return out;
}

}  // namespace

std::string write_zip(const std::vector<ZipEntry>& entries) {
    AELAB_CHECK(entries.size() < 0xffff, "more zip entries than a zip without zip64 holds");
    uint64_t total = kEndSize;
    std::unordered_set<std::string_view> names;
    for (const ZipEntry& e : entries) {
        AELAB_CHECK(!e.name.empty(), "a zip entry without a name");
        AELAB_CHECK(e.name.size() <= 0xffff, "a zip entry name longer than 65535 bytes");
        AELAB_CHECK(names.insert(e.name).second, "two zip entries with the same name");
        total += kLocalSize + kCentralSize + 2 * e.name.size() + e.bytes.size();
    }
    // 0xffffffff in a size or offset field means "see zip64", so stay strictly below it.
    AELAB_CHECK(total < 0xffffffff, "a zip archive of 4 GiB or more needs zip64");

    std::string out, central;
    out.reserve(total);
    for (const ZipEntry& e : entries) {
        const uint32_t offset = uint32_t(out.size()), crc = crc_of(e.bytes);
        const bool ascii =
            std::all_of(e.name.begin(), e.name.end(), [](char c) { return uint8_t(c) < 0x80; });
        // From "version needed" to "extra length" the two headers agree. Method 0: stored.
        std::string common;
        put(common, 2, {kVersion, ascii ? 0u : kUtf8Flag, 0 /*method*/, 0 /*00:00*/, kDosDate});
        put(common, 4, {crc, e.bytes.size() /*compressed*/, e.bytes.size()});
        put(common, 2, {e.name.size(), 0 /*extra length*/});
        put(out, 4, {kLocalSignature});
        out.append(common).append(e.name).append(e.bytes);
        // Made by MS-DOS: no Unix permissions to claim.
        put(central, 4, {kCentralSignature});
        put(central, 2, {kVersion});
        central += common;
        put(central, 2, {0 /*comment length*/, 0 /*disk*/, 0 /*internal attributes*/});
        put(central, 4, {0 /*external attributes*/, offset});
        central += e.name;
    }
    const size_t central_offset = out.size();
    out += central;
    put(out, 4, {kEndSignature});
    put(out, 2, {0 /*this disk*/, 0 /*directory's disk*/, entries.size(), entries.size()});
    put(out, 4, {central.size(), central_offset});
    put(out, 2, {0 /*comment length*/});
    return out;
}

Expected<std::vector<ZipEntry>> read_zip(std::string_view bytes, uint64_t byte_budget) {
    // The end record is the last 22 bytes, unless a comment (≤ 65535 bytes) follows it.
    size_t end = std::string_view::npos;
    for (size_t back = 0; bytes.size() >= kEndSize && back <= 0xffff; ++back) {
        const size_t at = bytes.size() - kEndSize - back;
        if (get32(bytes, at) == kEndSignature && get16(bytes, at + 20) == back) {
            end = at;
            break;
        }
        if (at == 0) break;
    }
    if (end == std::string_view::npos)
        return Error{bytes.starts_with("PK\x03\x04")
                         ? "truncated zip archive (no end-of-central-directory record)"
                         : "not a zip archive (no end-of-central-directory record)"};
    const uint32_t count = get16(bytes, end + 10), central_size = get32(bytes, end + 12),
                   central_offset = get32(bytes, end + 16);
    if (get16(bytes, end + 4) != 0 || get16(bytes, end + 6) != 0 || get16(bytes, end + 8) != count)
        return Error{"a multi-disk zip archive (not supported)"};
    if (count == 0xffff || central_size == 0xffffffff || central_offset == 0xffffffff)
        return Error{"a zip64 archive (not supported)"};
    if (size_t(central_offset) + central_size > end)
        return Error{"truncated zip archive (the central directory lies outside the file)"};

    // First every entry's place and sizes, checked; nothing is inflated until all of them
    // fit the budget and none overlaps another.
    struct Place {
        std::string_view name;
        uint32_t method, crc, packed, size;
        size_t local, data;  // the local header, and its data's start
    };
    std::vector<Place> places;
    std::unordered_set<std::string_view> names;
    const size_t central_end = size_t(central_offset) + central_size;
    size_t at = central_offset;
    uint64_t declared = 0;
    for (uint32_t i = 0; i < count; ++i) {
        const std::string where = "central directory entry " + std::to_string(i);
        if (at + kCentralSize > central_end || get32(bytes, at) != kCentralSignature)
            return Error{"corrupt zip archive (" + where + " is missing)"};
        const uint32_t flags = get16(bytes, at + 8), method = get16(bytes, at + 10),
                       crc = get32(bytes, at + 16), packed = get32(bytes, at + 20),
                       size = get32(bytes, at + 24), name_length = get16(bytes, at + 28),
                       local = get32(bytes, at + 42);
        const size_t record = kCentralSize + name_length + get16(bytes, at + 30) +
                              get16(bytes, at + 32);  // + extra + comment
        if (at + record > central_end)
            return Error{"corrupt zip archive (" + where + " runs past the directory)"};
        const std::string_view name = bytes.substr(at + kCentralSize, name_length);
        at += record;

        const std::string entry = "entry '" + std::string(name) + "': ";
        if (name.empty()) return Error{"corrupt zip archive (" + where + " has no name)"};
        if (!names.insert(name).second) return Error{entry + "duplicate name"};
        if (flags & kEncryptedFlag) return Error{entry + "encrypted (not supported)"};
        if (method != 0 && method != 8)
            return Error{entry + "compression method " + std::to_string(method) +
                         " (only stored and deflated are supported)"};
        if (packed == 0xffffffff || size == 0xffffffff || local == 0xffffffff)
            return Error{entry + "zip64 sizes (not supported)"};
        // Entries lie before the central directory. The local header's sizes may be zeros
        // (a data descriptor follows) and its extra field differs from the central one
        // (numpy.savez writes a zip64 extra there), so only its name is compared.
        if (size_t(local) + kLocalSize > central_offset || get32(bytes, local) != kLocalSignature)
            return Error{entry + "local header missing or outside the file"};
        const size_t data =
            local + kLocalSize + get16(bytes, local + 26) + get16(bytes, local + 28);
        if (data + packed > central_offset)
            return Error{entry + "truncated (its data runs past the end of the entries)"};
        if (bytes.substr(local + kLocalSize, get16(bytes, local + 26)) != name)
            return Error{entry + "the local header names another file"};
        if (method == 0 && packed != size) return Error{entry + "stored with two different sizes"};
        // Deflate expands at most ~1032:1: a larger claim is corruption, and refusing it
        // avoids allocating gigabytes for a few bytes of file.
        if (method == 8 && size > uint64_t(packed) * 1032 + 1024)
            return Error{entry + "implausible uncompressed size " + std::to_string(size)};
        declared += size;  // ≤ 65534 · 2³² − 1: no overflow
        if (declared > byte_budget)
            return Error{"the entries declare " + std::to_string(declared) +
                         " bytes or more, over the budget of " + std::to_string(byte_budget)};
        places.push_back({name, method, crc, packed, size, local, data});
    }
    if (at != central_end)
        return Error{"corrupt zip archive (the central directory's size does not match its " +
                     std::to_string(count) + " entries)"};
    // Each entry owns [local header, end of its data): sorted by start, each range must end
    // before the next begins. Overlap is how a few MB of zip declares gigabytes.
    std::vector<const Place*> by_start;
    for (const Place& p : places) by_start.push_back(&p);
    std::sort(by_start.begin(), by_start.end(),
              [](const Place* a, const Place* b) { return a->local < b->local; });
    for (size_t i = 1; i < by_start.size(); ++i)
        if (by_start[i - 1]->data + by_start[i - 1]->packed > by_start[i]->local)
            return Error{"entries '" + std::string(by_start[i - 1]->name) + "' and '" +
                         std::string(by_start[i]->name) + "' overlap (not a zip a tool writes)"};

    std::vector<ZipEntry> entries;
    entries.reserve(places.size());
    for (const Place& p : places) {
        const std::string entry = "entry '" + std::string(p.name) + "': ";
        const std::string_view stored = bytes.substr(p.data, p.packed);
        std::string content;
        if (p.method == 0) {
            content = stored;
        } else {
            auto inflated = inflate_raw(stored, p.size);
            if (!inflated) return Error{entry + "corrupt deflate data"};
            content = std::move(*inflated);
        }
        if (crc_of(content) != p.crc) return Error{entry + "CRC mismatch"};
        entries.push_back({std::string(p.name), std::move(content)});
    }
    return entries;
}

// --- .npy -----------------------------------------------------------------------------

namespace {

constexpr std::string_view kNpyMagic = "\x93NUMPY";
constexpr size_t kNpyAlign = 64;  // numpy's ARRAY_ALIGN: data aligned for any dtype and SIMD
constexpr NpyType kNpyTypes[] = {NpyType::Float32, NpyType::Float64, NpyType::Int64,
                                 NpyType::UInt64, NpyType::UInt8};

// The header dict's tokens: Python literals of the few kinds a .npy header holds.
struct Cursor {
    std::string_view text;
    size_t at = 0;

    void skip() {
        while (at < text.size() && (text[at] == ' ' || text[at] == '\n' || text[at] == '\t')) ++at;
    }
    bool eat(char c) {
        skip();
        if (at == text.size() || text[at] != c) return false;
        ++at;
        return true;
    }
    std::optional<std::string> string() {
        for (char quote : {'\'', '"'}) {
            if (!eat(quote)) continue;
            const size_t close = text.find(quote, at);
            if (close == std::string_view::npos) return std::nullopt;
            std::string s(text.substr(at, close - at));
            at = close + 1;
            return s;
        }
        return std::nullopt;
    }
    std::optional<bool> boolean() {
        skip();
        for (bool value : {true, false}) {
            const std::string_view word = value ? "True" : "False";
            if (text.substr(at, word.size()) != word) continue;
            at += word.size();
            return value;
        }
        return std::nullopt;
    }
    // A tuple of non-negative ints: "()", "(5,)", "(2, 3)" — "(5)" is an int, not a tuple.
    std::optional<std::vector<int64_t>> shape() {
        if (!eat('(')) return std::nullopt;
        std::vector<int64_t> dims;
        bool comma = false;
        while (!eat(')')) {
            if (!dims.empty() && !comma) return std::nullopt;
            skip();
            const size_t first = at;
            int64_t dim = 0;
            for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
                if (at - first >= 18) return std::nullopt;  // no overflow
                dim = dim * 10 + (text[at] - '0');
            }
            if (at == first) return std::nullopt;
            dims.push_back(dim);
            comma = eat(',');
        }
        if (dims.size() == 1 && !comma) return std::nullopt;
        return dims;
    }
};

Expected<NpyType> type_of(const std::string& descr) {
    for (NpyType type : kNpyTypes)
        if (descr == npy_descr(type)) return type;
    if (descr == "<u1" || descr == ">u1") return NpyType::UInt8;  // byte order moot for 1 byte
    if (descr.starts_with('>')) return Error{"big-endian data ('" + descr + "') is not supported"};
    return Error{"unsupported dtype '" + descr + "' (supported: <f4, <f8, <i8, <u8, |u1)"};
}

// The dict's keys are exactly descr, fortran_order and shape, in any order.
Expected<NpyArray> parse_header(std::string_view text) {
    const auto malformed = [&](const std::string& why) {
        return Error{
            "malformed .npy header (" + why + "): " +
            std::string(text.substr(0, std::min<size_t>(200, text.find_last_not_of(" \n") + 1)))};
    };
    Cursor c{text};
    std::optional<std::string> descr;
    std::optional<bool> fortran;
    std::optional<std::vector<int64_t>> shape;
    if (!c.eat('{')) return malformed("not a dict");
    while (!c.eat('}')) {
        const auto key = c.string();
        if (!key || !c.eat(':')) return malformed("expected a quoted key and ':'");
        if (*key == "descr" && !descr) {
            if (!(descr = c.string()))
                return malformed("descr is not a string (a structured dtype?)");
        } else if (*key == "fortran_order" && !fortran) {
            if (!(fortran = c.boolean())) return malformed("fortran_order is not True or False");
        } else if (*key == "shape" && !shape) {
            if (!(shape = c.shape())) return malformed("shape is not a tuple of ints");
        } else {
            return malformed("unexpected or repeated key '" + *key + "'");
        }
        if (!c.eat(',')) {
            if (!c.eat('}')) return malformed("expected ',' or '}'");
            break;
        }
    }
    c.skip();
    if (c.at != text.size()) return malformed("text after the dict");
    if (!descr || !fortran || !shape) return malformed("descr, fortran_order or shape missing");
    if (*fortran) return Error{"fortran_order True (column-major) .npy data is not supported"};
    auto type = type_of(*descr);
    if (!type) return Error{type.error()};
    return NpyArray{.type = *type, .shape = std::move(*shape)};
}

// Python's repr of the shape tuple: "()", "(5,)", "(2, 3)".
std::string shape_text(const std::vector<int64_t>& shape) {
    std::string text = "(";
    for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + (shape.size() == 1 ? ",)" : ")");
}

template <class T>
Expected<std::vector<T>> values_of(const NpyArray& array, NpyType type) {
    if (array.type != type)
        return Error{std::string("expected ") + npy_descr(type) + " data, got " +
                     npy_descr(array.type)};
    AELAB_CHECK(array.data.size() == size_t(array.count()) * sizeof(T), "data does not fit shape");
    std::vector<T> values(size_t(array.count()));
    if (!values.empty()) std::memcpy(values.data(), array.data.data(), array.data.size());
    return values;
}

template <class T>
NpyArray vector_array(NpyType type, const std::vector<T>& values) {
    NpyArray array{.type = type, .shape = {int64_t(values.size())}};
    array.data.assign(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
    return array;
}

}  // namespace

int64_t NpyArray::count() const {
    int64_t n = 1;
    for (int64_t dim : shape) n *= dim;
    return n;
}

const char* npy_descr(NpyType type) {
    static constexpr const char* kNames[] = {"<f4", "<f8", "<i8", "<u8", "|u1"};
    return kNames[int(type)];
}

int npy_itemsize(NpyType type) {
    static constexpr int kSizes[] = {4, 8, 8, 8, 1};
    return kSizes[int(type)];
}

std::string npy_encode(const NpyArray& array) {
    AELAB_CHECK(array.shape.size() <= 32, "more dimensions than numpy allows");
    for (int64_t dim : array.shape) AELAB_CHECK(dim >= 0, "a negative dimension");
    std::string dict = std::string("{'descr': '") + npy_descr(array.type) +
                       "', 'fortran_order': False, 'shape': " + shape_text(array.shape) + ", }";
    AELAB_CHECK(array.data.size() == size_t(array.count()) * npy_itemsize(array.type),
                "NpyArray data does not fit its shape");
    // magic (6) + version (2) + length (2) + dict + spaces + '\n' = a multiple of 64.
    const size_t padded = (10 + dict.size() + 1 + kNpyAlign - 1) / kNpyAlign * kNpyAlign;
    dict.append(padded - 10 - dict.size() - 1, ' ');
    dict += '\n';
    std::string out(kNpyMagic);
    out += std::string_view("\x01\x00", 2);  // version 1.0
    put(out, 2, {dict.size()});
    return out + dict + array.data;
}

Expected<NpyArray> npy_decode(std::string_view bytes) {
    if (!bytes.starts_with(kNpyMagic)) return Error{"not a .npy file (no \\x93NUMPY magic)"};
    if (bytes.size() < 10) return Error{"truncated .npy file (no header)"};
    const int major = uint8_t(bytes[6]), minor = uint8_t(bytes[7]);
    if (major < 1 || major > 3 || minor != 0)
        return Error{".npy format version " + std::to_string(major) + "." + std::to_string(minor) +
                     " (supported: 1.0, 2.0, 3.0)"};
    // 1.0 has a 16-bit header length; 2.0 a 32-bit one; 3.0 also allows UTF-8 in the header.
    const size_t start = major == 1 ? 10 : 12;
    if (bytes.size() < start) return Error{"truncated .npy file (no header)"};
    const size_t length = major == 1 ? get16(bytes, 8) : get32(bytes, 8);
    if (bytes.size() - start < length) return Error{"truncated .npy file (header cut short)"};
    auto array = parse_header(bytes.substr(start, length));
    if (!array) return array;

    // Bound the product of the non-zero dimensions so that count() and count·itemsize never
    // overflow, even for a zero-size array such as (10¹⁸, 10¹⁸, 0).
    uint64_t count = 1;
    bool zero = false;
    for (int64_t dim : array->shape) {
        if (dim == 0)
            zero = true;
        else if (count > (uint64_t(1) << 60) / uint64_t(dim))
            return Error{"a .npy of shape " + shape_text(array->shape) + " is too large"};
        else
            count *= uint64_t(dim);
    }
    const uint64_t needed = (zero ? 0 : count) * uint64_t(npy_itemsize(array->type));
    const std::string_view data = bytes.substr(start + length);
    if (needed != data.size())
        return Error{"a .npy of shape " + shape_text(array->shape) + " and dtype " +
                     npy_descr(array->type) + " needs " + std::to_string(needed) +
                     " data bytes; the file has " + std::to_string(data.size())};
    array->data = data;
    return array;
}

NpyArray npy_from_floats(const float* row_major, std::vector<int64_t> shape) {
    for (int64_t dim : shape) AELAB_CHECK(dim >= 0, "a negative dimension");
    NpyArray array{.type = NpyType::Float32, .shape = std::move(shape)};
    array.data.assign(reinterpret_cast<const char*>(row_major), size_t(array.count()) * 4);
    return array;
}

NpyArray npy_from_u64(const std::vector<uint64_t>& values) {
    return vector_array(NpyType::UInt64, values);
}
NpyArray npy_from_i64(const std::vector<int64_t>& values) {
    return vector_array(NpyType::Int64, values);
}

Expected<std::vector<float>> npy_floats(const NpyArray& array) {
    return values_of<float>(array, NpyType::Float32);
}
Expected<std::vector<uint64_t>> npy_u64(const NpyArray& array) {
    return values_of<uint64_t>(array, NpyType::UInt64);
}
Expected<std::vector<int64_t>> npy_i64(const NpyArray& array) {
    return values_of<int64_t>(array, NpyType::Int64);
}

}  // namespace aelab
