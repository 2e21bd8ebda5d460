// The fleet report of `hostbench merge --html`: one self-contained page for an auditor.
//
// Server-rendered (readable without JavaScript): the header (generated, max age), the summary
// numbers (files, hosts, hosts failing, stale, skipped, warnings, rules, failing rules, mean
// score), the ten worst hosts and most failed rules, and the problems (files skipped and why,
// warnings; the first k_fleet_problem_rows, the rest in the data block). Host text goes through
// html_text (control and bidi characters shown, then escaped).
//
// Built by the page's script from a <script type="application/json" id="data"> block (JSON made
// script-safe by script_safe_json_text, see fleet_page_data below for its shape), with
// createElement/textContent only: the host table, the rule table and the host × rule matrix of
// the failing rules, each paged (50 rows; 40 matrix columns), a host filter (name or file,
// failing only, stale only) shared by the host table and the matrix rows, a rule filter shared
// by the rule table and the matrix columns, and a drill-down panel (a host's failed and error
// rules from its status row, with a link to its own report; a rule's failing and error hosts).
// The DOM holds only the visible pages, so its size does not grow with the fleet.
//
// Content-Security-Policy (a meta element): default-src 'none', and script-src / style-src
// allow exactly the page's own inline script and stylesheet by their SHA-256, so nothing is
// loaded from anywhere and no injected script or handler could run.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

#include "engine/fleet.hpp"

namespace hb {

// Skipped files, and warnings, rendered as HTML rows (each); all of them are in the data block,
// and the script pages through them.
inline constexpr std::size_t k_fleet_problem_rows = 500;

// Writes the page. FleetHost::report_html is a link target relative to the page's directory; it
// is linked only when fleet_report_href accepts it.
void write_fleet_html(const Fleet& fleet, std::ostream& out);

// The href for a host's report_html, or "" when it must not be linked: empty, absolute ('/' or
// '\' first), or with a ':' before any '/' (a scheme such as javascript: or https:, or a drive
// letter). What is accepted is percent-encoded except unreserved characters and '/', so a file
// name can neither add a scheme, a query or a fragment, nor be stripped or rewritten by the URL
// parser (spaces, tabs, backslashes).
std::string fleet_report_href(std::string_view report_html);

// The data block's document (before script_safe_json_text). Strings are valid UTF-8 (invalid
// bytes as U+FFFD). Column-oriented, so 10,000 hosts cost keys once:
//   schema "hostbench-fleet-page/1", generated, max_age_hours, files_given,
//   status_codes: "pfenciw-": the character of each Status (by its integer) and, last, of
//     k_not_scanned; a status row has one such character per rule,
//   hosts: {hostname[], file[], started[], age_hours[] (number or null), stale[], tool_version[],
//     profiles[][], score[], total[], counts[][7] (by Status integer), failed_by_severity[][5]
//     (by Severity integer), report[] (report_html as given), report_href[]
//     (fleet_report_href), status[] (the rows)},
//   rules: {id[], title[], profile[], severity[], severity_differs[], hosts[][7]},
//   problems: [{file, message, skipped}].
// A status value that is neither a Status nor k_not_scanned is written as error; a row shorter
// than the rules is padded with not scanned.
nlohmann::ordered_json fleet_page_data(const Fleet& fleet);

}  // namespace hb
