#include "engine/process_priority.hpp"

#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

TEST_CASE("--nice: niceness 19 and the idle IO class, inherited by threads started afterwards") {
  // In a child process, so the test binary keeps its own priority.
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (!hb::lower_priority()) ::_exit(10);
    int code = 0;
    std::thread t([&] {
      errno = 0;
      int nice = ::getpriority(PRIO_PROCESS, 0);  // this thread (Linux: per thread)
      long io = ::syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, 0);
      if (nice != 19) code = 11;
      else if ((io >> 13) != 3 /* IOPRIO_CLASS_IDLE */) code = 12;
    });
    t.join();
    ::_exit(code);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
