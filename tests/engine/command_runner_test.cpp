#include "engine/command_runner.hpp"

#include <doctest/doctest.h>

using namespace std::chrono_literals;

TEST_CASE("command runner: runs an argv and captures output and exit code") {
  auto runner = hb::make_process_runner();
  auto r = runner->run({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, 5s);
  REQUIRE(r.ok());
  CHECK(r->exit_code == 3);
  CHECK(r->out == "out\n");
  CHECK(r->err == "err\n");
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

TEST_CASE("command runner: a missing program or a relative path is an error") {
  auto runner = hb::make_process_runner();
  CHECK(runner->run({"/nonexistent/tool"}, 1s).kind() == hb::ErrorKind::not_found);
  CHECK(runner->run({"ls"}, 1s).kind() == hb::ErrorKind::invalid);
}

TEST_CASE("command runner: output is capped") {
  auto runner = hb::make_process_runner();
  auto r = runner->run({"/bin/sh", "-c", "head -c 100000 /dev/zero"}, 5s, 1000);
  REQUIRE(r.ok());
  CHECK(r->out.size() == 1000);
}
