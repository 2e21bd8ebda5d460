// The report page's stylesheet and script hold the invariants that keep host text inert and the
// page offline: no HTML parsing of data, no code from strings, no fetching, nothing loaded.
#include "reports/html_assets.hpp"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("html assets: the script never parses data as HTML or code and never fetches") {
  const std::string js(hb::k_html_js);
  REQUIRE(js.size() > 1000);
  for (const char* banned : {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                             "eval(", "new Function", "setTimeout('", "fetch(", "XMLHttpRequest",
                             "WebSocket", "sendBeacon", "import("}) {
    CAPTURE(banned);
    CHECK(js.find(banned) == std::string::npos);
  }
  CHECK(js.find("textContent") != std::string::npos);
  CHECK(js.find("JSON.parse(document.getElementById('data').textContent)") != std::string::npos);
}

TEST_CASE("html assets: the stylesheet loads nothing and has a print layout") {
  const std::string css(hb::k_html_css);
  CHECK(css.find("@import") == std::string::npos);
  CHECK(css.find("url(") == std::string::npos);
  CHECK(css.find("@font-face") == std::string::npos);
  CHECK(css.find("@media print") != std::string::npos);
  CHECK(css.find(":focus") != std::string::npos);  // keyboard users see where they are
}
