#pragma once
// MOESCOPE_CPU_VARIANTS before a function: on x86-64 with GCC or Clang it is built for AVX-512,
// AVX2 with FMA and the baseline, and the loader picks the one the processor runs (the
// distribution's packages target the baseline, where a loop the compiler vectorises is 4 lanes
// wide); elsewhere once, for the target.
#if defined(__x86_64__) && defined(__GNUC__)
#define MOESCOPE_CPU_VARIANTS __attribute__((target_clones("avx512f", "avx2,fma", "default")))
#else
#define MOESCOPE_CPU_VARIANTS
#endif
