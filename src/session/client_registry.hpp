// The clients a module instance holds, by a small integer handle the shim keeps. Handles are never
// reused, so a stale handle finds nothing rather than someone else's session.
#pragma once
#include <map>

#include "session/client.hpp"

namespace oauth {

class ClientRegistry {
 public:
  int add(Client client);
  Client* find(int handle);
  void remove(int handle);  // wipes the client's secrets (destructors)

 private:
  std::map<int, Client> clients_;
  int next_ = 1;
};

// The one registry of this module instance.
ClientRegistry& client_registry();

}  // namespace oauth
