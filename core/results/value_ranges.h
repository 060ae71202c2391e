#pragma once
// Private to core/results. The values each dataset of the results layout can hold at all
// (probabilities in [0, 1], cosines in [-1, 1], counts and ids not negative): a file that holds
// others was damaged, or changed by another program (whose writes carry valid checksums), and
// is refused like a damaged one rather than drawn as co-activations of -3e37.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace moescope::results::detail {

// Why `values` (stored at `path`, a dataset of the layout or any other) cannot be what the path
// says, naming the first value out of range and its position; nullopt when they can (and for
// paths without a rule). NaN stands for "not computed" in float datasets and passes.
std::optional<std::string> valueRangeProblem(std::string_view path, const std::vector<float>& values);
std::optional<std::string> valueRangeProblem(std::string_view path, const std::vector<int64_t>& values);

}  // namespace moescope::results::detail
