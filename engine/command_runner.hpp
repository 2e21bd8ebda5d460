// CommandRunner: the one way hostbench runs a program, for facts that no file or kernel
// interface gives. An argv (never a shell), a timeout, a cap on what is kept of the output, an
// empty environment but PATH and LC_ALL=C. The scanner hands probes a runner only when the root
// is the live host; for an offline root ProbeContext::commands is null.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "engine/expected.hpp"

namespace hb {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // standard output, at most max_output bytes
  std::string err;  // standard error, at most max_output bytes
};

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // argv[0] is an absolute path. Errors: not found, timeout (the process is killed).
  virtual Expected<CommandResult> run(const std::vector<std::string>& argv,
                                      std::chrono::milliseconds timeout,
                                      std::size_t max_output = 1 << 20) const = 0;
};

// The real runner, on Boost.Process.
std::unique_ptr<CommandRunner> make_process_runner();

}  // namespace hb
