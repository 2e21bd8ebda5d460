// PamConfig: the lines of one /etc/pam.d file as Linux-PAM 1.5 (libpam/pam_handlers.c) reads
// them, without following includes (pam_probe does that, depth-limited).
//
//   TYPE  CONTROL  MODULE-PATH  ARGS...      TYPE: auth, account, password, session (any case);
//                                            a leading '-' skips a missing module silently
//   TYPE  include|substack  FILE             FILE's lines of TYPE
//   @include FILE                            all of FILE's lines
//
// '#' starts a comment anywhere on a line; a backslash at the end of a line (before trailing
// blanks) joins the next line. CONTROL is a word or "[value=action ...]"; a token starting with
// '[' (a control or an argument) runs to the next ']' not escaped as "\]" and may hold blanks, as
// in _pam_StrTok. A line PAM would reject (unknown type, missing control or module) is kept as
// Kind::invalid with the reason: PAM then fails the whole stack, so a verdict must not ignore it.
//
// parse_pam_config is pure (a fuzzing target), iterative, and reads at most k_max_pam_lines
// lines of at most k_max_pam_line_bytes each (joined).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hb {

enum class PamType { auth, account, password, session };
std::string_view to_string(PamType t);
std::optional<PamType> parse_pam_type(std::string_view s);  // case-insensitive

struct PamLine {
  enum class Kind { module, include, substack, include_all, invalid };
  Kind kind = Kind::module;
  int line = 0;                 // the first physical line, 1-based
  std::optional<PamType> type;  // unset for @include and for some invalid lines
  bool dash = false;            // "-auth": a missing module is skipped
  std::string control;          // "required", "[success=1 default=ignore]"
  std::string module;           // the path as written: "pam_unix.so", "/lib/.../pam_unix.so"
  std::vector<std::string> args;
  std::string target;  // include, substack, @include: the file named
  std::string reason;  // invalid: why PAM rejects the line

  // The module's file name without directories: "pam_unix.so".
  std::string module_name() const;
  // The line as PAM sees it, for evidence: "auth [success=1 default=ignore] pam_unix.so nullok".
  std::string text() const;
};

inline constexpr std::size_t k_max_pam_lines = 100'000;
inline constexpr std::size_t k_max_pam_line_bytes = 64 * 1024;

std::vector<PamLine> parse_pam_config(std::string_view text);

}  // namespace hb
