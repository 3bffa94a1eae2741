#pragma once
/// \file
/// A histogram with explicit bin edges and integer counts.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace offroi {

/// Counts of values in bins [edges[k], edges[k+1]) (the last bin closed on the right).
/// `exact` is true when the counts come from the values themselves, false when they come
/// from a quantile sketch (each value then sits in the bin of its bucket's representative,
/// which is within the sketch's relative accuracy of the value).
struct histogram {
    std::vector<double> edges;           ///< bins + 1 increasing edges
    std::vector<std::uint64_t> counts;   ///< one count per bin
    bool exact = true;                   ///< counted from values (true) or from a sketch
    std::uint64_t below = 0;             ///< values below edges.front() (given edges only)
    std::uint64_t above = 0;             ///< values above edges.back() (given edges only)

    /// Number of bins.
    std::size_t bins() const { return counts.size(); }
    /// Sum of the counts (values inside the edges).
    std::uint64_t total() const {
        std::uint64_t t = 0;
        for (auto c : counts) t += c;
        return t;
    }
};

}  // namespace offroi
