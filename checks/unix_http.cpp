#include "checks/unix_http.hpp"

#include <sys/un.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <limits>
#include <new>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

namespace hb {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using local_stream = net::local::stream_protocol;
using boost::system::error_code;
namespace errc = boost::system::errc;

// Room the read buffer gets beyond the header cap. Beast moves body bytes into the string as
// they are parsed, so the buffer only ever holds the unparsed header (capped by header_limit)
// plus one read; the cap stops a chunk-size line or trailer that never ends from growing it.
constexpr std::size_t k_read_slack = 64 * 1024;

// For messages: the target and the socket path may come from hostile files, so control bytes
// and non-ASCII are shown as \xNN and the message stays one inert line.
std::string printable(const std::string& s) {
  std::string out;
  for (const unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

// An origin-form target ("/v1.41/containers/ID/json"): it is copied into the request line, so
// a space, CR or LF would let a hostile container id rewrite the request.
bool valid_target(const std::string& t) {
  return !t.empty() && t.front() == '/' &&
         std::all_of(t.begin(), t.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// What went wrong, phrased for people, with the ErrorKind the header promises.
Error classify(const error_code& ec, bool connecting, const HttpLimits& limits) {
  if (ec == beast::error::timeout)
    return make_error(ErrorKind::timeout, "no complete answer within " +
                                              std::to_string(limits.timeout.count()) + " ms");
  if (connecting) {
    if (ec == errc::no_such_file_or_directory || ec == errc::not_a_directory)
      return make_error(ErrorKind::not_found, "no such socket");
    if (ec == errc::connection_refused)
      return make_error(ErrorKind::io, "connection refused (nothing is listening)");
    if (ec == errc::permission_denied || ec == errc::operation_not_permitted)
      return make_error(ErrorKind::io, "permission denied");
    return make_error(ErrorKind::io, "connect: " + ec.message());
  }
  if (ec == http::error::buffer_overflow)  // see k_read_slack
    return make_error(ErrorKind::too_large, "a response header or chunk line exceeds " +
                                                std::to_string(limits.max_header_bytes) + " + " +
                                                std::to_string(k_read_slack) + " bytes");
  if (ec == http::error::header_limit)
    return make_error(ErrorKind::too_large, "response header exceeds " +
                                                std::to_string(limits.max_header_bytes) + " bytes");
  if (ec == http::error::body_limit)
    return make_error(ErrorKind::too_large,
                      "response body exceeds " + std::to_string(limits.max_body_bytes) + " bytes");
  // The peer hung up before a whole message: a transport failure, not a malformed answer.
  if (ec == http::error::end_of_stream || ec == http::error::partial_message)
    return make_error(ErrorKind::io, "connection closed before the response was complete");
  if (ec.category() == make_error_code(http::error::bad_version).category())  // bad_chunk ...
    return make_error(ErrorKind::parse, "not an HTTP response: " + ec.message());
  return make_error(ErrorKind::io, ec.message());
}

// One exchange, driven by async operations on one io_context. The basic_stream holds a single
// expiry time point: every operation started before it passes waits on that same time point
// (expires_after is called once, never re-armed), so connect + write + all the reads share one
// budget and a server that trickles a byte at a time still times out. When it passes, the stream
// closes the socket and the pending operation completes with beast::error::timeout.
class Exchange {
 public:
  explicit Exchange(const HttpLimits& limits)
      : limits_(limits), stream_(ioc_), buffer_(buffer_cap(limits)) {
    parser_.header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(limits.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    parser_.body_limit(static_cast<std::uint64_t>(limits.max_body_bytes));
  }

  Expected<HttpResponse> run(const std::string& socket_path, const std::string& target) {
    request_.method(http::verb::get);
    request_.target(target);
    request_.version(11);
    request_.set(http::field::host, "docker");  // Docker rejects requests without one
    request_.set(http::field::user_agent, "hostbench");
    request_.set(http::field::accept, "application/json");
    request_.set(http::field::connection, "close");

    stream_.expires_after(limits_.timeout);
    stream_.async_connect(local_stream::endpoint(socket_path), [this](const error_code& ec) {
      if (ec) return fail(ec, true);
      http::async_write(stream_, request_, [this](const error_code& wec, std::size_t) {
        if (wec) return fail(wec, false);
        // The header first, then the body: see check_content_length.
        http::async_read_header(stream_, buffer_, parser_,
                                [this](const error_code& hec, std::size_t) {
                                  if (hec) return fail(hec, false);
                                  if (!check_content_length()) return;
                                  http::async_read(stream_, buffer_, parser_,
                                                   [this](const error_code& rec, std::size_t) {
                                                     if (rec) return fail(rec, false);
                                                     done_ = true;
                                                   });
                                });
      });
    });
    ioc_.run();  // returns when the chain above has ended, one way or the other

    if (error_) return *error_;
    if (!done_) return make_error(ErrorKind::io, "the exchange stopped without a result");
    const auto& res = parser_.get();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    if (auto it = res.find(http::field::content_type); it != res.end())
      out.content_type = std::string(it->value());
    out.body = std::move(parser_.get().body());
    return out;
  }

 private:
  static std::size_t buffer_cap(const HttpLimits& limits) {
    return limits.max_header_bytes > std::numeric_limits<std::size_t>::max() - k_read_slack
               ? std::numeric_limits<std::size_t>::max()
               : limits.max_header_bytes + k_read_slack;
  }
  void fail(const error_code& ec, bool connecting) { error_ = classify(ec, connecting, limits_); }

  // Beast 1.74 checks body_limit against Content-Length once, when the header completes, and in
  // eager mode (what http::async_read uses) it drops that error when body bytes came in the same
  // read: the body is then read whole, whatever its size (string_body even reserves the declared
  // length up front). So the header is read on its own, non-eager, and the declared length is
  // checked here too, before a body byte is stored. Chunked and close-delimited bodies are
  // counted by the parser as they arrive.
  bool check_content_length() {
    if (const auto length = parser_.content_length(); length && *length > limits_.max_body_bytes) {
      fail(http::error::body_limit, false);
      return false;
    }
    return true;
  }

  const HttpLimits& limits_;
  net::io_context ioc_;  // declared before the stream, which uses it
  beast::basic_stream<local_stream> stream_;
  beast::flat_buffer buffer_;
  http::request<http::empty_body> request_;
  http::response_parser<http::string_body> parser_;
  std::optional<Error> error_;
  bool done_ = false;
};

}  // namespace

Expected<HttpResponse> http_get_unix(const std::string& socket_path, const std::string& target,
                                     const HttpLimits& limits) {
  const std::string where = printable(socket_path) + ": GET " + printable(target) + ": ";
  auto failed = [&](Error e) {
    e.message = where + e.message;
    return e;
  };

  // sun_path holds the path and its terminating NUL; Asio would throw on a longer path. A NUL
  // inside the path would silently cut it (or name an abstract socket): refuse both up front.
  if (socket_path.empty() || socket_path.find('\0') != std::string::npos ||
      socket_path.size() >= sizeof(sockaddr_un{}.sun_path))
    return failed(make_error(ErrorKind::invalid,
                             "socket path is empty, contains NUL or is longer than " +
                                 std::to_string(sizeof(sockaddr_un{}.sun_path) - 1) + " bytes"));
  if (!valid_target(target))
    return failed(
        make_error(ErrorKind::invalid,
                   "request target must start with '/' and be printable ASCII without spaces"));
  if (limits.timeout.count() <= 0)
    return failed(make_error(ErrorKind::invalid, "timeout must be positive"));

  try {
    Exchange exchange(limits);
    auto result = exchange.run(socket_path, target);
    if (!result) return failed(result.error());
    return result;
  } catch (const boost::system::system_error& e) {
    return failed(make_error(ErrorKind::io, e.code().message()));
  } catch (const std::bad_alloc&) {
    return failed(make_error(ErrorKind::too_large, "out of memory"));
  } catch (const std::exception& e) {
    return failed(make_error(ErrorKind::io, e.what()));
  }
}

}  // namespace hb
