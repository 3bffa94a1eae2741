#pragma once
/// \file
/// Little-endian byte writer and checked reader for the binary forms of the stats
/// accumulators (streaming_summary, quantile_sketch, exact_moments).
///
/// Encoding primitives (all explicit little-endian, independent of the host):
///  - u8; u16/u32/u64 fixed width, least significant byte first;
///  - f64 as the u64 of its IEEE-754 bits;
///  - varint: unsigned LEB128 (7 bits a byte, low groups first, high bit = more follow),
///    at most 10 bytes, canonical (no redundant trailing zero group);
///  - svarint: zigzag ((v << 1) ^ (v >> 63)) then varint.
/// The reader throws offroi::invalid_argument naming the decoding function, what it was
/// reading and the byte offset on truncated or malformed input.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "offroi/error.hpp"

namespace offroi::detail {

/// Appends little-endian encoded values to a std::string.
class byte_writer {
public:
    /// Appends one byte.
    void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
    /// Appends 2 bytes, least significant first.
    void u16(std::uint16_t v) { fixed(v, 2); }
    /// Appends 4 bytes, least significant first.
    void u32(std::uint32_t v) { fixed(v, 4); }
    /// Appends 8 bytes, least significant first.
    void u64(std::uint64_t v) { fixed(v, 8); }
    /// Appends the IEEE-754 bits of v as u64 (NaN payloads and -0.0 are kept as they are).
    void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
    /// Appends v as unsigned LEB128 (1 to 10 bytes).
    void varint(std::uint64_t v) {
        while (v >= 0x80) {
            u8(static_cast<std::uint8_t>(v | 0x80));
            v >>= 7;
        }
        u8(static_cast<std::uint8_t>(v));
    }
    /// Appends a signed value zigzag-encoded as a varint.
    void svarint(std::int64_t v) {
        varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
    }
    /// Appends raw bytes.
    void raw(std::string_view b) { out_.append(b); }
    /// The bytes written so far.
    const std::string& bytes() const noexcept { return out_; }
    /// Moves the bytes out.
    std::string take() noexcept { return std::move(out_); }

private:
    void fixed(std::uint64_t v, int n) {
        for (int k = 0; k < n; ++k) out_.push_back(static_cast<char>((v >> (8 * k)) & 0xffU));
    }
    std::string out_;
};

/// Reads what byte_writer wrote; every read checks the remaining length.
class byte_reader {
public:
    /// Reads `data`; `where` names the decoding function in error messages.
    byte_reader(std::string_view data, std::string where) : data_(data), where_(std::move(where)) {}

    /// Reads one byte. \throws invalid_argument if the input is exhausted.
    std::uint8_t u8(const char* what) {
        need(1, what);
        return static_cast<std::uint8_t>(data_[pos_++]);
    }
    /// Reads a 2-byte little-endian value.
    std::uint16_t u16(const char* what) { return static_cast<std::uint16_t>(fixed(2, what)); }
    /// Reads a 4-byte little-endian value.
    std::uint32_t u32(const char* what) { return static_cast<std::uint32_t>(fixed(4, what)); }
    /// Reads an 8-byte little-endian value.
    std::uint64_t u64(const char* what) { return fixed(8, what); }
    /// Reads a double from its 8-byte IEEE-754 bits.
    double f64(const char* what) { return std::bit_cast<double>(fixed(8, what)); }
    /// Reads an unsigned LEB128 value. \throws invalid_argument if truncated, longer than
    /// 10 bytes, above 2^64 - 1 or not canonical.
    std::uint64_t varint(const char* what) {
        const std::size_t start = pos_;
        std::uint64_t v = 0;
        for (int shift = 0;; shift += 7) {
            if (shift > 63) fail(what, "varint longer than 10 bytes", start);
            const std::uint8_t b = u8(what);
            const std::uint64_t group = b & 0x7fU;
            if (shift == 63 && group > 1) fail(what, "varint exceeds 64 bits", start);
            v |= group << shift;
            if ((b & 0x80U) == 0) {
                if (b == 0 && shift > 0) fail(what, "non-canonical varint", start);
                return v;
            }
        }
    }
    /// Reads a zigzag varint.
    std::int64_t svarint(const char* what) {
        const std::uint64_t z = varint(what);
        return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
    }
    /// Reads n raw bytes.
    std::string_view raw(std::size_t n, const char* what) {
        need(n, what);
        const auto r = data_.substr(pos_, n);
        pos_ += n;
        return r;
    }
    /// Bytes not yet read.
    std::size_t remaining() const noexcept { return data_.size() - pos_; }
    /// Offset of the next byte.
    std::size_t offset() const noexcept { return pos_; }
    /// \throws invalid_argument if bytes remain after the encoded object.
    void expect_end() const {
        if (remaining() != 0)
            throw invalid_argument(where_ + ": " + std::to_string(remaining()) +
                                   " unexpected trailing byte(s) after the encoded object (at byte " +
                                   std::to_string(pos_) + " of " + std::to_string(data_.size()) + ")");
    }
    /// Throws invalid_argument "<where>: invalid <what> at byte <offset>: <why>".
    [[noreturn]] void fail(std::string_view what, std::string_view why) const { fail(what, why, pos_); }
    /// Same, at a given offset.
    [[noreturn]] void fail(std::string_view what, std::string_view why, std::size_t at) const {
        throw invalid_argument(where_ + ": invalid " + std::string(what) + " at byte " + std::to_string(at) +
                               ": " + std::string(why));
    }

private:
    void need(std::size_t n, const char* what) const {
        if (remaining() < n)
            throw invalid_argument(where_ + ": truncated input: " + std::string(what) + " needs " +
                                   std::to_string(n) + " byte(s) at byte " + std::to_string(pos_) +
                                   ", only " + std::to_string(remaining()) + " left (" +
                                   std::to_string(data_.size()) + " bytes in all)");
    }
    std::uint64_t fixed(int n, const char* what) {
        need(static_cast<std::size_t>(n), what);
        std::uint64_t v = 0;
        for (int k = 0; k < n; ++k)
            v |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(data_[pos_ + k])) << (8 * k);
        pos_ += static_cast<std::size_t>(n);
        return v;
    }

    std::string_view data_;
    std::size_t pos_ = 0;
    std::string where_;
};

/// Writes a 4-byte magic tag and a u16 format version.
inline void write_header(byte_writer& w, std::string_view magic, std::uint16_t version) {
    w.raw(magic);
    w.u16(version);
}

/// Checks the magic tag and version written by write_header.
/// \throws invalid_argument "bad magic" or "unsupported version" naming what was found.
inline void read_header(byte_reader& r, std::string_view magic, std::uint16_t version, const char* object) {
    const auto got = r.raw(magic.size(), "magic");
    if (got != magic) {
        std::string hex;
        static const char* digits = "0123456789abcdef";
        for (unsigned char c : got) {
            hex.push_back(digits[c >> 4]);
            hex.push_back(digits[c & 15]);
        }
        r.fail("magic", "bad magic 0x" + hex + " (this is not a serialised " + std::string(object) +
                            "; expected \"" + std::string(magic) + "\")", 0);
    }
    const std::uint16_t v = r.u16("version");
    if (v != version)
        r.fail("version", "unsupported version " + std::to_string(v) + " of the " + std::string(object) +
                              " format (this build reads version " + std::to_string(version) + ")",
               magic.size());
}

}  // namespace offroi::detail
