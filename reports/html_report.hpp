// The HTML report: one self-contained page (inline CSS, JS and SVG; a Content-Security-Policy
// that forbids every fetch), readable from file:// in a locked-down browser.
//
// A pure function of the report: the page embeds the hostbench-results/1 document that
// write_json_report gives (compact, escaped so that it cannot close its <script> element) and
// renders everything else from that document, so `hostbench report results.json --html x.html`
// equals the scan's own --html output byte for byte. The header (host facts) and the summary
// charts are rendered here, through html_escape; the rule list is built by the page's script
// with createElement/textContent only. Host text is never markup.
#pragma once

#include <ostream>

#include "engine/report.hpp"

namespace hb {

void write_html_report(const ScanReport& report, std::ostream& out);

}  // namespace hb
