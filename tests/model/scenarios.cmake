# The claims of the benchmark scenarios (bench/scenarios/README.md): the test reads the
# scenario files from the source tree, so it needs the io headers (nlohmann_json) and the
# source directory. About 20 s on two cores: every scenario at its own 100 000 trials plus
# the Smite-van Solingen sweep.
find_package(nlohmann_json 3 REQUIRED)
target_link_libraries(${target} PRIVATE nlohmann_json::nlohmann_json)
target_compile_definitions(${target} PRIVATE OFFROI_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
