#pragma once
/// \file
/// Counter-based uniform draws from Philox4x32-10 (Salmon, Moraes, Dror and Shaw, SC 2011,
/// via Random123). A draw is a pure function of (seed, stream, trial, dimension): no state
/// is carried between draws, so any trial can be computed on any thread in any order and
/// the result is the same bits.
///
/// Mapping: key = the 64 bits of `mix64(seed ^ mix64(stream))`; counter = (trial low,
/// trial high, dimension/2 low, dimension/2 high). One Philox call gives 128 bits, i.e. two
/// 64-bit words; dimension d uses word d % 2. A word w becomes the double
/// ((w >> 12) + 0.5) * 2^-52: 52 random bits, strictly inside [2^-53, 1 - 2^-53].

#include <Random123/philox.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "offroi/random/stream_id.hpp"

namespace offroi {

/// Converts a 64-bit word to a double strictly inside (0, 1) with 52 random bits; every
/// value is exactly representable, so neither 0 nor 1 can occur.
constexpr double to_open_unit(std::uint64_t w) noexcept {
    return (static_cast<double>(w >> 12) + 0.5) * 0x1.0p-52;
}

/// One stream of counter-based uniforms for a fixed (seed, stream) pair. Cheap to build and
/// copy (two 32-bit words); thread-safe (all members are const).
class philox_stream {
public:
    using engine_type = r123::Philox4x32;  ///< Random123's Philox4x32 with 10 rounds

    /// \param seed   the run's seed.
    /// \param stream the input's stream id (see `stream_id`).
    constexpr philox_stream(std::uint64_t seed, std::uint64_t stream) noexcept
        : key_(make_key(seed, stream)) {}

    /// The two raw 64-bit words of counter block (trial, pair): dimensions 2*pair, 2*pair+1.
    std::pair<std::uint64_t, std::uint64_t> words(std::uint64_t trial,
                                                  std::uint64_t pair) const noexcept {
        engine_type::ctr_type c = {{static_cast<std::uint32_t>(trial),
                                    static_cast<std::uint32_t>(trial >> 32),
                                    static_cast<std::uint32_t>(pair),
                                    static_cast<std::uint32_t>(pair >> 32)}};
        engine_type::key_type k = {{key_[0], key_[1]}};
        auto r = engine_type{}(c, k);
        return {(std::uint64_t(r[1]) << 32) | r[0], (std::uint64_t(r[3]) << 32) | r[2]};
    }

    /// Raw 64-bit word for (trial, dimension).
    std::uint64_t bits(std::uint64_t trial, std::uint64_t dimension) const noexcept {
        auto w = words(trial, dimension >> 1);
        return (dimension & 1) ? w.second : w.first;
    }

    /// Uniform in (0, 1) for (trial, dimension).
    double uniform(std::uint64_t trial, std::uint64_t dimension = 0) const noexcept {
        return to_open_unit(bits(trial, dimension));
    }

    /// Fills out[i] = uniform(first_trial + i, dimension) for i in [0, count).
    void fill(std::uint64_t first_trial, std::size_t count, std::uint64_t dimension,
              double* out) const noexcept {
        const std::uint64_t pair = dimension >> 1;
        const bool odd = dimension & 1;
        for (std::size_t i = 0; i < count; ++i) {
            auto w = words(first_trial + i, pair);
            out[i] = to_open_unit(odd ? w.second : w.first);
        }
    }

    /// Fills two dimensions at once (2*pair and 2*pair+1) from one Philox call per trial.
    void fill_pair(std::uint64_t first_trial, std::size_t count, std::uint64_t pair,
                   double* even, double* odd) const noexcept {
        for (std::size_t i = 0; i < count; ++i) {
            auto w = words(first_trial + i, pair);
            even[i] = to_open_unit(w.first);
            odd[i] = to_open_unit(w.second);
        }
    }

private:
    static constexpr std::array<std::uint32_t, 2> make_key(std::uint64_t seed,
                                                           std::uint64_t stream) noexcept {
        const std::uint64_t k = mix64(seed ^ mix64(stream));
        return {static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(k >> 32)};
    }
    std::array<std::uint32_t, 2> key_;
};

/// Uniform in (0, 1) as a pure function of (seed, stream, trial, dimension).
inline double uniform01(std::uint64_t seed, std::uint64_t stream, std::uint64_t trial,
                        std::uint64_t dimension = 0) noexcept {
    return philox_stream(seed, stream).uniform(trial, dimension);
}

}  // namespace offroi
