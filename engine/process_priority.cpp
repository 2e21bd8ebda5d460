#include "engine/process_priority.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace hb {

namespace {
// linux/ioprio.h, which glibc does not wrap.
constexpr int k_ioprio_class_shift = 13;
constexpr int k_ioprio_class_idle = 3;
constexpr int k_ioprio_who_process = 1;
}  // namespace

Expected<Unit> lower_priority() {
  if (::setpriority(PRIO_PROCESS, 0, 19) != 0)
    return make_error(ErrorKind::io, std::string("setpriority: ") + std::strerror(errno));
  const int prio = k_ioprio_class_idle << k_ioprio_class_shift;
  if (::syscall(SYS_ioprio_set, k_ioprio_who_process, 0, prio) != 0)
    return make_error(ErrorKind::io, std::string("ioprio_set: ") + std::strerror(errno));
  return Unit{};
}

}  // namespace hb
