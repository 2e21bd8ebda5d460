// CommandRunner: the one way hostbench runs a program, for facts that no file or kernel
// interface gives. The scanner hands probes a runner only when the root is the live host; for an
// offline root ProbeContext::commands is null. No shipped probe runs a command today (the list
// of commands a scan may run is in tests/integration/readonly_test.sh, which enforces it).
//
// What the real runner guarantees (each point tested in tests/engine/command_runner_test.cpp):
//   - an argv, never a shell: argv[0] is an absolute path, or a bare name looked up in the fixed
//     k_command_path, never in the caller's PATH (a planted ./dpkg or PATH=/tmp/evil is ignored);
//   - an environment of exactly LANG=C, LC_ALL=C and PATH=k_command_path: nothing of the
//     caller's (no LD_PRELOAD, no proxy settings, no locale that changes the output's format);
//   - standard input from /dev/null, working directory "/";
//   - its own process group, killed whole (SIGKILL) at the timeout, so a grandchild that holds
//     the output pipes open or sleeps forever cannot outlive the call; whatever of the group is
//     left when the command itself exits is killed too;
//   - at most max_output bytes kept of standard output and of standard error each; the rest is
//     read and dropped (memory stays bounded whatever the command writes) and `truncated` says so.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "engine/expected.hpp"

namespace hb {

inline constexpr const char* k_command_path = "/usr/sbin:/usr/bin:/sbin:/bin";

struct CommandResult {
  int exit_code = -1;
  std::string out;  // standard output, at most max_output bytes
  std::string err;  // standard error, at most max_output bytes
  bool truncated = false;  // some output past max_output was dropped
};

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // argv[0]: an absolute path, or a bare name resolved in k_command_path. Errors: invalid (a
  // relative path with a slash, an empty argv), not found, timeout (the process group is killed).
  virtual Expected<CommandResult> run(const std::vector<std::string>& argv,
                                      std::chrono::milliseconds timeout,
                                      std::size_t max_output = 1 << 20) const = 0;
};

// The real runner, on Boost.Process.
std::unique_ptr<CommandRunner> make_process_runner();

// The executable a command name stands for: an absolute path as is (when it exists), a bare
// name as the first executable regular file of that name in k_command_path.
Expected<std::string> resolve_command(const std::string& name);

}  // namespace hb
