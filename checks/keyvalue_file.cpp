#include "checks/keyvalue_file.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "engine/host_glob.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

std::string_view to_string(KeyValueDialect d) {
  switch (d) {
    case KeyValueDialect::sshd:
      return "sshd";
    case KeyValueDialect::login_defs:
      return "login_defs";
    case KeyValueDialect::equals:
      return "equals";
    case KeyValueDialect::whitespace:
      return "whitespace";
  }
  return "whitespace";
}

std::optional<KeyValueDialect> parse_keyvalue_dialect(std::string_view s) {
  for (auto d : {KeyValueDialect::sshd, KeyValueDialect::login_defs, KeyValueDialect::equals,
                 KeyValueDialect::whitespace})
    if (to_string(d) == s) return d;
  return std::nullopt;
}

namespace {

constexpr std::string_view k_sshd_dir = "/etc/ssh";  // SSHDIR, where relative Includes resolve

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

Error parse_error_at(std::string_view file, int line, const std::string& why) {
  return make_error(ErrorKind::parse, std::string(file) + ":" + std::to_string(line) + ": " + why);
}

// OpenSSH's argv_split(s, ..., terminate_on_comment=1): blank-separated words, '"' and '\''
// quoting, backslash escapes of quotes, backslash and (unquoted) space, and a '#' at the start
// of a word ends the line. nullopt on an unterminated quote.
std::optional<std::vector<std::string>> sshd_words(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (is_blank(s[i])) {
      ++i;
      continue;
    }
    if (s[i] == '#') break;
    std::string word;
    char quote = 0;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (c == '\\' && i + 1 < s.size()) {
        char n = s[i + 1];
        if (n == '\'' || n == '"' || n == '\\' || (quote == 0 && n == ' ')) ++i;
        word += s[i];
      } else if (quote == 0 && is_blank(c)) {
        break;
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    }
    if (quote != 0) return std::nullopt;
    out.push_back(std::move(word));
  }
  return out;
}

// One sshd_config line, as servconf.c's process_server_config_line_depth splits it: the keyword
// ends at a blank or '=', and one '=' (with blanks around it) may separate it from the value.
Expected<std::optional<KeyValueLine>> sshd_line(std::string_view raw, int lineno,
                                                std::string_view file) {
  std::string_view s = raw;
  while (!s.empty() && std::string_view(" \t\r\n\f").find(s.back()) != std::string_view::npos)
    s.remove_suffix(1);
  while (!s.empty() && (is_blank(s.front()) || s.front() == '\r' || s.front() == '\f'))
    s.remove_prefix(1);
  if (s.empty() || s.front() == '#') return std::optional<KeyValueLine>{};
  std::size_t end = s.find_first_of(" \t=");
  std::string_view keyword = s.substr(0, end);
  if (keyword.empty()) return parse_error_at(file, lineno, "missing keyword");
  std::string_view rest;
  if (end != std::string_view::npos) {
    bool had_equals = s[end] == '=';
    std::size_t pos = end + 1;
    while (pos < s.size() && is_blank(s[pos])) ++pos;
    if (!had_equals && pos < s.size() && s[pos] == '=') {
      ++pos;
      while (pos < s.size() && is_blank(s[pos])) ++pos;
    }
    rest = s.substr(pos);
  }
  auto words = sshd_words(rest);
  if (!words) return parse_error_at(file, lineno, "invalid quotes");
  if (words->empty())
    return parse_error_at(file, lineno, "no argument after keyword \"" + printable(keyword) + "\"");
  KeyValueLine out;
  out.line = lineno;
  if (iequals(keyword, "include")) {
    for (const auto& w : *words)
      if (w.empty()) return parse_error_at(file, lineno, "keyword Include empty argument");
    out.kind = KeyValueLine::Kind::include;
    out.args = std::move(*words);
  } else if (iequals(keyword, "match")) {
    out.kind = KeyValueLine::Kind::match;
    // With no connection to test (sshd -T without -C), every criterion but "all" is false.
    out.match_all = words->size() == 1 && iequals((*words)[0], "all");
    out.value = join_words(*words);
  } else {
    out.key = std::string(keyword);
    out.value = join_words(*words);
  }
  return std::optional<KeyValueLine>(std::move(out));
}

// shadow's getdef.c: the name is the first blank-delimited field; the value starts after blanks
// and double quotes and stops at the next double quote. A line with one field is skipped.
std::optional<KeyValueLine> login_defs_line(std::string_view s, int lineno) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  if (s.empty() || s.front() == '#') return std::nullopt;
  std::size_t end = s.find_first_of(" \t");
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view value = s.substr(end + 1);
  while (!value.empty() && (is_blank(value.front()) || value.front() == '"'))
    value.remove_prefix(1);
  value = value.substr(0, value.find('"'));
  return KeyValueLine{KeyValueLine::Kind::setting, lineno, std::string(s.substr(0, end)),
                      std::string(value),          {},     false};
}

std::string_view unquote(std::string_view v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
    return v.substr(1, v.size() - 2);
  return v;
}

std::optional<KeyValueLine> equals_line(std::string_view raw, int lineno) {
  std::string_view s = trim(raw);
  if (s.empty() || s.front() == '#' || s.front() == ';') return std::nullopt;
  if (s.front() == '[' && s.back() == ']')
    return KeyValueLine{KeyValueLine::Kind::section,
                        lineno,
                        std::string(trim(s.substr(1, s.size() - 2))),
                        "",
                        {},
                        false};
  std::size_t eq = s.find('=');
  if (eq == std::string_view::npos) return std::nullopt;  // not an assignment: ignored
  std::string_view key = trim(s.substr(0, eq));
  if (key.empty()) return std::nullopt;
  return KeyValueLine{KeyValueLine::Kind::setting,
                      lineno,
                      std::string(key),
                      std::string(unquote(trim(s.substr(eq + 1)))),
                      {},
                      false};
}

std::optional<KeyValueLine> whitespace_line(std::string_view raw, int lineno) {
  auto words = split_ws(trim(raw));
  if (words.empty() || words[0].front() == '#') return std::nullopt;
  std::string value;
  for (std::size_t i = 1; i < words.size(); ++i)
    value += (i > 1 ? " " : "") + std::string(words[i]);
  return KeyValueLine{KeyValueLine::Kind::setting, lineno, std::string(words[0]), value, {}, false};
}

}  // namespace

Expected<std::vector<KeyValueLine>> parse_keyvalue_text(std::string_view text,
                                                        KeyValueDialect dialect,
                                                        std::string_view file) {
  std::vector<KeyValueLine> out;
  int lineno = 0;
  for (std::string_view raw : split_lines(text)) {
    ++lineno;
    std::optional<KeyValueLine> line;
    switch (dialect) {
      case KeyValueDialect::sshd: {
        auto r = sshd_line(raw, lineno, file);
        if (!r) return r.error();
        line = std::move(*r);
        break;
      }
      case KeyValueDialect::login_defs:
        line = login_defs_line(raw, lineno);
        break;
      case KeyValueDialect::equals:
        line = equals_line(raw, lineno);
        break;
      case KeyValueDialect::whitespace:
        line = whitespace_line(raw, lineno);
        break;
    }
    if (line) out.push_back(std::move(*line));
  }
  return out;
}

Expected<std::vector<std::string>> expand_host_glob(const HostView& host,
                                                    std::string_view pattern) {
  GlobExpansion g = expand_glob(host, pattern);
  if (!g.errors.empty()) return make_error(ErrorKind::io, g.errors.front().second);
  if (g.too_many) return make_error(ErrorKind::too_large, std::string(pattern) + ": too many matches");
  std::vector<std::string> out;
  for (auto& p : g.paths)
    if (host.exists(p)) out.push_back(std::move(p));
  return out;
}

namespace {

class Loader {
 public:
  Loader(const HostView& host, KeyValueDialect dialect, KeyValueConfig& out)
      : host_(host), dialect_(dialect), out_(out) {}

  // Reads and parses one file (once per load: an Include loop re-reads nothing).
  Expected<const std::vector<KeyValueLine>*> lines_of(const std::string& path) {
    auto it = cache_.find(path);
    if (it != cache_.end()) return &it->second;
    auto text = host_.read_file(path);
    if (!text) return text.error();
    auto lines = parse_keyvalue_text(*text, dialect_, path);
    if (!lines) return lines.error();
    out_.files.push_back(path);
    return &cache_.emplace(path, std::move(*lines)).first->second;
  }

  // Walks one file. `active` is whether its lines are global when it starts: an Include inside
  // a Match block makes the whole included file conditional (sshd's SSHCFG_NEVERMATCH), and a
  // Match inside an included file ends with that file (sshd restores the includer's state).
  Expected<Unit> walk(const std::string& path, int depth, bool active) {
    // Depth alone does not bound the work: files that each include the next level twice over
    // would be walked 2^16 times. sshd would do that too; we stop with an error instead.
    if (++walks_ > k_max_included_files)
      return make_error(ErrorKind::too_large, path + ": more than " +
                                                  std::to_string(k_max_included_files) +
                                                  " configuration files included");
    auto lines = lines_of(path);
    if (!lines) return lines.error();
    const bool never = !active;
    std::string section;
    for (const auto& l : **lines) {
      switch (l.kind) {
        case KeyValueLine::Kind::setting:
          if (active) out_.assignments.push_back({l.key, l.value, section, {path, l.line}});
          break;
        case KeyValueLine::Kind::section:
          section = l.key;
          break;
        case KeyValueLine::Kind::match:
          active = !never && l.match_all;
          break;
        case KeyValueLine::Kind::include: {
          auto r = include(path, l, depth, active);
          if (!r) return r.error();
          break;
        }
      }
    }
    return ok_unit();
  }

 private:
  Expected<Unit> include(const std::string& path, const KeyValueLine& l, int depth, bool active) {
    const std::string at = path + ":" + std::to_string(l.line) + ": ";
    if (depth + 1 > k_sshd_max_include_depth)
      return make_error(ErrorKind::parse, at + "Include nested more than " +
                                              std::to_string(k_sshd_max_include_depth) +
                                              " levels deep (an Include loop?); sshd refuses "
                                              "this configuration");
    for (const auto& arg : l.args) {
      // sshd does not expand '~' (glob without GLOB_TILDE) and has no useful working
      // directory for it; such a path cannot be resolved on an offline root either.
      if (arg.front() == '~')
        return make_error(ErrorKind::invalid, at + "Include " + printable(arg) +
                                                  ": a path starting with '~' cannot be resolved");
      std::string pattern = arg.front() == '/' ? arg : join_path(k_sshd_dir, arg);
      auto matches = expand_host_glob(host_, pattern);
      if (!matches) return make_error(matches.kind(), at + "Include: " + matches.message());
      for (const auto& file : *matches) {
        // Read first, so that a read error names the Include line; errors from deeper down
        // already name theirs.
        auto lines = lines_of(file);
        if (!lines) {
          if (lines.kind() == ErrorKind::parse) return lines.error();
          return make_error(lines.kind(), at + "Include: " + lines.message());
        }
        auto r = walk(file, depth + 1, active);
        if (!r) return r;
      }
    }
    return ok_unit();
  }

  const HostView& host_;
  KeyValueDialect dialect_;
  KeyValueConfig& out_;
  std::map<std::string, std::vector<KeyValueLine>> cache_;
  int walks_ = 0;
};

bool sshd_accumulates(std::string_view key) {
  // servconf.c appends these to a list on every line instead of keeping the first value.
  static constexpr std::array<std::string_view, 9> k_lists = {
      "allowusers", "denyusers",       "allowgroups",   "denygroups", "acceptenv",
      "hostkey",    "hostcertificate", "listenaddress", "port"};
  const std::string lower = to_lower(key);
  return std::find(k_lists.begin(), k_lists.end(), lower) != k_lists.end();
}

}  // namespace

Expected<KeyValueConfig> load_keyvalue_config(const HostView& host, const std::string& path,
                                              KeyValueDialect dialect) {
  KeyValueConfig out;
  out.path = path;
  Loader loader(host, dialect, out);
  auto r = loader.walk(path, 0, true);
  if (!r) {
    if (r.kind() == ErrorKind::not_found && out.files.empty()) {
      KeyValueConfig missing;
      missing.path = path;
      missing.missing = true;
      return missing;
    }
    return r.error();
  }
  return out;
}

std::optional<KeyValueSetting> find_setting(const KeyValueConfig& config, KeyValueDialect dialect,
                                            std::string_view key,
                                            const std::optional<std::string>& section) {
  const bool sshd = dialect == KeyValueDialect::sshd;
  auto matches = [&](const KeyValueAssignment& a) {
    if (section && a.section != *section) return false;
    return sshd ? iequals(a.key, key) : a.key == key;
  };
  std::optional<KeyValueSetting> found;
  const bool accumulate = sshd && sshd_accumulates(key);
  for (const auto& a : config.assignments) {
    if (!matches(a)) continue;
    if (!found) {
      found = KeyValueSetting{a.key, a.value, {a.where}};
      if (sshd && !accumulate) break;  // sshd: the first obtained value wins
    } else if (accumulate) {
      found->value += " " + a.value;
      found->where.push_back(a.where);
    } else {
      found = KeyValueSetting{a.key, a.value, {a.where}};  // the others: the last one wins
    }
  }
  return found;
}

}  // namespace hb
