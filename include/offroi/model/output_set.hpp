#pragma once
/// \file
/// `output_set`: which outputs of the ROI model a run summarises (see `default_outputs` in
/// offroi/model/roi_model.hpp).

namespace offroi {

/// Which outputs `default_outputs` selects.
enum class output_set {
    essential,  ///< total, spend, delivery; for alternatives also the comparison fields and waterfall bars
    all         ///< every field of `arrangement_outcome` for every arrangement
};

}  // namespace offroi
