#include "checks/systemd_unit.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iterator>
#include <set>
#include <utility>

#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

constexpr std::size_t k_max_words = 4096;  // words kept from one value

bool is_env_name(std::string_view n) {
  if (n.empty() || std::isdigit(static_cast<unsigned char>(n[0]))) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// The character a backslash escape stands for (systemd's C escapes; \s is a blank). The rare
// \xHH and octal forms are not decoded: they stay the character after the backslash.
char c_unescape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 's':
      return ' ';
    default:
      return c;  // \\ \" \' and anything else: the character itself
  }
}

// Word splitting with quotes; unit syntax adds C escapes and %% (a $VAR's value has neither).
std::vector<std::string> split_words(std::string_view s, bool unit_syntax) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < s.size() && out.size() < k_max_words; ++i) {
    const char c = s[i];
    if (!quote && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
      if (in_word) out.push_back(std::move(cur));
      cur.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (quote && c == quote) {
      quote = 0;
    } else if (!quote && (c == '"' || c == '\'')) {
      quote = c;
    } else if (c == '\\' && i + 1 < s.size()) {
      ++i;
      cur += unit_syntax ? c_unescape(s[i]) : s[i];
    } else if (unit_syntax && c == '%' && i + 1 < s.size() && s[i + 1] == '%') {
      cur += '%';
      ++i;
    } else {
      cur += c;
    }
  }
  if (in_word && out.size() < k_max_words) out.push_back(std::move(cur));
  return out;
}

}  // namespace

std::string UnitDirective::where() const {
  return file + ":" + std::to_string(line);
}

std::vector<UnitDirective> parse_unit_file(std::string_view text, const std::string& file) {
  auto is_comment = [](std::string_view l) { return !l.empty() && (l[0] == '#' || l[0] == ';'); };
  std::vector<UnitDirective> out;
  std::string current;
  const auto lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view l = trim(lines[i]);
    const std::size_t first = i + 1;
    if (l.empty() || is_comment(l)) continue;
    if (l.front() == '[') {
      current = l.back() == ']' ? std::string(l.substr(1, l.size() - 2)) : "";
      continue;
    }
    std::string joined;
    while (!l.empty() && l.back() == '\\' && i + 1 < lines.size()) {
      joined.append(l.substr(0, l.size() - 1)).push_back(' ');
      while (++i + 1 < lines.size() && is_comment(trim(lines[i]))) {
      }
      l = trim(lines[i]);
      if (is_comment(l)) l = {};
    }
    joined.append(l);
    const auto eq = joined.find('=');
    if (eq == std::string::npos) continue;
    out.push_back({current, std::string(trim(std::string_view(joined).substr(0, eq))),
                   std::string(trim(std::string_view(joined).substr(eq + 1))), file, first});
  }
  return out;
}

std::vector<UnitDirective> LoadedUnit::section(std::string_view section_name) const {
  std::vector<UnitDirective> out;
  for (const auto& d : directives)
    if (d.section == section_name) out.push_back(d);
  return out;
}

std::vector<UnitDirective> LoadedUnit::list(std::string_view section_name,
                                            std::string_view key) const {
  std::vector<UnitDirective> out;
  for (auto& d : section(section_name)) {
    if (d.key != key) continue;
    if (d.value.empty())
      out.clear();
    else
      out.push_back(std::move(d));
  }
  return out;
}

LoadedUnit load_unit(const HostView& host, const std::string& name) {
  LoadedUnit u;
  u.name = name;
  std::set<std::pair<std::uint64_t, std::uint64_t>> seen;  // merged /usr: /lib is /usr/lib
  std::map<std::string, std::string> dropins;              // file name -> path
  for (std::string_view dir_view : k_unit_search_path) {
    const std::string dir(dir_view);
    auto st = host.stat(dir);
    if (!st || st->type != FileType::directory || !seen.insert({st->device, st->inode}).second)
      continue;
    const std::string path = join_path(dir, name);
    if (u.main.empty() && u.masked.empty() && host.exists(path)) {
      auto target = host.read_link(path);
      auto s = host.stat(path);
      if ((target && *target == "/dev/null") || (s && s->type == FileType::char_device))
        u.masked = path + " -> /dev/null";
      else if (s && s->type == FileType::regular && s->size == 0)
        u.masked = path + " (empty)";
      else if (s && s->type == FileType::regular)
        u.main = path;
    }
    const std::string ddir = path + ".d";
    auto entries = host.list_dir(ddir);
    if (!entries && entries.kind() != ErrorKind::not_found)
      u.notes.push_back("cannot list " + ddir + ": " + entries.message());
    if (entries)
      for (const auto& e : *entries)
        if (e.name.ends_with(".conf")) dropins.emplace(e.name, join_path(ddir, e.name));
  }
  if (u.main.empty()) return u;
  u.files.push_back(u.main);
  for (const auto& [file_name, path] : dropins) u.files.push_back(path);
  for (const auto& f : u.files) {
    auto text = host.read_file(f);
    if (!text) {
      if (text.kind() != ErrorKind::not_regular)
        u.notes.push_back("cannot read " + f + ": " + text.message());
      continue;
    }
    auto d = parse_unit_file(*text, f);
    u.directives.insert(u.directives.end(), std::make_move_iterator(d.begin()),
                        std::make_move_iterator(d.end()));
  }
  return u;
}

std::map<std::string, UnitEnvVar> unit_environment(const HostView& host, const LoadedUnit& unit,
                                                   std::vector<std::string>& notes,
                                                   std::vector<std::string>* loaded) {
  std::vector<std::pair<std::string, UnitEnvVar>> assignments;
  for (const auto& e : unit.section("Service")) {
    if (e.key != "Environment") continue;
    if (e.value.empty()) assignments.clear();
    for (auto& w : split_words(e.value, true)) {
      const auto eq = w.find('=');
      if (eq == std::string::npos || !is_env_name(std::string_view(w).substr(0, eq))) {
        notes.push_back(e.where() + ": invalid Environment= assignment " + in_quotes(w) +
                        " ignored");
        continue;
      }
      const std::string name = w.substr(0, eq);
      assignments.push_back({name, {w.substr(eq + 1), e.where() + " Environment " + name}});
    }
  }
  std::map<std::string, UnitEnvVar> env;
  for (const auto& [name, var] : assignments) env[name] = var;
  for (const auto& e : unit.list("Service", "EnvironmentFile")) {
    const bool optional = e.value[0] == '-';
    const std::string path = optional ? e.value.substr(1) : e.value;
    auto text = host.read_file(path);
    if (!text) {
      if (text.kind() != ErrorKind::not_found || !optional)
        notes.push_back(
            e.where() + ": EnvironmentFile " + in_quotes(path) + ": " + text.message() +
            (optional ? "" : " (not optional: systemd does not start " + unit.name + ")"));
      continue;
    }
    if (loaded) loaded->push_back(path);
    std::vector<std::string> file_notes;
    for (auto& [name, v] : parse_environment_file(*text, file_notes))
      env[name] = {v.value, path + ":" + std::to_string(v.line) + " " + name};
    for (auto& n : file_notes) notes.push_back(path + ": " + n);
  }
  return env;
}

std::vector<std::string> exec_command_words(std::string_view value) {
  // '-' ignore failure, '@' argv[0] follows the path, '+' '!' '!!' ':' '|' privileges.
  bool at = false;
  while (!value.empty() && std::string_view("-@+!:|").find(value[0]) != std::string_view::npos) {
    at = at || value[0] == '@';
    value.remove_prefix(1);
  }
  std::vector<std::string> words = split_words(value, true);
  if (at && !words.empty()) words.erase(words.begin());
  return words;
}

std::vector<std::string> split_unit_words(std::string_view value) {
  return split_words(value, true);
}

std::vector<std::string> expand_exec_words(const std::vector<std::string>& words,
                                           const std::map<std::string, std::string>& env,
                                           std::vector<std::string>* used) {
  std::vector<std::string> out;
  for (const auto& w : words) {
    if (w.size() > 1 && w[0] == '$' && is_env_name(std::string_view(w).substr(1))) {
      const std::string name = w.substr(1);
      if (used) used->push_back(name);
      if (auto it = env.find(name); it != env.end())
        for (auto& part : split_words(it->second, false)) out.push_back(std::move(part));
      continue;
    }
    std::string r;
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (w[i] == '$' && i + 1 < w.size() && w[i + 1] == '$') {
        r += '$';
        ++i;
        continue;
      }
      if (w[i] == '$' && i + 1 < w.size() && w[i + 1] == '{') {
        const auto close = w.find('}', i + 2);
        if (close != std::string::npos &&
            is_env_name(std::string_view(w).substr(i + 2, close - i - 2))) {
          const std::string name = w.substr(i + 2, close - i - 2);
          if (used) used->push_back(name);
          if (auto it = env.find(name); it != env.end()) r += it->second;
          i = close;
          continue;
        }
      }
      r += w[i];
    }
    out.push_back(std::move(r));
  }
  return out;
}

// systemd's parse_env_file_internal(), as a scanner: after KEY= come quoted parts ('...' raw,
// "..." with \" \\ \` \$ escapes) and blanks between them, until an unquoted character starts
// the plain rest of the line (where quotes are literal, \ escapes, and trailing blanks go).
std::map<std::string, EnvValue> parse_environment_file(std::string_view text,
                                                       std::vector<std::string>& notes) {
  std::map<std::string, EnvValue> out;
  std::size_t i = 0, line = 1;
  auto end_of_line = [&] { return i >= text.size() || text[i] == '\n' || text[i] == '\r'; };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '#' || c == ';') {
      i = std::min(text.find('\n', i), text.size());
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      line += c == '\n' ? 1 : 0;
      ++i;
      continue;
    }
    const std::size_t key_line = line, eq = text.find_first_of("=\n", i);
    if (eq == std::string_view::npos || text[eq] == '\n') {  // no '=': not an assignment
      i = eq == std::string_view::npos ? text.size() : eq;
      continue;
    }
    const std::string name(trim(text.substr(i, eq - i)));
    std::string value;
    std::size_t keep = 0;  // the value without trailing unquoted blanks
    bool plain = false;
    for (i = eq + 1; !end_of_line();) {
      char v = text[i++];
      if (!plain && (v == ' ' || v == '\t')) continue;
      if (!plain && (v == '\'' || v == '"')) {
        for (; i < text.size() && text[i] != v; ++i) {
          char q = text[i];
          const bool escaped = v == '"' && q == '\\' && i + 1 < text.size();
          if (escaped) {
            q = text[++i];
            if (std::string_view("\"\\`$\n").find(q) == std::string_view::npos) value += '\\';
          }
          line += q == '\n' ? 1 : 0;
          if (!escaped || q != '\n') value += q;  // an escaped newline continues the value
        }
        ++i;  // past the closing quote
        keep = value.size();
        continue;
      }
      plain = true;
      const bool escaped = v == '\\' && i < text.size();
      if (escaped) v = text[i++];
      if (escaped && v == '\n') {  // an escaped newline continues the line
        ++line;
        continue;
      }
      value += v;
      if (escaped || (v != ' ' && v != '\t')) keep = value.size();
    }
    value.resize(keep);
    if (is_env_name(name))
      out[name] = {std::move(value), key_line};
    else
      notes.push_back("line " + std::to_string(key_line) + ": " + in_quotes(name, 60) +
                      " is not a variable name: ignored (as systemd does)");
  }
  return out;
}

}  // namespace hb
