#pragma once
/// \file
/// Reading a whole input file (a scenario, an assumptions table) safely: regular files only
/// (a directory, FIFO or device would fail, block forever or never end), at most
/// `limits::max_file_bytes`, checked before and while reading (files under /proc report size 0).

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "offroi/error.hpp"
#include "offroi/io/detail/json_support.hpp"
#include "offroi/model/limits.hpp"

namespace offroi::detail {

/// The bytes of `file`. `noun` names the kind of file in messages ("scenario",
/// "assumptions table"). \throws invalid_scenario naming the file: missing, not a regular
/// file, larger than 16 MiB, or unreadable.
inline std::string read_text_file(const std::filesystem::path& file, std::string_view noun) {
    const std::string name = utf8_sanitized(file.string());  // a file name may be any bytes
    const std::string kind(noun);
    std::error_code ec;
    const auto st = std::filesystem::status(file, ec);
    if (ec || !std::filesystem::exists(st))
        throw invalid_scenario(name + ": cannot open the " + kind + " file for reading (no such file)");
    if (!std::filesystem::is_regular_file(st)) {
        const char* what = std::filesystem::is_directory(st) ? "a directory"
                           : st.type() == std::filesystem::file_type::fifo ? "a FIFO"
                           : st.type() == std::filesystem::file_type::character ||
                                   st.type() == std::filesystem::file_type::block
                               ? "a device"
                               : "a special file";
        throw invalid_scenario(name + ": " + what + " is invalid; " + (kind.front() == 'a' ? "an " : "a ") + kind + " must be a regular file");
    }
    const auto too_big = [&](std::uintmax_t n) {
        return invalid_scenario(name + ": a file of " + std::to_string(n) + " bytes or more is invalid; " + kind +
                                " files are at most 16 MiB (the limit of file size)");
    };
    if (const auto size = std::filesystem::file_size(file, ec); !ec && size > limits::max_file_bytes) throw too_big(size);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw invalid_scenario(name + ": cannot open the " + kind + " file for reading");
    std::string text;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, static_cast<std::size_t>(in.gcount()));
        if (text.size() > limits::max_file_bytes) throw too_big(text.size());
    }
    if (in.bad()) throw invalid_scenario(name + ": error while reading the " + kind + " file");
    return text;
}

}  // namespace offroi::detail
