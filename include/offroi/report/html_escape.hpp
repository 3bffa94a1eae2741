#pragma once
/// \file
/// Escaping for the HTML report: text and attribute values (`html_escape`), and JSON placed
/// inside a `<script type="application/json">` element (`script_safe_json`). Every string
/// that comes from a scenario (names, descriptions, assumptions) goes through one of them, so
/// a name such as `<script>alert(1)</script>` or `" onload="x` is shown as text and never
/// interpreted. UTF-8 passes through unchanged; bytes that are not well-formed UTF-8 become
/// U+FFFD, so the page stays valid UTF-8 whatever the input.

#include <cstdint>
#include <string>
#include <string_view>

namespace offroi {

namespace detail {

/// Length of the well-formed UTF-8 sequence starting at s[i] (1 to 4), or 0 if ill-formed.
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) n = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) n = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) n = 4, cp = c & 0x07;
    else return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    // Overlong forms, surrogates and code points beyond U+10FFFF are ill-formed.
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

}  // namespace detail

/// `s` as HTML text or a double- or single-quoted attribute value: & < > " ' escaped, control
/// characters other than tab, newline and carriage return dropped, ill-formed UTF-8 replaced
/// by U+FFFD.
inline std::string html_escape(std::string_view s) {
    std::string o;
    o.reserve(s.size() + s.size() / 8);
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = detail::utf8_sequence_length(s, i);
        if (n == 0) {
            o += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        if (n > 1) {
            o.append(s.substr(i, n));
            i += n;
            continue;
        }
        const char c = s[i++];
        switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            case '\'': o += "&#39;"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') break;
                if (c == 0x7F) break;
                o += c;
        }
    }
    return o;
}

/// JSON text made safe inside `<script type="application/json">`: `<`, `>` and `&` (which can
/// only occur inside JSON strings) become `\u003c`, `\u003e`, `\u0026`, so the text can contain
/// neither `</script>` nor `<!--`; the JSON value is unchanged. U+2028 and U+2029 are escaped
/// too, for readers that treat the text as JavaScript.
inline std::string script_safe_json(std::string_view json) {
    std::string o;
    o.reserve(json.size());
    for (std::size_t i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '<') o += "\\u003c";
        else if (c == '>') o += "\\u003e";
        else if (c == '&') o += "\\u0026";
        else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
                 (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
            o += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
            i += 2;
        } else o += c;
    }
    return o;
}

}  // namespace offroi
