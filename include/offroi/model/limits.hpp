#pragma once
/// \file
/// Resource limits: the largest scenario offroi accepts, checked before any work starts so
/// that every input either runs in bounded time and memory or is refused with a message
/// naming the limit (docs/scenario-format.md, "Limits"). The magnitudes of money, rates
/// and counts are far above any real engagement and far below where a month's cost could
/// overflow a double, so an accepted scenario never produces an infinite or NaN output.

#include <cstddef>
#include <cstdint>

namespace offroi::limits {

/// Largest scenario file read, in bytes (16 MiB; the bundled scenarios are under 16 KiB).
inline constexpr std::uintmax_t max_file_bytes = std::uintmax_t{16} << 20;
/// Deepest nesting of JSON objects and arrays in a scenario file (the format needs 5).
inline constexpr int max_json_depth = 64;
/// Longest array in a scenario file (values of an empirical, discrete or metalog input).
inline constexpr std::size_t max_array_length = 100000;
/// Most alternatives compared with the baseline in one scenario.
inline constexpr std::size_t max_alternatives = 64;
/// Most correlations between inputs in one scenario.
inline constexpr std::size_t max_correlations = 10000;
/// Most trials of one run (also the cap of a run to a precision target).
inline constexpr std::uint64_t max_trials = 1000000000;
/// Most trials whose draws rank the drivers (every input of each is kept in memory).
inline constexpr std::uint64_t max_driver_trials = 1000000;
/// Most model evaluations of one variance-based sensitivity analysis
/// (base samples x (inputs + 2) x event trials).
inline constexpr double max_sensitivity_evaluations = 1e9;

/// Largest value of a money input (a one-time cost, a cost of delay per month), USD.
inline constexpr double max_usd = 1e12;
/// Largest hourly rate or hourly cost, USD per hour.
inline constexpr double max_usd_per_hour = 1e5;
/// Largest headcount of one arrangement.
inline constexpr double max_headcount = 1e5;
/// Largest amount of work (backlog, knowledge lost), engineer-months.
inline constexpr double max_engineer_months = 1e7;

/// The largest uniform a sampler hands to a quantile function (`philox.hpp`: 52 random bits,
/// strictly inside [2^-53, 1 - 2^-53]): a distribution's quantile at this level is the
/// largest value any draw of it can take.
inline constexpr double max_uniform = 1.0 - 0x1p-53;

}  // namespace offroi::limits
