// liboffroi: `simulate` -- the ROI model on the engine, instantiated once for the scenario
// sampler (offroi/model/scenario_result.hpp).
#include "offroi/model/detail/simulate_impl.hpp"
