#pragma once
/// \file
/// Which tail of a distribution a tail statistic (expected shortfall) refers to.

namespace offroi {

/// The tail of a distribution: `lower` holds the smallest values (the losses when the
/// output is a net benefit), `upper` the largest (the overruns when the output is a cost).
enum class tail { lower, upper };

}  // namespace offroi
