# The io headers need nlohmann_json (the core does not); test data lives beside the tests.
find_package(nlohmann_json 3 REQUIRED)
target_link_libraries(${target} PRIVATE nlohmann_json::nlohmann_json)
target_compile_definitions(${target} PRIVATE OFFROI_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
