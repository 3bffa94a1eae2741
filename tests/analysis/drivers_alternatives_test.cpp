// Driver ranking and model sensitivity with several alternatives (issue 11, finding 5): each
// alternative is ranked on the inputs that feed it (the scenario's, the baseline's, its own),
// so the work is linear in the number of alternatives; what that leaves out was noise; the
// tornado of one alternative is the same bits as on the whole scenario; cancellation.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "offroi/analysis/model_sensitivity.hpp"
#include "offroi/analysis/scenario_run.hpp"
#include "offroi/error.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/sensitivity/rank_sensitivity.hpp"
#include "offroi/sensitivity/tornado.hpp"

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace analysis_drivers_alternatives_test {

using namespace offroi;

namespace {

// The default scenario with `count` copies of its alternative, named vendor_0, vendor_1, ...
scenario with_alternatives(std::size_t count) {
    scenario s = default_scenario();
    const arrangement alt = s.alternatives.front();
    s.alternatives.clear();
    for (std::size_t i = 0; i < count; ++i) {
        arrangement a = alt;
        a.name = "vendor_" + std::to_string(i);
        s.alternatives.push_back(a);
    }
    return s;
}

scenario_run recorded(const scenario& s, std::uint64_t k) {
    run_request r;
    r.trials = k;
    r.driver_trials = k;
    r.samples = sample_policy::never;
    return run_scenario(s, r);
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace

TEST_CASE("with one alternative the drivers rank every input, as before (the same bits)") {
    const scenario_run r = recorded(default_scenario(), 3000);
    const driver_ranking d = run_drivers(r);
    std::vector<std::span<const double>> ins;
    for (const auto& c : r.input_samples) ins.emplace_back(c);
    const auto ref = rank_sensitivity(ins, std::span<const double>(r.output_samples[r.result.run.index_of(d.output)]),
                                      r.input_names);
    CHECK(d.measures.names == r.input_names);
    CHECK(same_bits(d.measures.srrc, ref.srrc));
    CHECK(same_bits(d.measures.prcc, ref.prcc));
    CHECK(same_bits(d.measures.spearman, ref.spearman));
    CHECK(d.measures.srrc_r2 == ref.srrc_r2);
}

TEST_CASE("run_drivers_all: the same bits on 1 and 2 threads") {
    const scenario_run r = recorded(with_alternatives(3), 2999);
    const auto a = run_drivers_all(r, 1), b = run_drivers_all(r, 2);
    REQUIRE(a.size() == 3);
    REQUIRE(b.size() == 3);
    for (std::size_t k = 0; k < a.size(); ++k) {
        CHECK(a[k].order == b[k].order);
        CHECK(same_bits(a[k].measures.srrc, b[k].measures.srrc));
        CHECK(same_bits(a[k].measures.prcc, b[k].measures.prcc));
        CHECK(same_bits(a[k].measures.spearman, b[k].measures.spearman));
        CHECK(same_bits(a[k].measures.src, b[k].measures.src));
        CHECK(same_bits(a[k].measures.contribution_to_variance, b[k].measures.contribution_to_variance));
        CHECK(a[k].measures.srrc_r2 == b[k].measures.srrc_r2);
        CHECK(a[k].measures.src_r2 == b[k].measures.src_r2);
    }
}

TEST_CASE("each alternative is ranked on the inputs that feed it; the others' inputs were noise") {
    const scenario s = with_alternatives(3);
    constexpr std::uint64_t n = 4000;
    const scenario_run r = recorded(s, n);
    const auto all = run_drivers_all(r);
    REQUIRE(all.size() == 3);
    std::vector<std::span<const double>> every;
    for (const auto& c : r.input_samples) every.emplace_back(c);
    for (std::size_t k = 0; k < 3; ++k) {
        const std::string me = "vendor_" + std::to_string(k);
        const driver_ranking one = run_drivers(r, me);
        CAPTURE(me);
        // run_drivers_all is run_drivers for each alternative, bit for bit.
        CHECK(all[k].output == me + ".net_benefit");
        CHECK(same_bits(all[k].measures.srrc, one.measures.srrc));
        CHECK(same_bits(all[k].measures.prcc, one.measures.prcc));
        CHECK(all[k].order == one.order);
        // Exactly the scenario's, the baseline's and its own inputs, in run column order.
        std::vector<std::string> expect;
        std::vector<std::span<const double>> cols;
        for (std::size_t j = 0; j < r.input_names.size(); ++j) {
            const std::string& name = r.input_names[j];
            const bool mine = name.find('.') == std::string::npos || name.rfind("local_hiring.", 0) == 0 ||
                              name.rfind(me + ".", 0) == 0;
            if (mine) {
                expect.push_back(name);
                cols.push_back(every[j]);
            }
        }
        CHECK(one.measures.names == expect);
        const auto y = std::span<const double>(r.output_samples[r.result.run.index_of(me + ".net_benefit")]);
        const auto ref = rank_sensitivity(cols, y, expect);
        CHECK(same_bits(one.measures.srrc, ref.srrc));
        // Every measure, from the inputs ranked once for all three alternatives (a subset of
        // the shared ranked columns, copied out) as from this alternative's columns alone.
        CHECK(same_bits(all[k].measures.src, ref.src));
        CHECK(same_bits(all[k].measures.spearman, ref.spearman));
        CHECK(same_bits(all[k].measures.prcc, ref.prcc));
        CHECK(same_bits(all[k].measures.contribution_to_variance, ref.contribution_to_variance));
        CHECK(all[k].measures.srrc_r2 == ref.srrc_r2);
        CHECK(all[k].measures.src_r2 == ref.src_r2);
        // What was left out: in the regression on every input, the other alternatives'
        // inputs (independent of this net benefit: no correlation crosses alternatives in
        // the default scenario) have SRRC ~ N(0, (1 - R^2) / (n - d)) <= 1/sqrt(n - d) in
        // SD; 4.5 SD bounds each with probability 1 - 7e-6 (all ~50 of them: > 0.9996).
        const auto full = rank_sensitivity(every, y, r.input_names);
        const double bound = 4.5 / std::sqrt(double(n - r.input_names.size()));
        std::size_t others = 0;
        for (std::size_t j = 0; j < r.input_names.size(); ++j)
            if (std::find(expect.begin(), expect.end(), r.input_names[j]) == expect.end()) {
                ++others;
                CHECK(std::fabs(full.srrc[j]) < bound);
            }
        // Left out: exactly the other two alternatives' own inputs.
        std::size_t theirs = 0;
        for (const auto& name : r.input_names)
            for (std::size_t j = 0; j < 3; ++j)
                if (j != k && name.rfind("vendor_" + std::to_string(j) + ".", 0) == 0) ++theirs;
        CHECK(theirs > 0);
        CHECK(others == theirs);
        // And the top driver is the same input either way.
        std::size_t top_full = 0;
        for (std::size_t j = 1; j < full.srrc.size(); ++j)
            if (std::fabs(full.srrc[j]) > std::fabs(full.srrc[top_full])) top_full = j;
        CHECK(one.measures.names[one.order.front()] == r.input_names[top_full]);
    }
}

TEST_CASE("an alternative's tornado is the same bits as on the whole scenario, without the others' zero bars") {
    const scenario s = with_alternatives(3);
    scenario_sensitivity_options o;
    o.arrangement = "vendor_1";
    o.event_trials = 16;
    const tornado_result t = scenario_tornado(s, o);
    // The previous way: the point model of the whole scenario (every arrangement evaluated).
    const scenario_point_model f(model_parts(s), 2, "net_benefit", 16, 0);
    tornado_options to;
    to.names = f.names();
    const tornado_result ref = tornado(f, f.marginals(), to);
    CHECK(t.base_output == ref.base_output);
    std::size_t zero = 0;
    for (const auto& b : ref.bars) {
        const auto it = std::find_if(t.bars.begin(), t.bars.end(), [&](const tornado_bar& x) { return x.name == b.name; });
        if (it == t.bars.end()) {
            // Left out: another alternative's input, which never moved this net benefit.
            CHECK(b.name.rfind("vendor_1.", 0) != 0);
            CHECK(b.swing == 0.0);
            ++zero;
        } else {
            CHECK(it->output_at_low == b.output_at_low);
            CHECK(it->output_at_high == b.output_at_high);
        }
    }
    std::size_t others = 0;  // the other two alternatives' own inputs
    for (const auto& name : f.names())
        if (name.rfind("vendor_0.", 0) == 0 || name.rfind("vendor_2.", 0) == 0) ++others;
    CHECK(others > 0);
    CHECK(zero == others);
    CHECK(t.bars.size() + zero == ref.bars.size());
}

TEST_CASE("model sensitivity stops with offroi::cancelled once its token is cancelled") {
    scenario_sensitivity_options o;
    o.event_trials = 16;
    o.sobol.base_samples = 64;
    o.cancel.cancel();
    CHECK_THROWS_AS(scenario_tornado(default_scenario(), o), cancelled);
    CHECK_THROWS_AS(scenario_sobol(default_scenario(), o), cancelled);
    CHECK_THROWS_AS(scenario_kucherenko(default_scenario(), o), cancelled);
    o.cancel.reset();
    CHECK(scenario_tornado(default_scenario(), o).bars.size() > 0);
}

}  // namespace analysis_drivers_alternatives_test
