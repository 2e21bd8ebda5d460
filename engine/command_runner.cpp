#include "engine/command_runner.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <thread>

#include "engine/text.hpp"

namespace hb {

namespace {

namespace bp = boost::process;
using Clock = std::chrono::steady_clock;

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// One output stream: what is kept (at most cap bytes) and whether more was dropped. Reading goes
// on past the cap, so that the command never blocks on a full pipe, but nothing more is kept.
struct Sink {
  std::string data;
  std::size_t cap = 0;
  bool truncated = false;
  std::array<char, 65536> buf{};
};

void pump(bp::async_pipe& pipe, Sink& sink) {
  pipe.async_read_some(boost::asio::buffer(sink.buf),
                       [&pipe, &sink](const boost::system::error_code& ec, std::size_t n) {
                         const std::size_t room = sink.cap - sink.data.size();
                         sink.data.append(sink.buf.data(), std::min(n, room));
                         if (n > room) sink.truncated = true;
                         if (!ec) pump(pipe, sink);
                       });
}

// Whether the child has exited, without reaping it: its pid (and so its process group's id)
// stays reserved until child.wait(), so killpg() below can never hit a recycled pid.
bool has_exited(pid_t pid) {
  siginfo_t si{};
  if (::waitid(P_PID, static_cast<id_t>(pid), &si, WEXITED | WNOHANG | WNOWAIT) != 0)
    return true;  // ECHILD: already reaped
  return si.si_pid == pid;
}

class ProcessRunner final : public CommandRunner {
 public:
  Expected<CommandResult> run(const std::vector<std::string>& argv,
                              std::chrono::milliseconds timeout,
                              std::size_t max_output) const override {
    if (argv.empty()) return make_error(ErrorKind::invalid, "empty command");
    auto exe = resolve_command(argv[0]);
    if (!exe) return exe.error();
    const auto deadline = Clock::now() + timeout;
    Sink out, err;
    out.cap = err.cap = max_output;
    try {
      boost::asio::io_context ioc;
      bp::async_pipe out_pipe(ioc), err_pipe(ioc);
      // The environment: this allowlist and nothing of the caller's.
      bp::environment env;
      env["LANG"] = "C";
      env["LC_ALL"] = "C";
      env["PATH"] = k_command_path;
      std::vector<std::string> args(argv.begin() + 1, argv.end());
      bp::child child(bp::exe = *exe, bp::args = args, bp::env = env, bp::start_dir = "/",
                      bp::std_in < bp::null, bp::std_out > out_pipe, bp::std_err > err_pipe,
                      // In the child, before exec: a process group of its own, so that the
                      // timeout kills everything it started.
                      bp::extend::on_exec_setup = [](auto&) { ::setpgid(0, 0); });
      const pid_t pid = child.id();
      pump(out_pipe, out);
      pump(err_pipe, err);
      // Until both pipes are closed (by the command and everything that inherited them)...
      ioc.run_until(deadline);
      // ... and the command has exited.
      bool exited = has_exited(pid);
      while (!exited && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        exited = has_exited(pid);
      }
      // The whole group goes: at the timeout, and after a normal exit whatever it left behind.
      ::killpg(pid, SIGKILL);
      std::error_code ec;
      child.wait(ec);
      if (!exited || !ioc.stopped())
        return make_error(ErrorKind::timeout, argv[0] + ": no answer within " +
                                                  std::to_string(timeout.count()) +
                                                  " ms; its process group was killed");
      CommandResult r;
      r.exit_code = child.exit_code();
      r.out = std::move(out.data);
      r.err = std::move(err.data);
      r.truncated = out.truncated || err.truncated;
      return r;
    } catch (const std::exception& e) {
      return make_error(ErrorKind::io, argv[0] + ": " + e.what());
    }
  }
};

}  // namespace

Expected<std::string> resolve_command(const std::string& name) {
  if (name.empty()) return make_error(ErrorKind::invalid, "empty command name");
  if (name.front() == '/') {
    if (!is_executable_file(name)) return make_error(ErrorKind::not_found, name + ": not found");
    return name;
  }
  if (name.find('/') != std::string::npos)
    return make_error(ErrorKind::invalid, name + ": a command is an absolute path or a bare name");
  for (auto dir : split(k_command_path, ':')) {
    std::string candidate = std::string(dir) + "/" + name;
    if (is_executable_file(candidate)) return candidate;
  }
  return make_error(ErrorKind::not_found,
                    name + ": not found in " + std::string(k_command_path));
}

std::unique_ptr<CommandRunner> make_process_runner() { return std::make_unique<ProcessRunner>(); }

}  // namespace hb
