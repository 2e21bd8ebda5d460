// Landlock: the scanner takes away its own right to change the filesystem before it looks at a
// host. After restrict_writes_to(dirs), the calling thread, and every thread and child it starts
// afterwards, may still read and list anything its uid and capabilities allow, but may create,
// write, truncate, rename, link or remove files only beneath the given directories (the report
// files' parents and --output-dir), and write to /dev/null. Even root is held to it, so a parser bug that a hostile host
// can steer cannot write to the host. Landlock is a Linux LSM (5.13+, ABI 1; ABI 2 adds REFER,
// ABI 3 TRUNCATE); where the kernel lacks it or has it disabled, nothing happens and the call
// says so (applied == false): the scanner does not need it to be correct, it is defence in depth.
//
// Call it from the thread that then starts the scanner's workers (threads that already exist are
// not restricted), after every file the scan writes outside those directories is open (the
// --output-dir lock), and before the scan. It sets no_new_privs (a command run later cannot gain
// privileges through a setuid binary). It cannot be undone.
#pragma once

#include <string>
#include <vector>

#include "engine/expected.hpp"

namespace hb {

struct LandlockStatus {
  bool applied = false;  // false: the kernel has no (enabled) Landlock; nothing was restricted
  int abi = 0;           // the kernel's Landlock ABI version (0: none)
  std::vector<std::string> writable;  // the directories that stayed writable
  std::vector<std::string> skipped;   // directories that could not be opened (do not exist)
};

// The kernel's Landlock ABI version, 0 when it has none or has it disabled.
int landlock_abi();

// Restricts writes to beneath `dirs` (see above). An Error only when the kernel supports
// Landlock and applying it failed; then nothing was restricted.
Expected<LandlockStatus> restrict_writes_to(const std::vector<std::string>& dirs);

// The directory a report path is written in: "out/r.json" -> "out", "r.json" -> ".",
// "/r.json" -> "/". "-" (standard output) gives "".
std::string report_dir_of(const std::string& path);

}  // namespace hb
