#include "tests/support/temp_tree.hpp"

#include "checks/apt_lists.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace hb::test {

TempTree::TempTree() {
  std::string tmpl = (fs::temp_directory_path() / "hostbench-test-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  root_ = tmpl;
  ::chmod(root_.c_str(), 0755);
}

TempTree::TempTree(TempTree&& o) noexcept : root_(std::move(o.root_)) { o.root_.clear(); }

namespace {
// "42" or "shadow" (looked up on the machine running the test).
std::optional<unsigned> id_of(const std::string& s, bool group) {
  if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos) return std::stoul(s);
  if (group) {
    if (const struct group* g = ::getgrnam(s.c_str())) return g->gr_gid;
  } else if (const struct passwd* p = ::getpwnam(s.c_str())) {
    return p->pw_uid;
  }
  return std::nullopt;
}
}  // namespace

TempTree TempTree::from_fixture(const std::string& name) {
  TempTree t;
  fs::copy(fs::path(HB_FIXTURES_DIR) / name, t.root_,
           fs::copy_options::recursive | fs::copy_options::copy_symlinks |
               fs::copy_options::overwrite_existing);
  // Modes and owners git cannot store: tests/fixtures/NAME.attrs, "MODE OWNER GROUP /path".
  std::ifstream attrs(fs::path(HB_FIXTURES_DIR) / (name + ".attrs"));
  std::string line;
  while (std::getline(attrs, line)) {
    std::istringstream in(line);
    std::string mode, owner, group, path;
    if (!(in >> mode) || mode[0] == '#') continue;
    if (!(in >> owner >> group >> path)) throw std::runtime_error("bad attrs line: " + line);
    // Owner first: chown clears the setuid and setgid bits that the mode may set.
    if (running_as_root()) {
      auto uid = id_of(owner, false), gid = id_of(group, true);
      if (!uid || !gid) throw std::runtime_error("attrs: unknown owner or group in: " + line);
      t.chown(path, *uid, *gid);
    }
    if (::fchmodat(AT_FDCWD, t.real(path).c_str(), std::stoul(mode, nullptr, 8), 0) != 0)
      throw std::runtime_error("attrs: cannot chmod " + path);
  }
  // Dates that must be current (tests/fixtures/NAME.touch, see tests/fixtures/README.md): the
  // first Date: of each listed file becomes now, its first Valid-Until: a week later.
  std::ifstream touch(fs::path(HB_FIXTURES_DIR) / (name + ".touch"));
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  while (std::getline(touch, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::ifstream in(t.real(line));
    if (!in) throw std::runtime_error("touch: no such fixture file " + line);
    std::ostringstream out;
    std::string l;
    bool date = false, valid = false;
    while (std::getline(in, l)) {
      if (!date && l.rfind("Date: ", 0) == 0) {
        l = "Date: " + format_rfc2822_date(now);
        date = true;
      } else if (!valid && l.rfind("Valid-Until: ", 0) == 0) {
        l = "Valid-Until: " + format_rfc2822_date(now + 7 * 86400);
        valid = true;
      }
      out << l << "\n";
    }
    in.close();
    std::ofstream(t.real(line), std::ios::trunc) << out.str();
  }
  return t;
}

TempTree::~TempTree() {
  if (root_.empty()) return;
  std::error_code ec;
  // Directories made unreadable by a test must be removable.
  for (auto it = fs::recursive_directory_iterator(root_, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec))
      ::chmod(it->path().c_str(), 0755);
  }
  fs::remove_all(root_, ec);
}

std::string TempTree::write(const std::string& path, const std::string& content, mode_t mode) {
  fs::path p = root_ + path;
  fs::create_directories(p.parent_path());
  {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    if (!f) throw std::runtime_error("cannot write " + p.string());
    f << content;
  }
  ::chmod(p.c_str(), mode);
  return p.string();
}

void TempTree::mkdir(const std::string& path, mode_t mode) {
  fs::create_directories(root_ + path);
  ::chmod((root_ + path).c_str(), mode);
}

void TempTree::symlink(const std::string& target, const std::string& path) {
  fs::path p = root_ + path;
  fs::create_directories(p.parent_path());
  fs::create_symlink(target, p);
}

void TempTree::mkfifo(const std::string& path) {
  fs::path p = root_ + path;
  fs::create_directories(p.parent_path());
  if (::mkfifo(p.c_str(), 0644) != 0) throw std::runtime_error("mkfifo failed");
}

void TempTree::chown(const std::string& path, uid_t uid, gid_t gid) {
  if (::lchown((root_ + path).c_str(), uid, gid) != 0) throw std::runtime_error("lchown failed");
}

void TempTree::chmod(const std::string& path, mode_t mode) { ::chmod((root_ + path).c_str(), mode); }

void TempTree::remove(const std::string& path) { fs::remove_all(root_ + path); }

std::unique_ptr<HostView> TempTree::view(std::size_t max_read) const {
  auto v = open_host_view(root_, max_read);
  if (!v) throw std::runtime_error(v.message());
  return std::move(v.value());
}

bool running_as_root() { return ::geteuid() == 0; }

std::string output_without_root(const std::function<std::string()>& body) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    if (running_as_root() &&
        (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0))
      ::_exit(2);
    const std::string out = body();
    if (::write(fds[1], out.data(), out.size()) != static_cast<ssize_t>(out.size())) ::_exit(3);
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace hb::test
