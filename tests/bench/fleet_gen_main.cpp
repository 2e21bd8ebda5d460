// hostbench_fleet_gen DIR HOSTS RULES [PADDING]: writes DIR/host-NNNNN.json for a fleet of
// HOSTS synthetic hosts of RULES rules each (tests/support/fleet_gen.hpp; PADDING bytes of text
// per result, default 900, about a real host's size). For tests/bench/fleet_bench.sh and the
// fleet tests that need many files.
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/support/fleet_gen.hpp"

namespace {

bool number(const char* s, unsigned long& out) {
  std::string_view v(s);
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() && end == v.data() + v.size();
}

}  // namespace

int main(int argc, char** argv) {
  unsigned long hosts = 0, rules = 0, padding = 900;
  if ((argc != 4 && argc != 5) || !number(argv[2], hosts) || !number(argv[3], rules) ||
      (argc == 5 && !number(argv[4], padding)) || rules == 0 || rules > 100000 || hosts > 1000000) {
    std::fprintf(stderr, "usage: hostbench_fleet_gen DIR HOSTS RULES [PADDING]\n");
    return 2;
  }
  hb::test::FleetGenOptions opt;
  opt.rules = static_cast<unsigned>(rules);
  opt.padding = padding;
  opt.now_epoch = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  const std::string dir = argv[1];
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  std::vector<int> failed(threads);
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      char name[32];
      for (unsigned long h = t; h < hosts; h += threads) {
        std::string text = hb::test::synthetic_results(opt, static_cast<unsigned>(h));
        std::snprintf(name, sizeof name, "/host-%05lu.json", h);
        std::FILE* f = std::fopen((dir + name).c_str(), "wb");
        if (!f || std::fwrite(text.data(), 1, text.size(), f) != text.size() || std::fclose(f) != 0) {
          std::fprintf(stderr, "hostbench_fleet_gen: %s%s: %s\n", dir.c_str(), name, std::strerror(errno));
          failed[t] = 1;
          return;
        }
      }
    });
  for (auto& t : pool) t.join();
  for (int f : failed)
    if (f) return 1;
  return 0;
}
