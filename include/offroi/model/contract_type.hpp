#pragma once
/// \file
/// How an arrangement is paid for (docs/model.md §4.6): time and materials, fixed price,
/// or staff augmentation, with stable names for scenario files and messages.

#include <array>
#include <string>
#include <string_view>

#include "offroi/error.hpp"

namespace offroi {

/// The contract under which an arrangement's labour is billed.
enum class contract_type {
    time_and_materials,  ///< every billed hour is paid at the rate (employees: payroll)
    fixed_price,         ///< a price for the specified scope: the vendor bears overrun up to a cap
    staff_augmentation   ///< hours billed at the rate; the engineers work inside the buyer's team
};

/// All contract types, in declaration order.
inline constexpr std::array<contract_type, 3> all_contract_types = {
    contract_type::time_and_materials, contract_type::fixed_price, contract_type::staff_augmentation};

/// The stable name of a contract type ("time_and_materials", "fixed_price", "staff_augmentation").
constexpr std::string_view to_string(contract_type c) noexcept {
    switch (c) {
        case contract_type::time_and_materials: return "time_and_materials";
        case contract_type::fixed_price: return "fixed_price";
        case contract_type::staff_augmentation: return "staff_augmentation";
    }
    return "unknown";
}

/// Parses a contract type from its name. \throws invalid_argument listing the valid names.
inline contract_type parse_contract_type(std::string_view name) {
    for (contract_type c : all_contract_types)
        if (to_string(c) == name) return c;
    std::string msg = "offroi::parse_contract_type: \"";
    msg += name;
    msg += "\" is not a contract type; valid: time_and_materials, fixed_price, staff_augmentation";
    throw invalid_argument(msg);
}

}  // namespace offroi
