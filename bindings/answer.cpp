#include "answer.hpp"

#include "crypto/secret.hpp"

namespace oauth::bindings {
namespace {

JsonWriter& answer_buffer() {
  static JsonWriter out;
  return out;
}

}  // namespace

void release_answer() {
  // The buffer is kept for the next answer, so it is wiped here. A block it leaves when it grows
  // mid-answer is wiped by the allocator (src/crypto/wipe_on_free.c), as every freed block is.
  std::string& text = answer_buffer().text();
  secure_wipe(text.data(), text.size());
  text.clear();
}

JsonWriter& begin_answer() {
  release_answer();
  return answer_buffer();
}

Answer finish_answer() {
  const std::string& text = answer_buffer().text();
  return emscripten::val(emscripten::typed_memory_view(text.size(), reinterpret_cast<const unsigned char*>(text.data())));
}

JsonWriter& begin_ok_answer() { return begin_answer().begin_object().member("ok", true).key("value"); }

Answer finish_ok_answer() {
  answer_buffer().end_object();
  return finish_answer();
}

Answer answer_error(const Error& e) {
  begin_answer()
      .begin_object()
      .member("ok", false)
      .key("error")
      .begin_object()
      .member("code", e.code)
      .member("description", e.description)
      .member("uri", e.uri)
      .member("blame", e.blame == Blame::local ? "local" : "remote")
      .member("status", e.http_status)
      .end_object()
      .end_object();
  return finish_answer();
}

HttpResponse response_arg(double status, Text headers, Text body) {
  HttpResponse r;
  r.status = status >= 0 && status <= 999 ? static_cast<int>(status) : 0;
  r.body = body.str();
  const std::string_view all = headers.view();
  std::size_t at = 0;
  while (at < all.size()) {
    const std::size_t name_end = all.find('\0', at);
    if (name_end == std::string_view::npos) break;
    const std::size_t value_end = all.find('\0', name_end + 1);
    if (value_end == std::string_view::npos) break;
    r.headers.emplace_back(all.substr(at, name_end - at), all.substr(name_end + 1, value_end - name_end - 1));
    at = value_end + 1;
  }
  return r;
}

void write_headers(JsonWriter& out, const HttpHeaders& headers) {
  out.begin_array();
  for (const auto& [name, value] : headers) out.begin_array().string(name).string(value).end_array();
  out.end_array();
}

void write_request(JsonWriter& out, const HttpRequest& r) {
  out.begin_object().member("method", r.method).member("url", r.url).key("headers");
  write_headers(out, r.headers);
  out.member("body", r.body).end_object();
}

// String arguments arrive as InString (in_string.hpp): the glue treats the type as UTF-8 text
// only under this name.
EMSCRIPTEN_BINDINGS(oauth_in_string) {
  emscripten::internal::_embind_register_std_string(emscripten::internal::TypeID<InString>::get(), "std::string");
}

}  // namespace oauth::bindings
