// embind map of a confidential client's whole session record (src/session/client_record.cpp,
// ServerSessionRecord), for the backend-for-frontend's store. Only the Node entry's module links
// it: the record carries the DPoP key's private scalar, which never leaves a server. No logic.
#include <emscripten/bind.h>

#include "client_lookup.hpp"

namespace oauth::bindings {
namespace {

// → the record's JSON text, as a string (every token and the DPoP key: seal it before storing).
Answer client_export_server_session(int handle) {
  return with_client(handle, [](Client& c) {
    return answer(c.export_server_session(), [](JsonWriter& out, const Secret& record) { out.string(record.view()); });
  });
}

Answer client_restore_server_session(int handle, Text record_json) {
  return with_client(handle, [&](Client& c) {
    return answer(c.restore_server_session(record_json.view()), [](JsonWriter& out, const Ok&) { out.boolean(true); });
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(oauth_server_session) {
  emscripten::function("clientExportServerSession", &client_export_server_session);
  emscripten::function("clientRestoreServerSession", &client_restore_server_session);
}

}  // namespace oauth::bindings
