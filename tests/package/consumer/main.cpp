// A planning tool's view of offroi: one include, the public API, no global state.
#include <offroi/offroi.hpp>

#include <cstdio>

int main() {
    offroi::philox_stream s(7, offroi::stream_id("consumer"));
    const double u = s.uniform(0, 0);
    if (!(u > 0.0 && u < 1.0)) return 1;
    std::printf("offroi consumer ok: u = %.17g\n", u);
    return 0;
}
