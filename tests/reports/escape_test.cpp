#include "reports/escape.hpp"

#include <doctest/doctest.h>

TEST_CASE("escape: invalid UTF-8, markup and control characters") {
  CHECK(hb::sanitize_utf8("ok\xff\xfe") == "ok\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(hb::sanitize_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(hb::sanitize_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  CHECK(hb::html_escape("<script>alert('x')&\"</script>") ==
        "&lt;script&gt;alert(&#39;x&#39;)&amp;&quot;&lt;/script&gt;");
  CHECK(hb::xml_escape("a\x01" "b") == "ab");
  CHECK(hb::terminal_safe("a\x1b[2Jb\xc2\x9b") == "a\\x1b[2Jb\\x9b");
}

TEST_CASE("escape: XML drops characters XML 1.0 forbids and keeps tabs and newlines") {
  CHECK(hb::xml_escape("a\tb\nc\x0b\x1f") == "a\tb\nc");
  CHECK(hb::xml_escape("\xEF\xBF\xBE") == "");  // U+FFFE
  CHECK(hb::html_escape("\x7f") == "");
}
