// Objects by a small integer handle, in a vector: the few a module instance holds at a time need
// no tree. Each object lives in its own allocation, so a pointer to it stays valid while other
// handles come and go; remove() destroys it (destructors wipe secrets).
#pragma once
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace oauth {

template <typename T>
class HandleTable {
 public:
  T* find(int handle) {
    for (auto& entry : entries_) {
      if (entry.first == handle) return entry.second.get();
    }
    return nullptr;
  }
  T& add(int handle, T value) {
    entries_.emplace_back(handle, std::make_unique<T>(std::move(value)));
    return *entries_.back().second;
  }
  // The object of `handle`, default-constructed on first use.
  T& get_or_add(int handle) {
    T* found = find(handle);
    return found ? *found : add(handle, T());
  }
  void remove(int handle) {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].first == handle) {
        entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(i));
        return;
      }
    }
  }

 private:
  std::vector<std::pair<int, std::unique_ptr<T>>> entries_;
};

}  // namespace oauth
