// Secrets are wiped when replaced or dropped (src/crypto/secret.hpp, src/protocol/http.hpp). To see
// memory at the moment it is freed, this file replaces the global operator new/delete: a watched
// block is inspected just before it goes back to the allocator.
#include <algorithm>
#include <cstdlib>
#include <new>
#include <optional>

#include "crypto/secret.hpp"
#include "protocol/http.hpp"
#include "support.hpp"

using namespace oauth;

namespace {

struct Watch {
  const void* block = nullptr;
  std::size_t size = 0;
  bool freed = false;
  bool was_zero = false;
};
Watch watch;

void inspect(void* p) {
  if (p == nullptr || p != watch.block) return;
  const auto* bytes = static_cast<const unsigned char*>(p);
  watch.was_zero = std::all_of(bytes, bytes + watch.size, [](unsigned char c) { return c == 0; });
  watch.freed = true;
  watch.block = nullptr;
}

// Watches the heap buffer of `s` (its whole capacity); the caller then drops its owner.
void watch_buffer(const std::string& s) {
  REQUIRE(s.capacity() > 64);  // far beyond any small-string buffer: s owns a heap block
  watch = Watch{s.data(), s.capacity(), false, false};
}

}  // namespace

// Every non-aligned form, so that no block is allocated by one implementation (a sanitizer's, say)
// and freed by another. The aligned forms stay the library's, as a pair.
namespace {
void* allocate(std::size_t n) noexcept { return std::malloc(n == 0 ? 1 : n); }
void release(void* p) noexcept {
  inspect(p);
  std::free(p);
}
}  // namespace

void* operator new(std::size_t n) {
  if (void* p = allocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = allocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }

TEST_CASE("secure_wipe zeroes a string's whole buffer, earlier longer contents included", "[secret]") {
  std::string s(200, 'k');
  s.resize(10);  // the other 190 'k's stay in the buffer
  const char* buffer = s.data();
  const std::size_t capacity = s.capacity();
  REQUIRE(capacity >= 200);
  secure_wipe(s);
  CHECK(s.empty());
  REQUIRE(s.data() == buffer);
  CHECK(std::all_of(buffer, buffer + capacity, [](char c) { return c == 0; }));
}

TEST_CASE("a Secret is wiped when dropped, replaced or moved from", "[secret]") {
  SECTION("dropped") {
    std::optional<Secret> secret(Secret(std::string(100, 't')));
    watch = Watch{secret->view().data(), secret->size(), false, false};
    secret.reset();
    CHECK(watch.freed);
    CHECK(watch.was_zero);
  }
  SECTION("replaced") {
    Secret secret(std::string(100, 'r'));
    watch = Watch{secret.view().data(), secret.size(), false, false};
    secret = Secret(std::string(100, 'n'));
    CHECK(watch.freed);
    CHECK(watch.was_zero);
    CHECK(secret.view() == std::string(100, 'n'));
  }
  SECTION("moved from") {
    Secret from(std::string(100, 'm'));
    Secret to(std::move(from));
    CHECK(from.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is the point
    CHECK(to.view() == std::string(100, 'm'));
  }
}

TEST_CASE("a request's body and header values are wiped when it is dropped", "[secret][http]") {
  auto request = std::make_optional<HttpRequest>(form_post("https://as.example/token"));
  request->body = "grant_type=refresh_token&refresh_token=" + std::string(200, 'R');
  request->headers.emplace_back("Authorization", "Basic " + std::string(200, 'B'));

  SECTION("the body") { watch_buffer(request->body); }
  SECTION("a header value") { watch_buffer(request->headers.back().second); }
  request.reset();
  CHECK(watch.freed);
  CHECK(watch.was_zero);
}

TEST_CASE("a response's body is wiped when it is dropped", "[secret][http]") {
  auto response = std::make_optional<HttpResponse>(200, HttpHeaders{}, "{\"access_token\":\"" + std::string(200, 'A') + "\"}");
  watch_buffer(response->body);
  response.reset();
  CHECK(watch.freed);
  CHECK(watch.was_zero);
}

// An HttpRequest held across steps (a device poll's, kept for its DPoP nonce retry) is replaced
// by the next one: what it held must not go back to the allocator unwiped.
TEST_CASE("a request's body and header values are wiped when another request is assigned over it", "[secret][http]") {
  HttpRequest next = form_post("https://as.example/token");
  next.body = "grant_type=device_code&device_code=" + std::string(300, 'N');
  next.headers.emplace_back("Authorization", "Basic " + std::string(300, 'n'));
  {
    HttpRequest held = form_post("https://as.example/token");
    held.body = "grant_type=device_code&device_code=" + std::string(100, 'D');
    held.headers.emplace_back("Authorization", "Basic " + std::string(100, 'B'));
    SECTION("the body, by a copy") { watch_buffer(held.body); held = next; }
    SECTION("a header value, by a copy") { watch_buffer(held.headers.back().second); held = next; }
    SECTION("a header value, by a move") { watch_buffer(held.headers.back().second); held = HttpRequest(next); }
  }
  CHECK(watch.freed);
  CHECK(watch.was_zero);
}

TEST_CASE("a response's body and header values are wiped when another response is assigned over it", "[secret][http]") {
  HttpResponse next(200, HttpHeaders{{"Set-Cookie", std::string(300, 'c')}}, std::string(300, 'a'));
  {
    HttpResponse held(200, HttpHeaders{{"Set-Cookie", std::string(100, 'C')}}, std::string(100, 'A'));
    SECTION("the body, by a copy") { watch_buffer(held.body); held = next; }
    SECTION("a header value, by a move") { watch_buffer(held.headers.back().second); held = HttpResponse(next); }
  }
  CHECK(watch.freed);
  CHECK(watch.was_zero);
}
