// The stylesheet and the script of the HTML report (html_report.cpp), kept apart so the writer
// stays readable. Both are inlined into the page: it loads nothing from anywhere. The script
// reads the results from the page's <script type="application/json" id="data"> block (the
// hostbench-results/1 document) and builds the rule list with createElement/textContent only.
#pragma once

#include <string_view>

namespace hb {

extern const std::string_view k_html_css;
extern const std::string_view k_html_js;
// Styles of the "Changes since the last scan" section (reports/drift_html.hpp), added to the
// page only when it has that section, so a report without drift is unchanged.
extern const std::string_view k_html_drift_css;

}  // namespace hb
