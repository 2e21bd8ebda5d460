// Dockerfiles: directives, continuations, heredocs, exec form, stages and ARG expansion; the
// shell-command splitter on every RUN.
#include <cstddef>
#include <cstdint>

#include "checks/dockerfile.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = hb::fuzz::as_text(data, size);
  auto df = hb::parse_dockerfile(text, "/fuzz/Dockerfile");
  if (df) {
    for (const auto& stage : df->stages)
      for (const auto& ins : stage.instructions) {
        if (ins.keyword == "RUN" && !ins.exec_form) (void)hb::shell_commands(ins.args);
        for (const auto& h : ins.heredocs) (void)hb::shell_commands(h.body);
        if (ins.keyword == "USER") (void)hb::expand_dockerfile_word(ins.args, df->globals, df->escape);
      }
  }
  // The word expander and the splitter on raw text, capped to keep one input cheap.
  const auto head = text.substr(0, 4096);
  hb::DockerfileVars vars{{"A", "x"}, {"B", std::nullopt}, {"TAG", "1.0"}};
  (void)hb::expand_dockerfile_word(head, vars, '\\');
  (void)hb::expand_dockerfile_word(head, vars, '`');
  (void)hb::shell_commands(head);
  return 0;
}
