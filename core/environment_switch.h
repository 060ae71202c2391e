#pragma once
// Switches for comparing a fast path with the general one it replaces (the benchmarks run
// both): a variable set to exactly "1" turns its path off. Plain C++.
namespace moescope {

// Whether the environment variable `name` is "1".
bool switchedOff(const char* name);

}  // namespace moescope
