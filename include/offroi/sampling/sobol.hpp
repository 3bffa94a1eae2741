#pragma once
/// \file
/// Scrambled Sobol' design with random access to any point.
///
/// Direction numbers come from Boost.Random's `boost::random::sobol_engine` (Joe and Kuo's
/// table, `default_sobol_table`, up to `sobol_design::max_dimension` dimensions): they are
/// read once per design from Boost's engine (`seed(2^(k+1) - 2)` leaves the engine on the
/// k-th direction number), and point i of dimension j is then computed directly as the XOR of
/// the direction numbers selected by the bits of gray(i) = i ^ (i >> 1), and a block of
/// consecutive points by Antonov–Saleev Gray-code updates. No block is regenerated from 0.
///
/// Point index = trial; point 0 (the origin) is kept, not skipped: after scrambling it is a
/// uniform point like any other, and keeping it makes the first 2^m trials a scrambled
/// (t, m, s)-net (Owen 2020, "On dropping the first Sobol' point"). Boost's own engine skips
/// the origin, so Boost's n-th output vector is our point n + 1 (tested). Balance is best
/// when the trial count is a power of two.
///
/// Dimension = the input's position in the sampler: quasi-Monte Carlo cannot be keyed by
/// name, so adding or reordering inputs changes which Sobol' dimension an input gets (the
/// scramble itself is keyed by (seed, stream), so it stays with the input's name).
///
/// Randomisation: a nested uniform (Owen-type) scramble of the 32 leading bits, done as in
/// Burley 2020 ("Practical hash-based Owen scrambling", JCGT 9(4)): reverse the bits, apply
/// a keyed hash in which every output bit depends only on the input bits below it (Vegdahl's
/// improved Laine–Karras permutation), reverse again. Bits below 2^-32 are filled with a
/// keyed hash of (point, key), so values are uniform in (0, 1) and never 0 or 1.

#include <boost/random/sobol.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/random/philox.hpp"
#include "offroi/random/stream_id.hpp"

namespace offroi {

namespace detail {

/// Reverses the 32 bits of x.
constexpr std::uint32_t reverse_bits32(std::uint32_t x) noexcept {
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
    x = ((x >> 8) & 0x00ff00ffu) | ((x & 0x00ff00ffu) << 8);
    return (x >> 16) | (x << 16);
}

/// Nested uniform scramble of a 32-bit fixed-point value (Burley 2020 with Vegdahl's
/// hash): each output bit depends on the key and on the input bits above it only.
constexpr std::uint32_t owen_scramble32(std::uint32_t x, std::uint32_t key) noexcept {
    x = reverse_bits32(x);
    x ^= x * 0x3d20adeau;
    x += key;
    x *= (key >> 16) | 1u;
    x ^= x * 0x05526c56u;
    x ^= x * 0x53a22864u;
    return reverse_bits32(x);
}

}  // namespace detail

/// Scrambled Sobol' points in uniform space, random access by point index. Holds the
/// direction numbers (32 per dimension); thread-safe (all members const).
class sobol_design {
public:
    /// Number of bits of each point: at most 2^32 points per design.
    static constexpr unsigned bits = 32;
    /// The largest trial count a Sobol' design supports (2^32 points).
    static constexpr std::uint64_t max_points = std::uint64_t{1} << bits;
    /// The number of dimensions Boost's Joe–Kuo table supports.
    static constexpr std::size_t max_dimension = boost::random::default_sobol_table::max_dimension;

    /// \param seed       the run's seed (keys the scramble together with each input's stream).
    /// \param dimensions the number of inputs, in [1, max_dimension].
    /// \throws invalid_argument if dimensions is 0 or above max_dimension.
    sobol_design(std::uint64_t seed, std::size_t dimensions) : seed_(seed), dims_(dimensions) {
        if (dimensions == 0 || dimensions > max_dimension)
            detail::throw_invalid("sobol_design", "dimensions", static_cast<double>(dimensions),
                                  "must be in [1, " + std::to_string(max_dimension) +
                                      "] (Boost's Joe-Kuo Sobol' table)");
        directions_.resize(dims_ * bits);
        boost::random::sobol_engine<std::uint32_t, bits> engine(dims_);
        for (unsigned k = 0; k < bits; ++k) {
            // Boost's seed(n) sets the state to the XOR of the direction numbers picked by
            // gray(n + 1); for n = 2^(k+1) - 2 that is direction number k alone.
            engine.seed((std::uint64_t{1} << (k + 1)) - 2);
            for (std::size_t j = 0; j < dims_; ++j) directions_[j * bits + k] = engine();
        }
    }

    /// The run's seed.
    std::uint64_t seed() const noexcept { return seed_; }
    /// The number of dimensions.
    std::size_t dimensions() const noexcept { return dims_; }

    /// The unscrambled 32-bit Sobol' point `index` (< 2^32) in dimension `dim` (< dimensions).
    std::uint32_t raw(std::size_t dim, std::uint64_t index) const noexcept {
        const std::uint32_t* v = &directions_[dim * bits];
        std::uint64_t g = index ^ (index >> 1);
        std::uint32_t x = 0;
        for (unsigned k = 0; g != 0; ++k, g >>= 1)
            if (g & 1) x ^= v[k];
        return x;
    }

    /// The scrambled uniform in (0, 1) of point `trial` in dimension `dim`, keyed by
    /// (seed, stream). \throws invalid_argument if trial >= 2^32 or dim >= dimensions().
    double uniform(std::uint64_t stream, std::size_t dim, std::uint64_t trial) const {
        double u;
        fill(stream, dim, trial, 1, &u);
        return u;
    }

    /// out[i] = uniform(stream, dim, first_trial + i) for i in [0, count).
    /// \throws invalid_argument if first_trial + count > 2^32 or dim >= dimensions().
    void fill(std::uint64_t stream, std::size_t dim, std::uint64_t first_trial,
              std::size_t count, double* out) const {
        if (dim >= dims_)
            detail::throw_invalid("sobol_design::fill", "dimension", static_cast<double>(dim),
                                  "must be < " + std::to_string(dims_));
        if (first_trial > max_points || count > max_points - first_trial)
            detail::throw_invalid("sobol_design::fill", "last trial + 1",
                                  static_cast<double>(first_trial) + static_cast<double>(count),
                                  "a Sobol' design has at most 2^32 points");
        if (count == 0) return;
        const std::uint64_t key = mix64(seed_ ^ mix64(stream ^ 0x536f626f6c5f3332ULL));
        const auto skey = static_cast<std::uint32_t>(key >> 32);
        const std::uint64_t jkey = mix64(key);
        const std::uint32_t* v = &directions_[dim * bits];
        std::uint32_t x = raw(dim, first_trial);
        for (std::size_t i = 0;;) {
            const std::uint64_t idx = first_trial + i;
            const std::uint32_t s = detail::owen_scramble32(x, skey);
            const double low = to_open_unit(mix64(jkey ^ idx));
            const double u = (static_cast<double>(s) + low) * 0x1.0p-32;
            out[i] = u < 1.0 ? u : 0x1.fffffffffffffp-1;
            if (++i == count) break;
            // gray(idx + 1) = gray(idx) ^ 2^ctz(idx + 1).
            x ^= v[std::countr_zero(idx + 1)];
        }
    }

private:
    std::uint64_t seed_;
    std::size_t dims_;
    std::vector<std::uint32_t> directions_;
};

}  // namespace offroi
