// The profile loader on a YAML text: the whole path from the YAML parser to typed probes
// (unknown keys, variables, expectations, every probe kind's parameters). Parents named in
// `extends` come from the shipped profiles.
#include <cstddef>
#include <cstdint>

#include "checks/registry.hpp"
#include "engine/profile.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const hb::LoadOptions options = [] {
    hb::LoadOptions o;
    o.dirs = {HB_SOURCE_DIR "/profiles"};
    return o;
  }();
  auto set = hb::load_profile_text(hb::fuzz::as_text(data, size), "/fuzz/profile.yaml",
                                   hb::probe_kinds(), options);
  if (set) {
    std::size_t n = 0;
    for (const auto& rule : set->rules) n += rule.meta.id.size() + rule.meta.source.size();
    if (n == SIZE_MAX) __builtin_trap();  // keeps the reads
  }
  return 0;
}
