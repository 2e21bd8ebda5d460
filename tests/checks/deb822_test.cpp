#include "checks/deb822.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
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

// Gives at most `chunk` bytes per read, so that refills fall everywhere in a line.
class ChunkedStream final : public hb::FileStream {
 public:
  ChunkedStream(std::string data, std::size_t chunk) : data_(std::move(data)), chunk_(chunk) {}
  hb::Expected<std::size_t> read(char* buf, std::size_t n) override {
    std::size_t k = std::min({n, chunk_, data_.size() - pos_});
    std::copy_n(data_.data() + pos_, k, buf);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  std::size_t chunk_;
  std::size_t pos_ = 0;
};

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t") == std::string_view::npos;
}

// What skip_stanza() must agree with: next() up to and including a blank line. Returns, for
// each skip in turn, the line number after it and whether a blank line was found, then the lines
// left after the last skip (one skip, then everything).
struct SkipTrace {
  std::vector<std::uint64_t> numbers;
  std::vector<bool> found;
  std::vector<std::string> rest;
  bool operator==(const SkipTrace&) const = default;
};

SkipTrace trace(const std::string& text, std::size_t max_line, std::size_t chunk, bool fast,
                int skips) {
  ChunkedStream in(text, chunk);
  hb::LineReader r(in, max_line);
  SkipTrace t;
  std::string_view line;
  for (int i = 0; i < skips; ++i) {
    bool found = false;
    if (fast) {
      auto got = r.skip_stanza();
      REQUIRE(got.ok());
      found = *got;
    } else {
      for (;;) {
        auto got = r.next(line);
        REQUIRE(got.ok());
        if (!*got) break;
        if (blank(line)) {
          found = true;
          break;
        }
      }
    }
    t.numbers.push_back(r.line_number());
    t.found.push_back(found);
    auto got = r.next(line);  // the line after the blank one, read as usual
    REQUIRE(got.ok());
    if (!*got) break;
    t.rest.emplace_back(line);
  }
  for (;;) {
    auto got = r.next(line);
    REQUIRE(got.ok());
    if (!*got) break;
    t.rest.emplace_back(line);
  }
  return t;
}

}  // namespace

TEST_CASE("deb822 lines: skip_stanza stops after the blank line, in every form next() reads") {
  auto in = hb::memory_stream(
      "Package: a\n continuation\n\tx\n\rX\n  .\nAfter: the first\n \t\r\nPackage: b\n"
      "\r\nPackage: c\nx: y\n   \nPackage: d\nlast: no newline");
  hb::LineReader r(*in);
  std::string_view line;
  REQUIRE(r.next(line).value());
  CHECK(line == "Package: a");
  auto a = r.skip_stanza();
  REQUIRE(a.ok());
  CHECK(*a);
  CHECK(r.line_number() == 7);  // " \t\r" is blank; "\rX", " continuation", "  ." are not
  REQUIRE(r.next(line).value());
  CHECK(line == "Package: b");
  REQUIRE(r.skip_stanza().value());  // "\r\n": an empty line once the CR is gone
  CHECK(r.line_number() == 9);
  REQUIRE(r.next(line).value());
  CHECK(line == "Package: c");
  REQUIRE(r.skip_stanza().value());
  CHECK(r.line_number() == 12);
  REQUIRE(r.next(line).value());
  CHECK(line == "Package: d");
  auto end = r.skip_stanza();
  REQUIRE(end.ok());
  CHECK_FALSE(*end);  // the stream ends inside the stanza
  CHECK(r.line_number() == 14);
  CHECK_FALSE(r.next(line).value());
}

TEST_CASE("deb822 lines: skip_stanza agrees with next() over refills, cut lines and odd blanks") {
  // Texts made of every kind of line in many orders, read in chunks of 1 to 13 bytes with a line
  // cap of 4 to 40 bytes, so that a line's end, its CR or its first byte falls on every boundary.
  const std::vector<std::string> kinds = {
      "Package: x\n", "\n",   " \t \n",  "\r\n",   " \r\n",     "\t\r\r\n", " x\n",
      "\rx\n",        " \n",   std::string(30, ' ') + "\n", std::string(25, 'v') + "\n",
      std::string(33, ' ') + "z\n", "Key: " + std::string(50, 'k') + "\n", "tail"};
  std::uint32_t seed = 12345;
  auto rnd = [&] {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) & 0x7fff;
  };
  int compared = 0;
  for (int round = 0; round < 400; ++round) {
    std::string text;
    const int n = 1 + static_cast<int>(rnd() % 12);
    for (int i = 0; i < n; ++i) {
      const auto& k = kinds[rnd() % kinds.size()];
      if (k == "tail" && i + 1 < n) continue;  // only last: a line without newline
      text += k;
    }
    const std::size_t max_line = 4 + rnd() % 37;
    const std::size_t chunk = 1 + rnd() % 13;
    const int skips = 1 + static_cast<int>(rnd() % 3);
    CAPTURE(text);
    CAPTURE(max_line);
    CAPTURE(chunk);
    auto fast = trace(text, max_line, chunk, true, skips);
    auto slow = trace(text, max_line, chunk, false, skips);
    CHECK(fast.numbers == slow.numbers);
    CHECK(fast.found == slow.found);
    CHECK(fast.rest == slow.rest);
    ++compared;
  }
  CHECK(compared == 400);
}

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

namespace {

// Reads every stanza with a filter on Package that keeps `keep`; "name@first_line:version@line"
// per stanza read, or the error.
std::vector<std::string> filtered(const std::string& text, const std::vector<std::string>& keep,
                                  std::uint64_t* skipped = nullptr) {
  auto in = hb::memory_stream(text);
  hb::LineReader lines(*in);
  hb::StanzaReader st(lines, "/l", {"Package", "Version"});
  st.keep_only(0, [&](std::string_view name) {
    return std::find(keep.begin(), keep.end(), name) != keep.end();
  });
  std::vector<std::string> out;
  for (;;) {
    auto got = st.next();
    if (!got) {
      out.push_back("error " + got.message());
      break;
    }
    if (!*got) break;
    out.push_back((st.has(0) ? st.value(0) : "-") + "@" + std::to_string(st.first_line()) + ":" +
                  (st.has(1) ? st.value(1) + "@" + std::to_string(st.line(1)) : "-"));
  }
  if (skipped) *skipped = st.skipped();
  return out;
}

}  // namespace

TEST_CASE("deb822 stanzas: a filtered-out stanza is passed over, odd formatting and all") {
  // The stanzas of `other` (not kept) carry what would confuse a reader that looked inside: a
  // Package line as a continuation, a second Package field, a line that is not a field, a
  // "blank" line that is not blank (a CR first), CRLF, and blank lines of spaces and tabs.
  const std::string text =
      "Package: openssl\nVersion: 1\n\n"
      "Package: other\n Package: openssl\nPackage: openssl\nthis is not a field\n"
      "\rVersion: 9\nVersion: 8\n \t \n"
      "Package: other2\r\nVersion: 7\r\n\r\n"
      "Version: 2\nPackage: bash\n\n"
      "Package: other3\n" + std::string(3 << 20, 'x') + "\n\t\n"
      "Package: zlib\nVersion: 3\n";
  std::uint64_t skipped = 0;
  auto got = filtered(text, {"openssl", "bash", "zlib"}, &skipped);
  CHECK(got == std::vector<std::string>{"openssl@1:1@2", "bash@14:2@14", "zlib@20:3@21"});
  CHECK(skipped == 3);
  // Without the filter the same text is an error, where the full reader looks.
  CHECK(filtered(text, {"openssl", "other", "other2", "other3", "bash", "zlib"}) ==
        std::vector<std::string>{"openssl@1:1@2", "error /l:6: duplicate field 'Package'"});
}

TEST_CASE("deb822 stanzas: lines before the filtered field are still checked, errors after a skip "
          "name the right line") {
  CHECK(filtered("Version: 1\nnot a field\nPackage: other\n\n", {}) ==
        std::vector<std::string>{"error /l:2: not a field: 'not a field'"});
  CHECK(filtered("Package: other\nx: y\n\nPackage: kept\nbroken line\n", {"kept"}) ==
        std::vector<std::string>{"error /l:5: not a field: 'broken line'"});
  // A stanza without the field is kept (nothing to filter on), and a kept stanza's duplicate is
  // still an error.
  CHECK(filtered("Version: 5\n\nPackage: kept\nPackage: again\n", {"kept"}) ==
        std::vector<std::string>{"-@1:5@1", "error /l:4: duplicate field 'Package'"});
  // The filtered field past the line cap is an error, not a skip.
  CHECK(contains(filtered("Package: " + std::string(2 << 20, 'a') + "\n", {})[0], "line limit"));
}
