// systemd unit files: the line parser, ExecStart= word splitting and $VAR expansion, and
// EnvironmentFile= syntax, all on the same text.
#include <cstddef>
#include <cstdint>
#include <map>

#include "checks/systemd_unit.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = hb::fuzz::as_text(data, size);
  const auto directives = hb::parse_unit_file(text, "/fuzz/docker.service");
  std::vector<std::string> notes;
  const auto env_file = hb::parse_environment_file(text, notes);
  std::map<std::string, std::string> env;
  for (const auto& [name, v] : env_file) env[name] = v.value;
  std::size_t budget = 64;  // keeps one input linear
  for (const auto& d : directives) {
    if (budget-- == 0) break;
    (void)d.where();
    auto words = hb::exec_command_words(d.value);
    (void)hb::expand_exec_words(words, env);
    (void)hb::split_unit_words(d.value);
  }
  return 0;
}
