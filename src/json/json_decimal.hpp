// JSON numbers with a fraction or an exponent ("3600.5", "1e3", and integers too long for 64
// bits), kept as the text the document wrote (JsonValue::number). The core never needs them as a
// double: a NumericDate's whole seconds come from the text exactly, and claims reach JavaScript as
// written (JSON.parse rounds them there). So no float parser or printer is linked into the core (musl's strtod computes in
// long double; printf's %g is most of printf_core).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace oauth {

// Whether the JSON number `text` is below 1e308 in magnitude, so a double holds it without
// overflowing (the largest double is 1.797...e308; the few numbers between are refused too).
bool decimal_within_double_range(std::string_view text);

// The whole part of the JSON number `text`, truncated toward zero, when its magnitude is below
// `bound` (a positive power of ten or any positive bound); nullopt otherwise.
std::optional<std::int64_t> decimal_whole_part(std::string_view text, std::int64_t bound);

}  // namespace oauth
