#include "reports/escape.hpp"

#include <cstdint>
#include <cstdio>

#include "engine/text.hpp"

namespace hb {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";

template <class Emit>
void for_each_code_point(std::string_view s, Emit emit) {
  for (std::size_t i = 0; i < s.size();) {
    std::uint32_t cp = 0;
    std::size_t n = utf8_sequence(s, i, cp);
    if (n == 0) {
      emit(0xFFFD, k_replacement);
      ++i;
    } else {
      emit(cp, s.substr(i, n));
      i += n;
    }
  }
}

}  // namespace

std::string terminal_safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for_each_code_point(s, [&](std::uint32_t cp, std::string_view bytes) {
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      char buf[12];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp & 0xFF));
      out += buf;
    } else {
      out += bytes;
    }
  });
  return out;
}

namespace {
std::string markup_escape(std::string_view s, bool xml) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for_each_code_point(s, [&](std::uint32_t cp, std::string_view bytes) {
    switch (cp) {
      case '&': out += "&amp;"; return;
      case '<': out += "&lt;"; return;
      case '>': out += "&gt;"; return;
      case '"': out += "&quot;"; return;
      case '\'': out += "&#39;"; return;
      default: break;
    }
    if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') return;  // not allowed in XML 1.0
    if (xml && (cp == 0xFFFE || cp == 0xFFFF)) return;
    if (!xml && cp == 0x7F) return;
    out += bytes;
  });
  return out;
}
}  // namespace

std::string html_escape(std::string_view s) { return markup_escape(s, false); }

std::string html_text(std::string_view s) {
  std::string shown;
  shown.reserve(s.size());
  for_each_code_point(s, [&](std::uint32_t cp, std::string_view bytes) {
    char buf[16];
    if ((cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp < 0xA0)) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
      shown += buf;
    } else if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
      std::snprintf(buf, sizeof buf, "<U+%04X>", static_cast<unsigned>(cp));
      shown += buf;
    } else {
      shown += bytes;
    }
  });
  return html_escape(shown);
}

std::string script_safe_json_text(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < text.size() && text[i + 1] == '\x80' &&
               (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
      out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string xml_clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for_each_code_point(s, [&](std::uint32_t cp, std::string_view bytes) {
    if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') return;
    if (cp == 0xFFFE || cp == 0xFFFF) return;
    out += bytes;
  });
  return out;
}
std::string xml_escape(std::string_view s) { return markup_escape(s, true); }

}  // namespace hb
