// Facts: the per-scan cache of parsed sources. Each source (a file's parse, the passwd map, the
// sysctl configuration ...) is computed at most once per scan under a key, and shared by every
// rule that asks, safely across threads: the first caller computes while later callers for the
// same key wait for it. parse_counts() proves the "once per scan" property in tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <typeindex>
#include <unordered_map>

#include "engine/expected.hpp"

namespace hb {

class Facts {
 public:
  template <class T>
  std::shared_ptr<const Expected<T>> get(const std::string& key,
                                         const std::function<Expected<T>()>& compute) {
    Slot& slot = slot_for(key, typeid(T));
    std::call_once(slot.once, [&] {
      const auto t0 = std::chrono::steady_clock::now();
      slot.value = std::make_shared<const Expected<T>>(compute());
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - t0)
                          .count();
      std::lock_guard<std::mutex> lock(mu_);
      ++counts_[key];
      durations_us_[key] += us;
    });
    return std::static_pointer_cast<const Expected<T>>(slot.value);
  }

  // How many times each key was computed (1 for every key, by construction).
  std::map<std::string, int> parse_counts() const;
  // How long each key took to compute, in microseconds (for `scan --timings`).
  std::map<std::string, std::int64_t> durations_us() const;

 private:
  struct Slot {
    std::once_flag once;
    std::shared_ptr<const void> value;
    std::type_index type = typeid(void);
  };
  Slot& slot_for(const std::string& key, std::type_index type);

  mutable std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<Slot>> slots_;
  std::map<std::string, int> counts_;
  std::map<std::string, std::int64_t> durations_us_;
};

}  // namespace hb
