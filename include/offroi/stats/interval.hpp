#pragma once
/// \file
/// A closed interval [lower, upper], used for confidence intervals.

namespace offroi {

/// A closed interval [lower, upper] of the real line; a bound may be infinite when the data
/// cannot support a finite one (for example a percentile interval from too few samples).
struct interval {
    double lower = 0.0;  ///< lower end
    double upper = 0.0;  ///< upper end

    /// True if lower <= x <= upper.
    bool contains(double x) const { return lower <= x && x <= upper; }
    /// upper - lower.
    double width() const { return upper - lower; }
    /// Half the width: what a "± h" report shows.
    double half_width() const { return 0.5 * (upper - lower); }

    friend bool operator==(const interval&, const interval&) = default;
};

}  // namespace offroi
