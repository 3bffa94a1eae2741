#pragma once
/// \file
/// Assumption tables: a scenario's inputs as a spreadsheet, one row per input (name,
/// distribution, its parameters or P10/mode/P90, unit, source), read from CSV (and from
/// XLSX through the Python package) to override a scenario's inputs by name, and written as
/// a template pre-filled with a scenario's current values and sources
/// (docs/scenario-format.md §9).
///
/// \code
/// offroi::scenario s = offroi::load_scenario("scenario.json");
/// offroi::apply_assumptions(s, offroi::load_assumptions_csv("assumptions.csv"));
/// std::string csv = offroi::assumptions_to_csv(offroi::assumptions_template(s));
/// \endcode

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "offroi/distributions/distribution.hpp"
#include "offroi/error.hpp"
#include "offroi/io/detail/json_support.hpp"
#include "offroi/io/detail/text_file.hpp"
#include "offroi/io/distribution_json.hpp"
#include "offroi/model/input_info.hpp"
#include "offroi/model/limits.hpp"
#include "offroi/model/presets.hpp"
#include "offroi/model/scenario.hpp"
#include "offroi/model/validate.hpp"

namespace offroi {

/// A table of cells as a spreadsheet holds it: a header row of column names and data rows
/// of text cells (numbers as text). `row_numbers[i]` is the spreadsheet row of `rows[i]`
/// (the header is row 1), for messages.
struct assumption_table {
    std::vector<std::string> columns;               ///< column names (the header row)
    std::vector<std::vector<std::string>> rows;     ///< data rows, each as long as `columns` or shorter
    std::vector<std::size_t> row_numbers;           ///< spreadsheet row of each data row
    std::string source_name;                        ///< file name for messages ("assumptions.csv")
};

/// One row of an assumption table, read: the input it sets and the distribution.
struct assumption {
    std::string name;          ///< input name, as `scenario::set` takes it
    distribution value;        ///< the distribution (a constant is one too)
    std::string unit;          ///< unit as written (checked against the input's when not empty)
    std::string source;        ///< where the value comes from (kept for reports; not checked)
    std::size_t row = 0;       ///< spreadsheet row, for messages
};

namespace detail {

/// Columns that are not distribution parameters.
inline const std::vector<std::string>& assumption_text_columns() {
    static const std::vector<std::string> v = {"name", "distribution", "unit", "source", "notes"};
    return v;
}

/// Every parameter key a distribution object takes (docs/scenario-format.md §3), plus the
/// table's own `value`, `min` and `max` for constants and uniforms; percentile keys
/// p<percent> are accepted besides these.
inline const std::vector<std::string>& assumption_parameter_columns() {
    static const std::vector<std::string> v = {
        "value", "min", "mode", "max", "lambda", "lower", "upper", "alpha", "beta", "mean", "sd", "mu",
        "sigma", "shape", "scale", "p", "values", "probabilities", "data", "kind", "quantiles", "terms",
        "coefficients"};
    return v;
}

/// Columns whose cells hold lists of numbers ("1 2 3" or "1; 2; 3").
inline bool is_list_column(std::string_view c) {
    return c == "values" || c == "probabilities" || c == "data" || c == "coefficients";
}

/// "A", ..., "Z", "AA", ... for column index i (0-based).
inline std::string column_letter(std::size_t i) {
    std::string s;
    ++i;
    while (i > 0) {
        s.insert(s.begin(), char('A' + (i - 1) % 26));
        i = (i - 1) / 26;
    }
    return s;
}

inline std::string trim(std::string_view s) {
    std::size_t a = 0, b = s.size();
    while (a < b && (s[a] == ' ' || s[a] == '\t')) ++a;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
    return std::string(s.substr(a, b - a));
}

inline std::string lower_ascii(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return s;
}

/// Text cells a spreadsheet would read as a formula (=, +, -, @) are written with a leading
/// apostrophe, and read back without it (CSV injection, OWASP).
inline std::string unescape_text_cell(std::string s) {
    if (s.size() >= 2 && s[0] == '\'' && (s[1] == '=' || s[1] == '+' || s[1] == '-' || s[1] == '@'))
        s.erase(0, 1);
    return s;
}

/// The message prefix of a cell: `<file>, row <n> (<input>), column <col> (<letter>)`.
struct cell_ref {
    std::string source;
    std::size_t row = 0;
    std::string input;
    std::string where() const {
        std::string s = source.empty() ? std::string("assumptions") : source;
        s += ", row " + std::to_string(row);
        if (!input.empty()) s += " (" + input + ")";
        return s;
    }
    std::string at(std::string_view column, std::size_t index) const {
        return where() + ", column " + std::string(column) + " (" + column_letter(index) + ")";
    }
};

/// Text from the table in a message: ill-formed UTF-8 replaced, at most `n` bytes.
inline std::string shown(std::string_view s, std::size_t n) { return utf8_prefix(utf8_sanitized(s), n); }

[[noreturn]] inline void throw_cell(const std::string& where, std::string_view what, std::string_view allowed) {
    throw invalid_scenario(where + ": " + std::string(what) + " is invalid; " + std::string(allowed));
}

/// A number in a cell: digits with a decimal point, optional exponent, "inf"/"-inf", or a
/// percentage ("5%" = 0.05). No thousands separators or decimal commas (ambiguous).
inline double cell_number(const std::string& text, const std::string& where) {
    const std::string t = trim(text);
    const std::string l = lower_ascii(t);
    if (l == "inf" || l == "+inf" || l == "infinity" || l == "+infinity") return std::numeric_limits<double>::infinity();
    if (l == "-inf" || l == "-infinity") return -std::numeric_limits<double>::infinity();
    std::string_view v = t;
    bool percent = false;
    if (!v.empty() && v.back() == '%') {
        percent = true;
        v.remove_suffix(1);
        while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    }
    if (!v.empty() && v.front() == '+') v.remove_prefix(1);
    double x = 0;
    const auto r = std::from_chars(v.data(), v.data() + v.size(), x);
    if (v.empty() || r.ec != std::errc() || r.ptr != v.data() + v.size() || !std::isfinite(x))
        throw_cell(where, "\"" + shown(t, 60) + "\"",
                   "must be a number written with digits and a decimal point (e.g. 12.5, 1.2e5, inf), "
                   "or a percentage (5% = 0.05); no thousands separators or decimal commas");
    return percent ? x / 100.0 : x;
}

/// A list of numbers in a cell, separated by spaces, semicolons or (if the table is not
/// comma-separated in the cell) commas.
inline std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text) {
        if (c == ' ' || c == ';' || c == ',' || c == '\t') {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

/// The JSON value of a parameter cell.
inline nlohmann::json parameter_cell(std::string_view column, const std::string& text, const std::string& where) {
    if (column == "kind") return trim(text);
    if (is_list_column(column)) {
        nlohmann::json a = nlohmann::json::array();
        const auto items = split_list(text);
        if (items.size() > limits::max_array_length)
            throw_cell(where, "a list of " + std::to_string(items.size()) + " numbers",
                       "lists hold at most " + std::to_string(limits::max_array_length) + " numbers (the limit of arrays)");
        for (const auto& it : items) a.push_back(json_from_number(cell_number(it, where)));
        return a;
    }
    if (column == "quantiles") {  // "0.1:20 0.5:30 0.9:45"
        nlohmann::json a = nlohmann::json::array();
        for (const auto& it : split_list(text)) {
            const auto colon = it.find(':');
            if (colon == std::string::npos)
                throw_cell(where, "\"" + shown(it, 40) + "\"",
                           "quantiles are written as probability:value pairs, e.g. \"0.1:20 0.5:30 0.9:45\"");
            a.push_back({cell_number(it.substr(0, colon), where), json_from_number(cell_number(it.substr(colon + 1), where))});
        }
        if (a.size() > limits::max_array_length)
            throw_cell(where, "a list of " + std::to_string(a.size()) + " quantiles",
                       "lists hold at most " + std::to_string(limits::max_array_length) + " entries (the limit of arrays)");
        return a;
    }
    return json_from_number(cell_number(text, where));
}

/// The unit of input `name` (scenario-level or "<arrangement>.<field>"), empty if unknown.
inline std::string_view input_unit(std::string_view name) {
    const auto dot = name.find('.');
    const std::string_view field = dot == std::string_view::npos ? name : name.substr(dot + 1);
    if (dot == std::string_view::npos) {
        for (const auto& i : scenario_input_info)
            if (i.field == field) return i.unit;
    } else {
        for (const auto& i : arrangement_input_info)
            if (i.field == field) return i.unit;
    }
    return {};
}

/// Units compare case-insensitively, ignoring spaces, with "$" for "USD", "h"/"hr" for
/// "hour", "%" for "share" and "mo" for "month".
inline std::string normalized_unit(std::string_view u) {
    std::string s;
    for (char c : u)
        if (c != ' ' && c != '\t') s += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
    std::string out, token;
    auto flush = [&] {
        if (token == "$" || token == "us$") token = "usd";
        else if (token == "h" || token == "hr" || token == "hrs" || token == "hours") token = "hour";
        else if (token == "%" || token == "percent" || token == "fraction") token = "share";
        else if (token == "mo" || token == "month" || token == "months") token = "months";
        else if (token == "yr" || token == "years") token = "year";
        out += token;
        token.clear();
    };
    for (char c : s) {
        if (c == '/' || c == '-' || c == '(' || c == ')') {
            flush();
            out += c;
        } else {
            token += c;
        }
    }
    flush();
    return out;
}

/// Finds the field descriptor of input `name` and checks `d` against its range,
/// naming the row in the message.
inline void check_assumption_range(const std::string& name, const distribution& d,
                                   const std::string& where) {
    const auto dot = name.find('.');
    auto rethrow = [&](const invalid_scenario& e) {
        // "<path>: <what> is invalid; <allowed>" -> "<where>: <what> is invalid; <allowed>".
        const std::string msg = e.what();
        const auto colon = msg.find(": ");
        throw invalid_scenario(where + ": " + (colon == std::string::npos ? msg : msg.substr(colon + 2)));
    };
    try {
        if (dot == std::string::npos) {
            for (const auto& f : scenario_fields)
                if (f.name == name) check_support(name, f, d);
        } else {
            const std::string field = name.substr(dot + 1);
            for (const auto& f : arrangement_fields)
                if (f.name == field) check_support(name, f, d);
        }
    } catch (const invalid_scenario& e) {
        rethrow(e);
    }
}

/// Reads the distribution of one row; messages name the row and the column.
inline distribution assumption_distribution(const assumption_table& t, std::size_t r, const cell_ref& ref,
                                            std::size_t family_col) {
    const auto& row = t.rows[r];
    auto cell = [&](std::size_t c) -> std::string { return c < row.size() ? trim(row[c]) : std::string(); };
    std::string family = lower_ascii(cell(family_col));
    // The parameters given, by column.
    std::vector<std::pair<std::size_t, std::string>> given;  // (column index, key)
    const auto& text_cols = assumption_text_columns();
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
        const std::string& col = t.columns[c];
        if (std::find(text_cols.begin(), text_cols.end(), col) != text_cols.end()) continue;
        if (!cell(c).empty()) given.emplace_back(c, col);
    }
    if (family.empty()) {
        // A bare value is a constant.
        if (given.size() == 1 && given[0].second == "value") family = "constant";
        else
            throw_cell(ref.at("distribution", family_col), "an empty cell",
                       "name the distribution family: " + join_names(distribution_family_names()) +
                           " (or leave it empty and fill only the value column for a constant)");
    }
    const auto families = distribution_family_names();
    if (std::find(families.begin(), families.end(), family) == families.end()) {
        std::string allowed;
        if (const std::string g = closest_match(family, families); !g.empty()) allowed = "did you mean \"" + g + "\"? ";
        throw_cell(ref.at("distribution", family_col), "\"" + shown(family, 60) + "\"",
                   allowed + "distribution families: " + join_names(families));
    }
    if (given.empty())
        throw_cell(ref.where(), "a row without parameters",
                   "fill the parameter columns of the " + family + " (" + family_shapes(family) + ")");
    // Table columns -> the keys of the family's object form.
    auto key_of = [&](const std::string& col) -> std::string {
        if (family == "uniform" && col == "min") return "lower";
        if (family == "uniform" && col == "max") return "upper";
        return col;
    };
    nlohmann::json body = nlohmann::json::object();
    std::vector<std::pair<std::string, std::size_t>> key_column;  // key -> column index
    for (const auto& [c, col] : given) {
        const std::string k = key_of(col);
        if (body.contains(k))
            throw_cell(ref.at(col, c), "a second value for " + k, "give each parameter once (min and lower are the same for a uniform)");
        body[k] = parameter_cell(col, cell(c), ref.at(col, c));
        key_column.emplace_back(k, c);
    }
    nlohmann::json j;
    if (family == "constant") {
        if (!body.contains("value"))
            throw_cell(ref.where(), "a constant without a value", "a constant takes the value column only");
        j = {{"constant", body}};
    } else {
        j = {{family, body}};
    }
    try {
        return distribution_from_json(j, "cell");
    } catch (const invalid_scenario& e) {
        // "cell.<family>.<key>[i]: msg" -> "<row>, column <col>: msg"; "cell.<family>: msg" -> "<row>: msg".
        const std::string msg = e.what();
        const auto colon = msg.find(": ");
        std::string path = colon == std::string::npos ? std::string() : msg.substr(0, colon);
        const std::string rest = colon == std::string::npos ? msg : msg.substr(colon + 2);
        const std::string head = "cell." + family;
        std::string where = ref.where();
        if (path.rfind(head + ".", 0) == 0) {
            std::string key = path.substr(head.size() + 1);
            if (const auto br = key.find('['); br != std::string::npos) key = key.substr(0, br);
            bool found = false;
            for (const auto& [k, c] : key_column)
                if (k == key) {
                    where = ref.at(t.columns[c], c);
                    found = true;
                }
            if (!found) where += ", column " + key;
        }
        throw invalid_scenario(where + ": " + rest);
    }
}

/// RFC 4180 CSV with a header row: quoted cells with "" escapes and line breaks; CRLF or LF;
/// a UTF-8 byte-order mark is skipped; the separator is ',' or, if the header has none, ';'
/// (spreadsheets in locales with a decimal comma) or a tab. Rows whose first cell starts
/// with '#' and blank rows are skipped.
inline assumption_table parse_csv_table(std::string_view text, std::string_view source_name) {
    const std::string src = utf8_sanitized(source_name.empty() ? std::string_view("assumptions") : source_name);
    if (text.size() > limits::max_file_bytes)
        throw invalid_scenario(src + ": a table of " + std::to_string(text.size()) +
                               " bytes is invalid; tables are at most 16 MiB (the limit of file size)");
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    const std::string_view first_line = text.substr(0, text.find('\n'));
    char sep = ',';
    if (first_line.find(',') == std::string_view::npos) {
        if (first_line.find(';') != std::string_view::npos) sep = ';';
        else if (first_line.find('\t') != std::string_view::npos) sep = '\t';
    }
    std::vector<std::vector<std::string>> records;
    std::vector<std::size_t> lines;
    std::vector<std::string> rec;
    std::string cell;
    bool quoted = false, any = false;
    std::size_t line = 1, rec_line = 1;
    auto end_cell = [&] {
        rec.push_back(std::move(cell));
        cell.clear();
    };
    auto end_record = [&] {
        end_cell();
        const bool blank = std::all_of(rec.begin(), rec.end(), [](const std::string& c) { return trim(c).empty(); });
        if (!blank && !(trim(rec[0]).rfind('#', 0) == 0)) {
            records.push_back(std::move(rec));
            lines.push_back(rec_line);
            if (records.size() > limits::max_array_length + 1)
                throw invalid_scenario(src + ": a table of more than " + std::to_string(limits::max_array_length) +
                                       " rows is invalid; tables have at most that many rows (the limit of arrays)");
        }
        rec.clear();
        any = false;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    cell += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') ++line;
                cell += c;
            }
            continue;
        }
        if (!any) rec_line = line;
        any = true;
        if (c == '"' && trim(cell).empty()) {
            cell.clear();
            quoted = true;
        } else if (c == sep) {
            end_cell();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;
        } else if (c == '\n' || c == '\r') {
            end_record();
            ++line;
        } else {
            cell += c;
        }
    }
    if (quoted)
        throw invalid_scenario(src + ", line " + std::to_string(rec_line) +
                               ": a quoted cell that never ends is invalid; close the quote (\")");
    if (any) end_record();
    assumption_table t;
    t.source_name = src;
    if (records.empty()) throw invalid_scenario(src + ": an empty table is invalid; the first row names the columns (name, distribution, ...)");
    for (auto& c : records[0]) t.columns.push_back(lower_ascii(trim(utf8_sanitized(c))));
    for (std::size_t r = 1; r < records.size(); ++r) {
        t.rows.push_back(std::move(records[r]));
        t.row_numbers.push_back(lines[r]);
    }
    return t;
}

inline std::string csv_quote(const std::string& s) {
    const bool needs = s.find_first_of(",;\"\r\n\t") != std::string::npos || (!s.empty() && (s.front() == ' ' || s.back() == ' '));
    if (!needs) return s;
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

inline std::string escape_text_cell(const std::string& s) {
    if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) return "'" + s;
    return s;
}

/// A number as the shortest text that reads back to the same double.
inline std::string cell_text(double x) {
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    if (x == std::floor(x) && std::fabs(x) < 1e15) return std::to_string(static_cast<long long>(x));
    return nlohmann::json(x).dump();
}

}  // namespace detail

/// Parses CSV text into a table (RFC 4180; see docs/scenario-format.md §9 for the columns).
/// \throws invalid_scenario naming `source_name` (an unterminated quote, an empty table, a
///   table above 16 MiB or 100 000 rows).
inline assumption_table parse_assumptions_csv(std::string_view text, std::string_view source_name = {}) {
    return detail::parse_csv_table(text, source_name);
}

/// Reads a CSV assumption table from a file. \throws invalid_scenario as `parse_assumptions_csv`,
///   or naming the file when it is missing, not a regular file, or larger than 16 MiB.
inline assumption_table load_assumptions_csv(const std::filesystem::path& file) {
    return detail::parse_csv_table(detail::read_text_file(file, "assumptions table"), file.string());
}

/// Reads the rows of a table: each row's input name, distribution, unit and source.
/// Columns: `name` and `distribution` (required), parameter columns (`value`, `min`, `mode`,
/// `max`, `lambda`, `p10`, `p90` or any `p<percent>`, `lower`, `upper`, `alpha`, `beta`,
/// `mean`, `sd`, `mu`, `sigma`, `shape`, `scale`, `p`, `values`, `probabilities`, `data`,
/// `kind`, `quantiles`, `terms`, `coefficients`), and the optional text columns `unit`,
/// `source`, `notes`; column names are case-insensitive. Each row fills only the parameters
/// of its family. Checked here: the header, each name against `s` (its arrangements and
/// fields), each distribution's parameters, the unit when given (it must be the input's,
/// `input_info`), and each distribution against its field's range over every value a draw
/// can take; `apply_assumptions` then validates the whole scenario.
/// \throws invalid_scenario naming the file, the row, the column and what is allowed.
inline std::vector<assumption> read_assumptions(const assumption_table& t, const scenario& s) {
    using namespace detail;
    const std::string src = t.source_name.empty() ? std::string("assumptions") : utf8_sanitized(t.source_name);
    // The header.
    std::size_t name_col = t.columns.size(), family_col = t.columns.size(), unit_col = t.columns.size(),
                source_col = t.columns.size();
    std::vector<std::string> valid = assumption_text_columns();
    for (const auto& p : assumption_parameter_columns()) valid.push_back(p);
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
        const std::string& col = t.columns[c];
        const std::string where = src + ", row 1, column " + column_letter(c);
        if (col.empty()) throw_cell(where, "an empty column name", "every column of the header row has a name");
        for (std::size_t d = 0; d < c; ++d)
            if (t.columns[d] == col)
                throw_cell(where, "a second column \"" + shown(col, 40) + "\"", "each column appears once (first in column " + column_letter(d) + ")");
        if (col == "name") name_col = c;
        else if (col == "distribution") family_col = c;
        else if (col == "unit") unit_col = c;
        else if (col == "source") source_col = c;
        if (std::find(valid.begin(), valid.end(), col) == valid.end() && percentile_key_level(col) <= 0) {
            std::string allowed;
            if (const std::string g = closest_match(col, valid); !g.empty()) allowed = "did you mean \"" + g + "\"? ";
            throw_cell(where, "unknown column \"" + shown(col, 40) + "\"",
                       allowed + "columns: " + join_names(valid) + ", p<percent> (e.g. p10, p90)");
        }
    }
    if (name_col == t.columns.size() || family_col == t.columns.size())
        throw invalid_scenario(src + ", row 1: a header without the column \"" +
                               std::string(name_col == t.columns.size() ? "name" : "distribution") +
                               "\" is invalid; the first row names the columns: name, distribution, the parameters "
                               "(value, min, mode, max, p10, p90, ...), unit, source");
    std::vector<assumption> out;
    std::vector<std::size_t> first_row;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const auto& row = t.rows[r];
        const std::size_t row_number = r < t.row_numbers.size() ? t.row_numbers[r] : r + 2;
        cell_ref ref{src, row_number, {}};
        if (row.size() > t.columns.size())
            throw_cell(ref.where(), "a row of " + std::to_string(row.size()) + " cells",
                       "rows have at most as many cells as the header (" + std::to_string(t.columns.size()) + ")");
        auto cell = [&](std::size_t c) { return c < row.size() ? trim(row[c]) : std::string(); };
        const std::string name = unescape_text_cell(cell(name_col));
        if (name.empty()) throw_cell(ref.at("name", name_col), "an empty cell", "name the input, e.g. offshore_team.hourly_rate_usd");
        ref.input = shown(name, 80);
        try {
            (void)s.get(name);
        } catch (const invalid_argument& e) {
            const std::string msg = e.what();
            const auto inv = msg.find(" is invalid; ");
            std::string allowed = inv == std::string::npos ? msg : msg.substr(inv + 13);
            if (inv == std::string::npos) {
                // "offroi::scenario: no arrangement named ..."
                const auto colon = msg.find(": ");
                allowed = colon == std::string::npos ? msg : msg.substr(colon + 2);
            }
            throw_cell(ref.at("name", name_col), "\"" + ref.input + "\"", utf8_sanitized(allowed));
        }
        for (std::size_t i = 0; i < out.size(); ++i)
            if (out[i].name == name)
                throw_cell(ref.at("name", name_col), "a second row for " + name,
                           "each input appears once (first in row " + std::to_string(out[i].row) + ")");
        assumption a;
        a.name = name;
        a.row = row_number;
        a.value = assumption_distribution(t, r, ref, family_col);
        if (unit_col < t.columns.size()) a.unit = unescape_text_cell(cell(unit_col));
        if (source_col < t.columns.size()) a.source = unescape_text_cell(cell(source_col));
        if (!a.unit.empty()) {
            const std::string_view expected = input_unit(name);
            if (!expected.empty() && normalized_unit(a.unit) != normalized_unit(expected))
                throw_cell(ref.at("unit", unit_col), "\"" + shown(a.unit, 40) + "\"",
                           "the input is measured in " + std::string(expected) +
                               " (convert the values, or leave the unit cell empty)");
        }
        check_assumption_range(name, a.value, ref.where());
        out.push_back(std::move(a));
    }
    return out;
}

/// Sets each assumption's input in `s` (by name), then validates the whole scenario (a
/// market band whose ends cross, ...). \throws invalid_scenario as `read_assumptions`, or
///   from `validate` prefixed with the table's name.
inline void apply_assumptions(scenario& s, const std::vector<assumption>& rows, std::string_view source_name = {}) {
    scenario next = s;
    for (const auto& a : rows) next.set(a.name, a.value);
    try {
        validate(next);
    } catch (const invalid_scenario& e) {
        const std::string src = source_name.empty() ? std::string("assumptions") : detail::utf8_sanitized(source_name);
        throw invalid_scenario(src + " (after setting its inputs): " + e.what());
    }
    s = std::move(next);
}

/// Reads `t` and applies it to `s`: `apply_assumptions(s, read_assumptions(t, s), t.source_name)`.
inline void apply_assumptions(scenario& s, const assumption_table& t) {
    apply_assumptions(s, read_assumptions(t, s), t.source_name);
}

/// A table of every input of `s` (scenario-level, then each arrangement's, as
/// `input_names`), pre-filled with its current distribution, unit and source: the preset's
/// evidence where the value is the preset's (the default scenario's, for scenario-level
/// inputs), "set by the scenario" otherwise. Reading it back with `read_assumptions`
/// gives the same distributions bit for bit.
inline assumption_table assumptions_template(const scenario& s) {
    using nlohmann::json;
    assumption_table t;
    t.source_name = "template";
    t.columns = {"name", "distribution", "value", "min", "mode", "max", "p10", "p90"};
    struct row_data {
        std::string name, family;
        std::vector<std::pair<std::string, std::string>> cells;
        std::string unit, source;
    };
    std::vector<row_data> rows;
    auto add_column = [&](const std::string& c) {
        if (std::find(t.columns.begin(), t.columns.end(), c) == t.columns.end()) t.columns.push_back(c);
    };
    auto to_text = [](const json& v) -> std::string {
        if (v.is_string()) return v.get<std::string>();
        if (v.is_number()) return detail::cell_text(v.get<double>());
        return v.dump();
    };
    auto list_text = [&](const json& a, bool pairs) {
        std::string out;
        for (const auto& x : a) {
            if (!out.empty()) out += ' ';
            out += pairs ? to_text(x[0]) + ":" + to_text(x[1]) : to_text(x);
        }
        return out;
    };
    auto add = [&](const std::string& name, const distribution& d, std::string_view unit, std::string source) {
        row_data r;
        r.name = name;
        r.unit = std::string(unit);
        r.source = std::move(source);
        const json j = distribution_to_json(d);
        if (!j.is_object()) {  // a constant
            r.family = "constant";
            r.cells.emplace_back("value", to_text(j));
        } else {
            r.family = j.begin().key();
            const json& b = j.begin().value();
            if (b.is_array() && (r.family == "uniform" || r.family == "triangular" || r.family == "pert")) {
                const std::vector<std::string> keys = r.family == "uniform" ? std::vector<std::string>{"min", "max"}
                                                                            : std::vector<std::string>{"min", "mode", "max"};
                for (std::size_t i = 0; i < keys.size(); ++i) r.cells.emplace_back(keys[i], to_text(b[i]));
            } else if (b.is_array()) {  // empirical data
                r.cells.emplace_back("data", list_text(b, false));
            } else if (!b.is_object()) {  // bernoulli p, poisson mean
                r.cells.emplace_back(r.family == "bernoulli" ? "p" : "mean", to_text(b));
            } else {
                for (auto it = b.begin(); it != b.end(); ++it) {
                    std::string key = it.key();
                    if (r.family == "uniform" && key == "lower") key = "min";
                    if (r.family == "uniform" && key == "upper") key = "max";
                    const bool pairs = key == "quantiles";
                    r.cells.emplace_back(key, it.value().is_array() ? list_text(it.value(), pairs) : to_text(it.value()));
                }
            }
        }
        for (const auto& [k, v] : r.cells) add_column(k);
        rows.push_back(std::move(r));
    };
    const scenario reference = blank_scenario();
    for (std::size_t i = 0; i < scenario_fields.size(); ++i) {
        const distribution& d = s.*(scenario_members[i]);
        const bool same = distribution_to_json(d) == distribution_to_json(reference.*(scenario_members[i]));
        add(std::string(scenario_fields[i].name), d, scenario_input_info[i].unit,
            same ? std::string(scenario_input_info[i].source) : "set by the scenario");
    }
    auto add_arrangement = [&](const arrangement& a) {
        const arrangement p = preset(a.model);
        for (std::size_t i = 0; i < arrangement_fields.size(); ++i) {
            const distribution& d = a.*(arrangement_members[i]);
            const bool same = distribution_to_json(d) == distribution_to_json(p.*(arrangement_members[i]));
            add(a.name + "." + std::string(arrangement_fields[i].name), d, arrangement_input_info[i].unit,
                same ? "preset " + std::string(to_string(a.model)) + ": " + std::string(arrangement_input_info[i].source)
                     : "set by the scenario");
        }
    };
    add_arrangement(s.baseline);
    for (const auto& a : s.alternatives) add_arrangement(a);
    t.columns.push_back("unit");
    t.columns.push_back("source");
    std::size_t number = 2;
    for (const auto& r : rows) {
        std::vector<std::string> cells(t.columns.size());
        cells[0] = r.name;
        cells[1] = r.family;
        for (const auto& [k, v] : r.cells)
            cells[std::size_t(std::find(t.columns.begin(), t.columns.end(), k) - t.columns.begin())] = v;
        cells[t.columns.size() - 2] = r.unit;
        cells[t.columns.size() - 1] = r.source;
        t.rows.push_back(std::move(cells));
        t.row_numbers.push_back(number++);
    }
    return t;
}

/// The table as CSV (RFC 4180, comma-separated, LF line ends); text cells a spreadsheet
/// would take for a formula get a leading apostrophe.
inline std::string assumptions_to_csv(const assumption_table& t) {
    std::string out;
    auto line = [&](const std::vector<std::string>& cells, bool text) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i) out += ',';
            const bool is_text = text || (i < t.columns.size() &&
                                          (t.columns[i] == "name" || t.columns[i] == "unit" ||
                                           t.columns[i] == "source" || t.columns[i] == "notes"));
            out += detail::csv_quote(is_text ? detail::escape_text_cell(cells[i]) : cells[i]);
        }
        out += '\n';
    };
    line(t.columns, true);
    for (const auto& r : t.rows) line(r, false);
    return out;
}

}  // namespace offroi
