// engine/fleet: the merge's skimming reader of saved results on hostile text. Whatever it
// accepts must be JSON (when the text is valid UTF-8, nlohmann must accept it too), and where the
// scanner's full reader (read_json_report) also accepts the text, both must agree on every rule.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "engine/fleet.hpp"
#include "engine/text.hpp"
#include "reports/json_report.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = hb::fuzz::as_text(data, size);
  auto skim = hb::skim_results(text);
  if (!skim) return 0;
  const std::string copy(text);
  if (hb::sanitize_utf8(copy) == copy && !nlohmann::json::accept(copy)) __builtin_trap();
  auto full = hb::read_json_report(copy);
  if (!full) return 0;
  if (full->results.size() != skim->results.size()) __builtin_trap();
  for (std::size_t i = 0; i < skim->results.size(); ++i) {
    if (skim->results[i].id != hb::sanitize_utf8(full->results[i].meta.id)) __builtin_trap();
    if (skim->results[i].status != full->results[i].status) __builtin_trap();
    if (skim->results[i].severity != full->results[i].meta.severity) __builtin_trap();
  }
  return 0;
}
