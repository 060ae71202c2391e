#pragma once
// Row/column names of expert-indexed results: "0".."E-1", then the appended entries ("F" for
// the dense reference, "SE" for a shared expert; ANALYSES.md "+F"). Plain; no torch.
#include <cstdint>
#include <string>
#include <vector>

namespace moescope::analysis {

inline constexpr const char* kDenseReferenceLabel = "F";
inline constexpr const char* kSharedExpertLabel = "SE";

std::vector<std::string> expertLabels(int64_t experts, const std::vector<std::string>& appended = {});

// The given labels, or "0".."count-1" when none are given. Throws Error(InvalidArgument) when
// labels are given for a different number of entries.
std::vector<std::string> labelsOrDefault(std::vector<std::string> labels, int64_t count);

}  // namespace moescope::analysis
