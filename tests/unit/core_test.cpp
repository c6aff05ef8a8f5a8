#include <memory>
#include <string>

#include "core/error.hpp"
#include "core/handle_table.hpp"
#include "core/result.hpp"
#include "support.hpp"

using namespace oauth;

namespace {

// Counts the live instances, to see that Result constructs and destroys its side exactly once.
struct Counted {
  static int live;
  std::string text;
  explicit Counted(std::string t) : text(std::move(t)) { ++live; }
  Counted(const Counted& other) : text(other.text) { ++live; }
  Counted(Counted&& other) noexcept : text(std::move(other.text)) { ++live; }
  Counted& operator=(const Counted&) = default;
  Counted& operator=(Counted&&) = default;
  ~Counted() { --live; }
};
int Counted::live = 0;

Result<Counted> value_of(const char* text) { return Counted(text); }
Result<Counted> error_of(const char* description) { return Error::remote("invalid_response", description); }

}  // namespace

TEST_CASE("Result holds a value or an error and destroys what it holds", "[core]") {
  {
    auto v = value_of("v");
    REQUIRE(v.ok());
    CHECK(v->text == "v");
    CHECK(Counted::live == 1);
    auto e = error_of("broken");
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "invalid_response");
    CHECK(e.error().description == "broken");
    CHECK(e.error().blame == Blame::remote);
    CHECK(Counted::live == 1);
  }
  CHECK(Counted::live == 0);
}

TEST_CASE("Result copies, moves and assigns across its two sides", "[core]") {
  {
    auto v = value_of("v");
    auto e = error_of("broken");
    Result<Counted> copy = v;
    CHECK(copy->text == "v");
    CHECK(v->text == "v");
    CHECK(Counted::live == 2);
    Result<Counted> moved = std::move(copy);
    CHECK(moved->text == "v");
    CHECK(Counted::live == 3);  // the moved-from value still lives until its Result goes

    moved = e;  // value -> error: the value is destroyed
    REQUIRE_FALSE(moved.ok());
    CHECK(moved.error().description == "broken");
    CHECK(Counted::live == 2);
    moved = std::move(v);  // error -> value
    REQUIRE(moved.ok());
    CHECK(moved->text == "v");
    CHECK(Counted::live == 3);
    Result<Counted>& alias = moved;
    moved = alias;  // self-assignment keeps the value
    CHECK(moved->text == "v");
    Error taken = std::move(e).take_error();
    CHECK(taken.description == "broken");
  }
  CHECK(Counted::live == 0);
}

TEST_CASE("Result holds move-only values", "[core]") {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  Result<std::unique_ptr<int>> moved = std::move(r);
  REQUIRE(moved.ok());
  CHECK(**moved == 7);
  std::unique_ptr<int> out = std::move(moved).value();
  CHECK(*out == 7);
}

namespace {
// Two steps through OAUTH_ASSIGN_OR_RETURN: the second runs only when the first gave a value.
Result<std::string> joined(Result<Counted> first, int* second_runs) {
  OAUTH_ASSIGN_OR_RETURN(auto&& a, first);
  ++*second_runs;
  OAUTH_ASSIGN_OR_RETURN(Counted b, value_of("b"));
  return a.text + b.text;
}
}  // namespace

TEST_CASE("OAUTH_ASSIGN_OR_RETURN binds the value or returns the error unchanged", "[core]") {
  int runs = 0;
  Result<std::string> both = joined(value_of("a"), &runs);
  REQUIRE(both.ok());
  CHECK(*both == "ab");
  CHECK(runs == 1);
  Result<std::string> failed = joined(error_of("first failed"), &runs);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().description == "first failed");
  CHECK(runs == 1);  // returned before the second step
  CHECK(Counted::live == 0);
}

TEST_CASE("Error::local and Error::remote keep the code, description and blame", "[core]") {
  Error fixed = Error::local("invalid_argument", "a fixed text");
  CHECK(fixed.code == "invalid_argument");
  CHECK(fixed.description == "a fixed text");
  CHECK(fixed.uri.empty());
  CHECK(fixed.blame == Blame::local);
  CHECK(fixed.http_status == 0);
  Error built = Error::remote(std::string("invalid_key"), concat({"JWK member ", "n", " is missing"}));
  CHECK(built.description == "JWK member n is missing");
  CHECK(built.blame == Blame::remote);
  CHECK(concat({}).empty());
}

TEST_CASE("HandleTable finds, adds and removes by handle; objects stay put", "[core]") {
  HandleTable<std::string> table;
  CHECK(table.find(1) == nullptr);
  std::string* first = &table.add(1, "one");
  table.add(2, "two");
  for (int h = 3; h < 40; ++h) table.add(h, "more");  // the vector grows; the objects do not move
  CHECK(table.find(1) == first);
  CHECK(*table.find(2) == "two");
  table.remove(2);
  CHECK(table.find(2) == nullptr);
  CHECK(table.find(1) == first);
  table.remove(2);  // harmless when absent
  CHECK(table.get_or_add(1) == "one");
  CHECK(table.get_or_add(50).empty());
  CHECK(table.find(50) != nullptr);
}
