// A Drift in HTML: the "Changes since the last scan" section of the host report (when the scan
// was compared with a baseline), and the page `hostbench diff --html` writes. Plain HTML, no
// script: counts per category, then the newly failing rules, the fixed, the changed, the added
// and removed, and the still failing in a collapsed list. Host text goes through html_escape,
// with control and bidi-override characters shown as \xNN and <U+202E> (as the report's own
// script shows them), so it can never be markup or reorder what is shown.
#pragma once

#include <ostream>

#include "engine/drift.hpp"

namespace hb {

// <section id="drift">...</section>, styled by k_html_css and k_html_drift_css.
void write_drift_section(const Drift& drift, std::ostream& out);
// A self-contained page (inline CSS, a CSP that allows nothing else) holding the section.
void write_drift_page(const Drift& drift, std::ostream& out);

}  // namespace hb
