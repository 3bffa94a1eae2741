# Option structs are filled by designated initializers naming only what differs from the
# defaults: this file must compile without -Wmissing-field-initializers or -Wshadow warnings
# (the suite's default of -Wno-missing-field-initializers is overridden here, for this file
# only, which is therefore compiled on its own, outside the area's unity build).
set_source_files_properties(${source} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON
  COMPILE_OPTIONS "-Wmissing-field-initializers;-Wshadow;-Werror")
