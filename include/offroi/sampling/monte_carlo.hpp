#pragma once
/// \file
/// Plain Monte Carlo design in uniform space: the value of input `stream` at trial `t` is
/// `philox_stream(seed, stream).uniform(t, 0)`, a pure function of (seed, stream, trial),
/// so any trial range can be computed on any thread and shards agree bit for bit.

#include <cstddef>
#include <cstdint>

#include "offroi/random/philox.hpp"
#include "offroi/sampling/detail/philox_batch.hpp"

namespace offroi {

/// Independent uniforms in (0, 1), one stream per input. Cheap to copy; thread-safe.
class monte_carlo_design {
public:
    /// \param seed the run's seed.
    explicit constexpr monte_carlo_design(std::uint64_t seed) noexcept : seed_(seed) {}

    /// The run's seed.
    constexpr std::uint64_t seed() const noexcept { return seed_; }

    /// Uniform of input `stream` at `trial`: `philox_stream(seed, stream).uniform(trial, 0)`.
    double uniform(std::uint64_t stream, std::uint64_t trial) const noexcept {
        return philox_stream(seed_, stream).uniform(trial, 0);
    }

    /// out[i] = uniform(stream, first_trial + i) for i in [0, count).
    void fill(std::uint64_t stream, std::uint64_t first_trial, std::size_t count,
              double* out) const noexcept {
        detail::philox_uniforms(seed_, stream, first_trial, count, 0, out);
    }

private:
    std::uint64_t seed_;
};

}  // namespace offroi
