#include "checks/deb_version.hpp"

#include <climits>

namespace hb {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}  // c_isblank
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_c_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}  // strtol's isspace

// dpkg's order(): the sort weight of one character of a non-digit run; 0 stands for both the
// end of the string and a digit. `char` is signed on amd64, so bytes above 0x7f weigh 128..255.
int order(char c) {
  if (is_digit(c)) return 0;
  if (is_alpha(c)) return c;
  if (c == '~') return -1;
  if (c) return static_cast<signed char>(c) + 256;
  return 0;
}

Error parse_error(const std::string& why) {
  return make_error(ErrorKind::parse, why);
}

}  // namespace

int compare_version_part(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  // Past the end reads as '\0', like dpkg's C strings; an embedded NUL ends the string there.
  auto at = [](std::string_view s, std::size_t k) { return k < s.size() ? s[k] : '\0'; };
  while (at(a, i) || at(b, j)) {
    int first_diff = 0;
    while ((at(a, i) && !is_digit(at(a, i))) || (at(b, j) && !is_digit(at(b, j)))) {
      int ac = order(at(a, i));
      int bc = order(at(b, j));
      if (ac != bc) return ac - bc;
      ++i;
      ++j;
    }
    while (at(a, i) == '0') ++i;
    while (at(b, j) == '0') ++j;
    while (is_digit(at(a, i)) && is_digit(at(b, j))) {
      if (!first_diff) first_diff = at(a, i) - at(b, j);
      ++i;
      ++j;
    }
    if (is_digit(at(a, i))) return 1;
    if (is_digit(at(b, j))) return -1;
    if (first_diff) return first_diff;
  }
  return 0;
}

int compare_deb_versions(const DebVersion& a, const DebVersion& b) {
  if (a.epoch > b.epoch) return 1;
  if (a.epoch < b.epoch) return -1;
  if (int rc = compare_version_part(a.upstream, b.upstream)) return rc;
  return compare_version_part(a.revision, b.revision);
}

Expected<DebVersion> parse_deb_version(std::string_view s) {
  // dpkg works on a C string: anything after an embedded NUL is not seen.
  if (auto nul = s.find('\0'); nul != std::string_view::npos) s = s.substr(0, nul);
  std::size_t b = 0;
  while (b < s.size() && is_blank(s[b])) ++b;
  if (b == s.size()) return parse_error("version string is empty");
  std::size_t e = b;
  while (e < s.size() && !is_blank(s[e])) ++e;
  for (std::size_t k = e; k < s.size(); ++k)
    if (!is_blank(s[k])) return parse_error("version string has embedded spaces");
  std::string_view v = s.substr(b, e - b);

  DebVersion out;
  std::size_t colon = v.find(':');
  if (colon != std::string_view::npos) {
    // strtol(): leading white space, a sign, digits; the digits must end at the colon.
    std::size_t k = 0;
    while (k < v.size() && is_c_space(v[k])) ++k;
    bool negative = false;
    if (k < v.size() && (v[k] == '+' || v[k] == '-')) negative = v[k++] == '-';
    std::size_t digits = k;
    bool too_big = false;
    std::int64_t epoch = 0;
    while (k < v.size() && is_digit(v[k])) {
      if (epoch > (LONG_MAX - (v[k] - '0')) / 10) too_big = true;
      if (!too_big) epoch = epoch * 10 + (v[k] - '0');
      ++k;
    }
    if (k == digits) return parse_error("epoch in version is empty");
    if (k != colon) return parse_error("epoch in version is not number");
    if (negative && (epoch != 0 || too_big)) return parse_error("epoch in version is negative");
    if (too_big || epoch > INT_MAX) return parse_error("epoch in version is too big");
    if (colon + 1 == v.size()) return parse_error("nothing after colon in version number");
    out.epoch = epoch;
    v.remove_prefix(colon + 1);
  }
  std::size_t hyphen = v.rfind('-');
  if (hyphen != std::string_view::npos) {
    if (hyphen + 1 == v.size()) return parse_error("revision number is empty");
    out.revision = std::string(v.substr(hyphen + 1));
    v = v.substr(0, hyphen);
  }
  if (v.empty()) return parse_error("version number is empty");
  out.upstream = std::string(v);

  if (!is_digit(out.upstream[0])) {
    out.warning = "version number does not start with digit";
  } else {
    for (char c : out.upstream) {
      if (!is_digit(c) && !is_alpha(c) &&
          std::string_view(".-+~:").find(c) == std::string_view::npos) {
        out.warning = "invalid character in version number";
        break;
      }
    }
    if (out.warning.empty()) {
      for (char c : out.revision) {
        if (!is_digit(c) && !is_alpha(c) &&
            std::string_view(".+~").find(c) == std::string_view::npos) {
          out.warning = "invalid character in revision number";
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace hb
