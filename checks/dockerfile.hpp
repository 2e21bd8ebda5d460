// Dockerfile: a typed model of a Dockerfile, parsed as BuildKit's Dockerfile frontend reads it
// (the Dockerfile reference, https://docs.docker.com/reference/dockerfile/):
//
//  - parser directives (`# syntax=`, `# escape=` with \ or `, `# check=`) only at the very top:
//    the first line that is not a known directive (a comment, an empty line, an instruction)
//    ends them; a directive given twice, or an escape other than \ and `, is an error;
//  - lines that begin with '#' (after blanks) are comments; '#' elsewhere is an argument;
//  - the escape character as the last non-blank of a line (and not itself escaped) continues
//    the instruction on the next line; comment lines and empty lines inside a continuation are
//    skipped; leading blanks of the first line are dropped, those of continuation lines kept;
//  - instructions are case-insensitive; an unknown one is an error (Docker rejects it);
//  - leading `--name[=value]` words are flags (`--from=`, `--chown=`, `--mount=` ...);
//  - RUN, CMD, ENTRYPOINT, SHELL, ADD, COPY, VOLUME and HEALTHCHECK CMD are in exec form when
//    their arguments are exactly one JSON array of strings; anything else that is not valid
//    JSON is shell form (a valid array holding a non-string is an error, as in Docker);
//  - RUN, COPY and ADD in shell form (and ONBUILD of them) take heredocs: each word
//    `[n]<<[-]WORD` of the line opens one, in order; its body is the following lines up to a
//    line equal to the unquoted WORD (with `<<-`, leading tabs are stripped from the body and
//    the terminator); a quoted WORD means the builder does not expand variables in the body;
//  - ARG before the first FROM declares global build arguments; FROM's image is expanded with
//    them ($V, ${V}, ${V:-w}, ${V-w}, ${V:+w}, ${V+w}, quotes, the escape character);
//  - `FROM image AS name` names a stage; `FROM name` of an earlier stage refers to it.
//
// parse_dockerfile is a pure function of the text: every error names "file:line". It treats the
// text as hostile: at most 4 MiB, 100,000 lines and 10,000 instructions, no recursion deeper
// than a fixed bound, linear in the size of the input. CRLF line ends are accepted; a UTF-8 BOM
// on the first line is dropped.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"

namespace hb {

inline constexpr std::size_t k_dockerfile_max_bytes = 4 * 1024 * 1024;
inline constexpr std::size_t k_dockerfile_max_lines = 100'000;
inline constexpr std::size_t k_dockerfile_max_instructions = 10'000;

struct DockerfileFlag {
  std::string name;   // without the leading "--": "from", "chown", "mount"
  std::string value;  // quotes removed; "" for a flag without '='
  bool has_value = false;
};

struct DockerfileHeredoc {
  std::string name;    // the delimiter, unquoted: EOF
  int fd = 0;          // the descriptor before "<<" (0 when none)
  bool expand = true;  // false when the delimiter was quoted: the body is taken literally
  bool chomp = false;  // "<<-": leading tabs were stripped from each body line
  std::string body;    // the lines between, each ending in '\n' (CR removed)
  int first_line = 0;  // the first body line (== the terminator's line for an empty body)
  int last_line = 0;   // the terminator's line
};

// NAME[=VALUE] of an ARG or ENV instruction, as written (quotes and escapes kept in value).
struct DockerfileAssignment {
  std::string name;
  std::optional<std::string> value;  // nullopt: ARG without a default
};

struct DockerfileInstruction {
  std::string keyword;  // upper case: "RUN", "COPY", "FROM"
  std::vector<DockerfileFlag> flags;
  std::string args;               // after the keyword and flags, continuations joined, trimmed
  bool exec_form = false;         // the arguments are a JSON array (for HEALTHCHECK: after CMD)
  std::vector<std::string> argv;  // that array
  std::vector<DockerfileHeredoc> heredocs;
  std::vector<DockerfileAssignment> assignments;  // ARG and ENV
  std::string onbuild_keyword;                    // ONBUILD: the trigger's keyword, upper case
  int first_line = 0;                             // 1-based
  int last_line = 0;                              // the last line it spans (heredocs included)

  const DockerfileFlag* flag(std::string_view name) const;
};

struct DockerfileStage {
  int index = 0;
  DockerfileInstruction from;
  std::string base;           // the image as written: "python:${PY}-slim", "builder"
  std::string base_resolved;  // after global-ARG substitution: "python:3.12-slim"
  // false when the substitution used an ARG without a default or an undeclared variable (Docker
  // expands those to "" unless --build-arg gives them), or a modifier this parser does not
  // evaluate (${V#p}, ${V%p}, ${V/p/r}); base_resolved is then Docker's result without
  // build arguments.
  bool base_complete = true;
  std::string base_note;                            // why base_complete is false
  std::string name;                                 // the alias, lower case ("" when none)
  std::optional<int> base_stage;                    // the earlier stage that base_resolved names
  std::vector<DockerfileInstruction> instructions;  // after FROM, in order
  int line = 0;                                     // FROM's line

  bool is_scratch() const { return !base_stage && base_resolved == "scratch"; }
};

// Variables for substitution: name -> value; nullopt when declared without a value.
using DockerfileVars = std::map<std::string, std::optional<std::string>>;

struct Dockerfile {
  std::string name;                                // the file, for evidence
  char escape = '\\';                              // '\\' or '`'
  std::string syntax;                              // "# syntax=" value, if any
  std::vector<DockerfileInstruction> global_args;  // ARG before the first FROM
  std::vector<DockerfileStage> stages;             // at least one
  std::size_t instruction_count = 0;
  // The global ARGs' values as FROM sees them without --build-arg (nullopt: no default, or a
  // default that depends on one).
  DockerfileVars globals;
};

struct DockerfileExpansion {
  std::string text;      // the result (unset variables expand to "")
  bool complete = true;  // false: it used an unset or unknown variable, or an unsupported form
  std::string note;      // why it is incomplete ("TAG has no default")
};

// Expands $V, ${V} and the ${V:-w}, ${V-w}, ${V:+w}, ${V+w}, ${V:?m}, ${V?m} forms, removes
// quotes ('...' literal, "..." expanding) and the escape character, as BuildKit's shell lexer
// does for FROM, USER, ENV ... Nesting deeper than 16 levels is left incomplete.
DockerfileExpansion expand_dockerfile_word(std::string_view word, const DockerfileVars& vars,
                                           char escape = '\\');

// The commands of a shell script (a RUN's arguments or heredoc), one word list per simple command:
// quotes removed; `;`, `&&`, `||`, `|`, `&`, newlines, `(`, `)`, `$(` and backquotes separate
// commands; comments and redirections (with their targets and here-document bodies) are dropped.
// A word-level view, not a shell: enough to find `apt-get update` or `chmod 4755` in a RUN.
// Linear in the input.
using ShellCommand = std::vector<std::string>;
std::vector<ShellCommand> shell_commands(std::string_view script);

// Parses the text. `name` is the file name used in errors ("path:line: message").
Expected<Dockerfile> parse_dockerfile(std::string_view text, const std::string& name);

}  // namespace hb
