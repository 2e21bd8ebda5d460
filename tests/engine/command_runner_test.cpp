#include "engine/command_runner.hpp"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <sys/stat.h>

#include <algorithm>
#include <optional>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/temp_tree.hpp"

using namespace std::chrono_literals;

namespace {

// Whether a process is gone: no such pid, or a zombie nobody reaped yet (PID 1 here may not reap).
bool process_gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  std::string line;
  std::getline(stat, line);
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

// Sets an environment variable for the scope of a test.
struct EnvGuard {
  std::string name;
  std::optional<std::string> old;
  EnvGuard(std::string n, const std::string& value) : name(std::move(n)) {
    if (const char* v = std::getenv(name.c_str())) old = v;
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  ~EnvGuard() {
    if (old)
      ::setenv(name.c_str(), old->c_str(), 1);
    else
      ::unsetenv(name.c_str());
  }
};

}  // namespace

TEST_CASE("command runner: runs an argv and captures output and exit code") {
  auto runner = hb::make_process_runner();
  auto r = runner->run({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, 5s);
  REQUIRE(r.ok());
  CHECK(r->exit_code == 3);
  CHECK(r->out == "out\n");
  CHECK(r->err == "err\n");
  CHECK_FALSE(r->truncated);
}

TEST_CASE("command runner: arguments are not interpreted by a shell") {
  auto runner = hb::make_process_runner();
  auto r = runner->run({"/bin/echo", "$(id)", ";", "ls"}, 5s);
  REQUIRE(r.ok());
  CHECK(r->out == "$(id) ; ls\n");
}

TEST_CASE("command runner: a command past its timeout is killed and reported") {
  auto runner = hb::make_process_runner();
  auto t0 = std::chrono::steady_clock::now();
  auto r = runner->run({"/bin/sleep", "10"}, 200ms);
  REQUIRE_FALSE(r.ok());
  CHECK(r.kind() == hb::ErrorKind::timeout);
  CHECK(std::chrono::steady_clock::now() - t0 < 5s);
}

TEST_CASE("command runner: a grandchild sleeping forever is killed with its process group") {
  hb::test::TempTree t;
  const std::string pidfile = t.root() + "/grandchild.pid";
  auto runner = hb::make_process_runner();
  auto t0 = std::chrono::steady_clock::now();
  // The grandchild keeps the output pipe open and outlives its parent's wait only if the group
  // is not killed.
  auto r = runner->run({"/bin/sh", "-c", "sleep 1000 & echo $! > " + pidfile + "; wait"}, 500ms);
  const auto took = std::chrono::steady_clock::now() - t0;
  REQUIRE_FALSE(r.ok());
  CHECK(r.kind() == hb::ErrorKind::timeout);
  CHECK(took < 3s);
  std::ifstream in(pidfile);
  pid_t grandchild = 0;
  in >> grandchild;
  REQUIRE(grandchild > 0);
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {  // SIGKILL is delivered at once; allow 2 s
    gone = process_gone(grandchild);
    if (!gone) std::this_thread::sleep_for(10ms);
  }
  CHECK_MESSAGE(gone, "grandchild " << grandchild << " survived the timeout");
  if (!gone) ::kill(grandchild, SIGKILL);
}

TEST_CASE("command runner: a background process left after a normal exit is killed") {
  hb::test::TempTree t;
  const std::string pidfile = t.root() + "/left.pid";
  auto runner = hb::make_process_runner();
  // The leftover closes its output so that the pipes reach end of file at once.
  auto r = runner->run({"/bin/sh", "-c",
                        "sleep 1000 >/dev/null 2>&1 </dev/null & echo $! > " + pidfile + "; exit 0"},
                       5s);
  REQUIRE(r.ok());
  CHECK(r->exit_code == 0);
  pid_t left = 0;
  std::ifstream(pidfile) >> left;
  REQUIRE(left > 0);
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    gone = process_gone(left);
    if (!gone) std::this_thread::sleep_for(10ms);
  }
  CHECK(gone);
  if (!gone) ::kill(left, SIGKILL);
}

TEST_CASE("command runner: a missing program or a relative path is an error") {
  auto runner = hb::make_process_runner();
  CHECK(runner->run({"/nonexistent/tool"}, 1s).kind() == hb::ErrorKind::not_found);
  CHECK(runner->run({"no-such-tool-hostbench"}, 1s).kind() == hb::ErrorKind::not_found);
  CHECK(runner->run({"./ls"}, 1s).kind() == hb::ErrorKind::invalid);
  CHECK(runner->run({"bin/ls"}, 1s).kind() == hb::ErrorKind::invalid);
  CHECK(runner->run({}, 1s).kind() == hb::ErrorKind::invalid);
}

TEST_CASE("command runner: output is capped") {
  auto runner = hb::make_process_runner();
  auto r = runner->run({"/bin/sh", "-c", "head -c 100000 /dev/zero"}, 5s, 1000);
  REQUIRE(r.ok());
  CHECK(r->out.size() == 1000);
  CHECK(r->truncated);
}

TEST_CASE("command runner: 100 MB of output is capped without being held in memory") {
  auto runner = hb::make_process_runner();
  struct rusage before {}, after {};
  ::getrusage(RUSAGE_SELF, &before);
  auto r = runner->run({"/usr/bin/head", "-c", "100000000", "/dev/zero"}, 30s, 1 << 20);
  ::getrusage(RUSAGE_SELF, &after);
  REQUIRE(r.ok());
  CHECK(r->exit_code == 0);
  CHECK(r->out.size() == (1u << 20));
  CHECK(r->truncated);
  // ru_maxrss is in KiB: the peak grew by far less than the 100 MB written.
  MESSAGE("peak RSS grew by " << (after.ru_maxrss - before.ru_maxrss) << " KiB");
  CHECK(after.ru_maxrss - before.ru_maxrss < 32 * 1024);
}

TEST_CASE("command runner: the environment is exactly the allowlist") {
  EnvGuard secret("HOSTBENCH_TEST_SECRET", "leaked");
  EnvGuard preload("LD_PRELOAD", "/nonexistent/evil.so");
  EnvGuard lang("LANG", "de_DE.UTF-8");
  auto runner = hb::make_process_runner();
  auto r = runner->run({"/usr/bin/env"}, 5s);
  REQUIRE(r.ok());
  std::vector<std::string> lines;
  std::istringstream in(r->out);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::sort(lines.begin(), lines.end());
  const std::vector<std::string> want = {"LANG=C", "LC_ALL=C",
                                         std::string("PATH=") + hb::k_command_path};
  CHECK(lines == want);
}

TEST_CASE("command runner: a bare name is resolved in the fixed PATH, not the caller's") {
  hb::test::TempTree t;
  t.write("/evil/dpkg", "#!/bin/sh\necho FAKE-DPKG\n", 0755);
  EnvGuard path("PATH", t.root() + "/evil:/usr/bin:/bin");
  auto resolved = hb::resolve_command("dpkg");
  REQUIRE(resolved.ok());
  CHECK(resolved->find(t.root()) == std::string::npos);
  CHECK((*resolved == "/usr/bin/dpkg" || *resolved == "/usr/sbin/dpkg" || *resolved == "/bin/dpkg"));
  auto runner = hb::make_process_runner();
  auto r = runner->run({"dpkg", "--version"}, 10s);
  REQUIRE(r.ok());
  CHECK(r->exit_code == 0);
  CHECK(r->out.find("FAKE-DPKG") == std::string::npos);
  CHECK(r->out.find("dpkg") != std::string::npos);
}

TEST_CASE("command runner: standard input is /dev/null and the working directory is /") {
  auto runner = hb::make_process_runner();
  auto r = runner->run({"/bin/sh", "-c", "cat; pwd"}, 5s);
  REQUIRE(r.ok());
  CHECK(r->out == "/\n");
}
