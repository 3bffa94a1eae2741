# Assumption tables (issue 13 item 2): `offroi template` and `--inputs` (included from
# extra.cmake, inside its if(TARGET offroi_cli)). The reader's rules are checked by
# tests/io/assumptions_test.cpp; here the commands, the round trip and the exit codes.
# The template of the default scenario (regenerate: offroi template > tests/cli/golden/template_default.csv).
offroi_cli_test(template.golden RC 0 GOLDEN template_default.csv ARGS template)
# Reading the template back changes nothing: the same report, bit for bit, as run_default.txt.
offroi_cli_test(inputs.round_trip RC 0 GOLDEN run_default.txt
                ARGS run --inputs ${_cli_dir}/golden/template_default.csv --trials 4000 --seed 42)
offroi_cli_test(inputs.applied RC 0 STDOUT "offshore_team.hourly_rate_usd,pert,,60,70,80,"
                STDOUT2 "local_hiring.headcount,constant,8,"
                ARGS template --inputs ${_cli_dir}/data/assumptions-dear.csv)
offroi_cli_test(inputs.validate RC 0 STDOUT ": ok (offshore team vs local hiring, 2 arrangements)"
                ARGS validate default-offshore-team --inputs ${_cli_dir}/data/assumptions-dear.csv)
offroi_cli_test(inputs.voi RC 0 STDOUT "EVPI" ARGS voi --trials 1000 --no-auto-groups
                --inputs ${_cli_dir}/data/assumptions-dear.csv)
offroi_cli_test(template.output RC 0 WRITES ${CMAKE_CURRENT_BINARY_DIR}/template_out.csv
                ARGS template leadership-cut -o ${CMAKE_CURRENT_BINARY_DIR}/template_out.csv)
offroi_cli_test(error.inputs_unit RC 2
                STDERR "row 2 (offshore_team.hourly_rate_usd), column unit (D): \"USD/day\" is invalid; the input is measured in USD/hour"
                ARGS run --inputs ${_cli_dir}/data/assumptions-bad-unit.csv --trials 1000)
offroi_cli_test(error.inputs_range RC 2 STDERR "row 3 (offshore_team.annual_attrition): "
                ARGS compare --inputs ${_cli_dir}/data/assumptions-bad-range.csv --trials 1000)
offroi_cli_test(error.inputs_missing RC 2 STDERR "no_such.csv: cannot open the assumptions table file for reading (no such file)"
                ARGS run --inputs no_such.csv)
offroi_cli_test(error.inputs_directory RC 2 STDERR "a directory is invalid; an assumptions table must be a regular file"
                ARGS decide --inputs ${_cli_dir}/data)
# The HTML report takes --inputs too: its appendix names the table and shows the scenario as run.
offroi_cli_test(inputs.report RC 0 STDOUT "<dt>assumption table</dt><dd>"
                STDOUT2 "offroi report --inputs ${_cli_dir}/data/assumptions-dear.csv --seed"
                ARGS report --inputs ${_cli_dir}/data/assumptions-dear.csv --trials 1000 --driver-trials 0)
