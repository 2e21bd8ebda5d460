// /proc/net/{tcp,tcp6,udp,udp6}: the same text as each of the four files, and the
// formatting of every socket parsed.
#include <cstddef>
#include <cstdint>

#include "checks/proc_net.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = hb::fuzz::as_text(data, size);
  for (auto proto : {hb::NetProto::tcp, hb::NetProto::udp})
    for (bool v6 : {false, true}) {
      auto sockets = hb::parse_proc_net(text, proto, v6, hb::proc_net_file(proto, v6));
      if (!sockets) continue;
      for (const auto& s : *sockets) {
        (void)hb::is_listening(s);
        (void)hb::is_loopback(s);
        (void)hb::endpoint_text(s);
      }
    }
  (void)hb::parse_socket_link(text);
  return 0;
}
