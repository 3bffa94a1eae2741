#pragma once
/// \file
/// Header-only or compiled: how offroi's non-template functions that need Boost.Math or
/// Eigen are defined.
///
/// - Header-only (the default, `OFFROI_COMPILED_LIB` not defined; CMake target
///   `offroi::header_only`): every function is defined `inline` in the headers, which then
///   include Boost.Math and Eigen themselves. Nothing to link.
/// - Compiled (`OFFROI_COMPILED_LIB` defined; CMake target `offroi::offroi`, which links the
///   library `liboffroi` built from src/lib/): those functions are declared in the headers
///   and defined once in the library, so a file that includes `offroi/offroi.hpp` does not
///   parse Boost, Eigen or Random123 and compiles in seconds (bench/compile/README.md).
///   The generic templates (engine, samplers, sensitivity) stay in their layer headers and
///   work in both modes.
///
/// Every translation unit of a program must use the same mode.

#if defined(OFFROI_COMPILED_LIB)
/// 1 when the out-of-line definitions live in liboffroi (compiled mode), 0 when the
/// headers define them inline (header-only mode).
#define OFFROI_SEPARATE_COMPILATION 1
/// Linkage of a function defined in an `*_impl.hpp` header: `inline` when header-only,
/// external (defined once in liboffroi) when compiled.
#define OFFROI_FUNC
#else
#define OFFROI_SEPARATE_COMPILATION 0
#define OFFROI_FUNC inline
#endif
