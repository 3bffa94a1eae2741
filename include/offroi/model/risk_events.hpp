#pragma once
/// \file
/// Risk events of an arrangement (engagement failure, vendor switch, security/IP incident,
/// key-person loss) and their counter-based draws. Each event has its own Philox stream
/// keyed by (arrangement name, event name), so its uniform for trial t is a pure function of
/// (seed, arrangement, event, t): adding an event or an arrangement never changes the draws
/// of the others. The first occurrence month is geometric, obtained by inversion from that
/// one uniform (docs/model.md §5), so a trial costs one Philox call per event, not one per
/// month.

#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "offroi/random/philox.hpp"
#include "offroi/random/stream_id.hpp"
#include "offroi/sampling/detail/philox_batch.hpp"

namespace offroi {

/// The risk events, in the order of `risk_event_names`.
enum class risk_event { failure, vendor_switch, security_incident, key_person_loss };

/// The event names used as stream keys: "failure", "vendor_switch", "security_incident",
/// "key_person_loss".
inline constexpr std::array<std::string_view, 4> risk_event_names = {
    "failure", "vendor_switch", "security_incident", "key_person_loss"};

/// One trial's uniforms in (0, 1) for the four risk events of one arrangement.
struct event_uniforms {
    double failure = 0.5;            ///< engagement failure / reversal
    double vendor_switch = 0.5;      ///< vendor replacement
    double security_incident = 0.5;  ///< security or IP incident
    double key_person_loss = 0.5;    ///< loss of a key engineer
};

/// The stream id of event `e` of the arrangement named `arrangement_name`:
/// `substream(stream_id(arrangement_name), stream_id(event name))`.
constexpr std::uint64_t event_stream_id(std::string_view arrangement_name, risk_event e) noexcept {
    return substream(stream_id(arrangement_name),
                     stream_id(risk_event_names[static_cast<std::size_t>(e)]));
}

/// The four event streams of one arrangement for one run (cheap to copy, thread-safe).
class event_streams {
public:
    /// \param seed             the run's seed.
    /// \param arrangement_name the arrangement's name (its stream key).
    event_streams(std::uint64_t seed, std::string_view arrangement_name) noexcept
        : seed_(seed),
          id_{event_stream_id(arrangement_name, risk_event::failure),
              event_stream_id(arrangement_name, risk_event::vendor_switch),
              event_stream_id(arrangement_name, risk_event::security_incident),
              event_stream_id(arrangement_name, risk_event::key_person_loss)},
          s_{philox_stream(seed, id_[0]), philox_stream(seed, id_[1]), philox_stream(seed, id_[2]),
             philox_stream(seed, id_[3])} {}

    /// The uniforms of trial `trial` (dimension 0 of each event's stream).
    event_uniforms draw(std::uint64_t trial) const noexcept {
        return {s_[0].uniform(trial, 0), s_[1].uniform(trial, 0), s_[2].uniform(trial, 0),
                s_[3].uniform(trial, 0)};
    }

    /// The uniforms of trials [first_trial, first_trial + count), one column per event in the
    /// order of `risk_event_names`: out[e][i] is draw(first_trial + i)'s uniform of event e
    /// (the same bits; batched Philox, eight trials per AVX2 operation where the CPU has it).
    void fill(std::uint64_t first_trial, std::size_t count, double* const (&out)[4]) const noexcept {
        for (std::size_t e = 0; e < 4; ++e) detail::philox_uniforms(seed_, id_[e], first_trial, count, 0, out[e]);
    }

private:
    std::uint64_t seed_;
    std::array<std::uint64_t, 4> id_;
    std::array<philox_stream, 4> s_;
};

/// The month (0-based) of the first occurrence of an event with annual probability
/// `annual_probability`, from the uniform `u` in (0, 1), by inversion of the geometric law
/// with monthly probability q = 1 - (1 - p)^(1/12): T = floor(12 ln u / ln(1 - p)), so that
/// P(T >= t) = (1 - q)^t. Returns `horizon_months` when the event does not occur within the
/// horizon (p = 0 never occurs; p = 1 occurs in month 0).
inline int event_month(double u, double annual_probability, int horizon_months) noexcept {
    if (!(annual_probability > 0.0)) return horizon_months;
    if (annual_probability >= 1.0) return 0;
    // Fast rejection without logarithms: the event occurs within the horizon iff
    // -ln u < lambda = -(H/12) ln(1 - p); since -ln u >= 1 - u and
    // -ln(1 - p) <= p / (1 - p), 1 - u >= (H/12) p / (1 - p) means it does not occur.
    const double years = static_cast<double>(horizon_months) / 12.0;
    if (1.0 - u >= years * annual_probability / (1.0 - annual_probability)) return horizon_months;
    const double x = 12.0 * std::log(u) / std::log1p(-annual_probability);
    if (!(x < static_cast<double>(horizon_months))) return horizon_months;
    return static_cast<int>(x);  // x >= 0: truncation is floor
}

}  // namespace offroi
