#include "engine/command_runner.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/process.hpp>
#include <filesystem>
#include <future>

namespace hb {

namespace {

namespace bp = boost::process;

class ProcessRunner final : public CommandRunner {
 public:
  Expected<CommandResult> run(const std::vector<std::string>& argv,
                              std::chrono::milliseconds timeout,
                              std::size_t max_output) const override {
    if (argv.empty() || argv[0].empty() || argv[0].front() != '/')
      return make_error(ErrorKind::invalid, "command must be an absolute path");
    std::error_code fs_ec;
    if (!std::filesystem::exists(argv[0], fs_ec))
      return make_error(ErrorKind::not_found, argv[0] + ": not found");
    try {
      boost::asio::io_context ioc;
      std::future<std::string> out, err;
      bp::environment env;
      env["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
      env["LC_ALL"] = "C";
      std::vector<std::string> args(argv.begin() + 1, argv.end());
      bp::child child(bp::exe = argv[0], bp::args = args, bp::env = env, bp::std_in.close(),
                      bp::std_out > out, bp::std_err > err, ioc);
      ioc.run_for(timeout);
      if (!ioc.stopped()) {
        std::error_code ec;
        child.terminate(ec);
        return make_error(ErrorKind::timeout, argv[0] + ": no answer within " +
                                                  std::to_string(timeout.count()) + " ms");
      }
      child.wait();
      CommandResult r;
      r.exit_code = child.exit_code();
      r.out = out.get();
      r.err = err.get();
      if (r.out.size() > max_output) r.out.resize(max_output);
      if (r.err.size() > max_output) r.err.resize(max_output);
      return r;
    } catch (const std::exception& e) {
      return make_error(ErrorKind::io, argv[0] + ": " + e.what());
    }
  }
};

}  // namespace

std::unique_ptr<CommandRunner> make_process_runner() { return std::make_unique<ProcessRunner>(); }

}  // namespace hb
