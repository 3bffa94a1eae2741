// The block evaluation's month phases (model/evaluate.hpp month_step, model/evaluate_block.hpp)
// against the scalar evaluation, bit for bit: the months in which every lane works in full
// (capacity framing, or no lane of the group delivered yet -- the step then leaves out the
// products by the share of the month worked, the exit terms at completion and the selections
// on working), the month of the group's first delivery (a fractional month in one lane: the
// general step), events in the full-work months (their costs on the shortened path), exit
// terms at completion (staff augmentation) and the lanes run on idle after their stop. Also
// discount_at_horizon, v^H kept per thread across groups: the power of the (v, H) asked for,
// whatever was asked before.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "offroi/model/evaluate.hpp"
#include "offroi/model/evaluate_block.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/risk_events.hpp"

// This file's own namespace (the model area is one unity translation unit).
namespace model_block_phases_test {

using namespace offroi;

namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

std::vector<detail::block_isa> isas_here() {
    std::vector<detail::block_isa> r;
    for (const auto isa : {detail::block_isa::portable, detail::block_isa::avx2, detail::block_isa::avx512})
        if (detail::block_isa_available(isa)) r.push_back(isa);
    return r;
}

struct inputs {
    std::mt19937_64 g;
    explicit inputs(std::uint64_t seed) : g(seed) {}
    double u(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(g); }
    bool coin(double p) { return u(0, 1) < p; }

    // Backlogs that a team of 3 to 20 delivers in roughly 5 to 60 months: the lanes of a group
    // work in full for some months, then deliver one by one (some after the horizon).
    scenario_values scenario() {
        scenario_values s;
        s.backlog_engineer_months = u(20, 500);
        s.cost_of_delay_per_month_usd = u(0, 3e5);
        s.niche_role_share = u(0, 0.4);
        s.base_rework_share = u(0.1, 0.5);
        s.leader_hourly_cost_usd = u(50, 250);
        s.escaped_defect_cost_usd_per_engineer_month = u(0, 3e4);
        s.critical_path_months = coin(0.3) ? u(0, 40) : 0.0;
        return s;
    }

    // events: whether risk events occur (often) or never.
    arrangement_values arrangement(bool events) {
        arrangement_values a;
        a.headcount = u(3, 20);
        a.hourly_rate_usd = u(15, 150);
        a.annual_rate_escalation = u(-0.02, 0.1);
        a.hours_per_month = u(120, 170);
        a.initial_staffed_share = coin(0.4) ? 1.0 : u(0, 1);
        a.time_to_fill_months = u(0.2, 6);
        a.niche_time_to_fill_months = u(0, 10);
        a.ramp_up_months = u(0, 8);
        a.annual_attrition = u(0, 0.4);
        a.transition_months = coin(0.5) ? u(0, 6) : 0.0;
        a.transition_productivity = u(0.3, 1);
        a.setup_cost_usd = u(0, 1e5);
        a.cost_per_hire_usd = u(0, 3e4);
        a.exit_cost_usd = u(1e3, 1e5);  // > 0: the exit terms at completion show
        a.knowledge_transfer_share = u(0, 0.3);
        a.travel_usd_per_engineer_month = u(0, 800);
        const double e = events ? 1.0 : 0.0;
        a.failure_annual_probability = e * u(0, 0.5);
        a.vendor_switch_annual_probability = e * u(0, 0.5);
        a.security_incident_annual_probability = e * u(0, 0.6);
        a.security_incident_cost_usd = u(0, 5e5);
        a.key_person_loss_annual_probability = e * u(0, 0.6);
        a.key_person_loss_engineer_months = u(0, 10);
        a.reversal_cost_usd = u(0, 5e5);
        const double c = u(0, 1);
        a.contract = c < 0.4 ? contract_type::time_and_materials
                             : c < 0.6 ? contract_type::fixed_price : contract_type::staff_augmentation;
        return a;
    }

    event_uniforms events() { return {u(1e-12, 1), u(1e-12, 1), u(1e-12, 1), u(1e-12, 1)}; }
};

// What the groups reached, so that the test shows it exercised the phases.
struct coverage {
    int groups = 0;
    int staggered = 0;           // project groups whose lanes deliver in different months, the first after month 2
    int exit_at_completion = 0;  // staff augmentation delivered within the horizon (exit terms charged)
    int early_events = 0;        // events before the group's first delivery
};

// Evaluates `groups` groups both ways (the lanes built for `isa`, evaluate_trial per trial) and
// returns how many outcome fields differ in their bits.
int compare(std::uint64_t seed, std::size_t m, const evaluation_settings& set, int groups, bool events,
            detail::block_isa isa, coverage& cov) {
    constexpr std::size_t L = block_lanes;
    inputs r(seed);
    const double v = set.monthly_discount();
    const int h = set.horizon_months;
    std::vector<double> scratch(block_trace_doubles(set));
    int mismatches = 0;
    for (int g = 0; g < groups; ++g) {
        std::vector<scenario_values> s(L);
        std::vector<arrangement_values> arr(L * m);
        std::vector<event_uniforms> ev(L * m);
        for (std::size_t i = 0; i < L; ++i) {
            s[i] = r.scenario();
            for (std::size_t a = 0; a < m; ++a) {
                arr[i * m + a] = r.arrangement(events);
                ev[i * m + a] = r.events();
            }
        }
        std::vector<arrangement_outcome> block(L * m), scalar(L * m);
        detail::evaluate_trials_block_isa(isa, s, arr, ev, m, set, v, block, scratch);
        for (std::size_t i = 0; i < L; ++i)
            evaluate_trial(s[i], std::span<const arrangement_values>(arr).subspan(i * m, m),
                           std::span<const event_uniforms>(ev).subspan(i * m, m), set, v,
                           std::span<arrangement_outcome>(scalar).subspan(i * m, m));
        ++cov.groups;
        for (std::size_t a = 0; a < m; ++a) {
            // The group's delivery months of arrangement a (the lanes run in lockstep per arrangement).
            // (Capacity framing: none, every month is worked in full.)
            double first = HUGE_VAL, last = -HUGE_VAL;
            for (std::size_t i = 0; i < L; ++i) {
                const arrangement_outcome& o = scalar[i * m + a];
                if (set.frame == framing::project && o.delivered != 0.0) {
                    first = std::min(first, o.delivery_month);
                    last = std::max(last, o.delivery_month);
                }
                cov.exit_at_completion += set.frame == framing::project && o.delivered != 0.0 &&
                                          arr[i * m + a].contract == contract_type::staff_augmentation;
            }
            if (set.frame == framing::project && first > 2.0 && first < last) ++cov.staggered;
            for (std::size_t i = 0; i < L; ++i) {
                const arrangement_values& x = arr[i * m + a];
                const event_uniforms& e = ev[i * m + a];
                const int t = std::min({event_month(e.failure, effective_failure_probability(x, s[i]), h),
                                        event_month(e.vendor_switch, x.vendor_switch_annual_probability, h),
                                        event_month(e.security_incident, effective_security_probability(x), h),
                                        event_month(e.key_person_loss, x.key_person_loss_annual_probability, h)});
                cov.early_events += t < h && t + 1.0 < first;
                for (const auto& f : outcome_fields) {
                    const double p = block[i * m + a].*(f.member), q = scalar[i * m + a].*(f.member);
                    if (!same_bits(p, q)) {
                        ++mismatches;
                        if (mismatches <= 5)
                            MESSAGE("isa " << static_cast<int>(isa) << " group " << g << " lane " << i << " arrangement "
                                           << a << " " << f.name << ": block " << p << " scalar " << q);
                    }
                }
            }
        }
    }
    return mismatches;
}

}  // namespace

TEST_CASE("block phases: full-work months, staggered deliveries, project framing, bit for bit") {
    coverage cov;
    for (const auto isa : isas_here()) {
        CAPTURE(static_cast<int>(isa));
        for (int horizon : {12, 36, 60}) {
            evaluation_settings set;
            set.horizon_months = horizon;
            CHECK(compare(7000 + horizon, 2, set, 60, false, isa, cov) == 0);
            CHECK(compare(8000 + horizon, 3, set, 60, true, isa, cov) == 0);
        }
    }
    CHECK(cov.staggered > 100);
    CHECK(cov.exit_at_completion > 100);
    CHECK(cov.early_events > 100);
}

TEST_CASE("block phases: capacity framing (every month in full), bit for bit") {
    coverage cov;
    for (const auto isa : isas_here()) {
        CAPTURE(static_cast<int>(isa));
        for (int horizon : {5, 36}) {
            evaluation_settings set;
            set.horizon_months = horizon;
            set.frame = framing::capacity;
            CHECK(compare(9000 + horizon, 2, set, 60, true, isa, cov) == 0);
        }
    }
    CHECK(cov.early_events > 50);
}

TEST_CASE("discount_at_horizon: std::pow(v, H) of the (v, H) asked for, whatever was asked before") {
    const double vs[] = {0.99, 0.97, 1.0, 0.99, 0.99, 0.97};
    const int hs[] = {36, 36, 36, 36, 60, 60};
    for (int round = 0; round < 2; ++round)
        for (std::size_t k = 0; k < 6; ++k) {
            CAPTURE(k);
            CHECK(same_bits(detail::discount_at_horizon(vs[k], hs[k]), std::pow(vs[k], hs[k])));
            CHECK(same_bits(detail::discount_at_horizon(vs[k], hs[k]), std::pow(vs[k], hs[k])));  // again: kept
        }
}

}  // namespace model_block_phases_test
