// Weighted summaries (stats/weighted_statistics.hpp): equal weights give the unweighted
// statistics bit for bit, integer frequency weights give the repeated sample's, known
// answers, bad input.
#include <doctest/doctest.h>

#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "offroi/random/philox.hpp"
#include "offroi/random/stream_id.hpp"
#include "offroi/stats/sample_statistics.hpp"
#include "offroi/stats/weighted_statistics.hpp"

#include "decision/error_message.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace decision_weighted_statistics_test {

using offroi_test::message_of;

namespace {

std::vector<double> sample(std::size_t n, std::uint64_t seed, bool with_ties) {
    offroi::philox_stream s(seed, offroi::stream_id("weighted_stats"));
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double u = s.uniform(i);
        x[i] = with_ties ? std::round(20.0 * u) - 7.0 : std::log(u / (1.0 - u)) * 1000.0;
    }
    if (with_ties && n > 3) x[3] = -0.0;  // -0 and +0 are one value
    return x;
}

const double levels[] = {0.0, 0.001, 0.05, 0.1, 0.25, 1.0 / 3.0, 0.5, 0.61, 0.9, 0.975, 0.999, 1.0};

}  // namespace

TEST_CASE("equal weights give the unweighted statistics exactly") {
    for (bool ties : {false, true})
        for (std::size_t n : {1u, 2u, 7u, 1000u, 4099u}) {
            const auto x = sample(n, 3 + n, ties);
            const offroi::sorted_sample ref(x);
            for (double c : {1.0, 0.1, 3.7e-5, 1e6}) {  // any common weight
                const std::vector<double> w(n, c);
                const offroi::weighted_sample ws(x, w);
                CAPTURE(n);
                CAPTURE(c);
                CAPTURE(ties);
                CHECK(ws.ess() == doctest::Approx(double(n)).epsilon(1e-15));
                for (double p : levels) CHECK(ws.quantile(p) == ref.quantile(p));
                for (double a : {0.01, 0.05, 0.1, 0.5, 1.0}) {
                    CHECK(ws.expected_shortfall(a, offroi::tail::lower) == ref.expected_shortfall(a, offroi::tail::lower));
                    CHECK(ws.expected_shortfall(a, offroi::tail::upper) == ref.expected_shortfall(a, offroi::tail::upper));
                }
                for (double t : {-1e9, -3.0, 0.0, 2.0, 1e9}) {
                    CHECK(ws.prob_below(t) == ref.prob_below(t));
                    CHECK(ws.prob_exceed(t) == ref.prob_exceed(t));
                }
                // The exact mean, correctly rounded, as exact_moments gives it.
                CHECK(ws.mean() == ref.moments().mean());
                if (n >= 2)  // reliability-weighted variance = the sample variance (n - 1)
                    CHECK(ws.variance() == doctest::Approx(ref.moments().variance()).epsilon(1e-12));
            }
        }
}

TEST_CASE("integer frequency weights equal the repeated sample exactly") {
    offroi::philox_stream s(99, offroi::stream_id("freq"));
    for (bool ties : {false, true})
        for (std::size_t n : {1u, 5u, 300u}) {
            const auto x = sample(n, 40 + n, ties);
            std::vector<double> w(n), rep;
            for (std::size_t i = 0; i < n; ++i) {
                w[i] = std::floor(4.0 * s.uniform(i + 1000 * n));  // 0..3 copies
                if (i == 0) w[i] = 2.0;                             // at least one sample
                for (int k = 0; k < int(w[i]); ++k) rep.push_back(x[i]);
            }
            const offroi::weighted_sample ws(x, w, offroi::weight_kind::frequency);
            const offroi::sorted_sample ref(rep);
            CAPTURE(n);
            CHECK(ws.ess() == double(rep.size()));
            for (double p : levels) CHECK(ws.quantile(p) == ref.quantile(p));
            for (double a : {0.01, 0.05, 0.3, 1.0})
                CHECK(ws.expected_shortfall(a, offroi::tail::lower) == ref.expected_shortfall(a, offroi::tail::lower));
            for (double t : {-3.0, 0.0, 2.0}) CHECK(ws.prob_below(t) == ref.prob_below(t));
        }
}

TEST_CASE("importance weights: only ratios matter; integer weights approach the repeated sample") {
    const auto x = sample(2000, 5, false);
    std::vector<double> w(x.size()), w2(x.size());
    std::vector<double> rep;
    offroi::philox_stream s(17, offroi::stream_id("imp"));
    for (std::size_t i = 0; i < x.size(); ++i) {
        w[i] = 1.0 + std::floor(3.0 * s.uniform(i));
        w2[i] = 0.25 * w[i];
        for (int k = 0; k < int(w[i]); ++k) rep.push_back(x[i]);
    }
    const offroi::weighted_sample a(x, w), b(x, w2);
    const offroi::sorted_sample ref(rep);
    for (double p : levels) {
        CHECK(a.quantile(p) == doctest::Approx(b.quantile(p)).epsilon(1e-13).scale(1.0));
        // W = n here (1/3 of the repeated sample's size): the window is one sample wide in the
        // original spacing, so the two agree to within one gap between neighbouring values.
        const double gap = ref.quantile(std::min(1.0, p + 0.002)) - ref.quantile(std::max(0.0, p - 0.002));
        CHECK(std::fabs(a.quantile(p) - ref.quantile(p)) <= gap + 1e-9);
    }
    CHECK(a.expected_shortfall(0.05, offroi::tail::lower) ==
          doctest::Approx(ref.expected_shortfall(0.05, offroi::tail::lower)).epsilon(1e-12));
    CHECK(a.prob_below(0.0) == doctest::Approx(ref.prob_below(0.0)).epsilon(1e-14));
    CHECK(a.mean() == doctest::Approx(b.mean()).epsilon(1e-15));
    // Kish ESS of weights in {1, 2, 3}: (sum w)^2 / sum w^2.
    double s1 = 0.0, s2 = 0.0;
    for (double v : w) s1 += v, s2 += v * v;
    CHECK(a.ess() == doctest::Approx(s1 * s1 / s2).epsilon(1e-14));
}

TEST_CASE("weighted summaries: known answers on a small sample") {
    const std::vector<double> x{-2.0, -1.0, 1.0, 4.0};
    const std::vector<double> w{1.0, 3.0, 4.0, 2.0};  // probabilities 0.1, 0.3, 0.4, 0.2
    const auto r = offroi::summarize_weighted(x, w, 0.2);
    CHECK(r.mean == doctest::Approx(0.1 * -2 + 0.3 * -1 + 0.4 * 1 + 0.2 * 4));
    CHECK(r.prob_loss.p == doctest::Approx(0.4));
    CHECK(r.ess == doctest::Approx(100.0 / 30.0));
    CHECK(r.prob_loss.se == doctest::Approx(std::sqrt(0.4 * 0.6 / (100.0 / 30.0))));
    // Lowest 20%: 0.1 at -2 and 0.1 of the 0.3 at -1: (-0.2 - 0.1) / 0.2.
    CHECK(r.expected_shortfall == doctest::Approx(-1.5));
    // W = n = 4, rescaled weights 0.4, 1.2, 1.6, 0.8; cumulative 0.4, 1.6, 3.2, 4.0.
    // Median: h = 1.5, window [1.5, 2.5]: y(1.5) = -1, jump at 1.6 to 1 weighs 2.5 - 1.6 = 0.9
    // -> -1 + 0.9 * 2 = 0.8.
    CHECK(r.p50 == doctest::Approx(0.8));
    // P10: h = 0.3, window [0.3, 1.3]: y(0.3) = -2, jump at 0.4 weighs 0.9 -> -2 + 0.9 = -1.1.
    CHECK(r.p10 == doctest::Approx(-1.1));
    const std::vector<double> delivered{0, 1, 1, 1};
    const auto pd = offroi::weighted_event_probability(delivered, w);
    CHECK(pd.p == doctest::Approx(0.9));
    CHECK(pd.se == doctest::Approx(std::sqrt(0.9 * 0.1 / (100.0 / 30.0))));
}

TEST_CASE("zero weights drop samples") {
    const std::vector<double> x{5.0, 1.0, 3.0, 100.0};
    const std::vector<double> w{1.0, 1.0, 1.0, 0.0};
    const offroi::weighted_sample ws(x, w);
    const offroi::sorted_sample ref(std::vector<double>{5.0, 1.0, 3.0});
    CHECK(ws.size() == 3);
    for (double p : levels) CHECK(ws.quantile(p) == ref.quantile(p));
}

TEST_CASE("weighted statistics: bad input names the field, the value and what is allowed") {
    const std::vector<double> x{1.0, 2.0, 3.0};
    CHECK(message_of([&] { offroi::weighted_sample(x, std::vector<double>{1.0, std::nan(""), 1.0}); })
              .find("w[1] = nan is invalid; weights must be finite and >= 0") != std::string::npos);
    CHECK(message_of([&] { offroi::weighted_sample(x, std::vector<double>{1.0, -1.0, 1.0}); }).find("w[1] = -1") !=
          std::string::npos);
    CHECK(message_of([&] { offroi::weighted_sample(std::vector<double>{1.0, INFINITY}, std::vector<double>{1.0, 1.0}); })
              .find("x[1] = inf") != std::string::npos);
    CHECK(message_of([&] { offroi::weighted_sample(x, std::vector<double>{1.0, 1.0}); }).find("must match") !=
          std::string::npos);
    CHECK(message_of([&] { offroi::weighted_sample(x, std::vector<double>{0.0, 0.0, 0.0}); }).find("every weight is 0") !=
          std::string::npos);
    CHECK(message_of([&] {
              offroi::weighted_sample(x, std::vector<double>{0.1, 0.2, 0.3}, offroi::weight_kind::frequency);
          }).find("sum of frequency weights = 0.6") != std::string::npos);
    const offroi::weighted_sample ws(x, std::vector<double>{1.0, 1.0, 1.0});
    CHECK(message_of([&] { (void)ws.quantile(1.5); }).find("p = 1.5") != std::string::npos);
    CHECK(message_of([&] { (void)ws.expected_shortfall(0.0, offroi::tail::lower); }).find("alpha = 0") !=
          std::string::npos);
    CHECK(message_of([&] { offroi::weighted_event_probability(std::vector<double>{0, 2, 1}, std::vector<double>{1, 1, 1}); })
              .find("flags[1] = 2") != std::string::npos);
}

}  // namespace decision_weighted_statistics_test
