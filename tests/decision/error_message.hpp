#pragma once
// The message of the offroi::error that f() throws, or "no exception": the decision layer's
// tests check that bad input is refused with a message naming the field, the value and what
// is allowed.
#include <string>

#include "offroi/error.hpp"

namespace offroi_test {

inline std::string message_of(auto&& f) {
    try {
        f();
    } catch (const offroi::error& e) {
        return e.what();
    }
    return "no exception";
}

}  // namespace offroi_test
