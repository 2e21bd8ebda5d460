// The mount table: /proc/self/mountinfo and /etc/fstab parsers on the same text, and the
// lookups probes make in what they return.
#include <cstddef>
#include <cstdint>

#include "checks/fstab.hpp"
#include "checks/mountinfo.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = hb::fuzz::as_text(data, size);
  if (auto mounts = hb::parse_mountinfo(text)) {
    for (const auto& m : *mounts) {
      (void)hb::find_mount(*mounts, m.mount_point);
      (void)hb::split_options(m.mount_options);
      if (&m - mounts->data() > 16) break;
    }
    (void)hb::covering_mount(*mounts, "/var/tmp/x");
  }
  const auto fstab = hb::parse_fstab(text);
  for (const auto& e : fstab.entries) {
    (void)hb::find_fstab_entry(fstab, e.file);
    for (const char* flag : {"nodev", "nosuid", "noexec", "ro"})
      (void)hb::fstab_option_in_effect(e.options, flag);
    (void)hb::path_is_under(e.file, e.spec);
    if (&e - fstab.entries.data() > 16) break;
  }
  (void)hb::unescape_octal(text);
  return 0;
}
