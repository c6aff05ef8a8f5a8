#include "session/client_registry.hpp"

namespace oauth {

int ClientRegistry::add(Client client) {
  const int handle = next_++;
  clients_.emplace(handle, std::move(client));
  return handle;
}

Client* ClientRegistry::find(int handle) {
  auto it = clients_.find(handle);
  return it == clients_.end() ? nullptr : &it->second;
}

void ClientRegistry::remove(int handle) {
  for (RemoveListener listener : listeners_) listener(handle);
  clients_.erase(handle);
}

ClientRegistry& client_registry() {
  static ClientRegistry registry;
  return registry;
}

}  // namespace oauth
