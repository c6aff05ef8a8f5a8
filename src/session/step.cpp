#include "session/step.hpp"

namespace oauth {

Step Step::perform(HttpRequest r) {
  Step s;
  s.kind = Kind::perform;
  s.request = std::move(r);
  return s;
}

Step Step::wait(std::int64_t seconds, HttpRequest r, std::optional<StepEvent> event) {
  Step s;
  s.kind = Kind::wait;
  s.wait_seconds = seconds;
  s.request = std::move(r);
  s.event = std::move(event);
  return s;
}

Step Step::go(Navigation n) {
  Step s;
  s.kind = Kind::navigate;
  s.navigate = std::move(n);
  return s;
}

Step Step::finish(LoginResult r) {
  Step s;
  s.done = std::move(r);
  return s;
}

Step::Step() = default;
Step::Step(Step&& other) noexcept = default;
Step& Step::operator=(Step&& other) noexcept = default;
Step::~Step() = default;

}  // namespace oauth
