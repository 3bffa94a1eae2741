#pragma once
/// \file
/// `engagement_plan`: how an arrangement is started -- at full headcount from month 0 (no
/// plan), or as a pilot of k engineers that, at decision month m, is scaled up to the
/// arrangement's headcount, kept at k, or ended with the work moving to the fallback (the
/// baseline). The staged-decision analysis (decision/staged_decision.hpp) evaluates each
/// action on the same draws and learns which to take from what the pilot shows by month m.
/// The mechanism is in docs/model.md §13 (the month loop of `evaluate_arrangement`).

#include <cmath>
#include <string>
#include <string_view>

#include "offroi/error.hpp"

namespace offroi {

/// What happens to a pilot at its decision month.
enum class pilot_action {
    scale,  ///< grow to the arrangement's full headcount (new seats are hired and ramp up)
    stay,   ///< keep the pilot team of k engineers to the end
    exit    ///< end the engagement (exit terms) and move the work to the fallback (the baseline)
};

/// The action's name: "scale", "stay" or "exit".
constexpr std::string_view to_string(pilot_action a) noexcept {
    switch (a) {
        case pilot_action::scale: return "scale";
        case pilot_action::stay: return "stay";
        case pilot_action::exit: return "exit";
    }
    return "scale";
}

/// Parses "scale", "stay" or "exit". \throws invalid_argument naming the allowed names.
inline pilot_action parse_pilot_action(std::string_view name) {
    for (auto a : {pilot_action::scale, pilot_action::stay, pilot_action::exit})
        if (to_string(a) == name) return a;
    throw invalid_argument("pilot action \"" + std::string(name) + "\" is not one of: scale, stay, exit");
}

/// A pilot of `pilot_headcount` engineers for `decision_month` months, then `action`.
/// During the pilot the arrangement runs with k engineers on the backlog (its own seats,
/// ramp-up, leadership, rates and risk events; the vendor search is priced on the pilot's
/// contract value, the set-up paid in full). At month m: `scale` adds N - k empty seats
/// (hired at the arrangement's fill rate, ramping up like any hire) and the vendor search for
/// the added contract value; `stay` changes nothing; `exit` pays the exit terms and moves the
/// work to the fallback, which starts from empty seats with its own search and set-up.
/// A failure before month m ends the pilot as any failure ends an engagement.
struct engagement_plan {
    double pilot_headcount = 0;                 ///< k, engineers in the pilot (0 < k <= N)
    int decision_month = 6;                     ///< m, months of pilot before the decision (>= 1)
    pilot_action action = pilot_action::scale;  ///< what happens at month m
};

/// Checks a plan against the arrangement's headcount N and the horizon H.
/// \throws invalid_argument naming the field, the value and the allowed range.
inline void check(const engagement_plan& p, double headcount, int horizon_months) {
    if (!std::isfinite(p.pilot_headcount) || !(p.pilot_headcount > 0.0) || p.pilot_headcount > headcount)
        detail::throw_invalid("offroi::engagement_plan", "pilot_headcount", p.pilot_headcount,
                              "must be > 0 and at most the arrangement's headcount (" +
                                  detail::format_value(headcount) + ")");
    if (p.decision_month < 1 || p.decision_month >= horizon_months)
        detail::throw_invalid("offroi::engagement_plan", "decision_month", p.decision_month,
                              "must be an integer month in [1, horizon - 1] = [1, " +
                                  std::to_string(horizon_months - 1) + "]");
}

}  // namespace offroi
