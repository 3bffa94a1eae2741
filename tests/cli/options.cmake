# offroi options (choosing among options: OCBA on common random numbers, risk/return frontier).
# Included from tests/cli/extra.cmake inside its `if(TARGET offroi_cli)`.
set(_opt_small --initial 512 --increment 1024 --budget 8192 --frontier-trials 1024 --seed 7)
# The table: the best option, how sure, the frontier in plain words. Overlap 8 h is best by
# far on the default scenario (the C++ test checks it against brute force).
offroi_cli_test(options.table RC 0 STDOUT "Best option: offshore_team[overlap_hours=8]"
                STDOUT2 "The frontier (mean vs P10), from the most expected value to the safest:"
                ARGS options --vary offshore_team.overlap_hours=0,4,8 ${_opt_small} --threads 2)
offroi_cli_test(options.how_sure RC 0 STDOUT "approximate probability that this is the best"
                ARGS options --vary offshore_team.overlap_hours=0,4,8 ${_opt_small})
# A grid of two inputs of one alternative, and a bundled scenario with a close call.
offroi_cli_test(options.grid RC 0 STDOUT "offshore_team[overlap_hours=4,headcount=12]"
                ARGS options --vary offshore_team.overlap_hours=4,8 --vary offshore_team.headcount=8,12 ${_opt_small})
offroi_cli_test(options.bundled RC 0 STDOUT "Best option: nearshore_team"
                ARGS options nearshore-vs-offshore-realtime --initial 2048 --budget 61440 --frontier-trials 1024)
offroi_cli_test(options.json RC 0 STDOUT "\"best\": \"offshore_team[overlap_hours=8]\"" STDOUT2 "\"percentile_frontier\""
                ARGS options --vary offshore_team.overlap_hours=0,8 ${_opt_small} --format json)
offroi_cli_test(options.csv RC 0 STDOUT "option,arrangement,is_baseline,best,trials,mean"
                STDOUT2 "offshore_team[overlap_hours=8],offshore_team,0,1,"
                ARGS options --vary offshore_team.overlap_hours=0,8 ${_opt_small} --format csv)
offroi_cli_test(options.target RC 0 STDOUT "(stopped at the target)"
                ARGS options --vary offshore_team.overlap_hours=0,8 --initial 512 --increment 1024 --budget 100000
                     --frontier-trials 512 --target-pcs 0.99)
offroi_cli_test(options.output RC 0 WRITES ${_cli_out}/options.json
                ARGS options --vary offshore_team.overlap_hours=0,8 ${_opt_small} --format json
                     --output ${_cli_out}/options.json)
# Bad input: exit 2 with the field, the value and what is allowed.
offroi_cli_test(error.options_range RC 2
                STDERR "vary offshore_team.overlap_hours value = 9 is invalid; must be in [0, 8]"
                ARGS options --vary offshore_team.overlap_hours=4,9)
offroi_cli_test(error.options_number RC 2 STDERR "\"x\" is not a number"
                ARGS options --vary offshore_team.overlap_hours=4,x)
offroi_cli_test(error.options_syntax RC 2 STDERR "expected NAME=v1,v2,..." ARGS options --vary overlap)
offroi_cli_test(error.options_baseline RC 2 STDERR "local_hiring is the baseline"
                ARGS options --vary local_hiring.headcount=8)
offroi_cli_test(error.options_field RC 2 STDERR "unknown field \"overlap\""
                ARGS options --vary offshore_team.overlap=2)
offroi_cli_test(error.options_budget RC 2 STDERR "budget = 100 is invalid" ARGS options --budget 100)
offroi_cli_test(error.options_initial RC 2 STDERR "initial_trials = 1000 is invalid; must be >= 2 and a multiple of block (256)"
                ARGS options --initial 1000)
offroi_cli_test(error.options_target RC 2 STDERR "--target-pcs" ARGS options --target-pcs 1.5)
offroi_cli_test(error.options_format RC 2 STDERR "--format" ARGS options --format xml)
