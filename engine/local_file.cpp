#include "engine/local_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>

#include "engine/unique_fd.hpp"

namespace hb {

std::optional<Error> read_local_file_into(const std::string& path, std::size_t cap,
                                          std::string& out) {
  out.clear();
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked before reading.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (!fd.valid()) {
    auto kind = errno == ENOENT ? ErrorKind::not_found : ErrorKind::io;
    return make_error(kind, path + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return make_error(ErrorKind::io, path + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return make_error(ErrorKind::not_regular, path + ": not a regular file");
  auto too_large = [&] {
    out.clear();
    return make_error(ErrorKind::too_large, path + ": larger than " + std::to_string(cap) + " bytes");
  };
  if (static_cast<std::size_t>(st.st_size) > cap) return too_large();
  // Read straight into `out`; the file may grow or shrink while it is read, so the size from
  // fstat is only the first guess and the cap is checked against what was read.
  std::size_t got = 0;
  out.resize(std::min(cap, static_cast<std::size_t>(st.st_size)) + 1);
  for (;;) {
    if (got == out.size()) {
      if (got > cap) return too_large();
      out.resize(std::min(cap + 1, got + std::max<std::size_t>(got, 65536)));
    }
    ssize_t n = ::read(fd.get(), out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      out.clear();
      return make_error(ErrorKind::io, path + ": " + std::strerror(err));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got > cap) return too_large();
  out.resize(got);
  return std::nullopt;
}

Expected<std::string> read_local_file(const std::string& path, std::size_t cap) {
  std::string out;
  if (auto err = read_local_file_into(path, cap, out)) return std::move(*err);
  return out;
}

}  // namespace hb
