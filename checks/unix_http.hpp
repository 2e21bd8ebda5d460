// A minimal HTTP/1.1 client for local daemons that answer on a unix socket (the Docker Engine
// API). GET only; one request per connection ("Connection: close"). Built on Boost.Beast over
// a local stream socket. Every answer is hostile input: one deadline covers connect, write and
// read; the header block and the body are capped; chunked and Content-Length bodies are both
// read by Beast's parser, never by hand. Nothing here throws: every failure is an Error whose
// message names the socket and the request target.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "engine/expected.hpp"

namespace hb {

struct HttpLimits {
  std::chrono::milliseconds timeout{5000};  // for the whole exchange
  std::size_t max_header_bytes = 64 * 1024;
  std::size_t max_body_bytes = 32 * 1024 * 1024;
};

struct HttpResponse {
  int status = 0;            // 200, 404 ...
  std::string content_type;  // the Content-Type header, as sent ("" when absent)
  std::string body;
};

// GET `target` ("/v1.41/info") from the server listening on the unix socket `socket_path` (a
// path on the scanner's own filesystem). Errors: ErrorKind::not_found (no such socket),
// io (connection refused, permission denied: the message says which; also a server that hangs
// up before the response is complete), timeout, too_large (a cap was hit; the message names it),
// parse (not HTTP), invalid (a target that is not "/" followed by printable ASCII without
// spaces, a socket path longer than sun_path allows, a non-positive timeout; nothing is sent).
// Messages read "<socket>: GET <target>: <what>", control bytes shown as \xNN.
// A non-2xx status is not an error here: the caller decides.
Expected<HttpResponse> http_get_unix(const std::string& socket_path, const std::string& target,
                                     const HttpLimits& limits = {});

}  // namespace hb
