#pragma once
/// \file
/// Stable stream identifiers. An input's stream id is a hash of its name, so adding,
/// removing or reordering inputs never changes the draws of the others.

#include <cstdint>
#include <string_view>

namespace offroi {

/// SplitMix64's finaliser (Steele, Lea and Flood 2014): a bijective 64-bit mixer.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/// The stream id of a named input: 64-bit FNV-1a of the UTF-8 bytes, then `mix64`.
/// Stable across platforms, compilers and releases (golden values are tested).
constexpr std::uint64_t stream_id(std::string_view name) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : name) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return mix64(h);
}

/// A derived stream: the `index`-th sub-stream of `parent` (for example month m of a risk
/// event, or replica r of a bootstrap). Pure and stable like `stream_id`.
constexpr std::uint64_t substream(std::uint64_t parent, std::uint64_t index) noexcept {
    return mix64(parent ^ mix64(index + 0x632be59bd9b4e019ULL));
}

}  // namespace offroi
