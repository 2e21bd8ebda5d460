// A history of scans in one directory (`hostbench scan --output-dir DIR`):
//
//   DIR/HOST-20261129T031500Z.json   .html   .xml (XCCDF)   .junit.xml
//   DIR/latest.json -> HOST-20261129T031500Z.json   (and latest.html, latest.xml, latest.junit.xml)
//   DIR/.hostbench.lock              flock(2)ed while a scan writes here; holds its pid
//
// A directory holds the history of one host (latest.* point at that host's newest scan; older
// scans of other hosts are left alone by retention). Retention keeps the newest `keep` scans and
// drops scans older than `keep_days`; the newest scan is never removed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/expected.hpp"
#include "engine/report.hpp"
#include "engine/unique_fd.hpp"

namespace hb {

// The lock of an output directory. `busy` with the holder's pid (when it wrote one) when another
// scan holds it; the lock is released when the object is destroyed.
struct DirLock {
  UniqueFd fd;
  bool busy = false;
  std::string holder;  // "pid 1234", or "" when unknown
};
// Creates the directory (mode 0750) when missing, then takes the lock without waiting.
Expected<DirLock> lock_output_dir(const std::string& dir);

// The file stem of a scan: the hostname made safe for a file name ([A-Za-z0-9._-], others '_';
// "host" when empty) and the UTC start time: "web-1-20261129T031500Z".
std::string history_host(const std::string& hostname);
std::string history_stem(const std::string& hostname, SystemTime started);

// The files of one scan, as {suffix, content}: {".json", ...}, {".html", ...}.
struct HistoryFile {
  std::string suffix;
  std::string content;
};
// Writes DIR/STEM+suffix for each file (atomically, mode 0640), then points DIR/latest+suffix at
// it (a relative symlink replaced atomically). A stem already taken (two scans in one second)
// gets "-2", "-3"... Returns the paths written.
Expected<std::vector<std::string>> write_history(const std::string& dir, const std::string& stem,
                                                 const std::vector<HistoryFile>& files);

struct Retention {
  std::optional<long> keep;       // scans kept (the newest ones)
  std::optional<long> keep_days;  // scans older than this many days are removed
};
// Removes old scans of `host` (history_host form) from DIR by their time stamps. Returns the
// files removed.
Expected<std::vector<std::string>> prune_history(const std::string& dir, const std::string& host,
                                                 const Retention& retention, SystemTime now);

}  // namespace hb
