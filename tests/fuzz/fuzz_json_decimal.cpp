// Numbers kept as their text (src/json/json_decimal.hpp) against nlohmann's own parser, whose
// lexer reads numbers with libc's strtod (linked in this native harness, not in the wasm). Input:
// one JSON value, parsed as the member of an object by the core's parser. Whatever upstream
// refuses is refused; a number upstream reads is kept unless a double cannot hold it (1e308 and
// beyond, which upstream's overflow check also refuses from DBL_MAX on); an integer reads the
// same; a decimal keeps the input's text, and its whole part is upstream's double truncated (off
// by at most one where the double rounded across a whole number).
#include <cmath>
#include <string>

#include "core/error_codes.hpp"
#include "fuzz_input.hpp"
#include "json/json_access.hpp"
#include "json/json_decimal.hpp"

using namespace oauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string value(reinterpret_cast<const char*>(data), size);
  auto doc = parse_json_object("{\"n\":" + value + "}", 1024 * 1024, {codes::invalid_response, Blame::remote, "the document"});
  const nlohmann::json oracle = nlohmann::json::parse(value, nullptr, false);
  if (!doc.ok()) fuzz::require_typed(doc.error());
  // The input closed the value and added members ("5,\"m\":1"): not one value, nothing to compare.
  if (doc.ok() && doc->value.size() != 1) return 0;
  // Upstream reads a NUL byte as the end of its input; the core refuses any NUL (json_access.cpp).
  if (value.find('\0') != std::string::npos || oracle.is_discarded()) {
    fuzz::require(!doc.ok());
    return 0;
  }
  if (!oracle.is_number()) return 0;
  if (oracle.is_number_float()) {
    const double read = oracle.get<double>();
    // Next to 1e308 the double may have rounded across it: the text decides there, not the double.
    if (std::fabs(std::fabs(read) - 1e308) <= 1e308 * 1e-15) return 0;
    fuzz::require(doc.ok() == (std::fabs(read) < 1e308));
    if (!doc.ok()) return 0;
    const JsonValue* kept = doc->value.find("n");
    fuzz::require(kept != nullptr && kept->is_number());
    const std::size_t start = value.find_first_not_of(" \t\r\n");
    const std::size_t end = value.find_last_not_of(" \t\r\n");
    fuzz::require(kept->text() == std::string_view(value).substr(start, end - start + 1));
    constexpr std::int64_t kBound = 1'000'000'000'000'000;
    const auto whole = decimal_whole_part(kept->text(), kBound);
    const double truncated = std::trunc(read);
    if (std::fabs(read) < kBound - 1) {
      fuzz::require(whole.has_value() && std::fabs(static_cast<double>(*whole) - truncated) <= 1);
      // A double that rounded across a whole number lands on it (below 1e15 whole numbers are
      // multiples of the spacing of doubles), so one with a fraction has the text's whole part.
      if (read != truncated) fuzz::require(static_cast<double>(*whole) == truncated);
    } else if (std::fabs(read) > kBound + 1) {
      fuzz::require(!whole.has_value());
    }
    return 0;
  }
  // Integers stay integers; beyond 64 signed bits they are kept as their digits.
  fuzz::require(doc.ok());
  const JsonValue& n = *doc->value.find("n");
  if (oracle.is_number_unsigned() && oracle.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
    fuzz::require(n.is_number() && n.text() == oracle.dump());
  else
    fuzz::require(n.is_integer() && n.as_integer() == oracle.get<std::int64_t>());
  return 0;
}
