#include "checks/deb822.hpp"

#include <doctest/doctest.h>

#include <vector>

#include "checks/decompress.hpp"
#include "tests/support/probe_harness.hpp"

using hb::test::contains;

namespace {

std::vector<std::string> all_lines(const std::string& text, std::size_t max_line = hb::k_max_line,
                                   std::vector<bool>* cut = nullptr) {
  auto in = hb::memory_stream(text);
  hb::LineReader r(*in, max_line);
  std::vector<std::string> out;
  std::string_view line;
  for (;;) {
    auto got = r.next(line);
    REQUIRE(got.ok());
    if (!*got) return out;
    out.emplace_back(line);
    if (cut) cut->push_back(r.truncated());
    CHECK(r.line_number() == out.size());
  }
}

}  // namespace

TEST_CASE("deb822 lines: terminators, CRLF and a last line without newline") {
  CHECK(all_lines("a\nb\r\n\nc") == std::vector<std::string>{"a", "b", "", "c"});
  CHECK(all_lines("").empty());
  CHECK(all_lines("\n") == std::vector<std::string>{""});
}

TEST_CASE("deb822 lines: a line past the cap is cut, its rest skipped, the next line intact") {
  std::vector<bool> cut;
  std::string text = "short\n" + std::string(100000, 'x') + "\nafter\n";
  auto lines = all_lines(text, 1000, &cut);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "short");
  CHECK(lines[1] == std::string(1000, 'x'));
  CHECK(cut == std::vector<bool>{false, true, false});
  CHECK(lines[2] == "after");
}

TEST_CASE("deb822 lines: lines across buffer refills come out whole") {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "Field-" + std::to_string(i) + ": value\n";
  auto lines = all_lines(text);
  REQUIRE(lines.size() == 50000);
  CHECK(lines[49999] == "Field-49999: value");
}

TEST_CASE("deb822 stanzas: wanted fields, case-insensitive names, continuations skipped") {
  std::string text =
      "Package: openssl\nStatus: install ok installed\nDescription: toolkit\n .\n more\n"
      "VERSION: 3.0.11-1~deb12u1\n\n\n \t\nPackage: bash\n";
  auto in = hb::memory_stream(text);
  hb::LineReader lines(*in);
  hb::StanzaReader st(lines, "status", {"Package", "Version"});
  auto a = st.next();
  REQUIRE(a.ok());
  REQUIRE(*a);
  CHECK(st.value(0) == "openssl");
  CHECK(st.value(1) == "3.0.11-1~deb12u1");
  CHECK(st.line(1) == 6);
  CHECK(st.first_line() == 1);
  auto b = st.next();
  REQUIRE(b.ok());
  REQUIRE(*b);
  CHECK(st.value(0) == "bash");
  CHECK_FALSE(st.has(1));
  CHECK(st.first_line() == 10);
  auto end = st.next();
  REQUIRE(end.ok());
  CHECK_FALSE(*end);
}

TEST_CASE("deb822 stanzas: malformed lines are errors naming file and line") {
  auto error = [](const std::string& text, bool comments = false) {
    auto in = hb::memory_stream(text);
    hb::LineReader lines(*in);
    hb::StanzaReader st(lines, "/var/lib/dpkg/status", {"Package"}, comments);
    for (;;) {
      auto got = st.next();
      if (!got) return got.message();
      if (!*got) return std::string();
    }
  };
  CHECK(error("Package: a\nno colon here\n") ==
        "/var/lib/dpkg/status:2: not a field: 'no colon here'");
  CHECK(error(" continuation first\n") ==
        "/var/lib/dpkg/status:1: continuation line outside a field");
  CHECK(error("Package: a\npackage: b\n") == "/var/lib/dpkg/status:2: duplicate field 'package'");
  CHECK(contains(error(": empty name\n"), ":1: not a field"));
  CHECK(contains(error("# comment\nPackage: a\n"), ":1: not a field"));
  CHECK(error("# comment\nPackage: a\n", true).empty());
  CHECK(contains(error("Package: " + std::string(2 << 20, 'a') + "\n"), "line limit"));
}
