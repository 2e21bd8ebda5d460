#include "checks/pam_config.hpp"

#include "engine/text.hpp"

namespace hb {

namespace {

bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

struct Token {
  std::string text;
  bool bracketed = false;
};

// _pam_StrTok: blank-separated words; a word starting with '[' runs to the next ']' that is not
// escaped as "\]" (the brackets dropped, "\]" kept as "]"), blanks included.
std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && blank(s[i])) ++i;
    if (i >= s.size()) break;
    Token t;
    if (s[i] == '[') {
      t.bracketed = true;
      ++i;
      while (i < s.size() && s[i] != ']') {
        if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == ']') ++i;
        t.text += s[i++];
      }
      if (i < s.size()) ++i;  // the closing ']'; an unclosed bracket runs to the end, as in PAM
    } else {
      while (i < s.size() && !blank(s[i])) t.text += s[i++];
    }
    out.push_back(std::move(t));
  }
  return out;
}

PamLine parse_logical(std::string_view text, int lineno) {
  PamLine l;
  l.line = lineno;
  auto tokens = tokenize(text);
  // tokens is non-empty: blank lines never reach here.
  std::string_view first = tokens[0].text;
  if (!tokens[0].bracketed && first == "@include") {
    l.kind = PamLine::Kind::include_all;
    if (tokens.size() < 2) {
      l.kind = PamLine::Kind::invalid;
      l.reason = "@include without a file";
    } else {
      l.target = tokens[1].text;
    }
    return l;
  }
  if (!first.empty() && first.front() == '-') {
    l.dash = true;
    first.remove_prefix(1);
  }
  l.type = parse_pam_type(first);
  if (!l.type) {
    l.kind = PamLine::Kind::invalid;
    l.reason = "unknown module type '" + std::string(first) + "'";
    return l;
  }
  if (tokens.size() < 2) {
    l.kind = PamLine::Kind::invalid;
    l.reason = "no control flag";
    return l;
  }
  const Token& control = tokens[1];
  l.control = control.bracketed ? "[" + control.text + "]" : control.text;
  if (!control.bracketed &&
      (iequals(control.text, "include") || iequals(control.text, "substack"))) {
    l.kind = iequals(control.text, "include") ? PamLine::Kind::include : PamLine::Kind::substack;
    if (tokens.size() < 3) {
      l.kind = PamLine::Kind::invalid;
      l.reason = "no file to " + to_lower(control.text);
    } else {
      l.target = tokens[2].text;
    }
    return l;
  }
  if (tokens.size() < 3) {
    l.kind = PamLine::Kind::invalid;
    l.reason = "no module path";
    return l;
  }
  l.module = tokens[2].text;
  for (std::size_t i = 3; i < tokens.size(); ++i) l.args.push_back(tokens[i].text);
  return l;
}

}  // namespace

std::string_view to_string(PamType t) {
  switch (t) {
    case PamType::auth:
      return "auth";
    case PamType::account:
      return "account";
    case PamType::password:
      return "password";
    case PamType::session:
      return "session";
  }
  return "auth";
}

std::optional<PamType> parse_pam_type(std::string_view s) {
  for (auto t : {PamType::auth, PamType::account, PamType::password, PamType::session})
    if (iequals(s, to_string(t))) return t;
  return std::nullopt;
}

std::string PamLine::module_name() const {
  auto slash = module.rfind('/');
  return slash == std::string::npos ? module : module.substr(slash + 1);
}

std::string PamLine::text() const {
  std::string out;
  switch (kind) {
    case Kind::include_all:
      return "@include " + target;
    case Kind::invalid:
      return "invalid line: " + reason;
    case Kind::include:
    case Kind::substack:
      return (dash ? "-" : "") + std::string(to_string(*type)) + " " + control + " " + target;
    case Kind::module:
      break;
  }
  out = (dash ? "-" : "") + std::string(to_string(*type)) + " " + control + " " + module;
  for (const auto& a : args)
    out += " " + (a.find_first_of(" \t") != std::string::npos ? "[" + a + "]" : a);
  return out;
}

std::vector<PamLine> parse_pam_config(std::string_view text) {
  std::vector<PamLine> out;
  std::string logical;
  bool overlong = false;
  int first_line = 0, lineno = 0;
  auto emit = [&] {
    if (overlong) {
      PamLine l;
      l.kind = PamLine::Kind::invalid;
      l.line = first_line;
      l.reason = "a line longer than " + std::to_string(k_max_pam_line_bytes) + " bytes";
      out.push_back(std::move(l));
    } else if (!trim(logical).empty()) {
      out.push_back(parse_logical(logical, first_line));
    }
    logical.clear();
    overlong = false;
  };
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view phys =
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    start = nl == std::string_view::npos ? text.size() : nl + 1;
    if (static_cast<std::size_t>(++lineno) > k_max_pam_lines) break;

    std::size_t b = 0;
    while (b < phys.size() && blank(phys[b])) ++b;
    if (b == phys.size() || phys[b] == '#') continue;  // nothing here (PAM reads on)
    std::string_view content = phys.substr(b);
    bool ends = false;
    if (auto hash = content.find('#'); hash != std::string_view::npos) {
      content = content.substr(0, hash);  // a comment ends the line, backslash or not
      ends = true;
    }
    while (!content.empty() && blank(content.back())) content.remove_suffix(1);
    bool continued = !ends && !content.empty() && content.back() == '\\';
    if (continued) content.remove_suffix(1);
    if (logical.empty() && !overlong) first_line = lineno;
    if (logical.size() + content.size() + 1 <= k_max_pam_line_bytes) {
      logical.append(content);
      logical += ' ';
    } else {
      overlong = true;
      logical.clear();
    }
    if (continued) continue;
    emit();
  }
  emit();
  return out;
}

}  // namespace hb
