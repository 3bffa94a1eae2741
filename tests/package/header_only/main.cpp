// The header-only path: the README example with everything inline (offroi::header_only), and
// offroi/all.hpp (every layer) compiling in the same program.
#include <offroi/all.hpp>

#include <cstdio>

#include "readme_example.hpp"

int main() {
#if defined(OFFROI_COMPILED_LIB)
    std::printf("FAILED: offroi::header_only defines OFFROI_COMPILED_LIB\n");
    return 1;
#else
    const offroi::scenario_result r = readme_example();
    const offroi::summary& nb = r.arrangement("nearshore").output("net_benefit");
    if (r.trials() != 20000 || nb.count != 20000 || !(nb.percentile(0.05).value <= nb.percentile(0.95).value)) {
        std::printf("FAILED: header-only README example\n");
        return 1;
    }
    std::printf("offroi header-only consumer ok\n");
    return 0;
#endif
}
