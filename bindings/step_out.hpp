// A Client Step → { kind: 'request', request } | { kind: 'done', result: { authenticated, user,
// expiresAt, scope } }. Shared by the client and grant bindings. Mechanical.
#pragma once
#include "answer.hpp"
#include "session/client.hpp"

namespace oauth::bindings {

inline void write_optional_seconds(JsonWriter& out, const std::optional<std::int64_t>& s) {
  s ? out.integer(*s) : out.null();
}

inline void write_step(JsonWriter& out, const Step& step) {
  out.begin_object();
  if (step.request) {
    out.member("kind", "request").key("request");
    write_request(out, *step.request);
  } else {
    out.member("kind", "done").key("result").begin_object().member("authenticated", true).key("user").json(step.done->user);
    out.key("expiresAt");
    write_optional_seconds(out, step.done->expires_at);
    out.member("scope", step.done->scope).end_object();
  }
  out.end_object();
}

}  // namespace oauth::bindings
