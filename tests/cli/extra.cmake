# CLI tests: run the built `offroi` binary and compare with golden files and expected
# error messages (tests/cli/run_cli.cmake does one run). CTest names: cli.<name>.
if(TARGET offroi_cli)
  set(_cli_dir ${CMAKE_CURRENT_LIST_DIR})
  set(_cli_out ${CMAKE_CURRENT_BINARY_DIR}/cli_out)
  file(MAKE_DIRECTORY ${_cli_out})

  function(offroi_cli_test name)
    cmake_parse_arguments(T "" "RC;GOLDEN;STDOUT;STDOUT2;NOSTDOUT;STDERR;WRITES" "ARGS" ${ARGN})
    list(JOIN T_ARGS "|" joined)
    set(defs -DEXE=$<TARGET_FILE:offroi_cli> "-DARGS=${joined}" -DRC=${T_RC})
    if(T_GOLDEN)
      list(APPEND defs -DGOLDEN=${_cli_dir}/golden/${T_GOLDEN})
    endif()
    if(T_STDOUT)
      list(APPEND defs "-DSTDOUT=${T_STDOUT}")
    endif()
    if(T_STDOUT2)
      list(APPEND defs "-DSTDOUT2=${T_STDOUT2}")
    endif()
    if(T_NOSTDOUT)
      list(APPEND defs "-DNOSTDOUT=${T_NOSTDOUT}")
    endif()
    if(T_STDERR)
      list(APPEND defs "-DSTDERR=${T_STDERR}")
    endif()
    if(T_WRITES)
      list(APPEND defs -DWRITES=${T_WRITES})
    endif()
    add_test(NAME cli.${name} COMMAND ${CMAKE_COMMAND} ${defs} -P ${_cli_dir}/run_cli.cmake)
  endfunction()

  # Golden outputs at a fixed seed and small trial count (any thread count gives the same bits).
  # A change of the model's equations changes them on purpose: regenerate with
  #   offroi run --trials 4000 --seed 42 > tests/cli/golden/run_default.txt
  #   offroi run --trials 4000 --seed 42 --format json > tests/cli/golden/run_default.json
  # and say in the commit why the numbers moved.
  offroi_cli_test(run.table RC 0 GOLDEN run_default.txt ARGS run --trials 4000 --seed 42 --threads 2)
  offroi_cli_test(run.json RC 0 GOLDEN run_default.json ARGS run --trials 4000 --seed 42 --format json --threads 1)
  # --all-outputs: every outcome field (docs/model.md lists them), e.g. the useful engineer-months.
  offroi_cli_test(run.all_outputs RC 0 STDOUT "\"useful_engineer_months\"" STDOUT2 "\"capability_tier\""
                  ARGS run --trials 2000 --seed 42 --format json --all-outputs --driver-trials 0)
  offroi_cli_test(run.csv RC 0 STDOUT "offshore_team,offshore_team,0,net_benefit,p50,"
                  STDOUT2 ",,,scenario,framing_capacity,0" ARGS run --trials 2000 --seed 42 --format csv)
  offroi_cli_test(run.csv_capacity RC 0 STDOUT ",,,scenario,framing_capacity,1"
                  ARGS run ${_cli_dir}/data/capacity.json --trials 2000 --format csv)
  # The capacity framing: no delivery (n/a), the output value, break-even at equal output.
  offroi_cli_test(run.capacity RC 0 STDOUT "n/a    n/a           -"
                  STDOUT2 "cash: first month from which the cumulative discounted net benefit stays >= 0, at equal useful output"
                  NOSTDOUT "cost of delay included" ARGS run ${_cli_dir}/data/capacity.json --trials 2000)
  offroi_cli_test(run.capacity_json RC 0 STDOUT "\"framing\": \"capacity\""
                  ARGS run ${_cli_dir}/data/capacity.json --trials 2000 --format json --driver-trials 0)
  # Help texts speak of break-even, not payback.
  offroi_cli_test(help RC 0 STDOUT "break-even" NOSTDOUT "payback" ARGS --help)
  offroi_cli_test(help.run RC 0 STDOUT "break-even" NOSTDOUT "payback" ARGS run --help)
  offroi_cli_test(run.bundled RC 0 STDOUT "cutting senior technical leadership" ARGS run leadership-cut --trials 2000)
  offroi_cli_test(run.precision RC 0 STDOUT "precision: mean net benefit"
                  ARGS run --trials 400000 --precision 0.05)
  offroi_cli_test(run.samples RC 0 WRITES ${_cli_out}/samples.csv
                  ARGS run --trials 2000 --samples ${_cli_out}/samples.csv)
  offroi_cli_test(run.output RC 0 WRITES ${_cli_out}/report.txt ARGS run --trials 2000 --output ${_cli_out}/report.txt)
  offroi_cli_test(compare RC 0 STDOUT "local_hiring vs offshore_team" STDOUT2 "framing: project" ARGS compare --trials 4000)
  offroi_cli_test(error.compare_independent_capacity RC 2 STDERR "independent draws need the project framing"
                  ARGS compare ${_cli_dir}/data/capacity.json --independent --trials 1000)
  # The sweep shows P(delivered) and the break-even month per step, and marks the best mean.
  offroi_cli_test(sweep RC 0 STDOUT "offshore_team.hourly_rate_usd" STDOUT2 "<- best mean"
                  ARGS sweep --input offshore_team.hourly_rate_usd --values 20,40,60 --trials 2000)
  offroi_cli_test(sweep.json RC 0 STDOUT "\"breakeven_month_p50\""
                  ARGS sweep --input offshore_team.hourly_rate_usd --values 20,40 --trials 1000 --format json)
  # The median net benefit rises with the offshore rate up to the market band's top ($50,
  # the capability tier) and falls above it: the bracket starts inside the band.
  offroi_cli_test(breakeven RC 0 STDOUT "break-even value"
                  ARGS breakeven --input offshore_team.hourly_rate_usd --lower 45 --upper 150 --trials 2000)
  offroi_cli_test(sensitivity RC 0 STDOUT "Tornado" ARGS sensitivity --trials 2000 --event-trials 64)
  # decide: the staged decision of a pilot (small trial counts: the report's shape and words).
  offroi_cli_test(decide RC 0 STDOUT "pilot, then decide" STDOUT2 "Option value of piloting"
                  ARGS decide --training-trials 2000 --evaluation-trials 2000 --threads 2)
  offroi_cli_test(decide.json RC 0 STDOUT "\"option_value\"" STDOUT2 "\"rule\""
                  ARGS decide leadership-cut -k 2 -m 4 --training-trials 1000 --evaluation-trials 1000 --format json)
  offroi_cli_test(decide.csv RC 0 STDOUT "strategy,mean,standard_error" STDOUT2 "\"commit now\","
                  ARGS decide --training-trials 1000 --evaluation-trials 1000 --format csv)
  offroi_cli_test(error.decide_headcount RC 2 STDERR "pilot_headcount"
                  ARGS decide -k 50 --training-trials 1000 --evaluation-trials 1000)
  offroi_cli_test(error.decide_month RC 2 STDERR "decision_month" ARGS decide -m 36)
  offroi_cli_test(error.decide_trials RC 2 STDERR "--training-trials" ARGS decide --training-trials 10)
  offroi_cli_test(error.decide_arrangement RC 2 STDERR "no alternative named \"nope\"" ARGS decide --arrangement nope)
  offroi_cli_test(schema RC 0 STDOUT "\"$schema\"" ARGS schema)
  offroi_cli_test(scenarios RC 0 STDOUT "default-offshore-team" ARGS scenarios)

  # validate: every bundled scenario.
  file(GLOB _bundled ${PROJECT_SOURCE_DIR}/bench/scenarios/*.json)
  foreach(f IN LISTS _bundled)
    get_filename_component(stem ${f} NAME_WE)
    offroi_cli_test(validate.${stem} RC 0 STDOUT ": ok" ARGS validate ${f})
  endforeach()

  # Error paths: exit code 2 and a message naming the problem.
  offroi_cli_test(error.missing_file RC 2 STDERR "no_such_file.json: no such scenario file"
                  ARGS run ${_cli_dir}/data/no_such_file.json)
  offroi_cli_test(error.bad_json RC 2 STDERR "bad_syntax.json:3:" ARGS run ${_cli_dir}/data/bad_syntax.json)
  offroi_cli_test(error.bad_json_validate RC 2 STDERR "JSON syntax error" ARGS validate ${_cli_dir}/data/bad_syntax.json)
  offroi_cli_test(error.invalid_scenario RC 2 STDERR "horizon_months: 0 is invalid"
                  ARGS validate ${_cli_dir}/data/invalid_scenario.json)
  offroi_cli_test(error.unknown_flag RC 2 STDERR "--bogus" ARGS run --bogus)
  offroi_cli_test(error.no_subcommand RC 2 STDERR "subcommand" ARGS)
  offroi_cli_test(error.trials_zero RC 2 STDERR "--trials" ARGS run --trials 0)
  offroi_cli_test(error.trials_text RC 2 STDERR "--trials" ARGS run --trials many)
  offroi_cli_test(error.sampler RC 2 STDERR "--sampler: foo not in" ARGS run --sampler foo)
  offroi_cli_test(error.format RC 2 STDERR "--format" ARGS run --format xml)
  offroi_cli_test(error.threads RC 2 STDERR "--threads" ARGS run --threads -3)
  offroi_cli_test(error.precision RC 2 STDERR "--precision" ARGS run --precision -1)
  offroi_cli_test(error.unknown_input RC 2 STDERR "no_such_field"
                  ARGS sweep --input offshore_team.no_such_field --values 1,2 --trials 100)
  offroi_cli_test(error.out_of_range RC 2 STDERR "annual_attrition"
                  ARGS sweep --input offshore_team.annual_attrition --values 2 --trials 100)
  offroi_cli_test(error.no_sign_change RC 2 STDERR "no sign change"
                  ARGS breakeven --input offshore_team.hourly_rate_usd --lower 15 --upper 20 --trials 1000)
  offroi_cli_test(error.output_dir RC 2 STDERR "cannot open the output file"
                  ARGS run --trials 100 --output ${_cli_out}/no/such/dir/out.txt)
  # offroi update (learning from data): its own file.
  include(${_cli_dir}/update.cmake)
  # offroi options (choosing among options): its own file.
  include(${_cli_dir}/options.cmake)
  # offroi voi (value of information): its own file.
  include(${_cli_dir}/voi.cmake)
  # offroi template and --inputs (assumption tables): their own file.
  include(${_cli_dir}/assumptions.cmake)
endif()

# Hostile input (issue 11): special files, deep nesting, huge parameters, trial counts and
# magnitudes must end with exit 2 and a message within seconds; validate must accept what
# run runs. Any Python 3 runs the script (standard library only).
if(TARGET offroi_cli)
  find_program(OFFROI_TEST_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(OFFROI_TEST_PYTHON3)
    add_test(NAME cli.hostile COMMAND ${OFFROI_TEST_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/hostile_test.py
                                      $<TARGET_FILE:offroi_cli>)
    set_tests_properties(cli.hostile PROPERTIES TIMEOUT 600)
  endif()
endif()
