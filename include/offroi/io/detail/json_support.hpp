#pragma once
/// \file
/// Internals of the scenario-file reader: JSON paths, type and key checks, numbers that may
/// be written as "inf", edit-distance suggestions ("did you mean"), and the one message
/// shape every reader error has: `<path>: <value> is invalid; <what is allowed>`.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "offroi/detail/suggest.hpp"
#include "offroi/error.hpp"

namespace offroi::detail {

/// `path.key`, or `key` at the top level.
inline std::string json_child(std::string_view path, std::string_view key) {
    std::string s(path);
    if (!s.empty()) s += '.';
    s += key;
    return s;
}

/// `path[i]`.
inline std::string json_index(std::string_view path, std::size_t i) {
    return std::string(path) + "[" + std::to_string(i) + "]";
}

/// "a string", "an array", ... for messages.
inline std::string json_type_phrase(const nlohmann::json& j) {
    switch (j.type()) {
        case nlohmann::json::value_t::null: return "null";
        case nlohmann::json::value_t::object: return "an object";
        case nlohmann::json::value_t::array: return "an array";
        case nlohmann::json::value_t::string: return "a string";
        case nlohmann::json::value_t::boolean: return "a boolean";
        case nlohmann::json::value_t::binary: return "binary data";
        case nlohmann::json::value_t::discarded: return "a discarded value";
        default: return "a number";
    }
}

/// The first `max_bytes` bytes of `s` or fewer, never ending inside a UTF-8 character.
inline std::string utf8_prefix(std::string_view s, std::size_t max_bytes) {
    if (s.size() <= max_bytes) return std::string(s);
    std::size_t n = max_bytes;
    // Back up over continuation bytes (10xxxxxx) to the start of the cut character.
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return std::string(s.substr(0, n));
}

/// `s` with every byte that is not part of a well-formed UTF-8 character replaced by '?':
/// messages quote what they were given (file names, the bytes near a syntax error), and a
/// message must stay text (Python decodes it; a terminal shows it).
inline std::string utf8_sanitized(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 4;
        bool ok = n < 4 && n <= s.size() - i - 1;
        for (std::size_t k = 1; ok && k <= n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
        if (ok) {
            out.append(s.substr(i, n + 1));
            i += n + 1;
        } else {
            out += '?';
            ++i;
        }
    }
    return out;
}

namespace excerpt_detail {
// Appends j as JSON text, stopping once `out` exceeds `budget` bytes and writing containers
// nested deeper than `depth` as [...] / {...}: bounded work whatever the value's size or
// nesting (a message must not cost more than the value it quotes). Invalid UTF-8 in
// strings is replaced (U+FFFD), never thrown on.
inline void append(const nlohmann::json& j, std::string& out, std::size_t budget, int depth) {
    if (!j.is_structured()) {
        out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    const bool arr = j.is_array();
    if (depth == 0) {
        out += arr ? "[...]" : "{...}";
        return;
    }
    out += arr ? '[' : '{';
    bool first = true;
    for (auto it = j.begin(); it != j.end() && out.size() <= budget; ++it) {
        if (!first) out += ',';
        first = false;
        if (!arr) {
            out += nlohmann::json(it.key()).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            out += ':';
        }
        append(*it, out, budget, depth - 1);
    }
    out += arr ? ']' : '}';
}
}  // namespace excerpt_detail

/// The value as JSON text, cut to about 60 bytes (at a UTF-8 character boundary).
inline std::string json_excerpt(const nlohmann::json& j) {
    std::string s;
    excerpt_detail::append(j, s, 64, 4);
    if (s.size() > 60) s = utf8_prefix(s, 57) + "...";
    return s;
}

/// `<value> (<type>)` for type errors, e.g. `"ten" (a string)`.
inline std::string json_value_phrase(const nlohmann::json& j) {
    if (j.is_null()) return "null";
    return json_excerpt(j) + " (" + json_type_phrase(j) + ")";
}

/// Throws invalid_scenario("<path>: <what> is invalid; <allowed>").
[[noreturn]] inline void throw_at(std::string_view path, std::string_view what, std::string_view allowed) {
    std::string msg(path.empty() ? std::string_view("(scenario)") : path);
    msg += ": ";
    msg += what;
    msg += " is invalid; ";
    msg += allowed;
    // Sanitized: the value may be a string read from a CSV cell, which no JSON parser has
    // checked for UTF-8 (a valid message is unchanged).
    throw invalid_scenario(utf8_sanitized(msg));
}

/// "a, b, c".
inline std::string join_names(const std::vector<std::string>& names) {
    std::string s;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) s += ", ";
        s += names[i];
    }
    return s;
}

/// Throws `<path>: "<word>" is invalid; did you mean "<x>"? <kind>: <valid list>`.
[[noreturn]] inline void throw_unknown_name(std::string_view path, std::string_view word,
                                            std::string_view what, const std::vector<std::string>& valid) {
    std::string allowed;
    const std::string guess = closest_match(word, valid);
    if (!guess.empty()) allowed += "did you mean \"" + guess + "\"? ";
    allowed += std::string(what) + ": " + join_names(valid);
    throw_at(path, std::string(what == "valid keys" ? "unknown key \"" : "\"") + std::string(word) + "\"", allowed);
}

/// Requires an object; throws a type error otherwise.
inline const nlohmann::json& require_object(const nlohmann::json& j, std::string_view path, std::string_view shape) {
    if (!j.is_object()) throw_at(path, json_value_phrase(j), "must be an object " + std::string(shape));
    return j;
}

/// Throws for the first key of object `j` not in `valid` (with a did-you-mean).
inline void check_keys(const nlohmann::json& j, std::string_view path, const std::vector<std::string>& valid) {
    for (auto it = j.begin(); it != j.end(); ++it)
        if (std::find(valid.begin(), valid.end(), it.key()) == valid.end())
            throw_unknown_name(json_child(path, it.key()), it.key(), "valid keys", valid);
}

/// A number; also the strings "inf", "+inf", "infinity", "-inf", "-infinity" (JSON has no
/// infinity). Throws a type error for anything else.
inline double json_number(const nlohmann::json& j, std::string_view path, std::string_view allowed = "must be a number") {
    if (j.is_number()) return j.get<double>();
    if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        if (s == "inf" || s == "+inf" || s == "infinity" || s == "+infinity" || s == "Infinity")
            return std::numeric_limits<double>::infinity();
        if (s == "-inf" || s == "-infinity" || s == "-Infinity") return -std::numeric_limits<double>::infinity();
    }
    throw_at(path, json_value_phrase(j), allowed);
}

/// A number as written in output: finite numbers as numbers, infinities as "inf"/"-inf".
inline nlohmann::json json_from_number(double x) {
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    return x;
}

/// A whole number in [lo, hi] (36 and 36.0 both accepted).
inline std::int64_t json_integer(const nlohmann::json& j, std::string_view path, std::int64_t lo, std::int64_t hi,
                                 std::string_view allowed) {
    if (j.is_number_integer()) {
        if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(hi))
            throw_at(path, j.dump(), allowed);
        const auto v = j.get<std::int64_t>();
        if (v < lo || v > hi) throw_at(path, j.dump(), allowed);
        return v;
    }
    if (j.is_number_float()) {
        const double v = j.get<double>();
        if (v == std::floor(v) && v >= static_cast<double>(lo) && v <= static_cast<double>(hi))
            return static_cast<std::int64_t>(v);
        throw_at(path, j.dump(), allowed);
    }
    throw_at(path, json_value_phrase(j), allowed);
}

/// An unsigned 64-bit whole number in [lo, 2^64 - 1].
inline std::uint64_t json_unsigned(const nlohmann::json& j, std::string_view path, std::uint64_t lo,
                                   std::string_view allowed) {
    if (j.is_number_unsigned()) {
        const auto v = j.get<std::uint64_t>();
        if (v < lo) throw_at(path, j.dump(), allowed);
        return v;
    }
    if (j.is_number_integer()) throw_at(path, j.dump(), allowed);  // negative
    if (j.is_number_float()) {
        const double v = j.get<double>();
        if (v == std::floor(v) && v >= static_cast<double>(lo) && v < 18446744073709551616.0)
            return static_cast<std::uint64_t>(v);
        throw_at(path, j.dump(), allowed);
    }
    throw_at(path, json_value_phrase(j), allowed);
}

/// A string.
inline const std::string& json_string(const nlohmann::json& j, std::string_view path,
                                      std::string_view allowed = "must be a string") {
    if (!j.is_string()) throw_at(path, json_value_phrase(j), allowed);
    return j.get_ref<const std::string&>();
}

/// An array of numbers (each may be "inf"), at least `min_size` long.
inline std::vector<double> json_numbers(const nlohmann::json& j, std::string_view path, std::size_t min_size,
                                        std::string_view allowed) {
    if (!j.is_array()) throw_at(path, json_value_phrase(j), allowed);
    if (j.size() < min_size)
        throw_at(path, "an array of " + std::to_string(j.size()) + " numbers", allowed);
    std::vector<double> v;
    v.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) v.push_back(json_number(j[i], json_index(path, i)));
    return v;
}

/// Percentile key "p10" -> 0.10, "p2.5" -> 0.025; -1 if `key` is not such a key.
inline double percentile_key_level(std::string_view key) {
    if (key.size() < 2 || key[0] != 'p') return -1.0;
    double v = 0;
    const auto* first = key.data() + 1;
    const auto* last = key.data() + key.size();
    if (!std::isdigit(static_cast<unsigned char>(*first))) return -1.0;
    auto r = std::from_chars(first, last, v);
    if (r.ec != std::errc() || r.ptr != last || !(v > 0.0 && v < 100.0)) return -1.0;
    return v / 100.0;
}

}  // namespace offroi::detail
