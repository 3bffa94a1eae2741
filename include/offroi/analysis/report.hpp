#pragma once
/// \file
/// Plain-text reports of the analyses, as the `offroi` command line prints them (what a
/// CTO reads): money in compact units ($1.23M, -$450k), probabilities in percent, one
/// table per question. Deterministic: the text is a pure function of the result (no
/// timing, no locale).

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "offroi/analysis/breakeven.hpp"
#include "offroi/analysis/compare.hpp"
#include "offroi/analysis/model_sensitivity.hpp"
#include "offroi/analysis/scenario_run.hpp"
#include "offroi/analysis/sweep.hpp"
#include "offroi/model/scenario.hpp"

namespace offroi {

/// Money in compact form: "$1.23M", "-$456k", "$789" (3 significant digits).
inline std::string format_usd(double v) {
    if (!std::isfinite(v)) return v > 0 ? "inf" : (v < 0 ? "-inf" : "nan");
    const double a = std::fabs(v);
    char buf[48];
    const char* sign = v < 0 ? "-" : "";
    if (a >= 1e9) std::snprintf(buf, sizeof buf, "%s$%.3gB", sign, a / 1e9);
    else if (a >= 1e6) std::snprintf(buf, sizeof buf, "%s$%.3gM", sign, a / 1e6);
    else if (a >= 1e3) std::snprintf(buf, sizeof buf, "%s$%.3gk", sign, a / 1e3);
    else std::snprintf(buf, sizeof buf, "%s$%.3g", sign, a);
    return buf;
}

/// A probability in percent with one decimal: "12.3%".
inline std::string format_percent(double p) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * p);
    return buf;
}

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

/// The report of one run: per alternative the P10/P50/P90 net benefit, mean with its
/// standard error, P(loss), payback and cost-parity months; the waterfall of the five components; and, when
/// `drivers` is not empty, the top `top` drivers of each alternative (by |SRRC|, with Spearman
/// rho for reference; rank-based, from the run's recorded trials).
/// \param s        the scenario run (for its horizon and name).
/// \param r        the run.
/// \param drivers  one ranking per alternative (may be empty).
/// \param sampler  the design used (for the header line).
/// \param top      number of drivers listed.
inline std::string run_report(const scenario& s, const scenario_run& r, const std::vector<driver_ranking>& drivers,
                              sampling_method sampler, std::size_t top = 5) {
    using detail::pad;
    const scenario_result& res = r.result;
    std::string o;
    o += "offroi: " + res.scenario_name + "\n";
    o += "  " + std::to_string(res.run.trials()) + " trials, seed " + std::to_string(res.seed) + ", sampler " +
         detail::sampler_label(sampler) + ", horizon " + std::to_string(s.horizon_months) + " months, discount " +
         detail::fmt("%g", 100 * s.annual_discount_rate) + "%/yr\n";
    if (r.precision)
        o += "  precision: mean net benefit +-" + format_usd(r.precision->half_width) + " (95%), target +-" +
             format_usd(r.precision->tolerance) + (r.precision->met ? ": met\n" : ": NOT met (trial cap reached)\n");
    const std::string base = res.arrangements.front().name;
    o += "\nNet benefit vs " + base + " (USD, present value; > 0: cheaper than " + base + ")\n";
    o += pad("arrangement", 24, false) + pad("P10", 11) + pad("P50", 11) + pad("P90", 11) + pad("mean", 11) +
         pad("+-SE", 10) + pad("P(loss)", 9) + pad("payback", 10) + pad("parity", 10) + "\n";
    const int never = s.horizon_months + 1;
    auto month = [never](double m) { return m >= never ? std::string("never") : "month " + detail::fmt("%.0f", m); };
    for (const auto& a : res.arrangements) {
        if (a.is_baseline) continue;
        const summary& nb = a.output("net_benefit");
        const std::string payback = month(a.output("payback_month").percentile(0.5).value);
        const std::string parity = month(a.output("parity_month").percentile(0.5).value);
        o += pad(a.name, 24, false) + pad(format_usd(nb.percentile(0.1).value), 11) +
             pad(format_usd(nb.percentile(0.5).value), 11) + pad(format_usd(nb.percentile(0.9).value), 11) +
             pad(format_usd(nb.mean), 11) + pad(format_usd(nb.standard_error), 10) +
             pad(format_percent(a.prob_net_loss), 9) + pad(payback, 10) + pad(parity, 10) + "\n";
    }
    o += "  payback: median first month from which the cumulative net benefit stays >= 0\n";
    o += "  parity:  median first month from which the cumulative cost per useful engineer-month\n"
         "           stays at or below " + base + "'s (Smite & van Solingen's cost parity)\n";
    if (res.arrangements.size() > 1) {
        const summary& nb = res.arrangements[1].output("net_benefit");
        if (!nb.exact)
            o += "  percentiles from the streaming quantile sketch (relative accuracy " +
                 detail::fmt("%g", 100 * nb.sketch_relative_accuracy) + "%); mean, SE and P(loss) exact\n";
    }
    o += "\nWhere the net benefit comes from (mean, USD present value)\n";
    o += pad("component", 36, false);
    for (const auto& a : res.arrangements)
        if (!a.is_baseline) o += pad(a.name, 18);
    o += "\n";
    const auto& rows = res.arrangements.size() > 1 ? res.arrangements[1].breakdown : std::vector<breakdown_row>{};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        o += pad(rows[i].component, 36, false);
        for (const auto& a : res.arrangements)
            if (!a.is_baseline) o += pad(format_usd(a.breakdown[i].mean_usd), 18);
        o += "\n";
    }
    // Drivers: ordered by |SRRC| (run_drivers); Spearman rho, the total association that
    // also credits an input with the inputs correlated with it, in parentheses for reference.
    constexpr const char* srrc_label =
        "signed standardized rank regression coefficient, SRRC: the effect of each input with the others "
        "held fixed";
    for (const auto& d : drivers) {
        o += "\nTop drivers of " + d.output + ", by |SRRC| (rank R^2 = " + detail::fmt("%.2f", d.measures.srrc_r2) +
             "; first " + std::to_string(d.measures.samples) + " trials)\n  " + std::string(srrc_label) + "\n";
        for (std::size_t k = 0; k < std::min(top, d.order.size()); ++k) {
            const std::size_t i = d.order[k];
            o += "  " + std::to_string(k + 1) + ". " + pad(d.measures.names[i], 44, false) +
                 pad(detail::fmt("%+.2f", d.measures.srrc[i]), 7) + "  (Spearman rho " +
                 detail::fmt("%+.2f", d.measures.spearman[i]) + ")\n";
        }
    }
    return o;
}

/// The report of a comparison: per pair the difference of net benefit (mean +- SE,
/// P10/P50/P90) and P(A better than B).
inline std::string comparison_report(const comparison_result& c) {
    using detail::pad;
    std::string o = "offroi compare: " + c.scenario_name + "\n  " + std::to_string(c.trials) + " trials, seed " +
                    std::to_string(c.seed) + ", " +
                    (c.pairing == draw_pairing::common ? "common random numbers (paired draws)"
                                                       : "independent draws per arrangement") +
                    "\n\n";
    o += pad("A vs B", 40, false) + pad("mean NB(A)-NB(B)", 18) + pad("+-SE", 10) + pad("P10", 11) + pad("P50", 11) +
         pad("P90", 11) + pad("P(A better)", 13) + "\n";
    for (const auto& p : c.pairs) {
        const auto& d = p.net_benefit_difference;
        o += pad(p.a + " vs " + p.b, 40, false) + pad(format_usd(d.mean), 18) + pad(format_usd(d.standard_error), 10) +
             pad(format_usd(d.p10), 11) + pad(format_usd(d.p50), 11) + pad(format_usd(d.p90), 11) +
             pad(format_percent(p.prob_a_better), 13) + "\n";
    }
    return o;
}

/// The report of a sweep: one row per step and alternative.
inline std::string sweep_report(const sweep_result& w) {
    using detail::pad;
    std::string o = "offroi sweep: " + w.input + (w.mode == sweep_mode::scale ? " (scaled)" : "") + ", " +
                    std::to_string(w.trials) + " trials per step, seed " + std::to_string(w.seed) +
                    " (same draws at every step)\n\n";
    o += pad(w.mode == sweep_mode::scale ? "factor" : "value", 12) + "  " + pad("arrangement", 22, false) +
         pad("P10", 11) + pad("P50", 11) + pad("P90", 11) + pad("mean", 11) + pad("P(loss)", 9) + "\n";
    for (const auto& st : w.steps)
        for (const auto& p : st.alternatives)
            o += pad(detail::fmt("%g", st.value), 12) + "  " + pad(p.arrangement, 22, false) +
                 pad(format_usd(p.p10), 11) + pad(format_usd(p.p50), 11) + pad(format_usd(p.p90), 11) +
                 pad(format_usd(p.mean), 11) + pad(format_percent(p.prob_loss), 9) + "\n";
    return o;
}

/// The report of a break-even search.
inline std::string breakeven_report(const breakeven_result& b) {
    std::string o = "offroi breakeven: " + b.input + " for " + b.arrangement + "\n";
    o += std::string("  target: ") +
         (b.target == breakeven_target::median_net_benefit ? "median net benefit = 0" : "P(loss) = target") + "\n";
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
