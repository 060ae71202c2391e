#include "core/analysis/vocabulary_specialisation.h"

#include <algorithm>
#include <string>

#include "core/error.h"

namespace moescope::analysis {

namespace {

int64_t lookup(const std::unordered_map<int64_t, int64_t>& counts, int64_t key) {
  const auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

}  // namespace

VocabularySpecialisation::VocabularySpecialisation(int64_t experts) {
  if (experts < 1) throw Error(ErrorCategory::InvalidArgument, "vocabulary specialisation (D6): no experts");
  per_expert_.resize(static_cast<std::size_t>(experts));
}

void VocabularySpecialisation::add(std::span<const int64_t> topk_ids, int64_t top_k,
                                   std::span<const int64_t> token_ids) {
  if (top_k < 1 || topk_ids.size() != token_ids.size() * static_cast<std::size_t>(top_k))
    throw Error(ErrorCategory::ShapeMismatch, "vocabulary specialisation (D6): " + std::to_string(topk_ids.size()) +
                                                  " expert ids for " + std::to_string(token_ids.size()) +
                                                  " tokens at top-" + std::to_string(top_k));
  for (const int64_t e : topk_ids)
    if (e < 0 || e >= experts())
      throw Error(ErrorCategory::InvalidArgument, "vocabulary specialisation (D6): expert id " + std::to_string(e) +
                                                      " outside 0.." + std::to_string(experts() - 1));
  for (std::size_t t = 0; t < token_ids.size(); ++t) {
    ++occurrences_[token_ids[t]];
    for (int64_t j = 0; j < top_k; ++j)
      ++per_expert_[static_cast<std::size_t>(topk_ids[t * static_cast<std::size_t>(top_k) + static_cast<std::size_t>(j)])]
                   [token_ids[t]];
  }
}

void VocabularySpecialisation::addRouted(int64_t expert, int64_t token_id, int64_t count) {
  if (expert < 0 || expert >= experts() || token_id < 0 || count < 0)
    throw Error(ErrorCategory::InvalidArgument, "vocabulary specialisation (D6): " + std::to_string(count) + " of token " +
                                                    std::to_string(token_id) + " to expert " + std::to_string(expert) +
                                                    " cannot be a count of routed tokens");
  if (count > 0) per_expert_[static_cast<std::size_t>(expert)][token_id] += count;
}

std::vector<std::array<int64_t, 3>> VocabularySpecialisation::routedCounts() const {
  std::vector<std::array<int64_t, 3>> triplets;
  for (int64_t e = 0; e < experts(); ++e) {
    const std::size_t first = triplets.size();
    for (const auto& [token, count] : per_expert_[static_cast<std::size_t>(e)]) triplets.push_back({e, token, count});
    std::sort(triplets.begin() + static_cast<std::ptrdiff_t>(first), triplets.end());
  }
  return triplets;
}

TopTokens VocabularySpecialisation::topTokens(int64_t n) const {
  if (n < 0) throw Error(ErrorCategory::InvalidArgument, "vocabulary specialisation (D6): negative top-N");
  TopTokens top{IndexArray({experts(), n}, std::vector<int64_t>(static_cast<std::size_t>(experts() * n), -1)),
                IndexArray({experts(), n})};
  for (int64_t e = 0; e < experts(); ++e) {
    std::vector<std::pair<int64_t, int64_t>> ranked(per_expert_[static_cast<std::size_t>(e)].begin(),
                                                    per_expert_[static_cast<std::size_t>(e)].end());
    const auto more_frequent = [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    };
    const std::size_t kept = std::min(ranked.size(), static_cast<std::size_t>(n));
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(kept), ranked.end(), more_frequent);
    for (std::size_t i = 0; i < kept; ++i) {
      top.ids.at(e, static_cast<int64_t>(i)) = ranked[i].first;
      top.counts.at(e, static_cast<int64_t>(i)) = ranked[i].second;
    }
  }
  return top;
}

int64_t VocabularySpecialisation::routed(int64_t expert, int64_t token_id) const {
  if (expert < 0 || expert >= experts()) return 0;
  return lookup(per_expert_[static_cast<std::size_t>(expert)], token_id);
}

int64_t VocabularySpecialisation::occurrences(int64_t token_id) const { return lookup(occurrences_, token_id); }

}  // namespace moescope::analysis
