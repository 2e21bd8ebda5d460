// The stylesheet and the script of the fleet report (fleet_html.cpp), and the SHA-256 source
// hashes its Content-Security-Policy names them by. The page's <style> is k_html_css (the host
// report's) followed by k_fleet_css; its script is k_fleet_js, which reads the data block
// (fleet_html.hpp, fleet_page_data) and builds every table with createElement/textContent.
#pragma once

#include <string>
#include <string_view>

namespace hb {

extern const std::string_view k_fleet_css;
extern const std::string_view k_fleet_js;

// Base64 of the SHA-256 (FIPS 180-4) of `bytes`.
std::string sha256_base64(std::string_view bytes);
// A CSP source expression allowing exactly this inline <script> or <style> text:
// 'sha256-<base64>' (CSP 3, "hash-source"; the hash is over the element's UTF-8 text).
std::string csp_hash_source(std::string_view element_text);

}  // namespace hb
