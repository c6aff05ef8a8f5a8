#include "step_out.hpp"

namespace oauth::bindings {

void write_step(JsonWriter& out, const Step& step) {
  out.begin_object();
  switch (step.kind) {
    case Step::Kind::perform:
      write_request(out.member("kind", "perform").key("request"), *step.request);
      break;
    case Step::Kind::wait:
      out.member("kind", "wait").member("seconds", step.wait_seconds);
      write_request(out.key("request"), *step.request);
      out.key("event");
      if (step.event) {
        out.begin_object().member("type", step.event->type).key("detail").json(step.event->detail).end_object();
      } else {
        out.null();
      }
      break;
    case Step::Kind::navigate:
      out.member("kind", "navigate").member("url", step.navigate->url).member("state", step.navigate->state);
      out.member("transaction", step.navigate->transaction_json.view());
      break;
    case Step::Kind::done:
      out.member("kind", "done").key("result").begin_object().member("authenticated", true).key("user").json(step.done->user);
      write_optional_seconds(out.key("expiresAt"), step.done->expires_at);
      out.member("scope", step.done->scope);
      write_optional_seconds(out.key("refreshIn"), step.done->refresh_in);
      out.end_object();
      break;
  }
  out.end_object();
}

}  // namespace oauth::bindings
