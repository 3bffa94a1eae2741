#pragma once
/// \file
/// A stable sort of doubles by value that returns the permutation: an LSD radix sort on
/// order-preserving 64-bit keys, O(n), about 10x faster than std::sort at n = 1e6. Shared by
/// Iman-Conover (sampling/) and the rank-based sensitivity indices (sensitivity/).

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace offroi::detail {

/// Maps a double to an unsigned integer with the same order (IEEE-754: flip all bits of a
/// negative, the sign bit of a positive; -0 is taken as +0 so that equal values tie).
inline std::uint64_t order_key(double v) noexcept {
    const auto b = std::bit_cast<std::uint64_t>(v == 0.0 ? 0.0 : v);
    return (b >> 63) ? ~b : (b | 0x8000000000000000ULL);
}

/// Scratch space of `sort_order`, reusable across calls.
struct sort_scratch {
    std::vector<std::uint64_t> key, key2;
    std::vector<std::uint32_t> idx, idx2;
    void resize(std::size_t n) {
        key.resize(n);
        key2.resize(n);
        idx.resize(n);
        idx2.resize(n);
    }
};

/// order[r] = the index of rank r of x[0..n), ties in index order (exactly a stable sort by
/// value): an LSD radix sort on `order_key` with 8-bit digits, skipping digits that all
/// keys share. x must hold no NaN; n < 2^32.
inline void sort_order(const double* x, std::size_t n, sort_scratch& w, std::uint32_t* order) {
    w.resize(n);
    std::uint64_t all_and = ~std::uint64_t{0}, all_or = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t k = order_key(x[i]);
        w.key[i] = k;
        w.idx[i] = static_cast<std::uint32_t>(i);
        all_and &= k;
        all_or |= k;
    }
    const std::uint64_t varying = all_and ^ all_or;
    std::uint64_t* k0 = w.key.data();
    std::uint64_t* k1 = w.key2.data();
    std::uint32_t* i0 = w.idx.data();
    std::uint32_t* i1 = w.idx2.data();
    for (unsigned shift = 0; shift < 64; shift += 8) {
        if (((varying >> shift) & 0xff) == 0) continue;
        std::size_t count[257] = {};
        for (std::size_t i = 0; i < n; ++i) ++count[((k0[i] >> shift) & 0xff) + 1];
        for (std::size_t b = 1; b < 257; ++b) count[b] += count[b - 1];
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t pos = count[(k0[i] >> shift) & 0xff]++;
            k1[pos] = k0[i];
            i1[pos] = i0[i];
        }
        std::swap(k0, k1);
        std::swap(i0, i1);
    }
    std::copy(i0, i0 + n, order);
}

}  // namespace offroi::detail
