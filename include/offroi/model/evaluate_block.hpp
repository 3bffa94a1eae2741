#pragma once
/// \file
/// `evaluate_trials_block`: `evaluate_trial` for a group of `block_lanes` trials at once, with
/// the same bits. The month loop of each arrangement runs across the trials of the group in
/// fixed-width lanes (structure of arrays, model/detail/block_lanes.hpp): one `month_step`
/// per month advances every trial of the group, branch free. What is per trial and rare stays
/// scalar on that trial's lane: the start (regime, event months), a month with a risk event
/// (failure, vendor switch, security incident, key-person loss: the lane is gathered, the
/// scalar `events` runs on it, the lane is scattered back), and the finish (run-on, fixed
/// price, the outcome, the comparison with the baseline). A project that has stopped (work
/// and counterfactual delivered) is gathered at its stopping month, exactly where the scalar
/// loop breaks; its lanes run on idle until the group's last trial stops. Every lane operation
/// is an element-wise IEEE operation on the same operands in the same order as the scalar
/// path (compiled without FMA contraction, -ffp-contract=off), so the results are bit for bit
/// those of `evaluate_trial` (tests/model/evaluate_block_test.cpp checks it on random inputs
/// with every rare branch). Planned engagements (pilots) are not evaluated here: a model with
/// plans uses `evaluate_trial`.

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

#include "offroi/model/detail/block_lanes.hpp"
#include "offroi/model/evaluate.hpp"

namespace offroi {

// AVX2 lanes chosen at run time: GCC on x86-64 built without AVX2, and only with optimisation
// (an unoptimised build keeps every path but this one: its calls are not inlined, and a call
// from AVX2 code to SSE2 code passes 32-byte vectors differently).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__AVX2__) && defined(__OPTIMIZE__)
#define OFFROI_BLOCK_AVX2_DISPATCH 1
#else
#define OFFROI_BLOCK_AVX2_DISPATCH 0
#endif

// The same four lanes compiled for AVX-512 (F, VL, DQ) chosen at run time where the machine has
// it: still 256-bit operations on four lanes, but 32 vector registers instead of 16 (fewer
// spills of the month state) and comparisons into mask registers. GCC on x86-64 built without
// AVX-512VL, with optimisation (as the AVX2 dispatch).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__AVX512VL__) && defined(__OPTIMIZE__)
#define OFFROI_BLOCK_AVX512_DISPATCH 1
#else
#define OFFROI_BLOCK_AVX512_DISPATCH 0
#endif

/// Trials per group of the block evaluation (4: two SSE2 or one AVX2 register per value).
inline constexpr std::size_t block_lanes = 4;

namespace detail {

#if defined(__GNUC__)
#define OFFROI_LAMBDA_INLINE __attribute__((always_inline))
#else
#define OFFROI_LAMBDA_INLINE
#endif

// v^horizon, std::pow(v, horizon): the discount factor of a lane stopped before the horizon.
// The same for every group of a run: computed again only when (v, horizon) is not the last
// one this thread asked for (the same value, so the same bits).
inline double discount_at_horizon(double v, int horizon) noexcept {
    struct last_power {
        std::uint64_t v_bits;
        int horizon;
        bool set;
        double power;
    };
    static thread_local last_power last{0, 0, false, 0.0};
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(v);
    if (!last.set || last.v_bits != bits || last.horizon != horizon) last = {bits, horizon, true, std::pow(v, horizon)};
    return last.power;
}

// Runs the month loops of the L arrangements started in `e` in lockstep and finishes each:
// out[i] and traces[i] as evaluate_arrangement_impl(...) gives them for lane i. The traces are
// interleaved: traces[i]'s arrays start at traces[0]'s + i, with stride L.
template <std::size_t L, bool Avx2 = false>
OFFROI_BLOCK_INLINE void evaluate_arrangement_lanes(arrangement_eval (&e)[L], arrangement_trace* traces, int horizon,
                                       bool project, double v, arrangement_outcome* out) noexcept {
    using V = lane_vec<L>;
    using M = lane_mask<L>;
    month_state<V, M> m;
    for (std::size_t i = 0; i < L; ++i)
        zip_month_state(m, e[i].m, [i](auto& lv, const auto& sv) OFFROI_LAMBDA_INLINE { set_lane(lv, i, sv); });
    auto gather = [&](std::size_t i) OFFROI_LAMBDA_INLINE {
        zip_month_state(e[i].m, m, [i](auto& sv, const auto& lv) OFFROI_LAMBDA_INLINE { sv = lane(lv, i); });
    };
    auto scatter = [&](std::size_t i) OFFROI_LAMBDA_INLINE {
        zip_month_state(m, e[i].m, [i](auto& lv, const auto& sv) OFFROI_LAMBDA_INLINE { set_lane(lv, i, sv); });
    };
    int stop_month[L];  // month after which lane i stopped (horizon: ran to the end)
    bool stopped[L];
    M stopped_lanes{};  // the same flags as a lane mask
    for (std::size_t i = 0; i < L; ++i) {
        stop_month[i] = horizon;
        stopped[i] = false;
    }
    std::size_t running = L;
    // The first month after `t` in which some lane has a risk event (horizon: none): the
    // months before it need no look at the lanes' events. Events never move event months:
    // the lanes' 4 L event months are copied once, and each look is a branch-free minimum.
    int event_months[4 * L];
    for (std::size_t i = 0; i < L; ++i) {
        event_months[4 * i] = e[i].t_fail;
        event_months[4 * i + 1] = e[i].t_switch;
        event_months[4 * i + 2] = e[i].t_security;
        event_months[4 * i + 3] = e[i].t_key;
    }
    auto next_event_after = [&](int t) OFFROI_LAMBDA_INLINE {
        int next = horizon;
        for (std::size_t k = 0; k < 4 * L; ++k) {
            const int u = event_months[k] > t ? event_months[k] : horizon;
            next = u < next ? u : next;
        }
        return next;
    };
    int next_event = next_event_after(-1);
    // The first month from `from` on in which no lane is in its transition (the factor
    // clamp(T - (t - t_s), 0, 1) is +-0 in every lane, and it falls with t): from then on the
    // step leaves the factor out (month_step<false>, the same bits). Events may restart the
    // transition or change T: computed again after a month in which some lane's events ran.
    // (Without events the lanes' T and t_s stay, and the month found before stays right: the
    // test T - (u - t_s) > 0 falls with u, so a lane is in its transition exactly in the
    // months before its first month out of it.)
    auto transition_until = [&](int from) OFFROI_LAMBDA_INLINE {
        int until = from;
        for (std::size_t i = 0; i < L; ++i) {
            const double months = m.transition_months.x[i], restart = m.restart.x[i];
            int u = from;
            while (u < horizon && months - (static_cast<double>(u) - restart) > 0.0) ++u;
            if (u > until) until = u;
        }
        return until;
    };
    int in_transition_until = transition_until(0);
    for (int t = 0; t < horizon && running > 0; ++t) {
        const bool event_costs = t == next_event;  // event costs only in a month with events
        if (event_costs) {
            bool ran = false;  // whether some lane's events ran
            for (std::size_t i = 0; i < L; ++i) {
                if (stopped[i] || (project && m.delivered.m[i] != 0)) continue;  // not engaged
                const arrangement_eval& x = e[i];
                if (t == x.t_fail || t == x.t_switch || t == x.t_security || t == x.t_key) {
                    gather(i);
                    e[i].events(t);
                    scatter(i);
                    ran = true;
                }
            }
            next_event = next_event_after(t);
            if (ran) in_transition_until = transition_until(t);
        }
        const month_flows<V> f = t < in_transition_until ? month_step<true, Avx2>(m, t, project, v, event_costs)
                                                         : month_step<false, Avx2>(m, t, project, v, event_costs);
        // The lanes' traces are interleaved (traces[i] at base + i, stride L): one store each.
        const std::size_t tl = static_cast<std::size_t>(t) * L;
        __builtin_memcpy(traces[0].flows + tl, &f.flow.x, sizeof f.flow.x);
        __builtin_memcpy(traces[0].spend + tl, &f.spend.x, sizeof f.spend.x);
        __builtin_memcpy(traces[0].output + tl, &f.output.x, sizeof f.output.x);
        if (project) {
            // Lanes that stop this month: delivered and counterfactual delivered, not stopped
            // before (one vector test a month; the lanes are looked at only when some stop).
            const M stopping = m.delivered & m.delivered_f & lnot(stopped_lanes);
            if (!lany_for<Avx2>(stopping)) continue;
            for (std::size_t i = 0; i < L; ++i) {
                if (stopping.m[i] != 0) {
                    gather(i);  // the state at the scalar loop's break
                    stopped[i] = true;
                    set_lane(stopped_lanes, i, true);
                    stop_month[i] = t;
                    --running;
                }
            }
        }
    }
    const double d_stop = discount_at_horizon(v, horizon);
    for (std::size_t i = 0; i < L; ++i) {
        if (stopped[i]) {
            for (int u = stop_month[i] + 1; u < horizon; ++u)
                traces[i].flows[u * L] = traces[i].spend[u * L] = traces[i].output[u * L] = 0.0;
            e[i].m.d = d_stop;
        } else {
            gather(i);
        }
        out[i] = e[i].finish(traces[i]);
    }
}

#if OFFROI_BLOCK_AVX2_DISPATCH
// The lanes compiled for AVX2 (one 256-bit operation per value of four lanes instead of two
// SSE2 ones); chosen at run time. Bits as the SSE2 path: element-wise IEEE operations, no FMA
// (target avx2 does not enable FMA, and offroi compiles with -ffp-contract=off).
template <std::size_t L>
__attribute__((target("avx2"))) void evaluate_arrangement_lanes_avx2(arrangement_eval (&e)[L],
                                                                     arrangement_trace* traces, int horizon,
                                                                     bool project, double v,
                                                                     arrangement_outcome* out) noexcept {
    evaluate_arrangement_lanes<L, OFFROI_LANE_ANY_AVX2 && L == 4>(e, traces, horizon, project, v, out);
}
#endif

#if OFFROI_BLOCK_AVX512_DISPATCH
// The lanes compiled for AVX-512 F/VL/DQ (the same 256-bit operations on four lanes, with 32
// vector registers and mask registers); chosen at run time. Bits as the other paths:
// element-wise IEEE operations, no FMA (no target here enables FMA, and offroi compiles with
// -ffp-contract=off).
template <std::size_t L>
__attribute__((target("avx2,avx512f,avx512vl,avx512dq"))) void evaluate_arrangement_lanes_avx512(
    arrangement_eval (&e)[L], arrangement_trace* traces, int horizon, bool project, double v,
    arrangement_outcome* out) noexcept {
    evaluate_arrangement_lanes<L, OFFROI_LANE_ANY_AVX2 && L == 4>(e, traces, horizon, project, v, out);
}
#endif

// make_regime_exponentials of the L lanes' arrangements *a[i] at once: out[i] is
// make_regime_exponentials(exponential_inputs(*a[i])), bit for bit (element-wise operations;
// the band's width comes from the scalar cache).
template <std::size_t L>
OFFROI_BLOCK_INLINE void regime_exponentials_lanes(const arrangement_values* const (&a)[L],
                                                   regime_exponentials<double> (&out)[L]) noexcept {
    using V = lane_vec<L>;
    regime_exponential_inputs<V> in;
    for (std::size_t i = 0; i < L; ++i) {
        const regime_exponential_inputs<double> x = exponential_inputs(*a[i]);
        set_lane(in.time_to_fill, i, x.time_to_fill);
        set_lane(in.niche_time_to_fill, i, x.niche_time_to_fill);
        set_lane(in.annual_attrition, i, x.annual_attrition);
        set_lane(in.escalation, i, x.escalation);
        set_lane(in.fx_drift, i, x.fx_drift);
        set_lane(in.rate, i, x.rate);
        set_lane(in.band_low, i, x.band_low);
        set_lane(in.band_high, i, x.band_high);
        set_lane(in.log_band_width, i, x.log_band_width);
        set_lane(in.capability_premium, i, x.capability_premium);
        set_lane(in.overlap_hours, i, x.overlap_hours);
    }
    const regime_exponentials<V> x = make_regime_exponentials(in);
    for (std::size_t i = 0; i < L; ++i)
        out[i] = {lane(x.fill0, i),  lane(x.fill1, i),        lane(x.attrition, i), lane(x.growth, i),
                  lane(x.tier, i),   lane(x.productivity, i), lane(x.rework, i),    lane(x.retained, i)};
}

#if OFFROI_BLOCK_AVX2_DISPATCH
// regime_exponentials_lanes compiled for AVX2; chosen at run time.
template <std::size_t L>
__attribute__((target("avx2"))) void regime_exponentials_lanes_avx2(const arrangement_values* const (&a)[L],
                                                                    regime_exponentials<double> (&out)[L]) noexcept {
    regime_exponentials_lanes<L>(a, out);
}
#endif

#if OFFROI_BLOCK_AVX512_DISPATCH
// regime_exponentials_lanes compiled for AVX-512 F/VL/DQ; chosen at run time.
template <std::size_t L>
__attribute__((target("avx2,avx512f,avx512vl,avx512dq"))) void regime_exponentials_lanes_avx512(
    const arrangement_values* const (&a)[L], regime_exponentials<double> (&out)[L]) noexcept {
    regime_exponentials_lanes<L>(a, out);
}
#endif

// The month loops of compare_with_baseline for the L lanes at once (compare_loops): the
// project break-even's cumulative net flow over the horizon (when `project`) and the parity's
// trailing-window sums over the months both teams work (end = the fewer active months; a lane
// past its end keeps its sums), from the interleaved traces tb (baseline) and ta. The same
// operations in the same order per lane as the scalar loops; the comparison "a dearer than b"
// is the scalar one lane-wise (|x| as x < 0 ? 0 - x : x: the comparison is blind to the sign
// of a zero).
template <std::size_t L, bool Avx2 = false>
OFFROI_BLOCK_INLINE void compare_loops_lanes(const arrangement_trace* tb, const arrangement_trace* ta, int horizon,
                                             bool project, compare_loops* out) noexcept {
    using V = lane_vec<L>;
    using M = lane_mask<L>;
    auto load = [](const double* p) OFFROI_LAMBDA_INLINE {
        V x;
        __builtin_memcpy(&x.x, p, sizeof x.x);
        return x;
    };
    V cum = V::splat(0.0), last_negative = V::splat(0.0);
    if (project) {
        const double* bf = tb[0].flows;
        const double* af = ta[0].flows;
        for (int t = 0; t < horizon; ++t) {
            const std::size_t tl = static_cast<std::size_t>(t) * L;
            cum = cum + (load(bf + tl) - load(af + tl));
            last_negative = sel(cum < 0.0, static_cast<double>(t + 1), last_negative);
        }
    }
    const int w = model_constants::parity_window_months;
    V end;
    int max_end = 0;
    for (std::size_t i = 0; i < L; ++i) {
        const int e = std::min(ta[i].active_months, tb[i].active_months);
        set_lane(end, i, static_cast<double>(e));
        max_end = std::max(max_end, e);
    }
    const double* bs = tb[0].spend;
    const double* as = ta[0].spend;
    const double* bo = tb[0].output;
    const double* ao = ta[0].output;
    V sb = V::splat(0.0), sa = sb, ob = sb, oa = sb, last_above = sb;
    for (int t = 0; t < max_end; ++t) {
        const std::size_t tl = static_cast<std::size_t>(t) * L;
        V nsb = sb + load(bs + tl), nsa = sa + load(as + tl), nob = ob + load(bo + tl), noa = oa + load(ao + tl);
        if (t >= w) {
            const std::size_t ol = static_cast<std::size_t>(t - w) * L;
            nsb = nsb - load(bs + ol);
            nsa = nsa - load(as + ol);
            nob = nob - load(bo + ol);
            noa = noa - load(ao + ol);
        }
        constexpr double no_output = 1e-9, tie = 1e-9;
        const V x = nsb * noa;
        const V abs_x = sel(x < 0.0, 0.0 - x, x);
        const M dearer = (nsa * nob) > (x * (1.0 + tie) + tie * abs_x);
        const M above = lnot(noa > no_output) | ((nob > no_output) & dearer);
        const M live = end > static_cast<double>(t);  // t < end in this lane
        sb = sel(live, nsb, sb);
        sa = sel(live, nsa, sa);
        ob = sel(live, nob, ob);
        oa = sel(live, noa, oa);
        last_above = sel(live & above, static_cast<double>(t + 1), last_above);
    }
    for (std::size_t i = 0; i < L; ++i) {
        out[i].cum = cum.x[i];
        out[i].last_negative = static_cast<int>(last_negative.x[i]);
        out[i].sb = sb.x[i];
        out[i].sa = sa.x[i];
        out[i].ob = ob.x[i];
        out[i].oa = oa.x[i];
        out[i].last_above = static_cast<int>(last_above.x[i]);
    }
}

#if OFFROI_BLOCK_AVX2_DISPATCH
// compare_loops_lanes compiled for AVX2; chosen at run time.
template <std::size_t L>
__attribute__((target("avx2"))) void compare_loops_lanes_avx2(const arrangement_trace* tb, const arrangement_trace* ta,
                                                              int horizon, bool project, compare_loops* out) noexcept {
    compare_loops_lanes<L, OFFROI_LANE_ANY_AVX2 && L == 4>(tb, ta, horizon, project, out);
}
#endif

#if OFFROI_BLOCK_AVX512_DISPATCH
// compare_loops_lanes compiled for AVX-512 F/VL/DQ; chosen at run time.
template <std::size_t L>
__attribute__((target("avx2,avx512f,avx512vl,avx512dq"))) void compare_loops_lanes_avx512(
    const arrangement_trace* tb, const arrangement_trace* ta, int horizon, bool project,
    compare_loops* out) noexcept {
    compare_loops_lanes<L, OFFROI_LANE_ANY_AVX2 && L == 4>(tb, ta, horizon, project, out);
}
#endif

// Whether the lanes run as AVX2 on this machine.
inline bool block_avx2() noexcept {
#if OFFROI_BLOCK_AVX2_DISPATCH
    static const bool yes = __builtin_cpu_supports("avx2");
    return yes;
#elif defined(__AVX2__)
    return true;
#else
    return false;
#endif
}

// Whether the machine has AVX-512 F, VL and DQ (the AVX-512 build of the lanes).
inline bool block_avx512() noexcept {
#if OFFROI_BLOCK_AVX512_DISPATCH
    static const bool yes = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                            __builtin_cpu_supports("avx512dq");
    return yes;
#else
    return false;
#endif
}

// The builds of the lanes (the same bits from each): portable (the target of the build: SSE2
// on plain x86-64), AVX2 and AVX-512 (chosen at run time, GCC on x86-64 with optimisation).
enum class block_isa { portable, avx2, avx512 };

// Whether `isa` runs here: built in, and the machine has it.
inline bool block_isa_available(block_isa isa) noexcept {
    switch (isa) {
        case block_isa::portable: return true;
        case block_isa::avx2: return OFFROI_BLOCK_AVX2_DISPATCH && block_avx2();
        case block_isa::avx512: return block_avx512();
    }
    return false;
}

// The fastest build of the lanes on this machine.
inline block_isa block_isa_here() noexcept {
    return block_avx512() ? block_isa::avx512
           : OFFROI_BLOCK_AVX2_DISPATCH && block_avx2() ? block_isa::avx2
                                                        : block_isa::portable;
}

template <std::size_t L>
inline void run_lanes(block_isa isa, arrangement_eval (&e)[L], arrangement_trace* traces, int horizon, bool project,
                      double v, arrangement_outcome* out) noexcept {
#if OFFROI_BLOCK_AVX512_DISPATCH
    if (isa == block_isa::avx512) return evaluate_arrangement_lanes_avx512<L>(e, traces, horizon, project, v, out);
#endif
#if OFFROI_BLOCK_AVX2_DISPATCH
    if (isa == block_isa::avx2) return evaluate_arrangement_lanes_avx2<L>(e, traces, horizon, project, v, out);
#endif
    (void)isa;
    evaluate_arrangement_lanes<L>(e, traces, horizon, project, v, out);
}

template <std::size_t L>
inline void run_regime_exponentials(block_isa isa, const arrangement_values* const (&a)[L],
                                    regime_exponentials<double> (&out)[L]) noexcept {
#if OFFROI_BLOCK_AVX512_DISPATCH
    if (isa == block_isa::avx512) return regime_exponentials_lanes_avx512<L>(a, out);
#endif
#if OFFROI_BLOCK_AVX2_DISPATCH
    if (isa == block_isa::avx2) return regime_exponentials_lanes_avx2<L>(a, out);
#endif
    (void)isa;
    regime_exponentials_lanes<L>(a, out);
}

template <std::size_t L>
inline void run_compare_loops(block_isa isa, const arrangement_trace* tb, const arrangement_trace* ta, int horizon,
                              bool project, compare_loops* out) noexcept {
#if OFFROI_BLOCK_AVX512_DISPATCH
    if (isa == block_isa::avx512) return compare_loops_lanes_avx512<L>(tb, ta, horizon, project, out);
#endif
#if OFFROI_BLOCK_AVX2_DISPATCH
    if (isa == block_isa::avx2) return compare_loops_lanes_avx2<L>(tb, ta, horizon, project, out);
#endif
    (void)isa;
    compare_loops_lanes<L>(tb, ta, horizon, project, out);
}

// Storage for N objects of T left uninitialised: T's default member initialisers would be
// stores (memsets) per group of trials that `start`, the lanes and the compare loops overwrite
// in full before any read. T: an aggregate of plain values (implicit lifetime, trivially
// destructible).
template <class T, std::size_t N>
union uninitialized_array {
    T x[N];
    uninitialized_array() noexcept {}
};

// evaluate_trials_block with the lanes built for `isa` (which must be available here: see
// block_isa_available): the same bits from every build; tests compare each with evaluate_trial.
inline void evaluate_trials_block_isa(block_isa isa, std::span<const scenario_values> s,
                                      std::span<const arrangement_values> arr, std::span<const event_uniforms> events,
                                      std::size_t m, const evaluation_settings& set, double v,
                                      std::span<arrangement_outcome> out, std::span<double> scratch) noexcept {
    constexpr std::size_t L = block_lanes;
    const int horizon = set.horizon_months;
    const std::size_t h = static_cast<std::size_t>(horizon);
    const bool project = set.frame == framing::project;
    arrangement_trace tb[L], ta[L];
    for (std::size_t i = 0; i < L; ++i) {
        // Interleaved: month t of lane i at [t * L + i] of each of the six arrays of h * L.
        double* p = scratch.data() + i;
        const std::size_t n = h * L;
        tb[i] = arrangement_trace{p, p + n, p + 2 * n};
        ta[i] = arrangement_trace{p + 3 * n, p + 4 * n, p + 5 * n};
        tb[i].stride = ta[i].stride = L;
    }
    // `start` sets every field of an arrangement_eval, finish every field of an outcome and
    // the compare loops every field of theirs: no initialisation here.
    uninitialized_array<arrangement_eval, L> e_storage;
    uninitialized_array<arrangement_outcome, L> o_storage;
    uninitialized_array<compare_loops, L> pre_storage;
    arrangement_eval(&e)[L] = e_storage.x;
    arrangement_outcome(&o)[L] = o_storage.x;
    compare_loops(&pre)[L] = pre_storage.x;
    // The baseline's regime of each lane, make_regime(arr[i * m], s[i]): the fallback of every
    // arrangement of the trial (the baseline's own included), taken after a failure without
    // computing it again (the same values: the same bits).
    uninitialized_array<arrangement_regime, L> base_storage;
    arrangement_regime(&base)[L] = base_storage.x;
    // Each arrangement's exponentials (make_regime's exp and log) for the L lanes at once.
    regime_exponentials<double> ex[L];
    const arrangement_values* lane_arr[L];
    auto exponentials = [&](std::size_t a) {
        for (std::size_t i = 0; i < L; ++i) lane_arr[i] = &arr[i * m + a];
        run_regime_exponentials<L>(isa, lane_arr, ex);
    };
    exponentials(0);
    for (std::size_t i = 0; i < L; ++i) {
        e[i].start(arr[i * m], arr[i * m], s[i], events[i * m], set, v, nullptr, nullptr, &ex[i]);
        base[i] = e[i].r;  // no plan: the regime in force at the start is make_regime(arr[i * m], s[i])
        e[i].fallback_regime = &base[i];
    }
    run_lanes<L>(isa, e, tb, horizon, project, v, o);
    for (std::size_t i = 0; i < L; ++i) out[i * m] = o[i];
    for (std::size_t a = 1; a < m; ++a) {
        exponentials(a);
        for (std::size_t i = 0; i < L; ++i)
            e[i].start(arr[i * m + a], arr[i * m], s[i], events[i * m + a], set, v, nullptr, &base[i], &ex[i]);
        run_lanes<L>(isa, e, ta, horizon, project, v, o);
        run_compare_loops<L>(isa, tb, ta, horizon, project, pre);
        for (std::size_t i = 0; i < L; ++i) {
            compare_with_baseline(out[i * m], tb[i], ta[i], set, v, o[i], &pre[i]);
            out[i * m + a] = o[i];
        }
    }
}

}  // namespace detail

/// Evaluates `block_lanes` trials as `evaluate_trial` does each (same bits), without planned
/// engagements; the lanes run in the fastest build this machine has (AVX-512, AVX2 or the
/// portable one, chosen at run time; the same bits from each). Lane i's data: scenario
/// `s[i]`, arrangements `arr[i*M ... i*M + M)` (baseline first), their event uniforms
/// `events[i*M ...]`, outcomes `out[i*M ...]`, with M = `m`.
///
/// \param scratch at least `block_trace_doubles(set)` doubles (the monthly traces).
inline void evaluate_trials_block(std::span<const scenario_values> s, std::span<const arrangement_values> arr,
                                  std::span<const event_uniforms> events, std::size_t m,
                                  const evaluation_settings& set, double v, std::span<arrangement_outcome> out,
                                  std::span<double> scratch) noexcept {
    detail::evaluate_trials_block_isa(detail::block_isa_here(), s, arr, events, m, set, v, out, scratch);
}

/// Whether `evaluate_trials_block` is faster than `evaluate_trial` here: the lanes run as AVX2
/// (measured: about 1.3x faster per trial than evaluate_trial on the default scenario); with
/// SSE2 alone (two lanes per instruction) the branch-free month step of four trials costs more
/// than four branchy scalar ones, so callers should keep `evaluate_trial`.
inline bool block_evaluation_pays() noexcept { return detail::block_avx2(); }

/// The scratch size `evaluate_trials_block` needs for settings `set`: 6 traces of the
/// horizon per lane.
inline std::size_t block_trace_doubles(const evaluation_settings& set) noexcept {
    return block_lanes * 6 * static_cast<std::size_t>(set.horizon_months);
}

}  // namespace offroi
