#pragma once
/// \file
/// `offroi::quantile_point`: one percentile statement, as business users state ranges.

namespace offroi {

/// A percentile statement "P(100 p) = x": the quantile at level `p` is `x`. For example
/// "P10 = 20" is `{0.10, 20.0}`. Used by the `from_percentiles` factories of the
/// distributions; each factory validates p in (0, 1) and finite x.
struct quantile_point {
    double p;  ///< probability level, in (0, 1)
    double x;  ///< the value of the quantile at level p
};

}  // namespace offroi
