#pragma once
// The explorer benchmarks' command line: "--name value" pairs, any order, unknown ones ignored.
#include <string>

#include "tests/bench/support/synthetic_results.h"

namespace moescope::bench {

int intArgument(int argc, char** argv, const std::string& name, int fallback);
// Empty when not given.
std::string stringArgument(int argc, char** argv, const std::string& name);
// "--keep" style switches, with no value.
bool flagArgument(int argc, char** argv, const std::string& name);
// --experts, --layers, --tokens over the defaults of SyntheticRunShape.
SyntheticRunShape shapeArguments(int argc, char** argv);

}  // namespace moescope::bench
