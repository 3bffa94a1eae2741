#pragma once
/// \file
/// Number formatting for reports: money in compact form (`format_usd`) and probabilities in
/// percent (`format_percent`). Light (no Boost), so offroi/offroi.hpp offers it.

#include <cmath>
#include <cstdio>
#include <string>

namespace offroi {

/// Money in compact form: "$1.23M", "-$456k", "$789" (3 significant digits).
inline std::string format_usd(double v) {
    if (!std::isfinite(v)) return v > 0 ? "inf" : (v < 0 ? "-inf" : "nan");
    const double a = std::fabs(v);
    char buf[48];
    const char* sign = v < 0 ? "-" : "";
    if (a >= 1e9) std::snprintf(buf, sizeof buf, "%s$%.3gB", sign, a / 1e9);
    else if (a >= 1e6) std::snprintf(buf, sizeof buf, "%s$%.3gM", sign, a / 1e6);
    else if (a >= 1e3) std::snprintf(buf, sizeof buf, "%s$%.3gk", sign, a / 1e3);
    else std::snprintf(buf, sizeof buf, "%s$%.3g", sign, a);
    return buf;
}

/// A probability in percent with one decimal: "12.3%".
inline std::string format_percent(double p) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * p);
    return buf;
}

}  // namespace offroi
