// Facts about the scanned host for report headers: hostname, OS, kernel. Read through the
// HostView like everything else: an offline root reports its own /etc/hostname and os-release,
// never the scanner's.
#pragma once

#include <string>

namespace hb {

class HostView;

struct HostInfo {
  std::string hostname;
  std::string os;      // PRETTY_NAME of os-release
  std::string kernel;  // the running kernel release (live hosts), else "unknown (offline root)"
};

HostInfo read_host_info(const HostView& host);

// Parses os-release(5) text and returns PRETTY_NAME (or NAME VERSION_ID), unquoted.
std::string os_pretty_name(const std::string& os_release_text);

// The user running the scanner: "root(0)".
std::string current_user();

}  // namespace hb
