#include "app/cli/json_numbers.h"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace moescope::cli {

nlohmann::ordered_json jsonNumber(double value) {
  return std::isnan(value) ? nlohmann::ordered_json() : nlohmann::ordered_json(value);
}

std::string tableCell(const nlohmann::ordered_json& value) {
  if (value.is_null()) return "-";
  std::ostringstream s;
  s << std::fixed << std::setprecision(3) << value.get<double>();
  return s.str();
}

}  // namespace moescope::cli
