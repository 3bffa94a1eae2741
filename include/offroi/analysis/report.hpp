#pragma once
/// \file
/// Plain-text reports of the analyses, as the `offroi` command line prints them (what a
/// CFO reads): money in compact units ($1.23M, -$450k), probabilities in percent, one
/// table per question. Deterministic: the text is a pure function of the result (no
/// timing, no locale).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "offroi/analysis/breakeven.hpp"
#include "offroi/analysis/compare.hpp"
#include "offroi/analysis/format.hpp"
#include "offroi/analysis/model_sensitivity.hpp"
#include "offroi/analysis/scenario_run.hpp"
#include "offroi/analysis/sweep.hpp"
#include "offroi/model/evaluate.hpp"
#include "offroi/model/framing.hpp"
#include "offroi/model/month_outcome.hpp"
#include "offroi/model/scenario.hpp"

namespace offroi {

namespace detail {

inline std::string pad(const std::string& s, std::size_t w, bool right = true) {
    if (s.size() >= w) return s;
    return right ? std::string(w - s.size(), ' ') + s : s + std::string(w - s.size(), ' ');
}

inline std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

inline const char* sampler_label(sampling_method m) {
    switch (m) {
        case sampling_method::latin_hypercube: return "lhs";
        case sampling_method::sobol: return "sobol";
        default: return "mc";
    }
}

}  // namespace detail

/// A month output (break-even, parity, delivery) as the reports print it: "m7" within the
/// horizon, "m41*" beyond it (extrapolated at the run rate), "never" for `never_month` (and
/// for a median interpolated between a month and never: no month lies that far out).
inline std::string format_month(double m, int horizon_months) {
    if (!std::isfinite(m) || m >= never_month || m > double(horizon_months) + max_horizon_months + 12.0)
        return "never";
    if (m > double(horizon_months)) {
        const double shown = std::max(std::round(m), double(horizon_months) + 1.0);
        return "m" + detail::fmt("%.0f", shown) + "*";
    }
    return "m" + detail::fmt("%.0f", std::round(m));
}

/// One line that says what the framing means for the numbers.
inline std::string framing_description(framing f, const std::string& baseline) {
    return f == framing::project
               ? "project (deliver a backlog: each arrangement's spend stops at delivery; late delivery costs "
                 "the cost of delay)"
               : "capacity (an ongoing team: each arrangement compared with " + baseline +
                     " at equal useful output; no delivery date, no cost of delay)";
}

/// The report of one run (what a CFO reads), for the scenario's framing:
///  - per alternative the net benefit against the baseline: P10/P50/P90, mean with its
///    standard error, P(loss); then the median net saving on spend and the mean delivery value;
///  - per arrangement (baseline too) P(delivered within the horizon) and the median delivery
///    month of the trials that deliver within it ("n/a" under the capacity framing), and per
///    alternative the shares of trials breaking even in cash and reaching cost parity within
///    the horizon with the median month of those trials (`month_outcomes`: "never" is not
///    mixed into the months); then, per arrangement, the shares later than the horizon
///    (extrapolated at the run rate) and never reached;
///  - a legend of every number;
///  - the waterfall: the eight bars of `arrangement_result::breakdown`, which add up to the
///    net benefit (means, USD present value);
///  - when `drivers` is not empty, the top `top` drivers of each alternative (by |SRRC|, with
///    Spearman rho for reference; rank-based, from the run's recorded trials).
/// \param s        the scenario run (for its horizon, discounting, framing and name).
/// \param r        the run.
/// \param drivers  one ranking per alternative (may be empty).
/// \param sampler  the design used (for the header line).
/// \param top      number of drivers listed.
inline std::string run_report(const scenario& s, const scenario_run& r, const std::vector<driver_ranking>& drivers,
                              sampling_method sampler, std::size_t top = 5) {
    using detail::pad;
    const scenario_result& res = r.result;
    const int h = s.horizon_months;
    const bool project = s.frame == framing::project;
    const std::string base = res.arrangements.front().name;
    const std::string hs = std::to_string(h);
    std::string o;
    o += "offroi: " + res.scenario_name + "\n";
    o += "  " + std::to_string(res.run.trials()) + " trials, seed " + std::to_string(res.seed) + ", sampler " +
         detail::sampler_label(sampler) + ", horizon " + hs + " months, discount " +
         detail::fmt("%g", 100 * s.annual_discount_rate) + "%/yr\n";
    o += "  framing: " + framing_description(s.frame, base) + "\n";
    if (r.precision)
        o += "  precision: mean net benefit +-" + format_usd(r.precision->half_width) + " (95%), target +-" +
             format_usd(r.precision->tolerance) + (r.precision->met ? ": met\n" : ": NOT met (trial cap reached)\n");

    // Net benefit.
    o += "\nNet benefit vs " + base + " (USD, present value; > 0: better than " + base + ")\n";
    o += pad("arrangement", 24, false) + pad("P10", 11) + pad("P50", 11) + pad("P90", 11) + pad("mean", 11) +
         pad("+-SE", 10) + pad("P(loss)", 9) + "\n";
    for (const auto& a : res.arrangements) {
        if (a.is_baseline) continue;
        const summary& nb = a.output("net_benefit");
        o += pad(a.name, 24, false) + pad(format_usd(nb.percentile(0.1).value), 11) +
             pad(format_usd(nb.percentile(0.5).value), 11) + pad(format_usd(nb.percentile(0.9).value), 11) +
             pad(format_usd(nb.mean), 11) + pad(format_usd(nb.standard_error), 10) +
             pad(format_percent(a.prob_net_loss), 9) + "\n";
        o += (project ? "  net saving on spend " : "  net saving ") +
             format_percent(a.output("net_saving").percentile(0.5).value) + " of " + base + "'s spend (median), " +
             (project ? "delivery value " : "output value ") + format_usd(a.output("delivery_value").mean) +
             " (mean)\n";
    }

    // Timing: "never" apart -- the share of trials in which a month happens within the
    // horizon and the median month over those trials only (month_outcomes); the shares
    // beyond the horizon (extrapolated) and never reached follow the table.
    o += "\nSpend and timing (spend: USD present value, median; in " + hs +
         " m: share of trials in which it happens within the horizon; month: their median)\n";
    o += pad("", 24, false) + pad("", 10) + pad("delivered", 18) + pad("break-even (cash)", 19) +
         pad("parity (unit cost)", 20) + "\n";
    o += pad("arrangement", 24, false) + pad("spend", 10) + pad("in " + hs + " m", 11) + pad("month", 7) +
         pad("in " + hs + " m", 12) + pad("month", 7) + pad("in " + hs + " m", 13) + pad("month", 7) + "\n";
    bool sketch = false;
    auto month_of = [&](const std::vector<month_outcome>& ms, std::string_view field) -> const month_outcome* {
        for (const auto& m : ms)
            if (m.field == field) return &m;
        return nullptr;
    };
    auto share_month = [&](const month_outcome* m, std::size_t w1, std::size_t w2) {
        if (!m) return pad("-", w1) + pad("-", w2);
        return pad(format_percent(m->prob_within_horizon), w1) +
               pad(m->count_within ? "m" + detail::fmt("%.0f", std::round(m->p50)) : std::string("-"), w2);
    };
    std::string outside;
    for (const auto& a : res.arrangements) {
        const auto ms = month_outcomes(res, a.name);
        o += pad(a.name, 24, false) + pad(format_usd(a.output("spend").percentile(0.5).value), 10);
        if (project) o += share_month(month_of(ms, "delivery_month"), 11, 7);
        else o += pad("n/a", 11) + pad("n/a", 7);
        if (a.is_baseline) {
            o += pad("-", 12) + pad("-", 7) + pad("-", 13) + pad("-", 7) + "\n";
        } else {
            o += share_month(month_of(ms, "breakeven_month"), 12, 7) + share_month(month_of(ms, "parity_month"), 13, 7) +
                 "\n";
            sketch = sketch || !a.output("net_benefit").exact;
        }
        std::string parts;
        for (const auto& [field, label] : {std::pair{"delivery_month", "delivery"}, std::pair{"breakeven_month", "break-even"},
                                           std::pair{"parity_month", "parity"}}) {
            const month_outcome* m = month_of(ms, field);
            if (!m || m->prob_within_horizon >= 1.0) continue;
            parts += std::string(parts.empty() ? "" : ", ") + label + " " + format_percent(m->prob_beyond_horizon) +
                     " / " + format_percent(m->prob_never);
        }
        if (!parts.empty()) outside += "  " + pad(a.name, 22, false) + parts + "\n";
    }
    if (!outside.empty())
        o += "  not within " + hs + " months (later, extrapolated at the last month's run rate / never):\n" + outside;

    // Legend: what each number is, what it includes, under which framing.
    const std::string rate = detail::fmt("%g", 100 * s.annual_discount_rate) + "%/yr";
    auto line = [&o](const std::string& label, const std::string& text) {
        o += "  " + detail::pad(label, 16, false) + text + "\n";
    };
    o += "\nWhat the numbers mean\n";
    line("net benefit", base + "'s total cost minus this one's, in today's dollars at " + rate +
                            (project ? "; run-on to delivery included" : ""));
    line("", project ? "cost: labour, rework, defects, transition, management, hiring, risk events, cost of delay"
                     : "cost: labour, rework, defects, transition, management, hiring, risk events; output gap "
                       "at " + base + "'s unit cost");
    line("P10/P50/P90", "1 trial in 10 ends below P10, half below P50, 9 in 10 below P90");
    line("mean +-SE", "average net benefit; SE is simulation noise (more trials shrink it), not business risk");
    line("P(loss)", "share of trials in which the arrangement does worse than " + base);
    line("net saving", project ? "cash saved on spend (total cost without the cost of delay), share of " + base +
                                     "'s spend"
                               : "net benefit at equal useful output, share of " + base + "'s spend");
    line(project ? "delivery value" : "output value",
         project ? "what earlier (+) or later (-) delivery than " + base + "'s is worth: the cost-of-delay difference"
                 : "more (+) or less (-) useful output than " + base + "'s, at its cost per useful engineer-month");
    if (project) line("", "(the waterfall splits it: delay caused by vacancies sits under talent access)");
    line("spend", std::string("what is paid: total cost without the cost of delay") +
                      (project ? ", run-on to delivery included" : ""));
    line("delivered", project ? "share of trials that deliver the whole backlog within " + hs +
                                    " months; month: their median delivery month"
                              : "n/a: an ongoing team has no backlog to deliver (capacity framing)");
    line("break-even", std::string("cash: first month from which the cumulative discounted net benefit stays >= 0") +
                           (project ? ", cost of delay included" : ", at equal useful output"));
    line("parity", "first month from which the trailing-year cost per useful engineer-month stays at or below " +
                       base + "'s");
    line("", "(Smite & van Solingen's 'true hourly cost'); both: share of trials within " + hs +
                 " months and their median month");
    line("month", "median over the trials in which it happens within the horizon: the others are not mixed in");
    line("never", "not reached, even extrapolated at the run rate");
    if (sketch) {
        const summary& nb = res.arrangements[1].output("net_benefit");
        o += "  percentiles from the streaming quantile sketch (relative accuracy " +
             detail::fmt("%g", 100 * nb.sketch_relative_accuracy) + "%); means, SE and shares exact\n";
    }

    // Waterfall.
    o += "\nWhere the net benefit comes from (mean, USD present value, " + std::string(to_string(s.frame)) +
         " framing; the bars add up to the net benefit)\n";
    o += pad("component", 48, false);
    for (const auto& a : res.arrangements)
        if (!a.is_baseline) o += pad(a.name, 18);
    o += "\n";
    const auto& rows = res.arrangements.size() > 1 ? res.arrangements[1].breakdown : std::vector<breakdown_row>{};
    std::size_t width = 48;
    for (const auto& a : res.arrangements)
        if (!a.is_baseline) width += std::max<std::size_t>(18, a.name.size() + 1);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i + 1 == rows.size()) o += std::string(width, '-') + "\n";
        o += pad(rows[i].component, 48, false);
        for (const auto& a : res.arrangements)
            if (!a.is_baseline) o += pad(format_usd(a.breakdown[i].mean_usd), 18);
        o += "\n";
    }
    if (!rows.empty()) {
        o += pad("memo: billed rate below " + base + "'s (median)", 48, false);
        for (const auto& a : res.arrangements)
            if (!a.is_baseline) o += pad(format_percent(a.output("gross_rate_saving").percentile(0.5).value), 18);
        o += "\n";
    }
    // Drivers: ordered by |SRRC| (run_drivers); Spearman rho, the total association that
    // also credits an input with the inputs correlated with it, in parentheses for reference.
    constexpr const char* srrc_label =
        "signed standardized rank regression coefficient, SRRC: the effect of each input with the others "
        "held fixed";
    for (const auto& d : drivers) {
        o += "\nTop drivers of " + d.output + ", by |SRRC| (rank R^2 = " + detail::fmt("%.2f", d.measures.srrc_r2) +
             "; first " + std::to_string(d.measures.samples) + " trials)\n  " + std::string(srrc_label) +
             "\n  (+: the net benefit rises with the input; -: it falls)\n";
        for (std::size_t k = 0; k < std::min(top, d.order.size()); ++k) {
            const std::size_t i = d.order[k];
            o += "  " + std::to_string(k + 1) + ". " + pad(d.measures.names[i], 44, false) +
                 pad(detail::fmt("%+.2f", d.measures.srrc[i]), 7) + "  (Spearman rho " +
                 detail::fmt("%+.2f", d.measures.spearman[i]) + ")\n";
        }
    }
    // Inputs were recorded but too few trials to rank them (a regression on k inputs needs
    // n >= k + 2 trials): say so instead of leaving the section out without a word.
    const std::size_t k = r.input_names.size();
    if (drivers.empty() && !r.input_samples.empty() && r.input_samples.front().size() <= k + 1)
        o += "\nDrivers not ranked: " + std::to_string(r.input_samples.front().size()) +
             " recorded trials; ranking " + std::to_string(k) + " inputs needs at least " + std::to_string(k + 2) +
             " (raise --trials or --driver-trials)\n";
    return o;
}

/// The report of a comparison: per pair the difference of net benefit (mean +- SE,
/// P10/P50/P90) and P(A better than B), and a legend.
inline std::string comparison_report(const comparison_result& c) {
    using detail::pad;
    const std::string base = c.arrangements.empty() ? std::string("the baseline") : c.arrangements.front();
    std::string o = "offroi compare: " + c.scenario_name + "\n  " + std::to_string(c.trials) + " trials, seed " +
                    std::to_string(c.seed) + ", " +
                    (c.pairing == draw_pairing::common ? "common random numbers (paired draws)"
                                                       : "independent draws per arrangement") +
                    "\n  framing: " + framing_description(c.frame, base) + "\n\n";
    o += "Net benefit of A minus that of B (USD, present value; > 0: A is the better deal)\n";
    o += pad("A vs B", 40, false) + pad("mean", 11) + pad("+-SE", 10) + pad("P10", 11) + pad("P50", 11) +
         pad("P90", 11) + pad("P(A better)", 13) + "\n";
    for (const auto& p : c.pairs) {
        const auto& d = p.net_benefit_difference;
        o += pad(p.a + " vs " + p.b, 40, false) + pad(format_usd(d.mean), 11) + pad(format_usd(d.standard_error), 10) +
             pad(format_usd(d.p10), 11) + pad(format_usd(d.p50), 11) + pad(format_usd(d.p90), 11) +
             pad(format_percent(p.prob_a_better), 13) + "\n";
    }
    o += "  net benefit: " + base + "'s cost minus the arrangement's (" + base + ": 0), " +
         (c.frame == framing::project ? "cost of delay included"
                                      : "at " + base + "'s useful output") +
         "; the difference is taken trial by trial\n";
    o += "  P(A better): share of trials in which A's net benefit exceeds B's; SE: simulation noise of the mean\n";
    return o;
}

/// The report of a sweep: one row per step and alternative -- the net benefit's
/// P10/P50/P90, mean and P(loss), P(delivered), and the median cash break-even month with
/// the share of trials within the horizon; "<- best mean" marks each alternative's step
/// with the highest mean net benefit.
inline std::string sweep_report(const sweep_result& w) {
    using detail::pad;
    const bool project = w.frame == framing::project;
    const std::string hs = std::to_string(w.horizon_months);
    std::string o = "offroi sweep: " + w.input + (w.mode == sweep_mode::scale ? " (scaled)" : "") + ", " +
                    std::to_string(w.trials) + " trials per step, seed " + std::to_string(w.seed) +
                    " (same draws at every step)\n";
    o += "  framing: " + framing_description(w.frame, w.baseline) + "; net benefit vs " + w.baseline +
         " (USD, present value)\n\n";
    o += pad("", 12) + "  " + pad("", 22, false) + pad("", 53) + pad("delivered", 11) + pad("break-even (cash)", 19) +
         "\n";
    o += pad(w.mode == sweep_mode::scale ? "factor" : "value", 12) + "  " + pad("arrangement", 22, false) +
         pad("P10", 11) + pad("P50", 11) + pad("P90", 11) + pad("mean", 11) + pad("P(loss)", 9) +
         pad("in " + hs + " m", 11) + pad("median", 8) + pad("in " + hs + " m", 11) + "\n";
    bool beyond = false;
    for (std::size_t i = 0; i < w.steps.size(); ++i) {
        const auto& st = w.steps[i];
        for (std::size_t k = 0; k < st.alternatives.size(); ++k) {
            const auto& p = st.alternatives[k];
            const std::string be = format_month(p.breakeven_p50, w.horizon_months);
            beyond = beyond || be.back() == '*';
            o += pad(detail::fmt("%g", st.value), 12) + "  " + pad(p.arrangement, 22, false) +
                 pad(format_usd(p.p10), 11) + pad(format_usd(p.p50), 11) + pad(format_usd(p.p90), 11) +
                 pad(format_usd(p.mean), 11) + pad(format_percent(p.prob_loss), 9) +
                 pad(project ? format_percent(p.prob_delivered) : std::string("n/a"), 11) + pad(be, 8) +
                 pad(format_percent(p.prob_breakeven), 11) +
                 (k < w.best_mean_step.size() && w.best_mean_step[k] == i && w.steps.size() > 1 ? "  <- best mean"
                                                                                               : "") +
                 "\n";
        }
    }
    if (project) {
        o += "  " + w.baseline + " delivers within " + hs + " months in";
        bool same = true;
        for (const auto& st : w.steps) same = same && st.baseline_prob_delivered == w.steps.front().baseline_prob_delivered;
        if (same && !w.steps.empty()) {
            o += " " + format_percent(w.steps.front().baseline_prob_delivered) + " of trials at every step\n";
        } else {
            o += ":";
            for (const auto& st : w.steps) o += " " + format_percent(st.baseline_prob_delivered);
            o += " of trials (by step)\n";
        }
    }
    if (beyond) o += "  * beyond the " + hs + "-month horizon: extrapolated at the last month's run rate\n";
    o += "  break-even: first month from which the cumulative discounted net benefit stays >= 0" +
         std::string(project ? " (cost of delay included)" : " (at equal useful output)") +
         "; median, share of trials within the horizon\n";
    return o;
}

/// The report of a break-even search (the value of an input at which the median net
/// benefit is 0 or P(loss) hits a target -- not the cash break-even month of `run`).
inline std::string breakeven_report(const breakeven_result& b) {
    std::string o = "offroi breakeven: " + b.input + " for " + b.arrangement + "\n";
    o += std::string("  target: ") +
         (b.target == breakeven_target::median_net_benefit ? "median net benefit = 0" : "P(loss) = target") +
         " (the input's break-even value, not the cash break-even month)\n";
    o += "  break-even value: " + detail::fmt("%.6g", b.value) + " +- " + detail::fmt("%.3g", b.standard_error) +
         " (Monte Carlo SE, delta method)\n";
    o += "  objective at the root: " + detail::fmt("%.4g", b.objective_at_root) + " (SE " +
         detail::fmt("%.3g", b.objective_se_at_root) + "), slope " + detail::fmt("%.4g", b.slope) + " per unit\n";
    o += "  " + std::to_string(b.evaluations.size()) + " simulations of " + std::to_string(b.trials) +
         " trials, seed " + std::to_string(b.seed) + "\n";
    return o;
}

/// The report of a tornado, rank drivers and Sobol' indices (each optional: null to skip);
/// `dependent` says the Sobol' indices are Kucherenko's (with correlations).
inline std::string sensitivity_report(const std::string& output, const tornado_result* t, const driver_ranking* d,
                                      const sobol_result* s, std::size_t top = 10, bool dependent = false) {
    using detail::pad;
    std::string o = "offroi sensitivity: " + output + "\n";
    if (t) {
        o += "\nTornado (each input at its P10 and P90, the others at their medians; base " +
             format_usd(t->base_output) + ")\n";
        for (std::size_t k = 0; k < std::min(top, t->bars.size()); ++k) {
            const auto& b = t->bars[k];
            o += "  " + pad(b.name, 44, false) + pad(format_usd(b.output_at_low), 11) + " .. " +
                 pad(format_usd(b.output_at_high), 11) + "  swing " + format_usd(b.swing) + "\n";
        }
    }
    if (d) {
        // Ordered by |SRRC| (run_drivers); Spearman rho in parentheses for reference.
        constexpr const char* srrc_label =
            "signed standardized rank regression coefficient, SRRC: the effect of each input with the others "
            "held fixed";
        o += "\nDrivers from the run's draws, by |SRRC| (" + std::string(srrc_label) + "; rank R^2 = " +
             detail::fmt("%.2f", d->measures.srrc_r2) + "; first " + std::to_string(d->measures.samples) +
             " trials)\n";
        for (std::size_t k = 0; k < std::min(top, d->order.size()); ++k) {
            const std::size_t i = d->order[k];
            o += "  " + pad(d->measures.names[i], 44, false) + "  SRRC " +
                 pad(detail::fmt("%+.3f", d->measures.srrc[i]), 7) + "  (Spearman rho " +
                 detail::fmt("%+.3f", d->measures.spearman[i]) + ")\n";
        }
    }
    if (s) {
        o += std::string("\nSobol' indices (") +
             (dependent ? "Kucherenko et al. 2012, the scenario's correlations as a Gaussian copula"
                        : "inputs independent, correlations ignored") +
             "; " + std::to_string(s->base_samples) + " base samples)\n";
        std::vector<std::size_t> idx(s->names.size());
        for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
        std::stable_sort(idx.begin(), idx.end(),
                         [&](std::size_t a, std::size_t b) { return s->total_order[a] > s->total_order[b]; });
        for (std::size_t k = 0; k < std::min(top, idx.size()); ++k) {
            const std::size_t i = idx[k];
            o += "  " + pad(s->names[i], 44, false) + "  S " + pad(detail::fmt("%.3f", s->first_order[i]), 6) +
                 "  ST " + pad(detail::fmt("%.3f", s->total_order[i]), 6) + "\n";
        }
    }
    return o;
}

}  // namespace offroi
