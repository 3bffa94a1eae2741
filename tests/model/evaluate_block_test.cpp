// The block evaluation (model/evaluate_block.hpp) against the scalar one (evaluate_trial):
// bit for bit on random inputs that reach every rare branch of the month loop -- failure and
// the move to the fallback, vendor switch, security incident, key-person loss, a run-on
// beyond the horizon, a backlog never delivered (run-on capped), fixed price, staff
// augmentation, both framings, several horizons. Every build of the lanes that runs on this
// machine is checked (detail::evaluate_trials_block_isa): the portable one (SSE2 on plain
// x86-64), AVX2 and AVX-512 where the machine has them.
#include <doctest/doctest.h>

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

// This file's own namespace: tests/CMakeLists.txt compiles an area's files as one
// translation unit, where two files' helpers of the same name would otherwise clash.
namespace model_evaluate_block_test {

using namespace offroi;

namespace {

struct random_inputs {
    std::mt19937_64 g;
    explicit random_inputs(std::uint64_t seed) : g(seed) {}
    double u(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(g); }
    bool coin(double p) { return u(0, 1) < p; }

    scenario_values scenario() {
        scenario_values s;
        // Small to huge backlogs: delivered early, late (run-on) or never (run-on capped).
        s.backlog_engineer_months = coin(0.2) ? u(1, 20) : coin(0.3) ? u(2000, 20000) : u(50, 400);
        s.cost_of_delay_per_month_usd = u(0, 3e5);
        s.niche_role_share = u(0, 0.5);
        s.sync_work_share = u(0, 0.6);
        s.base_rework_share = u(0.1, 0.6);
        s.leader_hourly_cost_usd = u(50, 250);
        s.escaped_defect_cost_usd_per_engineer_month = u(0, 3e4);
        s.legacy_ramp_up_months = coin(0.5) ? u(0, 6) : 0.0;
        s.critical_path_months = coin(0.4) ? u(0, 60) : 0.0;
        s.scope_growth = u(0, 0.5);
        s.leadership_supply_hours_per_week = coin(0.3) ? u(1, 40) : 1e6;
        return s;
    }

    arrangement_values arrangement() {
        arrangement_values a;
        a.headcount = coin(0.1) ? u(0.2, 1) : u(1, 25);
        a.hourly_rate_usd = u(15, 150);
        a.overhead_loading = u(1, 1.8);
        a.vendor_margin = u(0, 0.3);
        a.annual_rate_escalation = u(-0.02, 0.1);
        a.annual_fx_drift = u(-0.05, 0.05);
        a.hours_per_month = u(120, 170);
        a.initial_staffed_share = coin(0.3) ? 1.0 : u(0, 1);
        // Seats that never fill (inf) leave a backlog never delivered.
        a.time_to_fill_months = coin(0.05) ? HUGE_VAL : coin(0.1) ? 0.0 : u(0.2, 6);
        a.niche_time_to_fill_months = coin(0.05) ? HUGE_VAL : u(0, 10);
        a.ramp_up_months = u(0, 8);
        a.legacy_learning_factor = u(0.5, 2);
        a.annual_attrition = coin(0.1) ? 0.0 : u(0, 0.5);
        a.overlap_hours = coin(0.2) ? 8.0 : u(0, 8);
        a.scope_isolation = u(0, 1);
        a.follow_the_sun_share = coin(0.3) ? u(0, 0.6) : 0.0;
        a.handoff_quality = u(0, 1);
        a.leadership_hours_per_engineer_week = u(0, 6);
        a.governance_share = u(0, 0.1);
        a.vetting_rigor = u(0, 1);
        a.review_strength = u(0, 1);
        a.market_rate_low_usd = u(10, 60);
        a.market_rate_high_usd = a.market_rate_low_usd * u(1.5, 4);
        a.capability_premium = u(-0.3, 0.3);
        a.transition_months = coin(0.5) ? u(0, 6) : 0.0;
        a.transition_productivity = u(0.3, 1);
        a.vendor_search_share = u(0, 0.05);
        a.setup_cost_usd = u(0, 1e5);
        a.cost_per_hire_usd = u(0, 3e4);
        a.exit_cost_usd = u(0, 1e5);
        // Event probabilities far above the presets', so that every kind occurs often.
        a.failure_annual_probability = coin(0.3) ? 0.0 : u(0, 0.6);
        a.reversal_cost_usd = u(0, 5e5);
        a.security_incident_annual_probability = u(0, 0.6);
        a.security_controls = u(0, 1);
        a.security_incident_cost_usd = u(0, 5e5);
        a.key_person_loss_annual_probability = u(0, 0.8);
        a.key_person_loss_engineer_months = u(0, 10);
        a.vendor_switch_annual_probability = coin(0.3) ? 0.0 : u(0, 0.6);
        a.knowledge_transfer_share = u(0, 0.3);
        a.travel_usd_per_engineer_month = u(0, 800);
        a.fixed_price_risk_premium = u(0, 0.3);
        a.overrun_cap_share = u(0, 0.3);
        a.change_request_premium = u(0, 0.3);
        const double c = u(0, 1);
        a.contract = c < 0.5 ? contract_type::time_and_materials
                             : c < 0.75 ? contract_type::fixed_price : contract_type::staff_augmentation;
        return a;
    }

    event_uniforms events() { return {u(1e-12, 1), u(1e-12, 1), u(1e-12, 1), u(1e-12, 1)}; }
};

std::string isa_name(detail::block_isa isa) {
    switch (isa) {
        case detail::block_isa::portable: return "portable";
        case detail::block_isa::avx2: return "avx2";
        case detail::block_isa::avx512: return "avx512";
    }
    return "?";
}

// The builds of the lanes that run here (the portable one always).
std::vector<detail::block_isa> isas_here() {
    std::vector<detail::block_isa> r;
    for (const auto isa : {detail::block_isa::portable, detail::block_isa::avx2, detail::block_isa::avx512})
        if (detail::block_isa_available(isa)) r.push_back(isa);
    return r;
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

// Counts of the branches reached, so that the test shows it exercised them.
struct coverage {
    int trials = 0, failures = 0, switches = 0, security = 0, key_loss = 0, run_on = 0, never = 0,
        fixed_price = 0;
};

// Evaluates `groups` groups of block_lanes trials both ways and checks every field of every
// outcome bit for bit; returns how many fields differed.
int compare(std::uint64_t seed, std::size_t m, evaluation_settings set, int groups, coverage& cov,
            detail::block_isa isa) {
    constexpr std::size_t L = block_lanes;
    random_inputs r(seed);
    const double v = set.monthly_discount();
    std::vector<double> scratch(block_trace_doubles(set));
    int mismatches = 0;
    for (int g = 0; g < groups; ++g) {
        std::vector<scenario_values> s(L);
        std::vector<arrangement_values> arr(L * m);
        std::vector<event_uniforms> ev(L * m);
        for (std::size_t i = 0; i < L; ++i) {
            s[i] = r.scenario();
            for (std::size_t a = 0; a < m; ++a) {
                arr[i * m + a] = r.arrangement();
                ev[i * m + a] = r.events();
            }
        }
        std::vector<arrangement_outcome> block(L * m), scalar(L * m);
        detail::evaluate_trials_block_isa(isa, s, arr, ev, m, set, v, block, scratch);
        for (std::size_t i = 0; i < L; ++i) {
            evaluate_trial(s[i], std::span<const arrangement_values>(arr).subspan(i * m, m),
                           std::span<const event_uniforms>(ev).subspan(i * m, m), set, v,
                           std::span<arrangement_outcome>(scalar).subspan(i * m, m));
            ++cov.trials;
            for (std::size_t a = 0; a < m; ++a) {
                const arrangement_values& x = arr[i * m + a];
                const event_uniforms& e = ev[i * m + a];
                const int h = set.horizon_months;
                cov.failures += event_month(e.failure, effective_failure_probability(x, s[i]), h) < h;
                cov.switches += event_month(e.vendor_switch, x.vendor_switch_annual_probability, h) < h;
                cov.security += event_month(e.security_incident, effective_security_probability(x), h) < h;
                cov.key_loss += event_month(e.key_person_loss, x.key_person_loss_annual_probability, h) < h;
                const arrangement_outcome& o = scalar[i * m + a];
                cov.run_on += set.frame == framing::project && o.delivered == 0.0;
                cov.never += set.frame == framing::project &&
                             o.delivery_month >= h + model_constants::max_tail_months;
                cov.fixed_price += x.contract == contract_type::fixed_price;
                for (const auto& f : outcome_fields) {
                    const double p = block[i * m + a].*(f.member), q = o.*(f.member);
                    if (!same_bits(p, q)) {
                        ++mismatches;
                        if (mismatches <= 5)
                            MESSAGE(isa_name(isa) << " group " << g << " lane " << i << " arrangement " << a << " " << f.name
                                             << ": block " << p << " scalar " << q);
                    }
                }
            }
        }
    }
    return mismatches;
}

}  // namespace

TEST_CASE("block evaluation = scalar evaluation, bit for bit, project framing") {
    coverage cov;
    for (const auto isa : isas_here()) {
        const std::string name = isa_name(isa);
        CAPTURE(name);
        for (int horizon : {1, 7, 36, 120}) {
            evaluation_settings set;
            set.horizon_months = horizon;
            set.annual_discount_rate = horizon == 7 ? 0.0 : 0.1;  // 0: v = 1
            CHECK(compare(1000 + horizon, 3, set, 150, cov, isa) == 0);
        }
    }
    // Every rare branch was reached many times (2400 trials of three arrangements per build).
    CHECK(cov.failures > 100);
    CHECK(cov.switches > 100);
    CHECK(cov.security > 100);
    CHECK(cov.key_loss > 100);
    CHECK(cov.run_on > 100);
    CHECK(cov.never > 10);
    CHECK(cov.fixed_price > 100);
}

TEST_CASE("block evaluation = scalar evaluation, bit for bit, capacity framing") {
    coverage cov;
    for (const auto isa : isas_here()) {
        const std::string name = isa_name(isa);
        CAPTURE(name);
        for (int horizon : {1, 36, 61}) {
            evaluation_settings set;
            set.horizon_months = horizon;
            set.frame = framing::capacity;
            CHECK(compare(2000 + horizon, 2, set, 150, cov, isa) == 0);
        }
    }
    CHECK(cov.failures > 50);
    CHECK(cov.key_loss > 50);
}

TEST_CASE("block evaluation with the baseline alone") {
    coverage cov;
    evaluation_settings set;
    for (const auto isa : isas_here()) {
        const std::string name = isa_name(isa);
        CAPTURE(name);
        CHECK(compare(3000, 1, set, 100, cov, isa) == 0);
    }
}

TEST_CASE("regime exponentials of four lanes = the scalar ones, bit for bit, at the edges") {
    random_inputs r(20261203);
    auto same = [](double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); };
    for (const auto isa : isas_here()) {
        CAPTURE(isa_name(isa));
        int mismatches = 0;
        for (int group = 0; group < 2000; ++group) {
            arrangement_values a[block_lanes];
            const arrangement_values* pa[block_lanes];
            for (std::size_t i = 0; i < block_lanes; ++i) {
                a[i] = r.arrangement();
                // Edges: fill at once or never, no attrition, all-day overlap, a rate below,
                // at the ends of and above its band, flat and falling rates.
                const int edge = group % 8;
                if (edge == 1) a[i].time_to_fill_months = i % 2 ? 0.0 : HUGE_VAL;
                if (edge == 2) a[i].annual_attrition = i % 2 ? 0.0 : 0.999;
                if (edge == 3) a[i].overlap_hours = i % 2 ? 8.0 : 0.0;
                if (edge == 4) a[i].capability_premium = i % 2 ? 1.0 : -1.0;
                if (edge == 5) a[i].market_rate_low_usd = a[i].market_rate_high_usd = 30.0;  // refused by validation
                if (edge == 6) a[i].annual_rate_escalation = a[i].annual_fx_drift = i % 2 ? 0.0 : -0.5;
                pa[i] = &a[i];
            }
            detail::regime_exponentials<double> got[block_lanes];
            detail::run_regime_exponentials<block_lanes>(isa, pa, got);
            for (std::size_t i = 0; i < block_lanes; ++i) {
                const auto want = detail::make_regime_exponentials(detail::exponential_inputs(a[i]));
                mismatches += !same(got[i].fill0, want.fill0) + !same(got[i].fill1, want.fill1) +
                              !same(got[i].attrition, want.attrition) + !same(got[i].growth, want.growth) +
                              !same(got[i].tier, want.tier) + !same(got[i].productivity, want.productivity) +
                              !same(got[i].rework, want.rework) + !same(got[i].retained, want.retained);
                // And the public scalar functions give the same values.
                mismatches += !same(want.fill0, monthly_fill_probability(a[i].time_to_fill_months)) +
                              !same(want.tier, capability_tier(a[i]));
            }
        }
        CHECK(mismatches == 0);
    }
    // Exact values at the edges.
    CHECK(monthly_fill_probability(0.0) == 1.0);
    CHECK(monthly_fill_probability(HUGE_VAL) == 0.0);
    CHECK(detail::monthly_attrition(0.0) == 0.0);
    CHECK(detail::sync_retained(8.0) == 1.0);
    CHECK(detail::monthly_growth(0.0, 0.0) == 1.0);
    CHECK(detail::monthly_attrition(0.2) == doctest::Approx(1.0 - std::pow(0.8, 1.0 / 12)).epsilon(1e-15));
    CHECK(detail::monthly_growth(0.05, 0.02) == doctest::Approx(std::pow(1.05 * 1.02, 1.0 / 12)).epsilon(1e-15));
}

TEST_CASE("evaluate_trials_block uses the fastest build of the lanes here") {
    // On an x86-64 machine with AVX-512 (an optimised GCC build) the AVX-512 lanes, else AVX2,
    // else the portable ones; every available one is compared above.
    const auto isas = isas_here();
    CHECK(detail::block_isa_here() == isas.back());
    MESSAGE("lane builds checked here: " << isas.size() << ", fastest " << isa_name(detail::block_isa_here()));
}

}  // namespace model_evaluate_block_test
