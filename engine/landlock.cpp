#include "engine/landlock.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "engine/unique_fd.hpp"

namespace hb {

namespace {

// The uapi values (include/uapi/linux/landlock.h), spelt out so that the build does not depend
// on how new the installed kernel headers are.
#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule 445
#define __NR_landlock_restrict_self 446
#endif
constexpr std::uint32_t k_create_ruleset_version = 1u << 0;
constexpr int k_rule_path_beneath = 1;

constexpr std::uint64_t k_write_file = 1ull << 1;
constexpr std::uint64_t k_remove_dir = 1ull << 4;
constexpr std::uint64_t k_remove_file = 1ull << 5;
constexpr std::uint64_t k_make_char = 1ull << 6;
constexpr std::uint64_t k_make_dir = 1ull << 7;
constexpr std::uint64_t k_make_reg = 1ull << 8;
constexpr std::uint64_t k_make_sock = 1ull << 9;
constexpr std::uint64_t k_make_fifo = 1ull << 10;
constexpr std::uint64_t k_make_block = 1ull << 11;
constexpr std::uint64_t k_make_sym = 1ull << 12;
constexpr std::uint64_t k_refer = 1ull << 13;     // ABI 2
constexpr std::uint64_t k_truncate = 1ull << 14;  // ABI 3

// Every right that changes the filesystem, in ABI 1. Reading, listing and executing are not
// handled, so they stay allowed everywhere (as the uid and capabilities permit).
constexpr std::uint64_t k_write_rights_v1 = k_write_file | k_remove_dir | k_remove_file |
                                            k_make_char | k_make_dir | k_make_reg | k_make_sock |
                                            k_make_fifo | k_make_block | k_make_sym;

struct RulesetAttr {
  std::uint64_t handled_access_fs;  // the ABI 1 layout; the kernel accepts the shorter struct
};

struct PathBeneathAttr {
  std::uint64_t allowed_access;
  std::int32_t parent_fd;
} __attribute__((packed));

long create_ruleset(const RulesetAttr* attr, std::size_t size, std::uint32_t flags) {
  return ::syscall(__NR_landlock_create_ruleset, attr, size, flags);
}

// Sanitizer builds (tests/sanitize.sh) write their reports to ASAN_OPTIONS' log_path, which may
// lie outside the report directories; a report lost to Landlock would hide a bug. Production
// builds never look at these variables.
std::vector<std::string> sanitizer_log_dirs() {
  std::vector<std::string> out;
#if defined(__SANITIZE_ADDRESS__)
  for (const char* var : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    const char* v = std::getenv(var);
    if (v == nullptr) continue;
    std::string opts = v;
    auto at = opts.find("log_path=");
    if (at == std::string::npos) continue;
    std::string path = opts.substr(at + 9, opts.find(':', at) == std::string::npos
                                               ? std::string::npos
                                               : opts.find(':', at) - at - 9);
    out.push_back(report_dir_of(path));
  }
#endif
  return out;
}

}  // namespace

int landlock_abi() {
  long v = create_ruleset(nullptr, 0, k_create_ruleset_version);
  return v < 0 ? 0 : static_cast<int>(v);
}

std::string report_dir_of(const std::string& path) {
  if (path.empty() || path == "-") return "";
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Expected<LandlockStatus> restrict_writes_to(const std::vector<std::string>& dirs) {
  LandlockStatus status;
  status.abi = landlock_abi();
  if (status.abi <= 0) return status;  // ENOSYS (not built) or EOPNOTSUPP (disabled at boot)

  std::uint64_t handled = k_write_rights_v1;
  if (status.abi >= 2) handled |= k_refer;
  if (status.abi >= 3) handled |= k_truncate;
  // Beneath a report directory: everything but REFER (a rename or link from another directory),
  // which writing a report (a temporary file renamed in the same directory) does not need.
  const std::uint64_t allowed = handled & ~k_refer;

  RulesetAttr attr{handled};
  UniqueFd ruleset(static_cast<int>(create_ruleset(&attr, sizeof attr, 0)));
  if (!ruleset.valid())
    return make_error(ErrorKind::io, std::string("landlock_create_ruleset: ") + std::strerror(errno));

  std::vector<std::string> all = dirs;
  for (auto& d : sanitizer_log_dirs()) all.push_back(std::move(d));
  for (const auto& dir : all) {
    if (dir.empty() || std::find(status.writable.begin(), status.writable.end(), dir) !=
                           status.writable.end())
      continue;
    UniqueFd fd(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid()) {
      status.skipped.push_back(dir);  // a report there cannot be written anyway
      continue;
    }
    PathBeneathAttr rule{allowed, fd.get()};
    if (::syscall(__NR_landlock_add_rule, ruleset.get(), k_rule_path_beneath, &rule, 0) != 0)
      return make_error(ErrorKind::io,
                        "landlock_add_rule " + dir + ": " + std::strerror(errno));
    status.writable.push_back(dir);
  }
  // /dev/null stays writable (a command's "2>/dev/null"): WRITE_FILE on that one file.
  if (UniqueFd null(::open("/dev/null", O_PATH | O_CLOEXEC)); null.valid()) {
    PathBeneathAttr rule{k_write_file | (status.abi >= 3 ? k_truncate : 0), null.get()};
    if (::syscall(__NR_landlock_add_rule, ruleset.get(), k_rule_path_beneath, &rule, 0) != 0)
      return make_error(ErrorKind::io, std::string("landlock_add_rule /dev/null: ") + std::strerror(errno));
  }
  // Required of an unprivileged process, and wanted anyway: nothing run later gains privileges.
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return make_error(ErrorKind::io, std::string("prctl(PR_SET_NO_NEW_PRIVS): ") + std::strerror(errno));
  if (::syscall(__NR_landlock_restrict_self, ruleset.get(), 0) != 0)
    return make_error(ErrorKind::io, std::string("landlock_restrict_self: ") + std::strerror(errno));
  status.applied = true;
  return status;
}

}  // namespace hb
