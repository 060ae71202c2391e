#pragma once
// Numbers in the CLI's JSON and tables: NaN (a measure not computed) is null in JSON and "-" in
// a table cell, others three decimals there.
#include <string>

#include <nlohmann/json.hpp>

namespace moescope::cli {

nlohmann::ordered_json jsonNumber(double value);
std::string tableCell(const nlohmann::ordered_json& value);

}  // namespace moescope::cli
