# offroi voi: value of information (included from extra.cmake, inside its if(TARGET offroi_cli)).
# Small trial counts: the report's shape, words and error paths; the numbers are checked by
# tests/decision/*_test.cpp.
offroi_cli_test(voi RC 0 STDOUT "What perfect information about each input would be worth (EVPPI, USD)"
                STDOUT2 "offshore_team.*" ARGS voi --trials 3000 --threads 2)
offroi_cli_test(voi.evpi_words RC 0 STDOUT "EVPI $" STDOUT2 "<- best on average" ARGS voi --trials 2000 --no-auto-groups)
offroi_cli_test(voi.json RC 0 STDOUT "\"share_of_evpi\"" STDOUT2 "\"tensor P-spline (GCV)\""
                ARGS voi --trials 2000 --format json --group rates=local_hiring.hourly_rate_usd,offshore_team.hourly_rate_usd)
offroi_cli_test(voi.csv RC 0 STDOUT "kind,name,measure,value,standard_error,share_of_evpi,method,r_squared,inputs"
                STDOUT2 "decision,offshore_team,evpi," ARGS voi --trials 2000 --format csv --no-auto-groups)
offroi_cli_test(voi.group_pattern RC 0 STDOUT "\"name\": \"vendor\""
                STDOUT2 "\"offshore_team.travel_usd_per_engineer_month\""
                ARGS voi --trials 2000 --no-auto-groups --format json --group vendor=offshore_team.*)
offroi_cli_test(voi.curve_cost_of_delay RC 0 STDOUT "acceptability and EVPI curves over the cost of delay per month"
                STDOUT2 "P(offshore_team)" ARGS voi --trials 2000 --curve cost-of-delay --from 0 --to 300000 --steps 4)
offroi_cli_test(voi.curve_required_saving RC 0 STDOUT "lambda,option,p_best,p_best_se,expected_net_benefit"
                STDOUT2 "3000000,local_hiring," ARGS voi --trials 2000 --curve required-saving --from 0 --to 3e6 --steps 3
                --format csv)
offroi_cli_test(voi.curve_json RC 0 STDOUT "\"threshold\": \"required-saving\"" STDOUT2 "\"lambda\""
                ARGS voi --trials 2000 --curve required-saving --format json)
offroi_cli_test(voi.curve_capacity_saving RC 0 STDOUT "required saving"
                ARGS voi ${_cli_dir}/data/capacity.json --trials 1000 --curve required-saving --steps 3)
offroi_cli_test(voi.required_saving RC 0 STDOUT "Required saving $1.6M: an alternative counts only by what"
                STDOUT2 "offshore_team.hourly_rate_usd" ARGS voi --trials 4000 --required-saving 1.6e6 --no-auto-groups)
offroi_cli_test(error.voi_required_saving_curve RC 2 STDERR "--required-saving goes with the EVPPI table"
                ARGS voi --trials 1000 --curve required-saving --required-saving 5)
offroi_cli_test(error.voi_capacity_cost_of_delay RC 2 STDERR "capacity framing"
                ARGS voi ${_cli_dir}/data/capacity.json --trials 1000 --curve cost-of-delay)
offroi_cli_test(error.voi_group_syntax RC 2 STDERR "expected NAME=input1,input2" ARGS voi --trials 1000 --group rates)
offroi_cli_test(error.voi_unknown_input RC 2 STDERR "\"no_such_input\" is invalid; must be a sampled input"
                ARGS voi --trials 1000 --group g=no_such_input)
offroi_cli_test(error.voi_curve_flags RC 2 STDERR "go with --curve" ARGS voi --trials 1000 --steps 5)
offroi_cli_test(error.voi_curve_name RC 2 STDERR "--curve" ARGS voi --curve delay)
offroi_cli_test(error.voi_trials RC 2 STDERR "--trials" ARGS voi --trials 5)
