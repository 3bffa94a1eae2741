#pragma once
/// \file
/// The two framings of a sourcing decision (docs/model.md §4): a *project* (a backlog that
/// is delivered, after which each arrangement's spend stops) or *capacity* (an ongoing team,
/// compared at equal useful output).

#include <array>
#include <string>
#include <string_view>

#include "offroi/error.hpp"

namespace offroi {

/// How a scenario values the arrangements' output.
enum class framing {
    project,  ///< deliver a backlog: spend stops at delivery; delay costs the cost of delay
    capacity  ///< an ongoing team: arrangements compared at the baseline's useful output
};

/// The stable name of a framing ("project", "capacity").
constexpr std::string_view to_string(framing f) noexcept {
    return f == framing::project ? "project" : "capacity";
}

/// Parses a framing from its name. \throws invalid_argument listing the valid names.
inline framing parse_framing(std::string_view name) {
    if (name == "project") return framing::project;
    if (name == "capacity") return framing::capacity;
    std::string msg = "offroi::parse_framing: \"";
    msg += name;
    msg += "\" is not a framing; valid: project, capacity";
    throw invalid_argument(msg);
}

}  // namespace offroi
