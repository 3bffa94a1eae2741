# CLI tests of `offroi update` (src/cli/update.cpp), included from tests/cli/extra.cmake.
# Small trial counts: the report's shape, words and methods, and the exit code 2 paths.
offroi_cli_test(update RC 0 STDOUT "Method: reweighting of the prior trials" STDOUT2 "updated mean"
                ARGS update --observe offshore_team.hourly_rate_usd=42+-2 --leavers 3 --of 10 --months 6
                     --trials 5000 --threads 2)
# An exact value degenerates the weights: the fallback refits the input and re-runs.
offroi_cli_test(update.exact RC 0 STDOUT "fallback: refitted the observed inputs" STDOUT2 "k-hat inf > 0.70"
                ARGS update --observe offshore_team.annual_attrition=0.25+-1e-9 --trials 5000)
offroi_cli_test(update.json RC 0 STDOUT "\"method\": \"reweighting\"" STDOUT2 "\"srrc_updated\""
                ARGS update --observe offshore_team.rework_share=0.3+-0.02 --trials 5000 --format json)
offroi_cli_test(update.csv RC 0 STDOUT "arrangement,when,p10,p50,p90,mean,mean_se" STDOUT2 "offshore_team,updated,"
                ARGS update --observe offshore_team.rework_share=0.3+-0.02 --trials 5000 --format csv)
offroi_cli_test(update.file RC 0 STDOUT "3 leavers among 10 engineers in 6 months" STDOUT2 "offshore_team.rework_share:"
                ARGS update --observations ${_cli_dir}/data/observations.json --trials 5000)
offroi_cli_test(error.update_did_you_mean RC 2 STDERR "did you mean \"offshore_team.annual_attrition\"?"
                ARGS update --observe offshore_team.annual_atrition=0.2+-0.01 --trials 1000)
offroi_cli_test(error.update_leavers RC 2 STDERR "leavers = 13 is invalid; must be <= engineers (12)"
                ARGS update --leavers 13 --of 12 --months 6 --trials 1000)
offroi_cli_test(error.update_sd RC 2 STDERR "observations.inputs[0].sd = 0 is invalid"
                ARGS update --observe offshore_team.annual_attrition=0.2+-0 --trials 1000)
offroi_cli_test(error.update_nan RC 2 STDERR "observations.inputs[0].value = nan is invalid"
                ARGS update --observe offshore_team.annual_attrition=nan+-0.01 --trials 1000)
offroi_cli_test(error.update_syntax RC 2 STDERR "expected NAME=VALUE+-SD" ARGS update --observe rate=40)
offroi_cli_test(error.update_nothing RC 2 STDERR "nothing observed" ARGS update)
offroi_cli_test(error.update_partial_count RC 2 STDERR "needs all of --leavers K --of E --months M"
                ARGS update --leavers 2 --of 10)
offroi_cli_test(error.update_file_key RC 2 STDERR "inputs[0].stdev: is not a known key; allowed: input, value, sd"
                ARGS update --observations ${_cli_dir}/data/observations_bad_key.json)
