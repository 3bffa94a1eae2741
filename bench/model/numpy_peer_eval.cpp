// numpy_peer_eval: offroi's per-trial evaluation (`evaluate_trial`, two arrangements, the
// default `evaluation_settings`: project framing, 36 months, 10% a year; time-and-materials
// contracts) on input rows read from stdin, for the per-trial check of
// bench/model/numpy_default_scenario.py (--check-eval). Not a benchmark.
//
// stdin:  one header line of column names: "s.<scenario field>", "a<k>.<arrangement field>",
//         "e<k>.<event>" (failure, vendor_switch, security_incident, key_person_loss), k = 0
//         (baseline) or 1; then one row of numbers per trial. Fields not named keep the
//         defaults of `scenario_values` / `arrangement_values`.
// stdout: one header line "<k>.<outcome field>" for every field of `outcome_fields` and k = 0, 1,
//         then one row per trial (%.17g).
// `numpy_peer_eval --fields` prints the accepted column names instead (one line).
// Exit code 2 on an unknown column name or a short row.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "offroi/model/evaluate.hpp"
#include "offroi/model/parameter_values.hpp"
#include "offroi/model/risk_events.hpp"

using namespace offroi;

namespace {

double* bind(const std::string& col, scenario_values& s, arrangement_values (&a)[2], event_uniforms (&e)[2]) {
    const auto dot = col.find('.');
    if (dot == std::string::npos) return nullptr;
    const std::string head = col.substr(0, dot), field = col.substr(dot + 1);
    if (head == "s") {
        for (const auto& f : scenario_fields)
            if (f.name == field) return &(s.*(f.member));
        return nullptr;
    }
    if (head.size() != 2 || (head[1] != '0' && head[1] != '1')) return nullptr;
    const int k = head[1] - '0';
    if (head[0] == 'a') {
        for (const auto& f : arrangement_fields)
            if (f.name == field) return &(a[k].*(f.member));
    } else if (head[0] == 'e') {
        if (field == "failure") return &e[k].failure;
        if (field == "vendor_switch") return &e[k].vendor_switch;
        if (field == "security_incident") return &e[k].security_incident;
        if (field == "key_person_loss") return &e[k].key_person_loss;
    }
    return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
    scenario_values s;
    arrangement_values a[2];
    event_uniforms e[2];
    if (argc > 1 && std::string(argv[1]) == "--fields") {
        for (const auto& f : scenario_fields) std::printf("s.%.*s ", int(f.name.size()), f.name.data());
        for (int k = 0; k < 2; ++k) {
            for (const auto& f : arrangement_fields) std::printf("a%d.%.*s ", k, int(f.name.size()), f.name.data());
            for (const auto& n : risk_event_names) std::printf("e%d.%.*s ", k, int(n.size()), n.data());
        }
        std::printf("\n");
        return 0;
    }
    std::string line;
    if (!std::getline(std::cin, line)) return 2;
    std::vector<double*> cols;
    {
        std::istringstream is(line);
        std::string c;
        while (is >> c) {
            double* p = bind(c, s, a, e);
            if (p == nullptr) {
                std::fprintf(stderr, "numpy_peer_eval: unknown column \"%s\"\n", c.c_str());
                return 2;
            }
            cols.push_back(p);
        }
    }
    const evaluation_settings set;
    const double v = set.monthly_discount();
    arrangement_outcome out[2];
    for (int k = 0; k < 2; ++k)
        for (const auto& f : outcome_fields) std::printf("%d.%.*s ", k, int(f.name.size()), f.name.data());
    std::printf("\n");
    while (std::getline(std::cin, line)) {
        if (line.empty()) continue;
        std::istringstream is(line);
        std::string tok;
        for (double* p : cols) {
            // strtod, not operator>>: it reads "inf" (a never-filled seat).
            char* end = nullptr;
            if (!(is >> tok) || (*p = std::strtod(tok.c_str(), &end), end != tok.c_str() + tok.size())) {
                std::fprintf(stderr, "numpy_peer_eval: short row or bad number \"%s\"\n", tok.c_str());
                return 2;
            }
        }
        evaluate_trial(s, a, e, set, v, out);
        for (int k = 0; k < 2; ++k)
            for (const auto& f : outcome_fields) std::printf("%.17g ", out[k].*(f.member));
        std::printf("\n");
    }
    return 0;
}
