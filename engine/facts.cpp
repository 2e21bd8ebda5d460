#include "engine/facts.hpp"

#include <stdexcept>

namespace hb {

Facts::Slot& Facts::slot_for(const std::string& key, std::type_index type) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& p = slots_[key];
  if (!p) {
    p = std::make_unique<Slot>();
    p->type = type;
  } else if (p->type != type) {
    // Two probes used one key for different types: a programming error, caught in tests.
    throw std::logic_error("facts key '" + key + "' used with two types");
  }
  return *p;
}

std::map<std::string, int> Facts::parse_counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

}  // namespace hb

namespace hb {

std::map<std::string, std::int64_t> Facts::durations_us() const {
  std::lock_guard<std::mutex> lock(mu_);
  return durations_us_;
}

}  // namespace hb
