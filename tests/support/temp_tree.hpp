// TempTree: a throwaway host root for tests, built at test time so that modes, owners, FIFOs,
// sockets and symlinks (which git cannot store) are exactly what the test says.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>

#include "engine/host_view.hpp"

namespace hb::test {

class TempTree {
 public:
  TempTree();
  // Copies a fixture tree from tests/fixtures/<name> into a fresh temporary root.
  static TempTree from_fixture(const std::string& name);
  ~TempTree();
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;
  TempTree(TempTree&&) noexcept;

  const std::string& root() const { return root_; }
  // Host paths ("/etc/passwd"); parent directories are created (mode 0755).
  std::string write(const std::string& path, const std::string& content, mode_t mode = 0644);
  void mkdir(const std::string& path, mode_t mode = 0755);
  void symlink(const std::string& target, const std::string& path);
  void mkfifo(const std::string& path);
  void chown(const std::string& path, uid_t uid, gid_t gid);
  void chmod(const std::string& path, mode_t mode);
  void remove(const std::string& path);
  std::string real(const std::string& path) const { return root_ + path; }
  std::unique_ptr<HostView> view(std::size_t max_read = k_default_max_read) const;

 private:
  std::string root_;
};

bool running_as_root();
// Runs `body` in a forked child that first gives up root (uid and gid 65534, no groups) when the
// test runs as root, and returns the text it produced. For tests of unreadable files, which
// root reads anyway. The child's exit status must be 0 (checked with REQUIRE).
std::string output_without_root(const std::function<std::string()>& body);
// The whole content of a file on the test machine's own filesystem ("" when unreadable).
std::string slurp(const std::string& path);

}  // namespace hb::test
