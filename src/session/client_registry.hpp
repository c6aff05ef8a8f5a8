// The clients a module instance holds, by a small integer handle the shim keeps. Handles are never
// reused, so a stale handle finds nothing rather than someone else's session.
#pragma once
#include <vector>

#include "core/handle_table.hpp"
#include "session/client.hpp"

namespace oauth {

class ClientRegistry {
 public:
  int add(Client client);
  Client* find(int handle);
  void remove(int handle);  // wipes the client's secrets (destructors)

  // State kept elsewhere by client handle (src/grants) is dropped with its client: the holder
  // registers here, so a module linked without it (the browser's) carries none of its code.
  using RemoveListener = void (*)(int handle);
  void on_remove(RemoveListener listener) { listeners_.push_back(listener); }

 private:
  HandleTable<Client> clients_;
  std::vector<RemoveListener> listeners_;
  int next_ = 1;
};

// The one registry of this module instance.
ClientRegistry& client_registry();

}  // namespace oauth
