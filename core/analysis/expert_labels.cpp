#include "core/analysis/expert_labels.h"

#include "core/error.h"

namespace moescope::analysis {

std::vector<std::string> expertLabels(int64_t experts, const std::vector<std::string>& appended) {
  std::vector<std::string> labels;
  labels.reserve(static_cast<std::size_t>(experts) + appended.size());
  for (int64_t e = 0; e < experts; ++e) labels.push_back(std::to_string(e));
  labels.insert(labels.end(), appended.begin(), appended.end());
  return labels;
}

std::vector<std::string> labelsOrDefault(std::vector<std::string> labels, int64_t count) {
  if (labels.empty()) return expertLabels(count);
  if (static_cast<int64_t>(labels.size()) != count)
    throw Error(ErrorCategory::InvalidArgument, std::to_string(labels.size()) + " labels given for " +
                                                    std::to_string(count) + " entries");
  return labels;
}

}  // namespace moescope::analysis
