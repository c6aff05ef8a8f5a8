// What every bound call answers: one JSON document, { "ok": true, "value": ... } or
// { "ok": false, "error": { code, description, uri, blame, status } }, written into the module's
// one answer buffer and handed to JS as a view of it (no copy in wasm), which web/core-abi.mjs
// decodes and then wipes through releaseAnswer(). The embind functions take strings and numbers
// only; an HTTP response comes as (status, headers as "name\0value\0" pairs, body). No logic.
#pragma once
#include <emscripten/val.h>

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "in_string.hpp"
#include "json/json_write.hpp"
#include "protocol/http.hpp"

namespace oauth::bindings {

// A Uint8Array over the answer buffer (embind returns no bare memory_view from a function).
using Answer = emscripten::val;

// The answer buffer's writer, emptied (wiped) first.
JsonWriter& begin_answer();
// The view of what begin_answer()'s writer holds.
Answer finish_answer();
// Wipes the answer buffer (answers carry tokens, verifiers and codes).
void release_answer();

// Seconds since the epoch, from Date.now() / 1000, within ±1e15 s (31 million years either way)
// so that the core's arithmetic on it cannot overflow. web/core-abi.mjs refuses a time that is
// not finite; called directly, the module reads NaN, or a time beyond the bound, as the far
// future, where every token has expired: the plain cast made NaN and +Infinity the most negative
// integer, the far past, where an expired access token still served.
inline std::int64_t seconds(double now) {
  constexpr double kBound = 1e15;
  if (!(now < kBound)) return static_cast<std::int64_t>(kBound);  // NaN, or beyond
  if (now <= -kBound) return -static_cast<std::int64_t>(kBound);
  return static_cast<std::int64_t>(now);
}

Answer answer_error(const Error& e);

// The writer of { ok: true, value: ... } at the value, and its end: out of line, so that each
// answer_ok below holds only its own value's writing.
JsonWriter& begin_ok_answer();
Answer finish_ok_answer();

// { ok: true, value } with `write_value(out)` writing the value.
template <typename F>
Answer answer_ok(F&& write_value) {
  write_value(begin_ok_answer());
  return finish_ok_answer();
}

// Result<T> → its answer, with `write_value(out, value)` writing T.
template <typename T, typename F>
Answer answer(const Result<T>& r, F&& write_value) {
  if (!r.ok()) return answer_error(r.error());
  return answer_ok([&](JsonWriter& out) { write_value(out, r.value()); });
}

// The response web/core-abi.mjs passes: status, headers as "name\0value\0" pairs, body.
HttpResponse response_arg(double status, Text headers, Text body);

// HttpRequest → { method, url, headers: [[name, value]], body }.
void write_request(JsonWriter& out, const HttpRequest& r);
void write_headers(JsonWriter& out, const HttpHeaders& headers);

}  // namespace oauth::bindings
