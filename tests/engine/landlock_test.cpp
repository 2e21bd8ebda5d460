#include "engine/landlock.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "tests/support/temp_tree.hpp"

namespace {

// Codes the forked child reports through its exit status.
enum ChildCode : int {
  k_ok = 0,
  k_not_applied = 10,
  k_error = 11,
  k_outside_write_allowed = 12,
  k_outside_wrong_errno = 13,
  k_inside_write_failed = 14,
  k_read_failed = 15,
  k_outside_unlink_allowed = 16,
  k_outside_mkdir_allowed = 17,
  k_inside_rename_failed = 18,
};

int write_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return errno;
  ::close(fd);
  return 0;
}

}  // namespace

TEST_CASE("landlock: report_dir_of gives the directory a report is written in") {
  CHECK(hb::report_dir_of("out/r.json") == "out");
  CHECK(hb::report_dir_of("r.json") == ".");
  CHECK(hb::report_dir_of("/r.json") == "/");
  CHECK(hb::report_dir_of("/var/lib/hostbench/x.html") == "/var/lib/hostbench");
  CHECK(hb::report_dir_of("-").empty());
}

TEST_CASE("landlock: after restrict_writes_to, writes succeed only beneath the given directory") {
  const int abi = hb::landlock_abi();
  if (abi <= 0) {
    MESSAGE("skipped: this kernel has no Landlock (restrict_writes_to does nothing here)");
    auto st = hb::restrict_writes_to({"/tmp"});  // must be a harmless no-op
    REQUIRE(st.ok());
    CHECK_FALSE(st->applied);
    return;
  }
  MESSAGE("Landlock ABI " << abi);
  hb::test::TempTree t;
  t.mkdir("/reports");
  t.mkdir("/elsewhere");
  t.write("/elsewhere/existing", "keep me\n");
  const std::string inside = t.real("/reports");
  const std::string outside = t.real("/elsewhere");

  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    auto st = hb::restrict_writes_to({inside, t.real("/does-not-exist")});
    if (!st) ::_exit(k_error);
    if (!st->applied) ::_exit(k_not_applied);
    int e = write_file(outside + "/new");
    if (e == 0) ::_exit(k_outside_write_allowed);
    if (e != EACCES) ::_exit(k_outside_wrong_errno);
    if (write_file(outside + "/existing") != EACCES) ::_exit(k_outside_write_allowed);
    if (::unlink((outside + "/existing").c_str()) == 0) ::_exit(k_outside_unlink_allowed);
    if (::mkdir((outside + "/d").c_str(), 0700) == 0) ::_exit(k_outside_mkdir_allowed);
    if (write_file(inside + "/.r.json.tmp") != 0) ::_exit(k_inside_write_failed);
    if (write_file("/dev/null") != 0) ::_exit(k_inside_write_failed);
    if (::rename((inside + "/.r.json.tmp").c_str(), (inside + "/r.json").c_str()) != 0)
      ::_exit(k_inside_rename_failed);
    int fd = ::open((outside + "/existing").c_str(), O_RDONLY | O_CLOEXEC);  // reads stay allowed
    if (fd < 0) ::_exit(k_read_failed);
    ::close(fd);
    ::_exit(k_ok);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == k_ok);
  // What the child could and could not do, seen from outside.
  struct stat st {};
  CHECK(::stat((inside + "/r.json").c_str(), &st) == 0);
  CHECK(::stat((outside + "/new").c_str(), &st) != 0);
  CHECK(hb::test::slurp(outside + "/existing") == "keep me\n");
}

TEST_CASE("landlock: the restriction is inherited by threads and children started afterwards") {
  if (hb::landlock_abi() <= 0) {
    MESSAGE("skipped: this kernel has no Landlock");
    return;
  }
  hb::test::TempTree t;
  t.mkdir("/reports");
  const std::string target = t.real("/from-child");
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    auto st = hb::restrict_writes_to({t.real("/reports")});
    if (!st || !st->applied) ::_exit(k_error);
    // A child process (as a command run by the scanner would be) tries to write outside.
    // Its standard error goes to /dev/null, which stays writable.
    ::execl("/bin/sh", "sh", "-c", ("exec 2>/dev/null; echo x > '" + target + "'").c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) != 0);  // sh: Permission denied
  struct stat st {};
  CHECK(::stat(target.c_str(), &st) != 0);
}
