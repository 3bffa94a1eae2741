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

#include <cmath>
#include <cstddef>
#include <span>

#include "offroi/model/detail/block_lanes.hpp"
#include "offroi/model/evaluate.hpp"

namespace offroi {

#if defined(__GNUC__)
#define OFFROI_BLOCK_INLINE [[gnu::always_inline]] inline
#else
#define OFFROI_BLOCK_INLINE inline
#endif
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__AVX2__)
#define OFFROI_BLOCK_AVX2_DISPATCH 1
#else
#define OFFROI_BLOCK_AVX2_DISPATCH 0
#endif

/// Trials per group of the block evaluation (4: two SSE2 or one AVX2 register per value).
inline constexpr std::size_t block_lanes = 4;

namespace detail {

// What changes from month to month in the evaluation of one arrangement (docs/model.md §3-§4):
// the staffing pools, delivery progress, discounting, the accumulators and the constants of
// the regime in force that the month step reads. V is `double` and M `bool` for one trial, or
// lane_vec<L> / lane_mask<L> for L trials at once (model/evaluate_block.hpp): `month_step` is
// written once for both, so a lane computes the same bits as the scalar path.
template <class V, class M>
struct month_state {
    // The regime in force (arrangement_regime; reloaded by `load_regime` when it changes).
    V seats0, seats1, fill0, fill1, attrition, graduate, rho, growth, hours, p, governance;
    V useful, leader_per_head, travel_per_head, escaped_per_head, transfer_per_head;
    V vetting_per_hire, hire_cost, exit, transition_months, transition_productivity;
    M exit_at_completion;
    // Per trial: cost of delay per month (project), critical path, backlog, one-time costs.
    V cod, critical_path, backlog, one_time;
    // Staffing (staffing_state).
    V v00, v01, va0, va1, r0, ra, pp, rf, pf;
    // Delivery.
    V done, done_f, t_effort, t_effort_f, delivery, delivery_f, relearn, restart;
    M effort_done, effort_done_f, delivered, delivered_f;
    V d, gpow;
    // Costs of this month's events (set by the events, consumed and zeroed by the step).
    V risk, restart_cost, plan_cost;
    // Accumulators the step adds to.
    V pv_transition, pv_risk, pv_delay, pv_delay_f, pv_output, useful_total, lost_total;
    V sum_heads, sum_grown, sum_learning, sum_hires, sum_grown_undiscounted;
    V last_full_spend, last_cap, last_cap_f, last_heads, last_learning, last_hires, last_growth;
    V active_months;
};

// Calls f(x, y) for every pair of corresponding fields of two month states (lane gathers and
// scatters).
template <class A, class B, class F>
void zip_month_state(A& x, B& y, F&& f) {
#define OFFROI_ZIP(name) f(x.name, y.name);
    OFFROI_ZIP(seats0) OFFROI_ZIP(seats1) OFFROI_ZIP(fill0) OFFROI_ZIP(fill1) OFFROI_ZIP(attrition)
    OFFROI_ZIP(graduate) OFFROI_ZIP(rho) OFFROI_ZIP(growth) OFFROI_ZIP(hours) OFFROI_ZIP(p)
    OFFROI_ZIP(governance) OFFROI_ZIP(useful) OFFROI_ZIP(leader_per_head) OFFROI_ZIP(travel_per_head)
    OFFROI_ZIP(escaped_per_head) OFFROI_ZIP(transfer_per_head) OFFROI_ZIP(vetting_per_hire)
    OFFROI_ZIP(hire_cost) OFFROI_ZIP(exit) OFFROI_ZIP(transition_months) OFFROI_ZIP(transition_productivity)
    OFFROI_ZIP(exit_at_completion) OFFROI_ZIP(cod) OFFROI_ZIP(critical_path) OFFROI_ZIP(backlog)
    OFFROI_ZIP(one_time) OFFROI_ZIP(v00) OFFROI_ZIP(v01) OFFROI_ZIP(va0) OFFROI_ZIP(va1) OFFROI_ZIP(r0)
    OFFROI_ZIP(ra) OFFROI_ZIP(pp) OFFROI_ZIP(rf) OFFROI_ZIP(pf) OFFROI_ZIP(done) OFFROI_ZIP(done_f)
    OFFROI_ZIP(t_effort) OFFROI_ZIP(t_effort_f) OFFROI_ZIP(delivery) OFFROI_ZIP(delivery_f)
    OFFROI_ZIP(relearn) OFFROI_ZIP(restart) OFFROI_ZIP(effort_done) OFFROI_ZIP(effort_done_f)
    OFFROI_ZIP(delivered) OFFROI_ZIP(delivered_f) OFFROI_ZIP(d) OFFROI_ZIP(gpow) OFFROI_ZIP(risk)
    OFFROI_ZIP(restart_cost) OFFROI_ZIP(plan_cost) OFFROI_ZIP(pv_transition) OFFROI_ZIP(pv_risk)
    OFFROI_ZIP(pv_delay) OFFROI_ZIP(pv_delay_f) OFFROI_ZIP(pv_output) OFFROI_ZIP(useful_total)
    OFFROI_ZIP(lost_total) OFFROI_ZIP(sum_heads) OFFROI_ZIP(sum_grown) OFFROI_ZIP(sum_learning)
    OFFROI_ZIP(sum_hires) OFFROI_ZIP(sum_grown_undiscounted) OFFROI_ZIP(last_full_spend)
    OFFROI_ZIP(last_cap) OFFROI_ZIP(last_cap_f) OFFROI_ZIP(last_heads) OFFROI_ZIP(last_learning)
    OFFROI_ZIP(last_hires) OFFROI_ZIP(last_growth) OFFROI_ZIP(active_months)
#undef OFFROI_ZIP
}

// The month's flows, for the trace.
template <class V>
struct month_flows {
    V flow, spend, output;
};

// One month t of the loop after the month's events (docs/model.md §3-§4.4): hiring, capacity,
// delivery, flows and accumulators, then the end-of-month attrition and graduation. Branch
// free (every branch of the scalar model is a selection), so that lanes run it in lockstep.
// A project whose work and counterfactual are both delivered (delivered & delivered_f) has
// stopped; a further step adds only +0 to its accumulators and flows and leaves its delivery
// and `last_*` values alone (active = 0), so the lanes of a block may run on past it (the
// discount factor d is then reset by the caller, as the scalar loop does at its break).
template <class V, class M>
OFFROI_BLOCK_INLINE month_flows<V> month_step(month_state<V, M>& m, int t, bool project, double v) noexcept {
    const double td = static_cast<double>(t);
    // §3 hiring (x0 from initial vacancies, xa from leavers' seats), heads, productive
    // equivalent, capacity lost to attrition.
    const V x0r = m.fill0 * m.v00, xar = m.fill0 * m.va0;
    const V x0n = m.fill1 * m.v01, xan = m.fill1 * m.va1;
    m.v00 = m.v00 - x0r;
    m.va0 = m.va0 - xar;
    m.v01 = m.v01 - x0n;
    m.va1 = m.va1 - xan;
    m.r0 = m.r0 + (x0r + x0n);
    m.ra = m.ra + (xar + xan);
    const V hires = (x0r + xar) + (x0n + xan);
    const V ramping = m.r0 + m.ra;
    const V heads = ramping + m.pp;
    const V productive = m.rho * ramping + m.pp;
    const V productive_f = m.rho * m.rf + m.pf;

    // §4 capacity with the transition factor.
    const V in_transition = lclamp(m.transition_months - (td - m.restart), 0.0, 1.0);
    const V tau = 1.0 - (1.0 - m.transition_productivity) * in_transition;
    const V cap = productive * m.useful * tau;
    const V cap_f = productive_f * m.useful * tau;

    // §4.2 delivery: the effort is complete when cumulative capacity covers the backlog;
    // the backlog is delivered at max(effort complete, critical path). active = share of
    // the month the team works (and the cost of delay runs).
    V active = lane_splat<V>(1.0), output = cap;
    if (!project) {  // capacity: key-person knowledge relearned out of useful output
        const M relearning = m.relearn > 0.0;
        const V lost = lmin(m.relearn, output);
        output = sel(relearning, output - lost, output);
        m.relearn = sel(relearning, m.relearn - lost, m.relearn);
    } else {
        const M open = lnot(m.delivered);
        const M working = open & lnot(m.effort_done);
        const V reached = m.done + cap;
        const M hit = working & (reached >= m.backlog);
        const V rest = m.backlog - m.done;
        const V t_hit = td + sel(cap > 0.0, rest / cap, 0.0);
        // Delivered: nothing; effort done: no output; this month completes it: the rest.
        output = sel(m.delivered | m.effort_done, 0.0, sel(hit, rest, output));
        active = sel(m.delivered, 0.0, active);
        m.t_effort = sel(hit, t_hit, m.t_effort);
        m.done = sel(hit, m.backlog, sel(working, reached, m.done));
        m.effort_done = m.effort_done | hit;
        const V at = lmax(m.t_effort, m.critical_path);
        const M now = open & m.effort_done & (at <= td + 1.0);
        m.delivery = sel(now, at, m.delivery);
        active = sel(now, at - td, active);
        m.delivered = m.delivered | now;

        // The counterfactual with seats always filled.
        const M open_f = lnot(m.delivered_f);
        const M working_f = open_f & lnot(m.effort_done_f);
        const V reached_f = m.done_f + cap_f;
        const M hit_f = working_f & (reached_f >= m.backlog);
        const V t_hit_f = td + sel(cap_f > 0.0, (m.backlog - m.done_f) / cap_f, 0.0);
        m.t_effort_f = sel(hit_f, t_hit_f, m.t_effort_f);
        m.effort_done_f = m.effort_done_f | hit_f;
        m.done_f = sel(working_f, reached_f, m.done_f);
        const V at_f = lmax(m.t_effort_f, m.critical_path);
        const M now_f = open_f & m.effort_done_f & (at_f <= td + 1.0);
        m.delivery_f = sel(now_f, at_f, m.delivery_f);
        const V af = sel(now_f, at_f - td, 1.0);
        m.delivered_f = m.delivered_f | now_f;
        m.pv_delay_f = sel(open_f, m.pv_delay_f + m.d * v * m.cod * af, m.pv_delay_f);
    }

    // Flows of the month (docs/model.md §4.4), scaled by the share of it worked.
    m.d = m.d * v;
    const V learning = ramping + m.pp * in_transition;  // shadowed by knowledge holders
    const V full_spend = heads * (m.hours * m.p * (1.0 + m.governance) * m.gpow + m.leader_per_head +
                                  m.travel_per_head + m.escaped_per_head) +
                         learning * m.transfer_per_head + hires * (m.vetting_per_hire + m.hire_cost);
    // Exit terms at delivery (staff augmentation: engineers released at short notice).
    V completion = lane_splat<V>(0.0);
    if (project) completion = sel(m.delivered & (active > 0.0) & m.exit_at_completion, m.exit, 0.0);
    const V spend = active * full_spend + m.risk + m.restart_cost + completion + m.plan_cost;
    const V da = m.d * active;
    m.sum_heads = m.sum_heads + da * heads;
    m.sum_grown = m.sum_grown + da * heads * m.gpow;
    m.sum_grown_undiscounted = m.sum_grown_undiscounted + active * heads * m.gpow;
    m.sum_learning = m.sum_learning + da * learning;
    m.sum_hires = m.sum_hires + da * hires;
    m.pv_transition = m.pv_transition + m.d * (completion + m.plan_cost);
    m.pv_risk = m.pv_risk + m.d * (m.risk + m.restart_cost);
    const V delay = active * m.cod;
    m.pv_delay = m.pv_delay + m.d * delay;
    m.pv_output = m.pv_output + m.d * output;
    m.useful_total = m.useful_total + output;
    m.lost_total = m.lost_total + active * (m.va0 + m.va1 + (1.0 - m.rho) * m.ra);
    month_flows<V> f;
    if (t == 0) {
        f.flow = m.d * (spend + delay) + m.one_time;
        f.spend = spend + m.one_time;
    } else {
        f.flow = m.d * (spend + delay) + 0.0;
        f.spend = spend + 0.0;
    }
    f.output = output;
    const M working_now = active > 0.0;
    m.active_months = sel(working_now, td + 1.0, m.active_months);
    m.last_full_spend = sel(working_now, full_spend, m.last_full_spend);
    m.last_heads = sel(working_now, heads, m.last_heads);
    m.last_learning = sel(working_now, learning, m.last_learning);
    m.last_hires = sel(working_now, hires, m.last_hires);
    m.last_growth = sel(working_now, m.gpow, m.last_growth);
    m.last_cap = sel(working_now, cap, m.last_cap);
    m.last_cap_f = cap_f;
    m.risk = m.restart_cost = m.plan_cost = lane_splat<V>(0.0);

    // End of month: attrition to Va, then graduation from ramping to productive.
    const V keep = 1.0 - m.attrition, stay = 1.0 - m.graduate;
    m.va0 = m.va0 + m.attrition * (m.seats0 - m.v00 - m.va0);
    m.va1 = m.va1 + m.attrition * (m.seats1 - m.v01 - m.va1);
    m.r0 = m.r0 * keep;
    m.ra = m.ra * keep;
    m.pp = m.pp * keep;
    m.pp = m.pp + m.graduate * (m.r0 + m.ra);
    m.r0 = m.r0 * stay;
    m.ra = m.ra * stay;
    m.rf = m.rf + m.attrition * m.pf;  // leavers of P are replaced at once and ramp again
    m.pf = m.pf * keep;
    m.pf = m.pf + m.graduate * m.rf;
    m.rf = m.rf * stay;
    m.gpow = m.gpow * m.growth;
    return f;
}

// The evaluation of one arrangement for one trial, in three parts: `start` (the regime, the
// event months, the initial state), the month loop (`events` then `month_step` per month) and
// `finish` (run-on, fixed price, the outcome). The block evaluation runs `start`, `events`
// and `finish` per trial and `month_step` across the lanes.
struct arrangement_eval {
    const arrangement_values* a = nullptr;
    const arrangement_values* fallback = nullptr;
    const scenario_values* s = nullptr;
    const engagement_plan* plan = nullptr;  // null: no pilot
    int horizon = 0;
    bool project = true;
    double v = 1.0;
    arrangement_regime r, own;  // the regime in force; the arrangement's own
    double first_w = 0, first_coord = 0, first_useful = 0;
    int t_fail = 0, t_switch = 0, t_security = 0, t_key = 0;
    bool failed = false, exited = false;
    // Accumulators only `flush` adds to.
    double pv_useful_labour = 0, pv_quality_labour = 0, pv_hours = 0, pv_quality_hours = 0;
    double pv_other_quality = 0, pv_management = 0, pv_hiring = 0, labour_undiscounted = 0;
    month_state<double, bool> m{};

    // The regime's constants into the month state.
    void load_regime() noexcept {
        m.seats0 = r.seats[0];
        m.seats1 = r.seats[1];
        m.fill0 = r.fill[0];
        m.fill1 = r.fill[1];
        m.attrition = r.attrition;
        m.graduate = r.graduate;
        m.rho = r.rho;
        m.growth = r.growth;
        m.hours = r.hours;
        m.p = r.p;
        m.governance = r.governance;
        m.useful = r.useful;
        m.leader_per_head = r.leader_per_head;
        m.travel_per_head = r.travel_per_head;
        m.escaped_per_head = r.escaped_per_head;
        m.transfer_per_head = r.transfer_per_head;
        m.vetting_per_hire = r.vetting_per_hire;
        m.hire_cost = r.hire_cost;
        m.exit = r.exit;
        m.transition_months = r.transition_months;
        m.transition_productivity = r.transition_productivity;
        m.exit_at_completion = r.exit_at_completion;
    }

    // staffing_state::start into the month state.
    void start_staffing(double staffed) noexcept {
        m.v00 = (1.0 - staffed) * r.seats[0];
        m.v01 = (1.0 - staffed) * r.seats[1];
        m.va0 = m.va1 = 0;
        m.r0 = m.ra = 0;
        m.pp = staffed * r.n;
        m.rf = (1.0 - staffed) * r.n;
        m.pf = staffed * r.n;
    }

    // Within a regime every per-head cost is constant: the loop sums discounted heads,
    // escalated heads, learning heads and hires, and `flush` prices them (docs/model.md §4.4).
    void flush(const arrangement_regime& x) noexcept {
        const double labour = m.sum_grown * x.hours * x.p;
        const double quality_share = std::min(1.0, x.w + x.review);
        pv_useful_labour += labour * (1.0 - quality_share);
        pv_quality_labour += labour * quality_share;
        labour_undiscounted += m.sum_grown_undiscounted * x.hours * x.p;
        pv_hours += m.sum_heads * x.hours;
        pv_quality_hours += m.sum_heads * x.hours * quality_share;
        pv_management += m.sum_heads * x.leader_per_head + x.governance * labour;
        pv_other_quality += m.sum_heads * x.escaped_per_head + m.sum_hires * x.vetting_per_hire;
        m.pv_transition += m.sum_learning * x.transfer_per_head + m.sum_heads * x.travel_per_head;
        pv_hiring += m.sum_hires * x.hire_cost;
        m.sum_heads = m.sum_grown = m.sum_learning = m.sum_hires = m.sum_grown_undiscounted = 0;
    }

    void start(const arrangement_values& a_, const arrangement_values& fallback_, const scenario_values& s_,
               const event_uniforms& events, const evaluation_settings& set, double v_,
               const engagement_plan* plan_) noexcept {
        a = &a_;
        fallback = &fallback_;
        s = &s_;
        plan = plan_;
        horizon = set.horizon_months;
        project = set.frame == framing::project;
        v = v_;
        r = detail::make_regime(a_, s_);
        own = r;  // the arrangement's own (r may become the fallback's)
        if (plan) {  // §13: a pilot of k engineers until the decision month
            arrangement_values pilot = a_;
            pilot.headcount = std::min(plan->pilot_headcount, a_.headcount);
            r = detail::make_regime(pilot, s_);
        }
        // What the buyer observes of the team of the first months (the pilot's, under a plan).
        first_w = r.w;
        first_coord = r.coord;
        first_useful = r.useful;
        // §5 event months (horizon = does not occur).
        t_fail = event_month(events.failure, effective_failure_probability(a_, r.deficit), horizon);
        t_switch = event_month(events.vendor_switch, a_.vendor_switch_annual_probability, horizon);
        t_security = event_month(events.security_incident, effective_security_probability(a_), horizon);
        t_key = event_month(events.key_person_loss, a_.key_person_loss_annual_probability, horizon);
        failed = exited = false;
        pv_useful_labour = pv_quality_labour = pv_hours = pv_quality_hours = 0;
        pv_other_quality = pv_management = pv_hiring = labour_undiscounted = 0;
        m = {};
        load_regime();
        start_staffing(r.staffed);
        m.cod = project ? s_.cost_of_delay_per_month_usd : 0.0;
        m.critical_path = compressed_critical_path(a_, s_);
        m.backlog = s_.backlog_engineer_months;
        m.one_time = r.search + r.setup;
        m.delivery = m.delivery_f = project ? -1.0 : 0.0;
        m.delivered = m.delivered_f = !project;
        m.d = 1.0;     // d_t = v^(t+1) after month t
        m.gpow = 1.0;  // rate growth since month 0 (escalation, FX)
        m.last_growth = 1.0;
    }

    // Whether month t has an event for this trial (a pilot's decision month included).
    bool has_event(int t) const noexcept {
        if (project && m.delivered) return false;  // not engaged
        return t == t_fail || t == t_switch || t == t_security || t == t_key ||
               (plan != nullptr && t == plan->decision_month);
    }

    // The events of month t (docs/model.md §5, §13), before its step.
    void events(int t) noexcept {
        const bool engaged = !project || !m.delivered;
        if (!engaged) return;
        if (plan != nullptr && t == plan->decision_month && !failed) {  // §13 the pilot's decision month
            if (plan->action == pilot_action::scale) {
                // N - k empty seats, hired at the fill rate; the search for the added value.
                flush(r);
                m.plan_cost += own.search - r.search;
                const double add0 = own.seats[0] - r.seats[0], add1 = own.seats[1] - r.seats[1];
                m.v00 += add0;
                m.v01 += add1;
                m.rf += add0 + add1;
                r = own;
                load_regime();
            } else if (plan->action == pilot_action::exit) {
                // Exit terms; the fallback starts from empty seats (as after a failure,
                // without the reversal cost: the exit is planned).
                m.plan_cost += r.exit;
                flush(r);
                r = detail::make_regime(*fallback, *s);
                load_regime();
                start_staffing(0.0);
                m.plan_cost += r.search + r.setup;
                m.critical_path = std::max(m.critical_path, compressed_critical_path(*fallback, *s));
                m.restart = t;
                failed = exited = true;
            }
        }
        if (t == t_fail && !failed) {
            // §5: the work moves to the fallback, which starts from empty seats.
            m.risk += r.exit + a->reversal_cost_usd;
            flush(r);
            r = detail::make_regime(*fallback, *s);
            load_regime();
            start_staffing(0.0);
            m.restart_cost = r.search + r.setup;
            m.critical_path = std::max(m.critical_path, compressed_critical_path(*fallback, *s));
            m.restart = t;
            failed = true;
        } else if (t == t_switch && !failed) {
            // A new vendor of the same kind: exit, search and set-up again, empty seats.
            m.risk += r.exit + r.search + r.setup;
            start_staffing(0.0);
            m.restart = t;
        }
        if (t == t_security && !exited) m.risk += a->security_incident_cost_usd;
        // Key-person loss: the lost knowledge is relearned, K engineer-months of work
        // (project: added to the backlog; capacity: taken out of useful output).
        if (t == t_key) {
            if (project)
                m.backlog += a->key_person_loss_engineer_months;
            else
                m.relearn += a->key_person_loss_engineer_months;
        }
    }

    // Whether the loop has nothing more to do after a month: the project and its
    // counterfactual are delivered.
    bool stopped() const noexcept { return project && m.delivered && m.delivered_f; }

    arrangement_outcome finish(arrangement_trace& trace) noexcept;
};

inline arrangement_outcome arrangement_eval::finish(arrangement_trace& trace) noexcept {
    namespace k = model_constants;
    const arrangement_values& a_ = *a;
    const scenario_values& s_ = *s;
    const bool delivered = m.delivered, delivered_f = m.delivered_f;
    const bool effort_done = m.effort_done;
    const double d = m.d, cod = m.cod, critical_path = m.critical_path, backlog = m.backlog;
    const double last_cap = m.last_cap, last_cap_f = m.last_cap_f;
    double delivery = m.delivery;
    // §4.3 run-on of a project not delivered within the horizon: the team keeps working at
    // its last month's run rate until the expected delivery (capped), paying its spend and
    // the cost of delay; no new one-time or risk-event costs.
    trace.tail_months = 0;
    trace.tail_flow = 0;
    double run_on_output_months = 0;  // run-on months with output (fixed-price milestones)
    if (project && !delivered) {
        double tail;
        if (effort_done) {
            tail = std::max(0.0, critical_path - horizon);
        } else {
            const double remaining = backlog - m.done;
            tail = last_cap > 0 ? remaining / last_cap : k::max_tail_months;
            tail = std::max(tail, critical_path - horizon);
        }
        tail = std::min(tail, k::max_tail_months);
        delivery = horizon + tail;
        const double a_flat = annuity(v, tail);
        const double a_grow = annuity(v * r.growth, tail);
        // Run-on month k (k = 1, 2, ...) is discounted by d v^k and escalated by g^k.
        m.sum_heads += d * m.last_heads * a_flat;
        m.sum_grown += d * m.last_heads * m.last_growth * a_grow;
        m.sum_grown_undiscounted += m.last_heads * m.last_growth * annuity(r.growth, tail);
        m.sum_learning += d * m.last_learning * a_flat;
        m.sum_hires += d * m.last_hires * a_flat;
        if (r.exit_at_completion) m.pv_transition += d * std::pow(v, tail) * r.exit;
        m.pv_delay += d * cod * a_flat;
        // Output only while there is work left (not while waiting for the critical path).
        run_on_output_months = effort_done ? 0.0 : std::min(tail, (backlog - m.done) / std::max(last_cap, 1e-300));
        m.pv_output += d * last_cap * annuity(v, run_on_output_months);
        trace.tail_months = tail;
        trace.tail_flow = m.last_full_spend + cod;
    }
    if (project && !delivered_f) {
        double tail_f = last_cap_f > 0 ? (backlog - m.done_f) / last_cap_f : k::max_tail_months;
        tail_f = std::min(std::max(tail_f, critical_path - horizon), k::max_tail_months);
        m.pv_delay_f += d * cod * annuity(v, tail_f);
    }
    m.pv_delay_f = std::min(m.pv_delay_f, m.pv_delay);
    flush(r);

    // §4.6 fixed price: the vendor prices the specified scope at its full-staffing
    // productivity plus a risk premium; it absorbs overrun on that scope up to the cap; scope
    // growth beyond the specification comes as change requests at a premium. The buyer pays
    // the T&M labour times the resulting ratio, in step with the output (milestones). A
    // failure ends the contract: the work done is then paid as T&M.
    double fp_last_adjust = 0;  // the fixed-price adjustment of a run-rate month
    if (project && a_.contract == contract_type::fixed_price && !failed && labour_undiscounted > 0 &&
        r.useful > 0) {
        const double spec = s_.backlog_engineer_months / (1.0 + s_.scope_growth);
        const double price = (1.0 + a_.fixed_price_risk_premium) * r.p * r.hours * spec / r.useful;
        const double spec_actual = labour_undiscounted / (1.0 + s_.scope_growth);
        const double change = labour_undiscounted - spec_actual;
        const double buyer = price + std::max(0.0, spec_actual - price * (1.0 + a_.overrun_cap_share)) +
                             change * (1.0 + a_.change_request_premium);
        const double extra = buyer / labour_undiscounted - 1.0;
        const double adjust = extra * (pv_useful_labour + pv_quality_labour);
        double weights = 0, dd = 1.0;
        for (int t = 0; t < horizon; ++t) weights += (dd *= v) * trace.output[t];
        weights += d * last_cap * annuity(v, run_on_output_months);
        if (weights > 0) {
            dd = 1.0;
            for (int t = 0; t < horizon; ++t) {
                dd *= v;
                const double add = adjust * trace.output[t] / weights;
                trace.flows[t] += dd * add;
                trace.spend[t] += add;
            }
            trace.tail_flow += adjust * last_cap / weights;
            fp_last_adjust = adjust * last_cap / weights;
        }
        pv_useful_labour *= 1.0 + extra;
        pv_quality_labour *= 1.0 + extra;
    }

    arrangement_outcome o;
    o.labour_cost = pv_useful_labour;
    o.quality_cost = pv_quality_labour + pv_other_quality;
    o.transition_cost = m.pv_transition + m.one_time;
    o.management_cost = pv_management;
    o.talent_cost = pv_hiring + (m.pv_delay - m.pv_delay_f);
    o.delivery_cost = m.pv_delay_f;
    o.risk_cost = m.pv_risk;
    o.total_cost = o.labour_cost + o.quality_cost + o.transition_cost + o.management_cost +
                   o.talent_cost + o.delivery_cost + o.risk_cost;
    o.delay_cost = m.pv_delay;
    o.spend = o.total_cost - m.pv_delay;
    o.delivery_month = project ? delivery : 0.0;
    o.delivered = project ? (delivery <= horizon ? 1.0 : 0.0) : 1.0;
    o.billed_rate_usd = own.p;
    o.capability_tier = own.tier;
    o.rework_share = first_w;
    o.coordination_penalty = first_coord;
    o.useful_share = first_useful;
    o.reramp_engineer_months = m.lost_total;
    o.useful_engineer_months = m.useful_total;
    o.billed_hours_pv = pv_hours;
    o.quality_hours_pv = pv_quality_hours;
    o.labour_total_pv = pv_useful_labour + pv_quality_labour;
    o.other_quality_cost = pv_other_quality;
    o.useful_output_pv = m.pv_output;
    trace.active_months = project ? static_cast<int>(m.active_months) : horizon;
    trace.d_end = d;
    trace.last_spend = m.last_full_spend + fp_last_adjust;
    trace.one_time = m.one_time;
    trace.last_output = last_cap;
    return o;
}

// The comparison fields of outcome `o` (trace `ta`) against the baseline `base` (trace `tb`):
// net benefit and its waterfall, net saving, value of delivery, ROI, break-even and parity
// months (docs/model.md §4.5). Shared by `evaluate_trial` and the block evaluation.
inline void compare_with_baseline(const arrangement_outcome& base, const arrangement_trace& tb,
                                  const arrangement_trace& ta, const evaluation_settings& set, double v,
                                  arrangement_outcome& o) noexcept {
    const int horizon = set.horizon_months;
    const bool project = set.frame == framing::project;
    const double pb = base.billed_hours_pv > 0 ? base.labour_total_pv / base.billed_hours_pv : base.billed_rate_usd;
    // Capacity framing: the output gap valued at the baseline's cost per useful engineer-month
    // (discounted spend over discounted output).
    const double unit_b = base.useful_output_pv > 0 ? base.spend / base.useful_output_pv : 0.0;
    const double pa = o.billed_hours_pv > 0 ? o.labour_total_pv / o.billed_hours_pv : o.billed_rate_usd;
    o.delivery_value = project ? base.delay_cost - o.delay_cost
                               : (o.useful_output_pv - base.useful_output_pv) * unit_b;
    o.net_benefit = base.spend - o.spend + o.delivery_value;
    o.nb_rate_gap = (pb - pa) * o.billed_hours_pv;
    o.nb_volume = pb * ((base.billed_hours_pv - base.quality_hours_pv) - (o.billed_hours_pv - o.quality_hours_pv));
    o.nb_quality = pb * (base.quality_hours_pv - o.quality_hours_pv) + (base.other_quality_cost - o.other_quality_cost);
    o.nb_transition = base.transition_cost - o.transition_cost;
    o.nb_management = base.management_cost - o.management_cost;
    o.nb_talent = base.talent_cost - o.talent_cost;
    o.nb_delivery = project ? base.delivery_cost - o.delivery_cost : o.delivery_value;
    o.nb_risk = base.risk_cost - o.risk_cost;
    const double spend_saving = base.spend - o.spend;
    o.net_saving = base.spend != 0 ? (project ? spend_saving : o.net_benefit) / base.spend : 0.0;
    o.roi = o.total_cost != 0 ? o.net_benefit / o.total_cost : 0.0;
    o.gross_rate_saving = 1.0 - o.billed_rate_usd / base.billed_rate_usd;
    o.breakeven_month = project ? detail::project_breakeven(tb, ta, horizon, v, ta.d_end, o.net_benefit)
                                : detail::capacity_breakeven(tb, ta, horizon, v);
    o.breakeven_month = std::min(o.breakeven_month, never_month);
    // Parity beyond the horizon only while both teams still work at it (horizon invariance).
    const bool running = !project || (ta.tail_months > 0 && tb.tail_months > 0);
    o.parity_month = std::min(detail::parity(tb, ta, horizon, running), never_month);
    o.breakeven_in_horizon = o.breakeven_month <= horizon ? 1.0 : 0.0;
    o.parity_in_horizon = o.parity_month <= horizon ? 1.0 : 0.0;
}


// Runs the month loops of the L arrangements started in `e` in lockstep and finishes each:
// out[i] and traces[i] as evaluate_arrangement_impl(...) gives them for lane i.
template <std::size_t L>
OFFROI_BLOCK_INLINE void evaluate_arrangement_lanes(arrangement_eval (&e)[L], arrangement_trace* traces, int horizon,
                                       bool project, double v, arrangement_outcome* out) noexcept {
    using V = lane_vec<L>;
    using M = lane_mask<L>;
    month_state<V, M> m;
    for (std::size_t i = 0; i < L; ++i)
        zip_month_state(m, e[i].m, [i](auto& lv, const auto& sv) { set_lane(lv, i, sv); });
    auto gather = [&](std::size_t i) {
        zip_month_state(e[i].m, m, [i](auto& sv, const auto& lv) { sv = lane(lv, i); });
    };
    auto scatter = [&](std::size_t i) {
        zip_month_state(m, e[i].m, [i](auto& lv, const auto& sv) { set_lane(lv, i, sv); });
    };
    int stop_month[L];  // month after which lane i stopped (horizon: ran to the end)
    bool stopped[L];
    for (std::size_t i = 0; i < L; ++i) {
        stop_month[i] = horizon;
        stopped[i] = false;
    }
    std::size_t running = L;
    for (int t = 0; t < horizon && running > 0; ++t) {
        for (std::size_t i = 0; i < L; ++i) {
            if (stopped[i] || (project && m.delivered.m[i] != 0)) continue;  // not engaged
            const arrangement_eval& x = e[i];
            if (t == x.t_fail || t == x.t_switch || t == x.t_security || t == x.t_key) {
                gather(i);
                e[i].events(t);
                scatter(i);
            }
        }
        const month_flows<V> f = month_step(m, t, project, v);
        for (std::size_t i = 0; i < L; ++i) {
            traces[i].flows[t] = f.flow.x[i];
            traces[i].spend[t] = f.spend.x[i];
            traces[i].output[t] = f.output.x[i];
        }
        if (project) {
            for (std::size_t i = 0; i < L; ++i) {
                if (!stopped[i] && m.delivered.m[i] != 0 && m.delivered_f.m[i] != 0) {
                    gather(i);  // the state at the scalar loop's break
                    stopped[i] = true;
                    stop_month[i] = t;
                    --running;
                }
            }
        }
    }
    const double d_stop = std::pow(v, horizon);
    for (std::size_t i = 0; i < L; ++i) {
        if (stopped[i]) {
            for (int u = stop_month[i] + 1; u < horizon; ++u)
                traces[i].flows[u] = traces[i].spend[u] = traces[i].output[u] = 0.0;
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
    evaluate_arrangement_lanes<L>(e, traces, horizon, project, v, out);
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

template <std::size_t L>
inline void run_lanes(arrangement_eval (&e)[L], arrangement_trace* traces, int horizon, bool project, double v,
                      arrangement_outcome* out) noexcept {
#if OFFROI_BLOCK_AVX2_DISPATCH
    if (block_avx2()) return evaluate_arrangement_lanes_avx2<L>(e, traces, horizon, project, v, out);
#endif
    evaluate_arrangement_lanes<L>(e, traces, horizon, project, v, out);
}

}  // namespace detail

/// Evaluates `block_lanes` trials as `evaluate_trial` does each (same bits), without planned
/// engagements. Lane i's data: scenario `s[i]`, arrangements `arr[i*M ... i*M + M)` (baseline
/// first), their event uniforms `events[i*M ...]`, outcomes `out[i*M ...]`, with M = `m`.
///
/// \param scratch at least `block_trace_doubles(set)` doubles (the monthly traces).
inline void evaluate_trials_block(std::span<const scenario_values> s, std::span<const arrangement_values> arr,
                                  std::span<const event_uniforms> events, std::size_t m,
                                  const evaluation_settings& set, double v, std::span<arrangement_outcome> out,
                                  std::span<double> scratch) noexcept {
    constexpr std::size_t L = block_lanes;
    const int horizon = set.horizon_months;
    const std::size_t h = static_cast<std::size_t>(horizon);
    const bool project = set.frame == framing::project;
    detail::arrangement_trace tb[L], ta[L];
    for (std::size_t i = 0; i < L; ++i) {
        double* p = scratch.data() + i * 6 * h;
        tb[i] = detail::arrangement_trace{p, p + h, p + 2 * h};
        ta[i] = detail::arrangement_trace{p + 3 * h, p + 4 * h, p + 5 * h};
    }
    detail::arrangement_eval e[L];
    arrangement_outcome o[L];
    for (std::size_t i = 0; i < L; ++i)
        e[i].start(arr[i * m], arr[i * m], s[i], events[i * m], set, v, nullptr);
    detail::run_lanes<L>(e, tb, horizon, project, v, o);
    for (std::size_t i = 0; i < L; ++i) out[i * m] = o[i];
    for (std::size_t a = 1; a < m; ++a) {
        for (std::size_t i = 0; i < L; ++i)
            e[i].start(arr[i * m + a], arr[i * m], s[i], events[i * m + a], set, v, nullptr);
        detail::run_lanes<L>(e, ta, horizon, project, v, o);
        for (std::size_t i = 0; i < L; ++i) {
            detail::compare_with_baseline(out[i * m], tb[i], ta[i], set, v, o[i]);
            out[i * m + a] = o[i];
        }
    }
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
