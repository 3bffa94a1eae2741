// liboffroi: the scenario analyses declared by the light analysis headers (sweep,
// break-even), with run_scenario and the engine instantiated here once.
#include "offroi/analysis/detail/breakeven_impl.hpp"
#include "offroi/analysis/detail/sweep_impl.hpp"
