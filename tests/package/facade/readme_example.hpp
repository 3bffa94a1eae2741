#pragma once
#include <offroi/offroi.hpp>

/// Runs the README's C++ example (readme_example.cpp) and returns its result.
offroi::scenario_result readme_example();
