#pragma once
/// \file
/// The exception types offroi throws. Bad user input throws `offroi::invalid_argument`
/// (a parameter of a function or distribution) or `offroi::invalid_scenario` (a scenario
/// field, with its JSON path); each message names the field, the value and what is allowed.
/// Internal invariants are assertions, not exceptions.

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>

namespace offroi {

/// Base of every exception offroi throws on purpose.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A function or distribution parameter is outside its allowed domain.
class invalid_argument : public error {
public:
    using error::error;
};

/// A scenario (from a file or built in code) is invalid; the message starts with the path
/// of the offending field, e.g. `arrangements[1].attrition_annual: -0.2 is not in [0, 1]`.
class invalid_scenario : public error {
public:
    using error::error;
};

/// A numerical procedure failed (for example a fit that does not converge).
class numerical_error : public error {
public:
    using error::error;
};

/// A run was cancelled by its cancellation token.
class cancelled : public error {
public:
    cancelled() : error("offroi: run cancelled") {}
};

namespace detail {

/// Formats a double the way messages show values: the shortest form that round-trips
/// (`10`, `1000000`, `0.25`, `1e-09`, `inf`, `nan`).
inline std::string format_value(double v) {
    char buf[32];
    // Whole numbers (dollar amounts, months) read better without an exponent.
    const bool whole = std::abs(v) < 1e15 && v == static_cast<double>(static_cast<long long>(v));
    const auto r = whole ? std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v))
                         : std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

/// Throws `invalid_argument("<where>: <what> = <value> <allowed>")`.
[[noreturn]] inline void throw_invalid(std::string_view where, std::string_view what,
                                       double value, std::string_view allowed) {
    std::string msg(where);
    msg += ": ";
    msg += what;
    msg += " = ";
    msg += format_value(value);
    msg += " is invalid; ";
    msg += allowed;
    throw invalid_argument(msg);
}

}  // namespace detail
}  // namespace offroi
