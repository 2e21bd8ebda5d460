#include "engine/local_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "engine/unique_fd.hpp"

namespace hb {

Expected<std::string> read_local_file(const std::string& path, std::size_t cap) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked before reading.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (!fd.valid()) {
    auto kind = errno == ENOENT ? ErrorKind::not_found : ErrorKind::io;
    return make_error(kind, path + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return make_error(ErrorKind::io, path + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return make_error(ErrorKind::not_regular, path + ": not a regular file");
  if (static_cast<std::size_t>(st.st_size) > cap)
    return make_error(ErrorKind::too_large, path + ": larger than " + std::to_string(cap) + " bytes");
  std::string out;
  out.reserve(static_cast<std::size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(ErrorKind::io, path + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > cap)
      return make_error(ErrorKind::too_large, path + ": larger than " + std::to_string(cap) + " bytes");
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace hb
