# Option structs are filled by designated initializers naming only what differs from the
# defaults: this test must compile without -Wmissing-field-initializers or -Wshadow warnings
# (the suite's default of -Wno-missing-field-initializers is overridden here).
target_compile_options(${target} PRIVATE -Wmissing-field-initializers -Wshadow -Werror)
