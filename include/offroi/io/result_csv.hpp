#pragma once
/// \file
/// Results as CSV (RFC 4180; docs/scenario-format.md "Results"):
/// - `write_result_csv`: the summaries in tidy long form, one row per arrangement x output
///   x statistic, columns `arrangement,model,is_baseline,output,statistic,value` -- what
///   pandas (`pivot`), R and spreadsheets read without a schema;
/// - `write_samples_csv`: kept per-trial samples, one row per trial, columns `trial` and
///   one per output ("<arrangement>.<field>").
/// Numbers are written in shortest round-trip form ("inf", "-inf", "nan" when not finite).

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "offroi/engine/run_options.hpp"
#include "offroi/engine/run_result.hpp"
#include "offroi/error.hpp"
#include "offroi/model/simulate.hpp"
#include "offroi/model/sourcing_model.hpp"
#include "offroi/stats/summary.hpp"

namespace offroi {

namespace detail {

/// A CSV field: quoted (with doubled quotes) when it holds a comma, quote or line break.
inline std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + '"';
}

/// Shortest round-trip decimal form; "inf", "-inf", "nan" for non-finite values.
inline void append_number(std::string& out, double v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

/// "p10", "p2.5", "p99.9" for levels 0.10, 0.025, 0.999.
inline std::string percentile_statistic(double p) {
    std::string s = "p";  // appended, not "p" + ...: GCC 12 warns falsely on that (PR 105329)
    s += percent_label(p);
    return s;
}

}  // namespace detail

/// Writes the summaries of a scenario result in tidy long CSV form. Header:
/// `arrangement,model,is_baseline,output,statistic,value`. For each arrangement (baseline
/// first) and each output (e.g. `net_benefit`, `total_cost`) the statistics `count`,
/// `mean`, `standard_deviation`, `standard_error`, `mean_ci_lower`, `mean_ci_upper`, `min`,
/// `max`, then for each percentile `p10`, `p10_ci_lower`, `p10_ci_upper` (P10, P50, P90,
/// then any others), `prob_negative`, `expected_shortfall`. Then the rows of output
/// `comparison`: `prob_delivered` for every arrangement, and for each alternative also
/// `prob_net_loss`, `expected_shortfall_loss`, `prob_breakeven`, `prob_parity`; and for each
/// alternative the rows of output `breakdown` in waterfall order (statistic = the bar's
/// output field `nb_rate_gap`, ..., `nb_risk`, then `net_benefit`; value = its mean
/// contribution to the net benefit in USD; the labels are in `result_to_json`).
/// `is_baseline` is 1 or 0. "Never" months are `never_month` (9999).
inline void write_result_csv(std::ostream& out, const scenario_result& r) {
    std::string buf = "arrangement,model,is_baseline,output,statistic,value\n";
    for (const auto& a : r.arrangements) {
        const std::string lead = detail::csv_field(a.name) + "," + std::string(to_string(a.model)) + "," +
                                 (a.is_baseline ? "1" : "0") + ",";
        auto row = [&](std::string_view output, std::string_view stat, double v) {
            buf += lead;
            buf += detail::csv_field(output);
            buf += ',';
            buf += detail::csv_field(stat);
            buf += ',';
            detail::append_number(buf, v);
            buf += '\n';
        };
        for (const auto& o : a.outputs) {
            const summary& s = o.stats;
            row(o.field, "count", static_cast<double>(s.count));
            row(o.field, "mean", s.mean);
            row(o.field, "standard_deviation", s.standard_deviation);
            row(o.field, "standard_error", s.standard_error);
            row(o.field, "mean_ci_lower", s.mean_ci.lower);
            row(o.field, "mean_ci_upper", s.mean_ci.upper);
            row(o.field, "min", s.min);
            row(o.field, "max", s.max);
            for (const auto& p : s.percentiles) {
                const std::string k = detail::percentile_statistic(p.p);
                row(o.field, k, p.value);
                row(o.field, k + "_ci_lower", p.ci.lower);
                row(o.field, k + "_ci_upper", p.ci.upper);
            }
            row(o.field, "prob_negative", s.prob_negative);
            row(o.field, "expected_shortfall", s.expected_shortfall);
        }
        row("comparison", "prob_delivered", a.prob_delivered);
        if (!a.is_baseline) {
            row("comparison", "prob_net_loss", a.prob_net_loss);
            row("comparison", "expected_shortfall_loss", a.expected_shortfall_loss);
            row("comparison", "prob_breakeven", a.prob_breakeven);
            row("comparison", "prob_parity", a.prob_parity);
            for (const auto& b : a.breakdown) row("breakdown", b.output, b.mean_usd);
        }
        out << buf;
        buf.clear();
    }
    out << buf;
}

/// Writes kept per-trial samples as CSV: header `trial,<output>,...`, then one row per
/// trial (absolute trial index first).
/// \param outputs the output names to write, in this order; empty: every output.
/// \throws invalid_argument if the run did not keep samples (it streamed: ask for
///   a memory budget that holds them) or an output name is unknown
///   (the message lists the outputs).
inline void write_samples_csv(std::ostream& out, const run_result& r, const std::vector<std::string>& outputs = {}) {
    if (!r.samples_kept())
        throw invalid_argument("write_samples_csv: the run kept no samples (it streamed); run with "
                               "sample_policy::within_budget and a memory budget that holds them to write per-trial samples");
    std::vector<std::size_t> cols;
    if (outputs.empty()) {
        for (std::size_t i = 0; i < r.n_outputs(); ++i) cols.push_back(i);
    } else {
        for (const auto& n : outputs) cols.push_back(r.index_of(n));
    }
    std::vector<std::span<const double>> data;
    for (std::size_t c : cols) data.push_back(r.samples(c));
    std::string buf = "trial";
    for (std::size_t c : cols) buf += "," + detail::csv_field(r.output_names()[c]);
    buf += '\n';
    const std::uint64_t n = r.trials();
    for (std::uint64_t t = 0; t < n; ++t) {
        char ibuf[24];
        buf.append(ibuf, std::to_chars(ibuf, ibuf + sizeof ibuf, r.first_trial() + t).ptr);
        for (const auto& col : data) {
            buf += ',';
            detail::append_number(buf, col[t]);
        }
        buf += '\n';
        if (buf.size() > (1u << 16)) {
            out << buf;
            buf.clear();
        }
    }
    out << buf;
}

/// `write_samples_csv(out, r.run, outputs)`: the samples of a scenario result; output names
/// are "<arrangement>.<field>", e.g. "offshore_team.net_benefit".
inline void write_samples_csv(std::ostream& out, const scenario_result& r, const std::vector<std::string>& outputs = {}) {
    write_samples_csv(out, r.run, outputs);
}

}  // namespace offroi
