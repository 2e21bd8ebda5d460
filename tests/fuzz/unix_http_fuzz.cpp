// The Engine API client's HTTP/1.1 response handling (checks/unix_http): the input is what a
// hostile server sends back on a real unix socket (a private directory under $TMPDIR, created
// once per process), after which it closes the connection. The whole client runs: Beast's parser
// with the header and body caps, the Content-Length check, chunked bodies, the error mapping.
// A complete 200 answer's body then goes through the JSON parser, as the inventory does.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "checks/unix_http.hpp"
#include "engine/json_text.hpp"

namespace {

class Server {
 public:
  Server() {
    const char* tmp = std::getenv("TMPDIR");
    dir_ = std::string(tmp && *tmp ? tmp : "/tmp") + "/hb-fuzz-http-XXXXXX";
    if (!mkdtemp(dir_.data())) std::abort();
    path_ = dir_ + "/s";
    listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_, 4) != 0)
      std::abort();
    std::atexit([] { instance().cleanup(); });
    std::thread([this] { serve(); }).detach();
  }

  static Server& instance() {
    static Server* s = new Server();  // never destroyed: the thread outlives main's return
    return *s;
  }

  const std::string& path() const { return path_; }

  // The answer for the next connection.
  void set_answer(std::string answer) {
    std::lock_guard<std::mutex> lock(mu_);
    answer_ = std::move(answer);
  }

 private:
  void serve() {
    for (;;) {
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR) continue;
        return;
      }
      // The request: up to the blank line that ends its header (the client sends no body).
      std::string request;
      char buf[1024];
      while (request.find("\r\n\r\n") == std::string::npos && request.size() < 16384) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        request.append(buf, static_cast<std::size_t>(n));
      }
      std::string answer;
      {
        std::lock_guard<std::mutex> lock(mu_);
        answer = answer_;
      }
      std::size_t off = 0;
      while (off < answer.size()) {
        const ssize_t n = ::send(fd, answer.data() + off, answer.size() - off, MSG_NOSIGNAL);
        if (n <= 0) break;
        off += static_cast<std::size_t>(n);
      }
      ::shutdown(fd, SHUT_WR);
      while (::recv(fd, buf, sizeof buf, 0) > 0) {
      }
      ::close(fd);
    }
  }

  void cleanup() {
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }

  std::string dir_, path_;
  int listener_ = -1;
  std::mutex mu_;
  std::string answer_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Server& server = Server::instance();
  server.set_answer(std::string(reinterpret_cast<const char*>(data), size));
  hb::HttpLimits limits;
  limits.timeout = std::chrono::milliseconds(2000);
  limits.max_header_bytes = 2048;
  limits.max_body_bytes = 8192;
  auto r = hb::http_get_unix(server.path(), "/v1.41/info", limits);
  if (r && r->status == 200) (void)hb::parse_json_text("GET /info", r->body);
  return 0;
}
