// dockerd's command line as pflag parses it: one argument per line of the input.
#include <cstddef>
#include <cstdint>

#include "checks/dockerd_flags.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto words = hb::fuzz::split_lines(hb::fuzz::as_text(data, size));
  std::vector<std::string> notes;
  auto flags = hb::parse_dockerd_flags(words, notes);
  for (const auto& [key, value] : flags) {
    (void)value.dump(-1, ' ', false, hb::Json::error_handler_t::strict);  // valid UTF-8 promised
    if (const auto* spec = hb::dockerd::setting_spec(key)) (void)hb::dockerd::type_ok(spec->kind, value);
  }
  std::vector<hb::dockerd::Arg> args;
  for (const auto& w : words) {
    args.push_back({w, "fuzz:1 ExecStart"});
    (void)hb::dockerd::parse_go_bool(w);
    (void)hb::dockerd::parse_go_int(w);
    (void)hb::dockerd::known_file_key(w);
  }
  auto parsed = hb::dockerd::parse_flags(args, notes);
  for (const auto& [key, value] : parsed.values)
    (void)value.value.dump(-1, ' ', false, hb::Json::error_handler_t::strict);
  return 0;
}
