#pragma once
/// \file
/// A small SVG chart writer for the HTML report: axes with "nice" ticks (1, 2 or 5 times a
/// power of ten), line charts (the CDF overlays) and rows of horizontal bars (waterfall,
/// tornado, drivers). The output is an inline `<svg>` element with no script, no external
/// reference and no fixed colour: lines, bars and text carry classes (`series-0` ...,
/// `bar-pos`, `bar-neg`, `bar-total`, `bar-low`, `bar-high`, `axis`, `grid`) that the report's
/// stylesheet colours for light, dark and print. Every text is HTML-escaped. Deterministic:
/// coordinates are printed with fixed precision.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "offroi/error.hpp"
#include "offroi/report/html_escape.hpp"

namespace offroi {

/// The ticks of an axis: `values` in increasing order, all within [lo, hi] of the range
/// they were made for, spaced by `step` (1, 2 or 5 times a power of ten), and the widened
/// range [lo, hi] (outward to whole steps) the axis spans.
struct axis_ticks {
    double lo = 0;               ///< lower end of the widened range
    double hi = 1;               ///< upper end of the widened range
    double step = 1;             ///< spacing of the ticks
    std::vector<double> values;  ///< the ticks, increasing
};

/// Nice ticks for [lo, hi], about `target` of them (Heckbert's 1990 labelling): the step is
/// the 1-2-5 multiple of a power of ten nearest range / target, and the range is widened
/// outward to whole steps. A degenerate range (lo == hi) is widened to a unit around it.
/// \throws invalid_argument for a non-finite end, lo > hi, or target < 2.
inline axis_ticks nice_ticks(double lo, double hi, int target = 6) {
    if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi)
        throw invalid_argument("nice_ticks: range [" + std::to_string(lo) + ", " + std::to_string(hi) +
                               "] is invalid; allowed: finite lo <= hi");
    if (target < 2)
        throw invalid_argument("nice_ticks: target " + std::to_string(target) + " is invalid; allowed: >= 2");
    if (lo == hi) {
        const double w = lo == 0 ? 1.0 : std::fabs(lo) * 0.1;
        lo -= w;
        hi += w;
    }
    const double raw = (hi - lo) / double(target - 1);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / mag;
    const double step = (f < 1.5 ? 1.0 : f < 3.0 ? 2.0 : f < 7.0 ? 5.0 : 10.0) * mag;
    axis_ticks t;
    t.step = step;
    t.lo = std::floor(lo / step + 1e-9) * step;
    t.hi = std::ceil(hi / step - 1e-9) * step;
    const long n = std::lround((t.hi - t.lo) / step);
    for (long k = 0; k <= n; ++k) {
        double v = t.lo + double(k) * step;
        if (std::fabs(v) < step * 1e-9) v = 0.0;  // no "-0" label
        t.values.push_back(v);
    }
    return t;
}

/// One line of a line chart: its legend name and its points (x, y), drawn in order.
struct svg_series {
    std::string name;                               ///< legend name
    std::vector<std::pair<double, double>> points;  ///< (x, y), drawn in order
};

/// One segment of a bar row: from `from` to `to` on the value axis, with a CSS class and an
/// optional tooltip (`<title>`).
struct svg_segment {
    double from = 0;        ///< start on the value axis
    double to = 0;          ///< end on the value axis
    std::string css_class;  ///< CSS class of the bar
    std::string title;      ///< tooltip (`<title>`), none when empty
};

/// One row of a horizontal bar chart: a label on the left and its segments.
struct svg_bar_row {
    std::string label;                  ///< label on the left
    std::vector<svg_segment> segments;  ///< its segments
};

/// Layout and labelling of a chart.
struct svg_chart_options {
    std::string title;    ///< accessible title (`<title>` of the svg)
    std::string x_label;  ///< label under the x axis
    std::string y_label;  ///< label of the y axis (line charts)
    double width = 760;   ///< viewBox width
    double height = 360;  ///< viewBox height (line charts; bar charts grow with their rows)
    /// x tick labels (default "%g").
    std::function<std::string(double)> x_format;
    /// y tick labels (default "%g").
    std::function<std::string(double)> y_format;
    std::vector<double> x_reference;  ///< vertical reference lines (e.g. 0)
};

namespace detail {

inline std::string svg_num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

inline std::string default_tick(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

/// Approximate width in px of `s` at 12 px sans-serif (UTF-8 continuation bytes not counted).
inline double text_width(const std::string& s) {
    double w = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) w += 6.6;
    return w;
}

/// `s` shortened to about `px` wide, with an ellipsis, on a UTF-8 boundary.
inline std::string fit_text(const std::string& s, double px) {
    if (text_width(s) <= px) return s;
    std::string o;
    double w = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) != 0x80) {
            if (w + 6.6 * 2 > px) break;
            w += 6.6;
        }
        o += s[i];
    }
    while (!o.empty() && (static_cast<unsigned char>(o.back()) & 0xC0) == 0x80) o.pop_back();
    if (!o.empty() && static_cast<unsigned char>(o.back()) >= 0xC0) o.pop_back();
    return o + "\xE2\x80\xA6";
}

inline std::string svg_open(double w, double h, const std::string& title) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " + svg_num(w) + " " +
           svg_num(h) + "\" role=\"img\"><title>" + html_escape(title) + "</title>\n";
}

inline std::string svg_text(double x, double y, const std::string& text, const char* anchor,
                            const char* css = "tick") {
    return "<text class=\"" + std::string(css) + "\" x=\"" + svg_num(x) + "\" y=\"" + svg_num(y) +
           "\" text-anchor=\"" + anchor + "\">" + html_escape(text) + "</text>\n";
}

/// x ticks along the bottom of the plot area [x0, x1] x [y0, y1] with vertical grid lines.
inline std::string svg_x_axis(const axis_ticks& t, double x0, double x1, double y0, double y1,
                              const std::function<double(double)>& sx,
                              const std::function<std::string(double)>& fmt, const std::string& label,
                              double label_y) {
    std::string o;
    for (double v : t.values) {
        const double x = sx(v);
        o += "<line class=\"grid\" x1=\"" + svg_num(x) + "\" y1=\"" + svg_num(y0) + "\" x2=\"" + svg_num(x) +
             "\" y2=\"" + svg_num(y1) + "\"/>\n";
        o += svg_text(x, y1 + 16, fmt ? fmt(v) : default_tick(v), "middle");
    }
    o += "<line class=\"axis\" x1=\"" + svg_num(x0) + "\" y1=\"" + svg_num(y1) + "\" x2=\"" + svg_num(x1) +
         "\" y2=\"" + svg_num(y1) + "\"/>\n";
    if (!label.empty()) o += svg_text((x0 + x1) / 2, label_y, label, "middle", "axis-label");
    return o;
}

}  // namespace detail

/// A line chart (the CDF overlays): each series a polyline in class `series-<k>`, axes with
/// nice ticks on both sides' ranges (x over every point and reference line, y over every
/// point), a legend above the plot. Points that are not finite are skipped.
/// \throws invalid_argument if no series has a finite point.
inline std::string svg_line_chart(const std::vector<svg_series>& series, const svg_chart_options& o) {
    using detail::svg_num;
    double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, ylo = xlo, yhi = -xlo;
    for (const auto& s : series)
        for (const auto& [x, y] : s.points)
            if (std::isfinite(x) && std::isfinite(y)) {
                xlo = std::min(xlo, x), xhi = std::max(xhi, x);
                ylo = std::min(ylo, y), yhi = std::max(yhi, y);
            }
    if (!std::isfinite(xlo)) throw invalid_argument("svg_line_chart: no finite point to draw; allowed: at least one");
    for (double r : o.x_reference)
        if (std::isfinite(r)) xlo = std::min(xlo, r), xhi = std::max(xhi, r);
    const axis_ticks tx = nice_ticks(xlo, xhi, 7), ty = nice_ticks(ylo, yhi, 6);
    const double legend_rows = std::ceil(double(series.size()) / 3.0);
    const double left = 64, right = 20, top = 14 + 18 * legend_rows, bottom = 48;
    const double x0 = left, x1 = o.width - right, y0 = top, y1 = o.height - bottom;
    auto sx = [&](double x) { return x0 + (x - tx.lo) / (tx.hi - tx.lo) * (x1 - x0); };
    auto sy = [&](double y) { return y1 - (y - ty.lo) / (ty.hi - ty.lo) * (y1 - y0); };
    std::string s = detail::svg_open(o.width, o.height, o.title);
    for (double v : ty.values) {
        const double y = sy(v);
        s += "<line class=\"grid\" x1=\"" + svg_num(x0) + "\" y1=\"" + svg_num(y) + "\" x2=\"" + svg_num(x1) +
             "\" y2=\"" + svg_num(y) + "\"/>\n";
        s += detail::svg_text(x0 - 6, y + 4, o.y_format ? o.y_format(v) : detail::default_tick(v), "end");
    }
    s += "<line class=\"axis\" x1=\"" + svg_num(x0) + "\" y1=\"" + svg_num(y0) + "\" x2=\"" + svg_num(x0) +
         "\" y2=\"" + svg_num(y1) + "\"/>\n";
    s += detail::svg_x_axis(tx, x0, x1, y0, y1, sx, o.x_format, o.x_label, o.height - 10);
    if (!o.y_label.empty())
        s += "<text class=\"axis-label\" transform=\"translate(14 " + svg_num((y0 + y1) / 2) +
             ") rotate(-90)\" text-anchor=\"middle\">" + html_escape(o.y_label) + "</text>\n";
    for (double r : o.x_reference)
        if (std::isfinite(r))
            s += "<line class=\"reference\" x1=\"" + svg_num(sx(r)) + "\" y1=\"" + svg_num(y0) + "\" x2=\"" +
                 svg_num(sx(r)) + "\" y2=\"" + svg_num(y1) + "\"/>\n";
    for (std::size_t k = 0; k < series.size(); ++k) {
        std::string pts;
        for (const auto& [x, y] : series[k].points)
            if (std::isfinite(x) && std::isfinite(y)) pts += (pts.empty() ? "" : " ") + svg_num(sx(x)) + "," + svg_num(sy(y));
        s += "<polyline class=\"line series-" + std::to_string(k % 8) + "\" points=\"" + pts + "\"><title>" +
             html_escape(series[k].name) + "</title></polyline>\n";
        // Legend: three entries per row above the plot.
        const double lx = x0 + double(k % 3) * (x1 - x0) / 3.0, ly = 14 + 18 * std::floor(double(k) / 3.0);
        s += "<line class=\"line series-" + std::to_string(k % 8) + "\" x1=\"" + svg_num(lx) + "\" y1=\"" +
             svg_num(ly - 4) + "\" x2=\"" + svg_num(lx + 22) + "\" y2=\"" + svg_num(ly - 4) + "\"/>\n";
        s += detail::svg_text(lx + 28, ly, detail::fit_text(series[k].name, (x1 - x0) / 3.0 - 34), "start", "legend");
    }
    return s + "</svg>";
}

/// Rows of horizontal bars (waterfall, tornado, drivers): labels on the left (shortened
/// with an ellipsis when longer than about 40% of the width), one band per row, each segment
/// a rectangle from `from` to `to` in its class, a value axis with nice ticks at the bottom
/// and the vertical reference lines of `o.x_reference`. The height is 26 px per row plus the
/// axis.
/// \throws invalid_argument if there is no row or a segment end is not finite.
inline std::string svg_bar_chart(const std::vector<svg_bar_row>& rows, const svg_chart_options& o) {
    using detail::svg_num;
    if (rows.empty()) throw invalid_argument("svg_bar_chart: no row to draw; allowed: at least one");
    double lo = std::numeric_limits<double>::infinity(), hi = -lo, label_w = 0;
    for (const auto& r : rows) {
        label_w = std::max(label_w, detail::text_width(r.label));
        for (const auto& g : r.segments) {
            if (!std::isfinite(g.from) || !std::isfinite(g.to))
                throw invalid_argument("svg_bar_chart: row \"" + r.label + "\" has a non-finite segment; allowed: finite ends");
            lo = std::min({lo, g.from, g.to}), hi = std::max({hi, g.from, g.to});
        }
    }
    if (!std::isfinite(lo)) lo = hi = 0;
    for (double r : o.x_reference)
        if (std::isfinite(r)) lo = std::min(lo, r), hi = std::max(hi, r);
    const axis_ticks t = nice_ticks(lo, hi, 6);
    const double max_label = o.width * 0.4;
    const double left = std::min(label_w, max_label) + 16, right = 24, top = 10, band = 26;
    const double x0 = left, x1 = o.width - right, y0 = top, y1 = top + band * double(rows.size());
    const double height = y1 + 48;
    auto sx = [&](double x) { return x0 + (x - t.lo) / (t.hi - t.lo) * (x1 - x0); };
    std::string s = detail::svg_open(o.width, height, o.title);
    s += detail::svg_x_axis(t, x0, x1, y0, y1, sx, o.x_format, o.x_label, height - 8);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const double yc = y0 + band * (double(i) + 0.5);
        s += detail::svg_text(x0 - 8, yc + 4, detail::fit_text(rows[i].label, max_label), "end", "row-label");
        for (const auto& g : rows[i].segments) {
            const double a = sx(std::min(g.from, g.to)), b = sx(std::max(g.from, g.to));
            s += "<rect class=\"bar " + html_escape(g.css_class) + "\" x=\"" + svg_num(a) + "\" y=\"" +
                 svg_num(yc - band * 0.34) + "\" width=\"" + svg_num(std::max(b - a, 1.0)) + "\" height=\"" +
                 svg_num(band * 0.68) + "\">";
            if (!g.title.empty()) s += "<title>" + html_escape(g.title) + "</title>";
            s += "</rect>\n";
        }
    }
    for (double r : o.x_reference)
        if (std::isfinite(r))
            s += "<line class=\"reference\" x1=\"" + svg_num(sx(r)) + "\" y1=\"" + svg_num(y0) + "\" x2=\"" +
                 svg_num(sx(r)) + "\" y2=\"" + svg_num(y1) + "\"/>\n";
    return s + "</svg>";
}

}  // namespace offroi
