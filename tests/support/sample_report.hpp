// Finished scans built in code for the report writers' tests: an ordinary one, and a hostile one
// whose every host-supplied string carries markup, control bytes and invalid UTF-8.
#pragma once

#include "engine/report.hpp"

namespace hb::test {

ScanReport sample_report();
// The payloads: <script>, <img onerror>, ]]>, quotes, \x01, \x1b, \xff\xfe, U+2028.
ScanReport hostile_report();
inline constexpr const char* k_hostile = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\">]]>'\"\x01\x1b[31m\xff\xfe\xe2\x80\xa8";

}  // namespace hb::test
