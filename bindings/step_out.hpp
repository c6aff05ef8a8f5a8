// A Step (src/session/step.hpp) → { kind: 'perform', request } | { kind: 'wait', seconds, request,
// event: { type, detail } | null } | { kind: 'navigate', url, state, transaction } |
// { kind: 'done', result: { authenticated, user, expiresAt, scope, refreshIn } }. Shared by the
// client and grant bindings. Mechanical.
#pragma once
#include "answer.hpp"
#include "session/step.hpp"

namespace oauth::bindings {

inline void write_optional_seconds(JsonWriter& out, const std::optional<std::int64_t>& s) {
  s ? out.integer(*s) : out.null();
}

// Out of line (step_out.cpp): one copy for every call that answers a Step.
void write_step(JsonWriter& out, const Step& step);

}  // namespace oauth::bindings
