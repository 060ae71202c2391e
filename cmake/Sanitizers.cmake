# Instrumented builds, for the whole tree (directory scope: include before add_subdirectory).
#   MOESCOPE_SANITIZE=ON        AddressSanitizer + UndefinedBehaviorSanitizer, halting at the
#                               first report (the "asan" preset; CTest then runs under them)
#   MOESCOPE_BUILD_FUZZERS=ON   the same plus libFuzzer's coverage hooks (clang only; "fuzz")
# libtorch, Qt and HDF5 stay uninstrumented: ASan still sees their heap through its malloc.
option(MOESCOPE_SANITIZE "Build everything with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(MOESCOPE_BUILD_FUZZERS "Build the libFuzzer harnesses in fuzz/ (clang only; implies MOESCOPE_SANITIZE)" OFF)

if(MOESCOPE_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MOESCOPE_BUILD_FUZZERS needs clang (libFuzzer): configure with the \"fuzz\" preset "
                        "or -DCMAKE_CXX_COMPILER=clang++")
  endif()
  set(MOESCOPE_SANITIZE ON CACHE BOOL "" FORCE)
endif()

set(MOESCOPE_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
if(MOESCOPE_SANITIZE)
  add_compile_options(${MOESCOPE_SANITIZER_FLAGS})
  add_link_options(-fsanitize=address,undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 with -fsanitize=address at -O2 reports maybe-uninitialized members inside
    # libstdc++'s std::variant and std::function (<regex>); the release build has none.
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  if(MOESCOPE_BUILD_FUZZERS)
    # Coverage hooks in every library the harnesses reach; fuzz/ links libFuzzer's main itself.
    add_compile_options(-fsanitize=fuzzer-no-link)
  endif()
endif()

# Environment for programs of this build run during the build or by CTest. Leaks are checked in
# the tests; the build-time tools (the demo tokenizer trainer links libsentencepiece, whose
# trainer keeps its allocations to the end) are not ours to fix.
set(MOESCOPE_BUILD_TOOL_ENV "")
set(MOESCOPE_TEST_SANITIZER_ENV "")
if(MOESCOPE_SANITIZE)
  set(MOESCOPE_BUILD_TOOL_ENV ASAN_OPTIONS=detect_leaks=0)
  set(MOESCOPE_TEST_SANITIZER_ENV
      "ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1"
      "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/cmake/lsan.supp:print_suppressions=0"
      "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1")
endif()
