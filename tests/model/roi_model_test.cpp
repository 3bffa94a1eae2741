// Tests of roi_model, the ROI model as an engine model: each output equals the direct
// per-trial evaluation, and results are bit-identical for any thread count.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "offroi/engine/run.hpp"
#include "offroi/model/roi_model.hpp"
#include "offroi/random/philox.hpp"
#include "offroi/stats/streaming_summary.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace model_roi_model_test {

using namespace offroi;

namespace {

// Two sampled inputs: the backlog (scenario) and the offshore hourly rate.
struct test_fill {
    void operator()(std::uint64_t seed, std::uint64_t first, std::size_t n, double* const* cols) const {
        const philox_stream a(seed, stream_id("backlog_engineer_months"));
        const philox_stream b(seed, stream_id("offshore.hourly_rate_usd"));
        for (std::size_t i = 0; i < n; ++i) {
            cols[0][i] = 150 + 100 * a.uniform(first + i);
            cols[1][i] = 20 + 30 * b.uniform(first + i);
        }
    }
};

struct fixture {
    scenario_values s;
    std::vector<arrangement_values> arr;
    std::vector<std::string> names{"local", "offshore"};
    std::vector<input_binding> bind;
    evaluation_settings settings{36, 0.10, framing::capacity};
    fixture() {
        arrangement_values local;
        local.hourly_rate_usd = 105;
        local.time_to_fill_months = 1.8;
        local.annual_attrition = 0.13;
        local.cost_per_hire_usd = 15000;
        arrangement_values off;
        off.hourly_rate_usd = 35;
        off.overlap_hours = 2;
        off.annual_attrition = 0.19;
        off.governance_share = 0.06;
        off.transition_months = 6;
        off.transition_productivity = 0.7;
        off.failure_annual_probability = 0.05;
        off.reversal_cost_usd = 300000;
        off.key_person_loss_annual_probability = 0.2;
        off.key_person_loss_engineer_months = 3;
        arr = {local, off};
        input_binding b0;
        b0.scenario_member = &scenario_values::backlog_engineer_months;
        input_binding b1;
        b1.arrangement = 1;
        b1.arrangement_member = &arrangement_values::hourly_rate_usd;
        bind = {b0, b1};
    }
    roi_model<test_fill> model(output_set set = output_set::essential) const {
        // Capacity framing: the team runs the whole horizon, so every event can occur.
        return roi_model<test_fill>(s, arr, names, bind, test_fill{}, settings, default_outputs(names, set));
    }
};

}  // namespace

TEST_CASE("roi_model: outputs equal the direct evaluation of each trial") {
    fixture f;
    const auto m = f.model(output_set::all);
    const auto names = m.output_names();
    REQUIRE(names.size() == 2 * outcome_fields.size());
    CHECK(names[0] == "local.labour_cost");
    // More than one chunk of batched event draws (256 trials), and not a multiple of the
    // block evaluation's 4 lanes: the last 3 trials go through evaluate_trial.
    const std::size_t n = 523;
    std::vector<std::vector<double>> cols(names.size(), std::vector<double>(n));
    std::vector<double*> ptr;
    for (auto& c : cols) ptr.push_back(c.data());
    block_outputs out(ptr.data(), ptr.size(), n);
    std::vector<double> scratch;
    const std::uint64_t seed = 7, first = 1000;
    block_context ctx{seed, first, n, 0, &scratch};
    m(ctx, out);

    double in0[n], in1[n];
    double* in[2] = {in0, in1};
    test_fill{}(seed, first, n, in);
    const event_streams e0(seed, "local"), e1(seed, "offshore");
    const evaluation_settings set = f.settings;
    for (std::size_t i = 0; i < n; ++i) {
        scenario_values s = f.s;
        s.backlog_engineer_months = in0[i];
        std::vector<arrangement_values> arr = f.arr;
        arr[1].hourly_rate_usd = in1[i];
        std::vector<event_uniforms> ev = {e0.draw(first + i), e1.draw(first + i)};
        std::vector<arrangement_outcome> o(2);
        evaluate_trial(s, arr, ev, set, set.monthly_discount(), o);
        for (std::size_t c = 0; c < names.size(); ++c) {
            const std::size_t a = c / outcome_fields.size(), k = c % outcome_fields.size();
            CHECK(cols[c][i] == o[a].*(outcome_fields[k].member));
        }
    }
}

TEST_CASE("event_streams: fill gives the bits of draw, trial by trial") {
    // 301 trials from just below 2^32: the batched Philox's 32-trial groups, its scalar tail,
    // and a carry into the counter's high word.
    const std::uint64_t first = (std::uint64_t{1} << 32) - 150;
    const std::size_t n = 301;
    const event_streams e(99, "offshore");
    std::vector<double> u(4 * n);
    double* const cols[4] = {u.data(), u.data() + n, u.data() + 2 * n, u.data() + 3 * n};
    e.fill(first, n, cols);
    std::size_t same = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const event_uniforms d = e.draw(first + i);
        same += cols[0][i] == d.failure && cols[1][i] == d.vendor_switch &&
                cols[2][i] == d.security_incident && cols[3][i] == d.key_person_loss;
    }
    CHECK(same == n);
    CHECK(cols[0][0] != cols[1][0]);  // the events' streams differ
}

TEST_CASE("roi_model: the engine gives the same bits for 1 and 2 threads") {
    fixture f;
    const auto m = f.model(output_set::all);
    engine_options o;
    o.trials = 20000;
    o.seed = 11;
    o.block_size = 1024;
    o.threads = 1;
    const auto r1 = run(m, o, streaming_summary{});
    o.threads = 2;
    const auto r2 = run(m, o, streaming_summary{});
    REQUIRE(r1.samples_kept());
    for (std::size_t i = 0; i < r1.n_outputs(); ++i) {
        CHECK(r1.summary(i) == r2.summary(i));
        const auto a = r1.samples(i), b = r2.samples(i);
        CHECK(std::equal(a.begin(), a.end(), b.begin(), b.end()));
    }
    CHECK(r1.n_outputs() == 2 * outcome_fields.size());
    // Essential outputs: 4 for the baseline, 4 + 17 for the alternative.
    CHECK(default_outputs(f.names).size() == 25);
    // Failures occur in some trials (P = 1 - 0.95^3 ~ 14% over 36 months): the largest risk
    // cost is the reversal cost discounted by at most 36 months at 10%.
    CHECK(r1.summary("offshore.net_benefit").standard_deviation() > 0);
    CHECK(r1.summary("offshore.risk_cost").max() > 300000 * std::pow(1.1, -3.0));
    CHECK(r1.summary("offshore.risk_cost").max() < 300000);
    const double p_fail = r1.summary("offshore.risk_cost").prob_exceed(0.0);
    const double expect = 1 - std::pow(0.95, 3.0);  // d = 0.5 (3 h default), vetting 0.5
    CHECK(std::abs(p_fail - expect) < 5 * std::sqrt(expect * (1 - expect) / 20000));
}

TEST_CASE("roi_model: bad construction is rejected") {
    fixture f;
    std::vector<input_binding> bad = f.bind;
    bad[1].arrangement = 5;
    CHECK_THROWS_AS(roi_model<test_fill>(f.s, f.arr, f.names, bad, test_fill{}, evaluation_settings{},
                                         default_outputs(f.names)),
                    invalid_argument);
    CHECK_THROWS_AS(roi_model<test_fill>(f.s, f.arr, f.names, f.bind, test_fill{},
                                         evaluation_settings{0, 0.1}, default_outputs(f.names)),
                    invalid_argument);
}

}  // namespace model_roi_model_test
