#include "checks/unix_http.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

#include "tests/support/temp_tree.hpp"

using hb::ErrorKind;
using hb::http_get_unix;
using hb::HttpLimits;
using hb::test::running_as_root;
using hb::test::TempTree;

namespace {

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// A listening unix socket in a fresh temporary directory (bound, listening, not yet accepting).
int listening_socket(const std::string& path, bool listen) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (fd < 0 || ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      (listen && ::listen(fd, 4) != 0)) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot listen on " + path);
  }
  return fd;
}

// A one-connection server on a thread: reads the request head, sends `answer`, then closes,
// hangs (until the client goes away) or trickles one byte every 10 ms (for at most 2 s, then
// closes: a client whose deadline is per read, not per exchange, ends in an error that is not
// a timeout). The destructor always wakes the thread through a pipe and joins it, so a failed
// REQUIRE cannot leave it behind.
class CannedServer {
 public:
  enum class After { close, hang, trickle };

  explicit CannedServer(std::string answer, After after = After::close)
      : path_(dir_.root() + "/api.sock"), answer_(std::move(answer)), after_(after) {
    listen_fd_ = listening_socket(path_, true);
    if (::pipe2(stop_, O_CLOEXEC) != 0) {
      ::close(listen_fd_);
      throw std::runtime_error("pipe2");
    }
    thread_ = std::thread([this] { serve(); });
  }
  ~CannedServer() {
    stop();
    ::close(listen_fd_);
    ::close(stop_[0]);
    ::close(stop_[1]);
  }
  CannedServer(const CannedServer&) = delete;
  CannedServer& operator=(const CannedServer&) = delete;

  const std::string& path() const { return path_; }
  // The request head the server received ("" when nobody connected); stops the server first.
  const std::string& request() {
    stop();
    return request_;
  }

 private:
  void stop() {
    if (!thread_.joinable()) return;
    [[maybe_unused]] auto n = ::write(stop_[1], "x", 1);
    thread_.join();
  }
  // Waits until fd is readable; false when told to stop or after timeout_ms (-1: no limit).
  bool wait_readable(int fd, int timeout_ms = -1) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {stop_[0], POLLIN, 0}};
    if (::poll(fds, 2, timeout_ms) <= 0) return false;
    return fds[1].revents == 0;
  }
  bool send_all(int fd, const std::string& s) {
    for (std::size_t off = 0; off < s.size();) {
      const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }
  void serve() {
    if (!wait_readable(listen_fd_)) return;
    const int conn = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) return;
    char buf[4096];
    while (!contains(request_, "\r\n\r\n") && request_.size() < 65536 && wait_readable(conn)) {
      const ssize_t n = ::read(conn, buf, sizeof buf);
      if (n <= 0) break;
      request_.append(buf, static_cast<std::size_t>(n));
    }
    bool open = send_all(conn, answer_);
    if (after_ == After::hang) {
      while (open && wait_readable(conn)) open = ::read(conn, buf, sizeof buf) > 0;
    } else if (after_ == After::trickle) {
      for (int i = 0; open && i < 200; ++i) {
        // Not a sleep to pace the test: the poll returns early when told to stop.
        pollfd stop = {stop_[0], POLLIN, 0};
        if (::poll(&stop, 1, 10) != 0) break;
        open = send_all(conn, "a");
      }
    }
    ::close(conn);
  }

  TempTree dir_;
  std::string path_;
  std::string answer_;
  After after_;
  int listen_fd_ = -1;
  int stop_[2] = {-1, -1};
  std::string request_;  // written by the thread, read only after join
  std::thread thread_;
};

const char* const k_info = "/v1.41/info";

}  // namespace

TEST_CASE("unix_http: 200 with Content-Length, and the request that was sent") {
  CannedServer server(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n"
      "{\"Name\":\"h\"}\n");
  auto r = http_get_unix(server.path(), k_info);
  REQUIRE_MESSAGE(r.ok(), r.message());
  CHECK(r->status == 200);
  CHECK(r->content_type == "application/json");
  CHECK(r->body == "{\"Name\":\"h\"}\n");

  const std::string& req = server.request();
  CHECK(req.rfind("GET /v1.41/info HTTP/1.1\r\n", 0) == 0);
  CHECK(contains(req, "\r\nHost: docker\r\n"));
  CHECK(contains(req, "\r\nUser-Agent: hostbench\r\n"));
  CHECK(contains(req, "\r\nAccept: application/json\r\n"));
  CHECK(contains(req, "\r\nConnection: close\r\n"));
  CHECK(req.size() >= 4);
  CHECK(req.substr(req.size() - 4) == "\r\n\r\n");  // no body follows the head
}

TEST_CASE("unix_http: a chunked body is reassembled") {
  CannedServer server(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\n[{\"Id\r\n"
      "a;ext=1\r\n\":\"abc\"}]\n\r\n"
      "0\r\n\r\n");
  auto r = http_get_unix(server.path(), "/v1.41/containers/json");
  REQUIRE_MESSAGE(r.ok(), r.message());
  CHECK(r->status == 200);
  CHECK(r->body == "[{\"Id\":\"abc\"}]\n");
}

TEST_CASE("unix_http: a body delimited by the server closing the connection") {
  CannedServer server("HTTP/1.1 200 OK\r\n\r\nhello");
  auto r = http_get_unix(server.path(), k_info);
  REQUIRE_MESSAGE(r.ok(), r.message());
  CHECK(r->status == 200);
  CHECK(r->content_type.empty());
  CHECK(r->body == "hello");
}

TEST_CASE("unix_http: a 404 is returned as a status, not an error") {
  CannedServer server(
      "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 29\r\n\r\n"
      "{\"message\":\"No such image\"}\n\n");
  auto r = http_get_unix(server.path(), "/v1.41/images/nope/json");
  REQUIRE_MESSAGE(r.ok(), r.message());
  CHECK(r->status == 404);
  CHECK(r->body == "{\"message\":\"No such image\"}\n\n");
}

TEST_CASE("unix_http: a body over the cap is too_large (Content-Length and chunked)") {
  HttpLimits limits;
  limits.max_body_bytes = 1000;
  SUBCASE("Content-Length") {
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'x'));
    auto r = http_get_unix(server.path(), k_info, limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.kind() == ErrorKind::too_large);
    CHECK(contains(r.message(), "body exceeds 1000 bytes"));
  }
  SUBCASE("chunked") {
    const std::string chunk = "258\r\n" + std::string(600, 'x') + "\r\n";  // 0x258 = 600
    CannedServer server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk +
                        "0\r\n\r\n");
    auto r = http_get_unix(server.path(), k_info, limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.kind() == ErrorKind::too_large);
    CHECK(contains(r.message(), "body exceeds 1000 bytes"));
  }
  SUBCASE("a huge declared length is refused before anything is allocated") {
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000\r\n\r\nxx");
    auto r = http_get_unix(server.path(), k_info, limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.kind() == ErrorKind::too_large);
  }
  SUBCASE("exactly at the cap is fine") {
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'x'));
    auto r = http_get_unix(server.path(), k_info, limits);
    REQUIRE_MESSAGE(r.ok(), r.message());
    CHECK(r->body.size() == 1000);
  }
}

TEST_CASE("unix_http: a header over the cap is too_large") {
  HttpLimits limits;
  limits.max_header_bytes = 1024;
  CannedServer server("HTTP/1.1 200 OK\r\nX-Big: " + std::string(4000, 'h') +
                      "\r\nContent-Length: 0\r\n\r\n");
  auto r = http_get_unix(server.path(), k_info, limits);
  REQUIRE_FALSE(r.ok());
  CHECK(r.kind() == ErrorKind::too_large);
  CHECK(contains(r.message(), "header exceeds 1024 bytes"));
}

TEST_CASE("unix_http: a server that never answers, or trickles, times out") {
  HttpLimits limits;
  limits.timeout = std::chrono::milliseconds(200);
  SUBCASE("silent") {
    CannedServer server("", CannedServer::After::hang);
    auto r = http_get_unix(server.path(), k_info, limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.kind() == ErrorKind::timeout);
    CHECK(contains(r.message(), "200 ms"));
  }
  SUBCASE("trickling a header that never ends") {
    CannedServer server("HTTP/1.1 200 OK\r\nX-Slow: ", CannedServer::After::trickle);
    auto r = http_get_unix(server.path(), k_info, limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.kind() == ErrorKind::timeout);
  }
  SUBCASE("trickling a body") {
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n",
                        CannedServer::After::trickle);
    auto r = http_get_unix(server.path(), k_info, limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.kind() == ErrorKind::timeout);
  }
}

TEST_CASE("unix_http: the server closing before the response is complete is an io error") {
  SUBCASE("mid-body") {
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\":");
    auto r = http_get_unix(server.path(), k_info);
    REQUIRE_FALSE(r.ok());
    CHECK(r.kind() == ErrorKind::io);
    CHECK(contains(r.message(), "closed before the response was complete"));
  }
  SUBCASE("mid-chunk") {
    CannedServer server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc");
    auto r = http_get_unix(server.path(), k_info);
    REQUIRE_FALSE(r.ok());
    CHECK(r.kind() == ErrorKind::io);
  }
  SUBCASE("before any byte") {
    CannedServer server("");
    auto r = http_get_unix(server.path(), k_info);
    REQUIRE_FALSE(r.ok());
    CHECK(r.kind() == ErrorKind::io);
  }
}

TEST_CASE("unix_http: an answer that is not HTTP is a parse error") {
  for (const char* answer : {"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n",
                             "HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n",
                             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
    CAPTURE(answer);
    CannedServer server(answer);
    auto r = http_get_unix(server.path(), k_info);
    REQUIRE_FALSE(r.ok());
    CHECK(r.kind() == ErrorKind::parse);
    CHECK(contains(r.message(), server.path() + ": GET /v1.41/info: not an HTTP response"));
  }
}

TEST_CASE("unix_http: connect failures: missing socket, refused, permission denied") {
  TempTree dir;
  SUBCASE("missing") {
    const std::string path = dir.root() + "/docker.sock";
    auto r = http_get_unix(path, k_info);
    REQUIRE_FALSE(r.ok());
    CHECK(r.kind() == ErrorKind::not_found);
    CHECK(r.message() == path + ": GET /v1.41/info: no such socket");
  }
  SUBCASE("refused: bound but not listening") {
    const std::string path = dir.root() + "/docker.sock";
    const int fd = listening_socket(path, false);
    auto r = http_get_unix(path, k_info);
    ::close(fd);
    REQUIRE_FALSE(r.ok());
    CHECK(r.kind() == ErrorKind::io);
    CHECK(contains(r.message(), path + ": GET /v1.41/info: connection refused"));
  }
  SUBCASE("permission denied: socket mode 000") {
    if (running_as_root()) {
      MESSAGE("skipped: root connects to a mode 000 socket");
      return;
    }
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    REQUIRE(::chmod(server.path().c_str(), 0) == 0);
    auto r = http_get_unix(server.path(), k_info);
    REQUIRE_FALSE(r.ok());
    CHECK(r.kind() == ErrorKind::io);
    CHECK(contains(r.message(), server.path() + ": GET /v1.41/info: permission denied"));
  }
}

TEST_CASE("unix_http: a socket path longer than sun_path is invalid, one byte shorter is tried") {
  const std::size_t max = sizeof(sockaddr_un{}.sun_path) - 1;  // room for the NUL
  const std::string base = "/nonexistent-hostbench-dir/";
  const std::string fits = base + std::string(max - base.size(), 's');
  const std::string too_long = fits + "s";
  auto r1 = http_get_unix(fits, k_info);
  REQUIRE_FALSE(r1.ok());
  CHECK(r1.kind() == ErrorKind::not_found);
  auto r2 = http_get_unix(too_long, k_info);
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.kind() == ErrorKind::invalid);
  auto r3 = http_get_unix(base + std::string(4000, 'x'), k_info);
  REQUIRE_FALSE(r3.ok());
  CHECK(r3.kind() == ErrorKind::invalid);
}

TEST_CASE("unix_http: a target with CR/LF, spaces or non-ASCII is invalid and nothing is sent") {
  CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  for (const std::string target : {"/v1.41/containers/x\r\nHost: evil\r\n\r\n/json",
                                   "/v1.41/containers/a b/json", "/v1.41/\x80", "v1.41/info", ""}) {
    CAPTURE(target);
    auto r = http_get_unix(server.path(), target);
    REQUIRE_FALSE(r.ok());
    CHECK(r.kind() == ErrorKind::invalid);
    CHECK(r.message().find_first_of("\r\n") == std::string::npos);  // one inert line
  }
  auto r = http_get_unix(server.path(), "/v1.41/containers/x\r\nHost: evil/json");
  REQUIRE_FALSE(r.ok());
  CHECK(contains(r.message(), "GET /v1.41/containers/x\\x0d\\x0aHost: evil/json: "));
  CHECK(server.request().empty());  // refused before connecting
}
