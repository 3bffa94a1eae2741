#pragma once
/// \file
/// The sourcing arrangements the model knows (the article's five models plus hybrid), with
/// their stable names for scenario files and messages.

#include <array>
#include <string>
#include <string_view>

#include "offroi/error.hpp"

namespace offroi {

/// A way of staffing software development (the article's "Decoding Global Sourcing Models").
enum class sourcing_model {
    in_house,            ///< employees on your payroll, hired locally
    outsourcing,         ///< an external firm owns a defined project or workstream
    offshore_team,       ///< a dedicated team in a distant country doing ongoing development
    nearshore,           ///< a team in a nearby region with better time-zone overlap
    staff_augmentation,  ///< individual external engineers join your internal team
    hybrid               ///< an in-house core plus external capacity (modelled as one blend)
};

/// All sourcing models, in declaration order.
inline constexpr std::array<sourcing_model, 6> all_sourcing_models = {
    sourcing_model::in_house,      sourcing_model::outsourcing,
    sourcing_model::offshore_team, sourcing_model::nearshore,
    sourcing_model::staff_augmentation, sourcing_model::hybrid};

/// The stable snake_case name of a sourcing model ("in_house", "offshore_team", ...).
constexpr std::string_view to_string(sourcing_model m) noexcept {
    switch (m) {
        case sourcing_model::in_house: return "in_house";
        case sourcing_model::outsourcing: return "outsourcing";
        case sourcing_model::offshore_team: return "offshore_team";
        case sourcing_model::nearshore: return "nearshore";
        case sourcing_model::staff_augmentation: return "staff_augmentation";
        case sourcing_model::hybrid: return "hybrid";
    }
    return "unknown";
}

/// Parses a sourcing model from its name (as `to_string` writes it).
/// \throws invalid_argument naming the value and listing the valid names.
inline sourcing_model parse_sourcing_model(std::string_view name) {
    for (sourcing_model m : all_sourcing_models)
        if (to_string(m) == name) return m;
    std::string msg = "offroi::parse_sourcing_model: \"";
    msg += name;
    msg += "\" is not a sourcing model; valid: ";
    for (std::size_t i = 0; i < all_sourcing_models.size(); ++i) {
        if (i) msg += ", ";
        msg += to_string(all_sourcing_models[i]);
    }
    throw invalid_argument(msg);
}

}  // namespace offroi
