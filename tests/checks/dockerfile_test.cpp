// The Dockerfile parser against the Dockerfile reference
// (https://docs.docker.com/reference/dockerfile/, "the reference" below). Each tricky-syntax case
// quotes the statements it follows; where BuildKit's parser (moby/buildkit
// frontend/dockerfile/parser) settles what the reference leaves open, the case says so.
#include "checks/dockerfile.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(HB_FIXTURES_DIR) + "/dockerfiles/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

hb::Dockerfile parse_ok(const std::string& text, const std::string& name = "Dockerfile") {
  auto r = hb::parse_dockerfile(text, name);
  if (!r) FAIL_CHECK(r.message());
  REQUIRE(r.ok());
  return std::move(r).value();
}

std::string parse_error(const std::string& text) {
  auto r = hb::parse_dockerfile(text, "Dockerfile");
  REQUIRE_FALSE(r.ok());
  return r.message();
}

const hb::DockerfileInstruction& ins(const hb::Dockerfile& df, std::size_t stage, std::size_t i) {
  REQUIRE(stage < df.stages.size());
  REQUIRE(i < df.stages[stage].instructions.size());
  return df.stages[stage].instructions[i];
}

using Strings = std::vector<std::string>;

// Fails the test case when the parse takes longer than a (generous) bound: hostile input must
// not be quadratic.
template <class F>
void fast(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3));
}

}  // namespace

TEST_CASE("dockerfile parser: stages, aliases, lines and exec-form argv") {
  // Reference, FROM: "FROM [--platform=<platform>] <image> [AS <name>]"; "Optionally a name can
  // be given to a new build stage by adding AS name ... The name can be used in subsequent FROM
  // and COPY --from=<name> instructions".
  const auto df = parse_ok(fixture("good/minimal_final_stage.Dockerfile"), "x/Dockerfile");
  CHECK(df.syntax == "docker/dockerfile:1");
  REQUIRE(df.stages.size() == 2);
  CHECK(df.stages[0].base == "golang:1.22");
  CHECK(df.stages[0].name == "build");
  CHECK(df.stages[0].line == 2);
  CHECK(df.stages[0].instructions.size() == 3);
  CHECK(ins(df, 0, 2).keyword == "RUN");
  CHECK(ins(df, 0, 2).args == "CGO_ENABLED=0 go build -o /out/app ./cmd/app");
  CHECK_FALSE(ins(df, 0, 2).exec_form);
  CHECK(df.stages[1].base_resolved == "gcr.io/distroless/static-debian12:nonroot");
  CHECK(df.stages[1].line == 7);
  CHECK_FALSE(df.stages[1].base_stage.has_value());
  const auto& copy = ins(df, 1, 0);
  REQUIRE(copy.flag("from") != nullptr);
  CHECK(copy.flag("from")->value == "build");
  CHECK(copy.args == "/out/app /app");
  const auto& ep = ins(df, 1, 2);
  CHECK(ep.keyword == "ENTRYPOINT");
  CHECK(ep.exec_form);
  CHECK(ep.argv == Strings{"/app"});
  CHECK(ep.first_line == 10);
  CHECK(ep.last_line == 10);
  CHECK(df.instruction_count == 8);
}

TEST_CASE("dockerfile parser: continuations skip comment and empty lines") {
  // Reference, Format: "Comment lines are removed before the Dockerfile instructions are
  // executed ... RUN echo hello \ # comment world" equals "RUN echo hello \ world"; "leading
  // whitespace before comments (#) and instructions (such as RUN) are ignored"; "whitespace in
  // instruction arguments ... are preserved"; "A # marker anywhere else in a line is treated as an
  // argument". Empty continuation lines are skipped as BuildKit does (with a warning).
  const auto df = parse_ok(fixture("syntax/continuations.Dockerfile"));
  REQUIRE(df.stages.size() == 1);
  REQUIRE(df.stages[0].instructions.size() == 2);
  const auto& apk = ins(df, 0, 0);
  CHECK(apk.args == "apk add --no-cache       curl       git");
  CHECK(apk.first_line == 2);
  CHECK(apk.last_line == 6);
  const auto& echo = ins(df, 0, 1);
  CHECK(echo.first_line == 8);
  CHECK(echo.last_line == 9);
  CHECK(echo.args == "echo \"a # is an argument here\"   && echo done");
  // An escaped escape character at the end of a line continues nothing (BuildKit's
  // line-continuation rule: the escape character must not itself be escaped).
  const auto esc = parse_ok("FROM x:1\nRUN echo a\\\\\nUSER app\n");
  REQUIRE(esc.stages[0].instructions.size() == 2);
  CHECK(esc.stages[0].instructions[0].args == "echo a\\\\");
}

TEST_CASE("dockerfile parser: the backtick escape directive") {
  // Reference, escape: "# escape=` (backtick)"; "The escape character is used both to escape
  // characters in a line, and to escape a newline"; with it, "COPY testfile.txt c:\" and
  // "RUN dir c:\" are two instructions. Parser directives: "Convention is also to include a blank
  // line following any parser directives".
  const auto df = parse_ok(fixture("syntax/backtick.Dockerfile"));
  CHECK(df.escape == '`');
  REQUIRE(df.stages[0].instructions.size() == 3);
  CHECK(ins(df, 0, 0).args == "testfile.txt c:\\");
  CHECK(ins(df, 0, 1).args == "dir c:\\");
  CHECK(ins(df, 0, 1).first_line == 5);
  CHECK(ins(df, 0, 2).args == "echo one     two");
  CHECK(ins(df, 0, 2).last_line == 7);
  // Without the directive, the backslash continues the COPY into the RUN (the reference's
  // Windows example: "COPY testfile.txt c:\RUN dir c:").
  const auto plain = parse_ok("FROM x:1\nCOPY testfile.txt c:\\\nRUN dir c:\\\n");
  REQUIRE(plain.stages[0].instructions.size() == 1);
  CHECK(plain.stages[0].instructions[0].args == "testfile.txt c:RUN dir c:");
}

TEST_CASE("dockerfile parser: parser directives only at the very top") {
  // Reference, Parser directives: "Once a comment, empty line or builder instruction has been
  // processed, BuildKit no longer looks for parser directives"; "Parser directives aren't
  // case-sensitive"; "Non line-breaking whitespace is permitted"; "A single directive may only be
  // used once"; the unknown directive "is treated as a comment" and ends the directives.
  CHECK(parse_ok("#\t  EsCaPe = ` \nFROM x:1\n").escape == '`');
  CHECK(parse_ok("# about\n# escape=`\nFROM x:1\n").escape == '\\');
  CHECK(parse_ok("\n# escape=`\nFROM x:1\n").escape == '\\');
  CHECK(parse_ok("# unknown=1\n# escape=`\nFROM x:1\n").escape == '\\');
  CHECK(parse_ok("FROM x:1\n# escape=`\n").escape == '\\');
  CHECK(parse_error("# escape=`\n# escape=\\\nFROM x:1\n") ==
        "Dockerfile:2: only one escape parser directive can be used");
  CHECK(parse_error("# escape=$\nFROM x:1\n") ==
        "Dockerfile:1: invalid escape token '$' does not match ` or \\");
}

TEST_CASE("dockerfile parser: heredocs") {
  // Reference, Here-documents: "Here-documents allow redirection of subsequent Dockerfile lines
  // to the input of RUN or COPY commands"; "the Dockerfile considers the next lines until the
  // line only containing a here-doc delimiter as part of the same command"; several here-docs in
  // one line ("RUN <<FILE1 cat > file1 && <<FILE2 cat > file2"); "If the delimiter is quoted,
  // ... no expansion"; COPY <<EOF /path creates a file; <<- strips leading tabs as in the shell.
  // A quoted "<<WORD" is an argument, not a heredoc (BuildKit splits the line into shell words).
  const auto df = parse_ok(fixture("syntax/heredocs.Dockerfile"));
  REQUIRE(df.stages[0].instructions.size() == 5);
  const auto& run = ins(df, 0, 0);
  CHECK(run.args == "<<EOF");
  REQUIRE(run.heredocs.size() == 1);
  CHECK(run.heredocs[0].name == "EOF");
  CHECK(run.heredocs[0].expand);
  CHECK(run.heredocs[0].body ==
        "apt-get update\napt-get install -y --no-install-recommends curl\nrm -rf "
        "/var/lib/apt/lists/*\n");
  CHECK(run.heredocs[0].first_line == 4);
  CHECK(run.heredocs[0].last_line == 7);
  CHECK(run.first_line == 3);
  CHECK(run.last_line == 7);

  const auto& script = ins(df, 0, 1);
  REQUIRE(script.heredocs.size() == 1);
  CHECK(script.heredocs[0].name == "SCRIPT");
  CHECK(script.heredocs[0].chomp);
  CHECK_FALSE(script.heredocs[0].expand);
  CHECK(script.heredocs[0].body == "set -eu\necho \"$HOME\"\n");
  CHECK(script.last_line == 11);

  const auto& copy = ins(df, 0, 2);
  CHECK(copy.keyword == "COPY");
  REQUIRE(copy.heredocs.size() == 2);
  CHECK(copy.heredocs[0].name == "EOF1");
  CHECK(copy.heredocs[0].body == "first\n");
  CHECK(copy.heredocs[1].name == "EOF2");
  CHECK_FALSE(copy.heredocs[1].expand);
  CHECK(copy.heredocs[1].body == "second $HOME\n");
  CHECK(copy.first_line == 12);
  CHECK(copy.last_line == 16);

  const auto& quoted = ins(df, 0, 3);
  REQUIRE(quoted.heredocs.size() == 1);
  CHECK(quoted.heredocs[0].name == "EOT");
  CHECK(quoted.last_line == 19);
  CHECK(ins(df, 0, 4).keyword == "CMD");
  CHECK(ins(df, 0, 4).first_line == 20);

  // Exec form takes no heredocs: the next line is an instruction again.
  const auto json = parse_ok("FROM x:1\nRUN [\"<<EOF\"]\nUSER app\n");
  CHECK(json.stages[0].instructions.size() == 2);
  // ONBUILD RUN carries them too; an empty body is fine.
  const auto onbuild = parse_ok("FROM x:1\nONBUILD RUN <<EOF\nEOF\nUSER app\n");
  CHECK(onbuild.stages[0].instructions[0].onbuild_keyword == "RUN");
  CHECK(onbuild.stages[0].instructions[0].heredocs.size() == 1);
  CHECK(onbuild.stages[0].instructions.size() == 2);
}

TEST_CASE("dockerfile parser: an unterminated heredoc is an error at its instruction") {
  CHECK(parse_error("FROM x:1\nRUN <<EOF\necho hi\n") ==
        "Dockerfile:2: unterminated heredoc <<EOF: no line 'EOF' before the end of the file");
  // The second of two heredocs on one line.
  CHECK(parse_error("FROM x:1\nCOPY <<A <<B /x/\na\nA\nb\n")
            .starts_with("Dockerfile:2: unterminated heredoc <<B"));
  // <<- strips tabs only with the dash: a tab-indented terminator does not end <<EOF.
  CHECK(parse_error("FROM x:1\nRUN <<EOF\n\tEOF\n").starts_with("Dockerfile:2: unterminated"));
}

TEST_CASE("dockerfile parser: ARG before FROM and substitution in FROM") {
  // Reference, "Understand how ARG and FROM interact": "FROM instructions support variables that
  // are declared by any ARG instructions that occur before the first FROM"; "An ARG declared
  // before a FROM is outside of a build stage, so it can't be used in any instruction after a
  // FROM". Environment replacement: "$variable_name or ${variable_name}"; "${variable:-word}
  // indicates that if variable is set then the result will be that value. If variable is not
  // set then word will be the result"; "${variable:+word} indicates that if variable is set then
  // word will be the result, otherwise the result is the empty string".
  const auto df = parse_ok(fixture("syntax/argfrom.Dockerfile"));
  CHECK(df.global_args.size() == 3);
  REQUIRE(df.stages.size() == 4);
  CHECK(df.stages[0].base == "${REGISTRY}/library/alpine:${BASE_TAG}");
  CHECK(df.stages[0].base_resolved == "docker.io/library/alpine:3.19");
  CHECK(df.stages[0].base_complete);
  CHECK(df.stages[1].base_resolved == "docker.io/library/python:3.12-slim");
  CHECK(df.stages[1].base_complete);
  CHECK(df.stages[2].base_stage == 0);
  CHECK_FALSE(df.stages[2].is_scratch());
  // The ARG inside the stage is the stage's own declaration, not a global one.
  CHECK(ins(df, 2, 0).assignments.size() == 1);
  CHECK_FALSE(ins(df, 2, 0).assignments[0].value.has_value());
  // An ARG without a default expands to "" in FROM; the result depends on --build-arg.
  CHECK(df.stages[3].base_resolved == "python:");
  CHECK_FALSE(df.stages[3].base_complete);
  CHECK(df.stages[3].base_note == "VARIANT is an ARG without a default");
}

TEST_CASE("dockerfile parser: variable expansion forms") {
  const hb::DockerfileVars vars = {{"SET", "v"}, {"EMPTY", ""}, {"NODEF", std::nullopt}};
  auto x = [&](const std::string& w) { return hb::expand_dockerfile_word(w, vars).text; };
  CHECK(x("a$SET-${SET}b") == "av-vb");
  CHECK(x("${EMPTY:-d}|${EMPTY-d}|${NODEF-d}|${UNDECLARED:-d}") == "d||d|d");
  CHECK(x("${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}|${NODEF+alt}") == "alt||alt|");
  CHECK(x("${NODEF:-${SET:-x}}") == "v");
  // Reference: "\$foo or \${foo} ... will translate to $foo and ${foo} literals".
  CHECK(x("\\$SET \\${SET}") == "$SET ${SET}");
  CHECK(x("'$SET'\"$SET\"") == "$SETv");
  CHECK(hb::expand_dockerfile_word("`$SET", vars, '`').text == "$SET");
  CHECK_FALSE(hb::expand_dockerfile_word("${SET#v}", vars).complete);
  CHECK_FALSE(hb::expand_dockerfile_word("${UNDECLARED}", vars).complete);
  CHECK(hb::expand_dockerfile_word("${UNDECLARED:-x}", vars).complete);
}

TEST_CASE("dockerfile parser: JSON (exec) form and the fallback to shell form") {
  // Reference, Shell and exec form: "The exec form is parsed as a JSON array, which means that
  // you must use double-quotes (") around words, not single-quotes (')"; "In the exec form, it
  // is necessary to escape backslashes ... The following line would otherwise be treated as
  // shell form due to not being valid JSON". BuildKit (Docker 27.1 and later) also treats text
  // after the closing bracket as shell form; an array holding a non-string is an error.
  const auto df = parse_ok(fixture("syntax/jsonform.Dockerfile"));
  REQUIRE(df.stages[0].instructions.size() == 7);
  CHECK_FALSE(ins(df, 0, 0).exec_form);
  CHECK(ins(df, 0, 0).args == "['echo', 'single quotes are not JSON']");
  CHECK(ins(df, 0, 1).exec_form);
  CHECK(ins(df, 0, 1).argv == Strings{"/bin/echo", "exec \"form\""});
  CHECK_FALSE(ins(df, 0, 2).exec_form);
  CHECK(ins(df, 0, 3).argv == Strings{"/bin/sh", "-c"});
  CHECK(ins(df, 0, 4).argv == Strings{"/data", "/logs"});
  const auto& hc = ins(df, 0, 5);
  CHECK(hc.exec_form);
  CHECK(hc.argv == Strings{"curl", "-f", "http://localhost/"});
  REQUIRE(hc.flag("retries") != nullptr);
  CHECK(hc.flag("retries")->value == "3");
  CHECK_FALSE(ins(df, 0, 6).exec_form);
  CHECK(parse_error("FROM x:1\nCMD [\"a\", 1]\n") ==
        "Dockerfile:2: when using JSON array syntax, arrays must be comprised of strings only");
  CHECK(parse_error("FROM x:1\nSHELL /bin/bash -c\n") ==
        "Dockerfile:2: SHELL requires the arguments to be in JSON form");
}

TEST_CASE("dockerfile parser: instructions are case-insensitive, unknown ones are errors") {
  // Reference, Format: "The instruction is not case-sensitive". BuildKit rejects an unknown
  // instruction ("dockerfile parse error on line 2: unknown instruction: RUNCMD").
  const auto df = parse_ok(fixture("syntax/lowercase.Dockerfile"));
  REQUIRE(df.stages.size() == 1);
  CHECK(df.stages[0].name == "build");
  CHECK(ins(df, 0, 0).keyword == "RUN");
  CHECK(ins(df, 0, 1).keyword == "COPY");
  CHECK(ins(df, 0, 1).flag("from")->value == "build");
  CHECK(ins(df, 0, 2).keyword == "USER");
  CHECK(ins(df, 0, 2).args == "nobody");
  CHECK(parse_error("FROM x:1\nRUNCMD echo\n") == "Dockerfile:2: unknown instruction: RUNCMD");
}

TEST_CASE("dockerfile parser: CRLF line ends and a BOM") {
  const auto df = parse_ok(fixture("syntax/crlf.Dockerfile"));
  REQUIRE(df.stages[0].instructions.size() == 3);
  CHECK(ins(df, 0, 0).args == "apk add --no-cache     curl");
  CHECK(ins(df, 0, 0).last_line == 3);
  CHECK(ins(df, 0, 1).args == "nobody");
  CHECK(ins(df, 0, 2).argv == Strings{"sh"});
  CHECK(parse_ok("\xEF\xBB\xBF# escape=`\r\nFROM x:1\r\n").escape == '`');
  const auto h = parse_ok("FROM x:1\r\nRUN <<EOF\r\necho\r\nEOF\r\n");
  CHECK(h.stages[0].instructions[0].heredocs[0].body == "echo\n");
}

TEST_CASE("dockerfile parser: ARG and ENV assignments") {
  // Reference, ENV: "ENV <key>=<value> ..."; the alternative "ENV <key> <value>" sets one
  // variable ("ENV ONE TWO= THREE=world" sets ONE to "TWO= THREE=world"). ARG: "ARG
  // <name>[=<default value>]".
  const auto df =
      parse_ok("ARG A B=\"x y\"\nFROM x:1\nENV ONE TWO= THREE=world\nENV K=v Q=\"a b\" R=a\\ b\n");
  REQUIRE(df.global_args[0].assignments.size() == 2);
  CHECK_FALSE(df.global_args[0].assignments[0].value.has_value());
  CHECK(df.global_args[0].assignments[1].value == "\"x y\"");
  CHECK(ins(df, 0, 0).assignments.size() == 1);
  CHECK(ins(df, 0, 0).assignments[0].value == "TWO= THREE=world");
  REQUIRE(ins(df, 0, 1).assignments.size() == 3);
  CHECK(ins(df, 0, 1).assignments[1].value == "\"a b\"");
  CHECK(ins(df, 0, 1).assignments[2].value == "a\\ b");
  CHECK(parse_error("FROM x:1\nENV A=1 B\n").starts_with("Dockerfile:2: Syntax error"));
}

TEST_CASE("dockerfile parser: structural errors carry file:line") {
  // Reference, Format: "A Dockerfile must begin with a FROM instruction. This may be after parser
  // directives, comments, and globally scoped ARGs"; FROM: "ARG is the only instruction that may
  // precede FROM".
  CHECK(parse_error("") == "Dockerfile:1: file with no instructions");
  CHECK(parse_error("# only a comment\n\n") == "Dockerfile:2: file with no instructions");
  CHECK(parse_error("ARG A=1\nARG B\n") ==
        "Dockerfile:2: no FROM instruction: the Dockerfile has no stage to build");
  CHECK(parse_error("ARG A=1\nRUN echo\nFROM x:1\n")
            .starts_with("Dockerfile:2: no build stage in current context"));
  CHECK(parse_error("FROM x:1 AS a\nFROM y:1 AS A\n") == "Dockerfile:2: duplicate stage name 'a'");
  CHECK(parse_error("FROM x:1 AS 1st\n").starts_with("Dockerfile:1: invalid name for build stage"));
  CHECK(
      parse_error("FROM x:1 a b\n").starts_with("Dockerfile:1: FROM requires either one or three"));
  CHECK(parse_error("FROM x:1\nHEALTHCHECK CMD\n") ==
        "Dockerfile:2: Missing command after HEALTHCHECK CMD");
  CHECK(parse_error("FROM x:1\nONBUILD FROM y\n") ==
        "Dockerfile:2: FROM isn't allowed as an ONBUILD trigger");
  CHECK(parse_error("FROM x:1\nENV\n") == "Dockerfile:2: ENV requires at least one argument");
}

TEST_CASE("dockerfile shell words: the commands of a RUN as the rules see them") {
  using C = std::vector<std::string>;
  auto cmds = hb::shell_commands(
      "set -eux; A=1 apt-get update && apt-get install -y \"a b\" 2>&1 | tee log # note\n"
      "cat <<EOF > /x\nchmod 777 /not-a-command\nEOF\necho $(chmod 4755 /y) `id` ${X:-z}\\\nw");
  REQUIRE(cmds.size() == 9);
  CHECK(cmds[0] == C{"set", "-eux"});
  CHECK(cmds[1] == C{"A=1", "apt-get", "update"});
  CHECK(cmds[2] == C{"apt-get", "install", "-y", "a b"});
  CHECK(cmds[3] == C{"tee", "log"});
  CHECK(cmds[4] == C{"cat"});
  CHECK(cmds[5] == C{"echo"});
  CHECK(cmds[6] == C{"chmod", "4755", "/y"});
  CHECK(cmds[7] == C{"id"});
  CHECK(cmds[8] == C{"${X:-z}w"});
}

TEST_CASE("dockerfile parser: hostile input is bounded and fast") {
  fast([] {  // a 1 MB line, in several shapes
    const std::string mb(1 << 20, 'a');
    CHECK(parse_ok("FROM x:1\nRUN " + mb).stages[0].instructions[0].args.size() == mb.size());
    CHECK_FALSE(
        parse_ok("FROM x:1\nRUN " + std::string(1 << 20, '[')).stages[0].instructions[0].exec_form);
    std::string nested;
    for (int i = 0; i < 200'000; ++i) nested += "${A:-";
    CHECK_FALSE(parse_ok("FROM " + nested + "\n").stages[0].base_complete);
    std::string braces;
    for (int i = 0; i < 200'000; ++i) braces += "${A}";
    CHECK(parse_ok("ARG A=b\nFROM " + braces).stages[0].base_resolved == std::string(200'000, 'b'));
    std::string flags = "FROM x:1\nCOPY";
    for (int i = 0; i < 100'000; ++i) flags += " --a=\"b c\"";
    CHECK(parse_ok(flags + " s d\n").stages[0].instructions[0].flags.size() == 100'000);
    std::string docs = "FROM x:1\nRUN";
    for (int i = 0; i < 100'000; ++i) docs += " <<A";
    CHECK(parse_error(docs + "\nA\n").starts_with("Dockerfile:2: unterminated heredoc <<A"));
  });
  fast([] {  // 100,000 lines of continuation, then one line too many
    std::string text = "FROM x:1\nRUN a \\\n";
    for (int i = 0; i < 99'997; ++i) text += "b \\\n";
    auto df = parse_ok(text + "c\n");
    CHECK(df.stages[0].instructions[0].last_line == 100'000);
    CHECK(parse_error(text + "c\nd\n") == "Dockerfile:100001: more than 100000 lines, not parsed");
  });
  fast([] {  // caps on size and instruction count
    auto big = hb::parse_dockerfile(std::string(4 * 1024 * 1024 + 1, '#'), "Dockerfile");
    REQUIRE_FALSE(big.ok());
    CHECK(big.kind() == hb::ErrorKind::too_large);
    std::string many = "FROM x:1\n";
    for (int i = 0; i < 10'000; ++i) many += "USER a\n";
    CHECK(parse_error(many) == "Dockerfile:10001: more than 10000 instructions, not parsed");
    std::string stages;  // 10,000 stages, each built on the one before
    for (int i = 0; i < 10'000; ++i)
      stages += "FROM " + (i ? "s" + std::to_string(i - 1) : std::string("x:1")) + " AS s" +
                std::to_string(i) + "\n";
    const auto chain = parse_ok(stages);
    CHECK(chain.stages.back().base_stage == 9'998);
  });
  fast([] {  // binary garbage: an error, never a crash
    std::mt19937 rng(8);
    for (int round = 0; round < 50; ++round) {
      std::string junk(64 * 1024, '\0');
      for (char& c : junk) c = static_cast<char>(rng() & 0xff);
      auto r = hb::parse_dockerfile(junk, "Dockerfile");
      CHECK_FALSE(r.ok());
    }
  });
}
