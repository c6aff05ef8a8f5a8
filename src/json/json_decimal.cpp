#include "json/json_decimal.hpp"

namespace oauth {
namespace {

// A JSON number (RFC 8259 §6) taken apart: the digits of its integer and fraction parts as one
// run, and where the decimal point falls in that run once the exponent is applied.
struct DecimalParts {
  bool negative = false;
  std::string_view digits_before_point;  // the integer part as written
  std::string_view digits_after_point;   // the fraction as written (may be empty)
  std::int64_t point = 0;  // digits of the run before the point, after the exponent (may be < 0 or > size)
  std::int64_t digit_count() const {
    return static_cast<std::int64_t>(digits_before_point.size() + digits_after_point.size());
  }
  char digit(std::int64_t i) const {
    const auto before = static_cast<std::int64_t>(digits_before_point.size());
    return i < before ? digits_before_point[static_cast<std::size_t>(i)]
                      : digits_after_point[static_cast<std::size_t>(i - before)];
  }
};

// Index in the digit run of the first digit that is not 0; -1 when the number is zero.
std::int64_t first_significant_digit(const DecimalParts& parts) {
  for (std::int64_t i = 0; i < parts.digit_count(); ++i) {
    if (parts.digit(i) != '0') return i;
  }
  return -1;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The lexer has checked the grammar; this reads it without trusting that beyond bounds checks.
// Exponents are saturated far beyond any digit count a bounded document can have.
DecimalParts split_decimal(std::string_view text) {
  constexpr std::int64_t kExponentCap = 1'000'000'000;
  DecimalParts parts;
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    parts.negative = true;
    ++i;
  }
  const std::size_t int_start = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  parts.digits_before_point = text.substr(int_start, i - int_start);
  if (i < text.size() && text[i] == '.') {
    const std::size_t frac_start = ++i;
    while (i < text.size() && is_digit(text[i])) ++i;
    parts.digits_after_point = text.substr(frac_start, i - frac_start);
  }
  std::int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative_exponent = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative_exponent = text[i++] == '-';
    for (; i < text.size() && is_digit(text[i]); ++i) {
      if (exponent < kExponentCap) exponent = exponent * 10 + (text[i] - '0');
    }
    if (negative_exponent) exponent = -exponent;
  }
  parts.point = static_cast<std::int64_t>(parts.digits_before_point.size()) + exponent;
  return parts;
}

}  // namespace

bool decimal_within_double_range(std::string_view text) {
  const DecimalParts parts = split_decimal(text);
  const std::int64_t first = first_significant_digit(parts);
  // The first significant digit is worth 10^(point - first - 1).
  return first < 0 || parts.point - first - 1 < 308;
}

std::optional<std::int64_t> decimal_whole_part(std::string_view text, std::int64_t bound) {
  const DecimalParts parts = split_decimal(text);
  const std::int64_t first = first_significant_digit(parts);
  if (first < 0 || parts.point <= first) return 0;  // zero, or a magnitude below 1
  if (parts.point - first > 19) return std::nullopt;  // 10^19 and beyond exceed any int64 bound
  std::int64_t whole = 0;
  for (std::int64_t i = first; i < parts.point; ++i) {
    // Digits past the written ones are the exponent's zeros.
    const int d = i < parts.digit_count() ? parts.digit(i) - '0' : 0;
    // whole * 10 + d must stay below bound (and whole * 10 must not overflow on the way).
    if (whole > (bound - 1) / 10 || whole * 10 > bound - 1 - d) return std::nullopt;
    whole = whole * 10 + d;
  }
  // |x| < whole + 1 <= bound: a fraction never carries the magnitude to the bound.
  return parts.negative ? -whole : whole;
}

}  // namespace oauth
