#include "session/client_registry.hpp"

namespace oauth {

int ClientRegistry::add(Client client) {
  const int handle = next_++;
  clients_.add(handle, std::move(client));
  return handle;
}

Client* ClientRegistry::find(int handle) { return clients_.find(handle); }

void ClientRegistry::remove(int handle) {
  for (RemoveListener listener : listeners_) listener(handle);
  clients_.remove(handle);
}

ClientRegistry& client_registry() {
  static ClientRegistry registry;
  return registry;
}

}  // namespace oauth
