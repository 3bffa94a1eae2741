#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "offroi/distributions/detail/normal_math.hpp"
#include "offroi/sampling/detail/normal_cdf_table.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace sampling_normal_cdf_table_test {

using offroi::detail::normal_cdf;
using offroi::detail::normal_cdf_table;

TEST_CASE("tabulated normal cdf agrees with normal_cdf to 2e-15 and is monotone") {
    const normal_cdf_table phi;
    double worst_abs = 0, worst_rel = 0, prev = 0;
    bool monotone = true;
    for (double z = -6.0; z <= 6.0; z += 1.0 / 4099.0) {
        const double a = phi(z), e = normal_cdf(z);
        worst_abs = std::max(worst_abs, std::fabs(a - e));
        worst_rel = std::max(worst_rel, std::fabs(a - e) / std::min(e, 1.0 - e));
        if (a < prev) monotone = false;
        prev = a;
    }
    MESSAGE("max abs error " << worst_abs << ", max relative error (smaller tail) " << worst_rel);
    CHECK(worst_abs <= 2e-15);
    CHECK(worst_rel <= 2e-13);
    CHECK(monotone);
    // Nodes, edges and the exact fallback.
    CHECK(phi(0.0) == doctest::Approx(0.5).epsilon(1e-15));
    CHECK(phi(-3.0) == normal_cdf(-3.0));
    CHECK(phi(-10.0) == normal_cdf(-10.0));
    CHECK(phi(40.0) == 1.0);
    CHECK(std::isnan(phi(std::nan(""))));
    double z[3] = {-1.0, 0.25, 7.0}, p[3];
    phi(z, p, 3);
    for (int i = 0; i < 3; ++i) CHECK(p[i] == phi(z[i]));
}

TEST_CASE("normal_cdf_table: batch = scalar bit for bit (AVX2 groups of four, mixed lanes)") {
    const offroi::detail::normal_cdf_table phi;
    std::vector<double> z;
    for (int i = 0; i < 100003; ++i) z.push_back(-3.5 + 7.0 * i / 100003.0);  // crosses +-3
    for (int i = 0; i < 4096; ++i) z.push_back(-3.0 + i / 64.0 / 8.0);         // cell edges
    z[17] = std::numeric_limits<double>::quiet_NaN();
    z[22] = 3.0;
    z[27] = -3.0;
    std::vector<double> p(z.size()), q = z;
    phi(z.data(), p.data(), z.size());
    phi(q.data(), q.data(), q.size());  // in place
    std::size_t same = 0;
    for (std::size_t i = 0; i < z.size(); ++i) {
        const double want = phi(z[i]);
        same += (std::isnan(want) ? std::isnan(p[i]) && std::isnan(q[i])
                                  : p[i] == want && q[i] == want) ? 1 : 0;
    }
    CHECK(same == z.size());
}

}  // namespace sampling_normal_cdf_table_test
