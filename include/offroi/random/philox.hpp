#pragma once
/// \file
/// Counter-based uniform draws from Philox4x32-10 (Salmon, Moraes, Dror and Shaw, SC 2011,
/// via Random123). A draw is a pure function of (seed, stream, trial, dimension): no state
/// is carried between draws, so any trial can be computed on any thread in any order and
/// the result is the same bits.
///
/// Mapping (version 2): key = the 64 bits of `mix64(seed ^ mix64(stream))`; counter =
/// (trial/2 low, trial/2 high, dimension low, dimension high). One Philox call gives 128
/// bits, i.e. two 64-bit words; trial t uses word t % 2, so trials 2k and 2k + 1 of a
/// dimension share one call (a run draws an input's column over consecutive trials: one call
/// per two draws). A word w becomes the double ((w >> 12) + 0.5) * 2^-52: 52 random bits,
/// strictly inside [2^-53, 1 - 2^-53]. (The first mapping had counter (trial, dimension/2)
/// and word dimension % 2: one call per draw, half of it unused.)

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

    /// The two raw 64-bit words of Philox counter block (index, dimension) (counter words:
    /// index low, index high, dimension low, dimension high): the draws of dimension
    /// `dimension` at trials 2 index and 2 index + 1.
    std::pair<std::uint64_t, std::uint64_t> words(std::uint64_t index,
                                                  std::uint64_t dimension) const noexcept {
        engine_type::ctr_type c = {{static_cast<std::uint32_t>(index),
                                    static_cast<std::uint32_t>(index >> 32),
                                    static_cast<std::uint32_t>(dimension),
                                    static_cast<std::uint32_t>(dimension >> 32)}};
        engine_type::key_type k = {{key_[0], key_[1]}};
        auto r = engine_type{}(c, k);
        return {(std::uint64_t(r[1]) << 32) | r[0], (std::uint64_t(r[3]) << 32) | r[2]};
    }

    /// Raw 64-bit word for (trial, dimension): word trial % 2 of block (trial / 2, dimension).
    std::uint64_t bits(std::uint64_t trial, std::uint64_t dimension) const noexcept {
        auto w = words(trial >> 1, dimension);
        return (trial & 1) ? w.second : w.first;
    }

    /// Uniform in (0, 1) for (trial, dimension).
    double uniform(std::uint64_t trial, std::uint64_t dimension = 0) const noexcept {
        return to_open_unit(bits(trial, dimension));
    }

    /// Fills out[i] = uniform(first_trial + i, dimension) for i in [0, count): one Philox
    /// call per two trials.
    void fill(std::uint64_t first_trial, std::size_t count, std::uint64_t dimension,
              double* out) const noexcept {
        std::size_t i = 0;
        if (count > 0 && (first_trial & 1)) {  // an odd first trial: the second word of its block
            out[i++] = to_open_unit(words(first_trial >> 1, dimension).second);
        }
        for (; i + 2 <= count; i += 2) {
            const auto w = words((first_trial + i) >> 1, dimension);
            out[i] = to_open_unit(w.first);
            out[i + 1] = to_open_unit(w.second);
        }
        if (i < count) out[i] = to_open_unit(words((first_trial + i) >> 1, dimension).first);
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
