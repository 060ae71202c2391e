#pragma once
// The value of an attribute in a results file: the types that h5py reads back as a Python
// int, float, str or a 1-D numpy array of them.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace moescope {

using AttributeValue = std::variant<int64_t, double, std::string, std::vector<int64_t>, std::vector<double>,
                                    std::vector<std::string>>;

}  // namespace moescope
