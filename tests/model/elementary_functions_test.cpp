#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "offroi/model/detail/elementary_functions.hpp"
#include "offroi/random.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace model_elementary_functions_test {

namespace {

namespace E = offroi::detail::elementary;
using lanes = offroi::detail::lane_vec<4>;

// |got - ref| in units of the last place of the double nearest ref (ref in long double).
double ulp_error(double got, long double ref) {
    const double r = static_cast<double>(ref);
    if (std::isinf(r) || std::isinf(got)) return got == r ? 0.0 : 1e300;
    const double a = std::fabs(r);
    const double ulp = std::nextafter(a, std::numeric_limits<double>::infinity()) - a;
    return static_cast<double>(std::fabs(static_cast<long double>(got) - ref) / ulp);
}

// The i-th of n arguments in [lo, hi]: uniform, or log-uniform in |x| (lo, hi of one sign).
double argument(std::uint64_t stream, std::uint64_t i, double lo, double hi, bool log_scale) {
    const double u = offroi::uniform01(2026, stream, i, 0);
    if (!log_scale) return lo + u * (hi - lo);
    const double s = lo < 0 ? -1.0 : 1.0;
    return s * std::exp(std::log(std::fabs(lo)) + u * (std::log(std::fabs(hi)) - std::log(std::fabs(lo))));
}

template <class F, class R>
double largest_error(F f, R ref, double lo, double hi, bool log_scale, std::uint64_t stream) {
    double worst = 0;
    for (std::uint64_t i = 0; i < 200000; ++i) {
        const double x = argument(stream, i, lo, hi, log_scale);
        const double e = ulp_error(f(x), ref(static_cast<long double>(x)));
        if (e > worst) worst = e;
    }
    return worst;
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

// The functions on four lanes, as the block evaluation compiles them for AVX2.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define OFFROI_TEST_AVX2 1
__attribute__((target("avx2"))) void four_avx2(int which, const double* x, double* y) {
    lanes v;
    std::memcpy(&v.x, x, sizeof v.x);
    const lanes r = which == 0 ? E::exp(v) : which == 1 ? E::expm1(v) : which == 2 ? E::log(v) : E::log1p(v);
    std::memcpy(y, &r.x, sizeof r.x);
}
#else
#define OFFROI_TEST_AVX2 0
#endif

void four(int which, const double* x, double* y) {
    lanes v;
    std::memcpy(&v.x, x, sizeof v.x);
    const lanes r = which == 0 ? E::exp(v) : which == 1 ? E::expm1(v) : which == 2 ? E::log(v) : E::log1p(v);
    std::memcpy(y, &r.x, sizeof r.x);
}

double one(int which, double x) {
    return which == 0 ? E::exp(x) : which == 1 ? E::expm1(x) : which == 2 ? E::log(x) : E::log1p(x);
}

}  // namespace

TEST_CASE("elementary functions: largest error against long double, over their ranges") {
    if (std::numeric_limits<long double>::digits < 64) {
        MESSAGE("long double has no more precision than double here: accuracy not measured");
        return;
    }
    auto exp_ = [](double x) { return E::exp(x); };
    auto expm1_ = [](double x) { return E::expm1(x); };
    auto log_ = [](double x) { return E::log(x); };
    auto log1p_ = [](double x) { return E::log1p(x); };
    auto expl_ = [](long double x) { return std::exp(x); };
    auto expm1l_ = [](long double x) { return std::expm1(x); };
    auto logl_ = [](long double x) { return std::log(x); };
    auto log1pl_ = [](long double x) { return std::log1p(x); };
    // exp and log within 1 ulp; expm1 and log1p within 1.5 (measured: 1.00, 0.83, 1.23, 1.44).
    CHECK(largest_error(exp_, expl_, -745.0, 709.7, false, 1) <= 1.0);
    CHECK(largest_error(exp_, expl_, -1.0, 1.0, false, 2) <= 1.0);
    CHECK(largest_error(exp_, expl_, 1e-300, 1e-3, true, 3) <= 1.0);
    CHECK(largest_error(expm1_, expm1l_, -745.0, 709.7, false, 4) <= 1.5);
    CHECK(largest_error(expm1_, expm1l_, -3.0, 3.0, false, 5) <= 1.5);
    CHECK(largest_error(expm1_, expm1l_, 1e-300, 1e-3, true, 6) <= 1.5);
    CHECK(largest_error(expm1_, expm1l_, -1e-3, -1e-300, true, 7) <= 1.5);
    CHECK(largest_error(expm1_, expm1l_, 30.0, 45.0, false, 8) <= 1.5);
    CHECK(largest_error(log_, logl_, 1e-320, 1e308, true, 9) <= 1.0);
    CHECK(largest_error(log_, logl_, 0.5, 2.0, false, 10) <= 1.0);
    CHECK(largest_error(log_, logl_, 0.99, 1.01, false, 11) <= 1.0);
    CHECK(largest_error(log1p_, log1pl_, -1.0 + 1e-12, 1.0, false, 12) <= 1.5);
    CHECK(largest_error(log1p_, log1pl_, 1e-300, 1e-2, true, 13) <= 1.5);
    CHECK(largest_error(log1p_, log1pl_, -0.9999, -1e-300, true, 14) <= 1.5);
    CHECK(largest_error(log1p_, log1pl_, 1.0, 1e300, true, 15) <= 1.5);
}

TEST_CASE("elementary functions: exact values and special values as in C") {
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK(E::exp(0.0) == 1.0);
    CHECK(E::exp(-0.0) == 1.0);
    CHECK(E::exp(inf) == inf);
    CHECK(E::exp(710.0) == inf);
    CHECK(E::exp(709.78) < inf);
    CHECK(same_bits(E::exp(-inf), 0.0));
    CHECK(same_bits(E::exp(-746.0), 0.0));
    CHECK(E::exp(-745.0) == std::exp(-745.0));  // the smallest subnormal
    CHECK(std::isnan(E::exp(nan)));
    CHECK(same_bits(E::expm1(0.0), 0.0));
    CHECK(same_bits(E::expm1(-0.0), -0.0));
    CHECK(E::expm1(1e-300) == 1e-300);
    CHECK(E::expm1(-inf) == -1.0);
    CHECK(E::expm1(-40.0) == -1.0);
    CHECK(E::expm1(inf) == inf);
    CHECK(std::isnan(E::expm1(nan)));
    CHECK(same_bits(E::log(1.0), 0.0));
    CHECK(E::log(0.0) == -inf);
    CHECK(E::log(-0.0) == -inf);
    CHECK(std::isnan(E::log(-1.0)));
    CHECK(std::isnan(E::log(-inf)));
    CHECK(E::log(inf) == inf);
    CHECK(std::isnan(E::log(nan)));
    CHECK(E::log(std::numeric_limits<double>::denorm_min()) == doctest::Approx(-744.44007192138126));
    CHECK(E::log(2.0) == 0x1.62e42fefa39efp-1);  // ln 2 rounded
    CHECK(same_bits(E::log1p(0.0), 0.0));
    CHECK(same_bits(E::log1p(-0.0), -0.0));
    CHECK(E::log1p(1e-300) == 1e-300);
    CHECK(E::log1p(-1.0) == -inf);
    CHECK(std::isnan(E::log1p(-2.0)));
    CHECK(E::log1p(inf) == inf);
    CHECK(std::isnan(E::log1p(nan)));
}

TEST_CASE("elementary functions: four lanes give the scalar function's bits") {
    // Arguments across every branch: tiny, ordinary, reduced with |k| <= 53 and beyond,
    // overflow, underflow, subnormal, zeros of both signs, infinities, NaN, negatives.
    const double specials[] = {0.0, -0.0, 1e-310, -1e-310, 1e-300, 0.3, -0.3, 0.35, -0.35, 0.7, -0.7,
                               1.0, -1.0, 37.0, -37.0, 40.0, -40.0, 709.7, 710.0, -745.0, -746.0,
                               1e300, -1e300, std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity(),
                               std::numeric_limits<double>::quiet_NaN()};
    const std::size_t n_special = sizeof specials / sizeof specials[0];
    for (int which = 0; which < 4; ++which) {
        CAPTURE(which);
        int mismatches = 0;
        for (std::uint64_t i = 0; i < 40000; ++i) {
            double x[4];
            for (std::uint64_t j = 0; j < 4; ++j) {
                const std::uint64_t idx = 4 * i + j;
                const double u = offroi::uniform01(7, static_cast<std::uint64_t>(which), idx, 0);
                // A quarter specials, the rest spread over about +-e^(+-40) and +-800.
                x[j] = idx % 4 == 0 ? specials[idx / 4 % n_special]
                                    : (idx % 4 == 1 ? 1600.0 * u - 800.0
                                                    : (u < 0.5 ? -1.0 : 1.0) * std::exp(160.0 * u - 80.0));
            }
            double y[4];
            four(which, x, y);
            for (int j = 0; j < 4; ++j) mismatches += !same_bits(y[j], one(which, x[j])) && !(std::isnan(y[j]) && std::isnan(one(which, x[j])));
#if OFFROI_TEST_AVX2
            if (__builtin_cpu_supports("avx2")) {
                four_avx2(which, x, y);
                for (int j = 0; j < 4; ++j) mismatches += !same_bits(y[j], one(which, x[j])) && !(std::isnan(y[j]) && std::isnan(one(which, x[j])));
            }
#endif
        }
        CHECK(mismatches == 0);
    }
}

}  // namespace model_elementary_functions_test
