#include "checks/dockerfile.hpp"

#include <array>
#include <cctype>
#include <set>
#include <utility>

#include "engine/json_text.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

constexpr int k_max_expand_depth = 16;

constexpr std::array<std::string_view, 18> k_keywords = {
    "ADD",    "ARG",   "CMD",         "COPY",  "ENTRYPOINT", "ENV",
    "EXPOSE", "FROM",  "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD",
    "RUN",    "SHELL", "STOPSIGNAL",  "USER",  "VOLUME",     "WORKDIR"};

bool known_keyword(std::string_view k) {
  for (auto w : k_keywords)
    if (w == k) return true;
  return false;
}

// Go's unicode.IsSpace, for the ASCII range.
bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::string_view ltrim(std::string_view s) {
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  return s;
}
std::string_view trim_blank(std::string_view s) {
  s = ltrim(s);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

// 'text' for messages, control bytes escaped.
std::string single_quoted(std::string_view s) {
  return "'" + printable(s, 120) + "'";
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// "# key = value" at the top of the file (the reference's "Parser directives").
std::optional<std::pair<std::string, std::string>> directive(std::string_view t) {
  if (t.empty() || t.front() != '#') return std::nullopt;
  std::size_t i = 1;
  while (i < t.size() && blank(t[i])) ++i;
  const std::size_t k = i;
  if (i >= t.size() || !std::isalpha(static_cast<unsigned char>(t[i]))) return std::nullopt;
  while (i < t.size() && std::isalnum(static_cast<unsigned char>(t[i]))) ++i;
  std::string key = to_lower(t.substr(k, i - k));
  while (i < t.size() && blank(t[i])) ++i;
  if (i >= t.size() || t[i] != '=') return std::nullopt;
  std::string_view value = trim_blank(t.substr(i + 1));
  if (value.empty()) return std::nullopt;
  return std::make_pair(std::move(key), std::string(value));
}

// The escape character as the last non-blank of a line, not itself escaped: the instruction
// continues on the next line. Returns the line without it.
std::pair<std::string_view, bool> continuation(std::string_view s, char escape) {
  std::size_t end = s.size();
  while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t')) --end;
  if (end == 0 || s[end - 1] != escape) return {s, false};
  if (end >= 2 && s[end - 2] == escape) return {s, false};
  return {s.substr(0, end - 1), true};
}

// Leading "--name[=value]" words (BuildKit's extractBuilderFlags); the rest is returned.
std::string_view take_flags(std::string_view rest, std::vector<DockerfileFlag>& flags) {
  std::size_t pos = 0;
  for (;;) {
    while (pos < rest.size() && blank(rest[pos])) ++pos;
    if (pos + 1 >= rest.size() || rest[pos] != '-' || rest[pos + 1] != '-') return rest.substr(pos);
    std::string w;
    char quote = 0;
    for (; pos < rest.size(); ++pos) {
      char c = rest[pos];
      if (!quote && blank(c)) break;
      if (!quote && (c == '\'' || c == '"')) {
        quote = c;
        continue;
      }
      if (quote && c == quote) {
        quote = 0;
        continue;
      }
      if (c == '\\') {
        if (pos + 1 == rest.size()) continue;
        c = rest[++pos];
      }
      w += c;
    }
    if (w == "--") return rest.substr(pos);
    DockerfileFlag f;
    std::string_view body = std::string_view(w).substr(2);
    const auto eq = body.find('=');
    f.name = std::string(body.substr(0, eq));
    if (eq != std::string_view::npos) {
      f.value = std::string(body.substr(eq + 1));
      f.has_value = true;
    }
    flags.push_back(std::move(f));
  }
}

enum class Form { shell, exec, bad };

// Exec form: the arguments are exactly one JSON array, of strings only.
Form json_form(std::string_view args, std::vector<std::string>& argv) {
  args = ltrim(args);
  if (args.empty() || args.front() != '[') return Form::shell;
  auto j = parse_json_text("", args);
  if (!j) return Form::shell;  // (a valid text that starts with '[' is an array)
  std::vector<std::string> out;
  for (const auto& e : *j) {
    if (!e.is_string()) return Form::bad;
    out.push_back(e.get<std::string>());
  }
  argv = std::move(out);
  return Form::exec;
}

// Words with their quotes kept (BuildKit's parseWords, for ARG and ENV).
std::vector<std::string> quoted_words(std::string_view s, char escape) {
  std::vector<std::string> words;
  std::string w;
  bool in_word = false, blank_ok = false;
  char quote = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!in_word && !quote) {
      if (blank(c)) continue;
      in_word = true;
    }
    if (!quote) {
      if (blank(c)) {
        if (blank_ok || !w.empty()) words.push_back(std::move(w));
        w.clear();
        in_word = blank_ok = false;
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        blank_ok = true;
      } else if (c == escape) {
        if (i + 1 == s.size()) continue;
        w += c;
        c = s[++i];
      }
      w += c;
      continue;
    }
    if (c == quote) {
      quote = 0;
    } else if (c == escape && quote != '\'') {
      if (i + 1 == s.size()) {
        quote = 0;
        continue;
      }
      w += c;
      c = s[++i];
    }
    w += c;
  }
  if (blank_ok || !w.empty()) words.push_back(std::move(w));
  return words;
}

// ARG: NAME or NAME=VALUE words. ENV: NAME=VALUE words, or the old "ENV NAME VALUE".
std::optional<std::string> assignments(DockerfileInstruction& ins, char escape) {
  const auto words = quoted_words(ins.args, escape);
  if (words.empty()) return ins.keyword + " requires at least one argument";
  if (ins.keyword == "ENV" && words[0].find('=') == std::string::npos) {
    std::string_view a = ins.args;
    std::size_t sp = 0;
    while (sp < a.size() && !blank(a[sp])) ++sp;
    std::string_view value = ltrim(a.substr(sp));
    if (value.empty()) return "ENV must have two arguments";
    ins.assignments.push_back({std::string(a.substr(0, sp)), std::string(value)});
    return std::nullopt;
  }
  for (const auto& w : words) {
    const auto eq = w.find('=');
    if (eq == std::string::npos) {
      if (ins.keyword == "ENV")
        return "Syntax error - can't find = in " + single_quoted(w) +
               ". Must be of the form: name=value";
      ins.assignments.push_back({w, std::nullopt});
    } else {
      ins.assignments.push_back({w.substr(0, eq), w.substr(eq + 1)});
    }
  }
  return std::nullopt;
}

// The heredocs a RUN/COPY/ADD line opens: words "[n]<<[-]WORD" (quotes kept while splitting,
// so "<<EOF" in quotes is no heredoc).
std::vector<DockerfileHeredoc> heredocs_of(std::string_view line) {
  std::vector<std::string> words;
  std::string w;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (blank(c)) {
      if (!w.empty()) words.push_back(std::move(w));
      w.clear();
    } else if (c == '\'' || c == '"') {
      const std::size_t j = line.find(c, i + 1);
      const std::size_t end = j == std::string_view::npos ? line.size() : j + 1;
      w.append(line.substr(i, end - i));
      i = end - 1;
    } else if (c == '\\' && i + 1 < line.size()) {
      w.append(line.substr(i++, 2));
    } else {
      w += c;
    }
  }
  if (!w.empty()) words.push_back(std::move(w));
  std::vector<DockerfileHeredoc> out;
  for (std::string_view word : words) {
    std::size_t k = 0;
    while (k < word.size() && std::isdigit(static_cast<unsigned char>(word[k]))) ++k;
    if (word.substr(k, 2) != "<<") continue;
    DockerfileHeredoc h;
    h.fd = k == 0 || k > 4 ? 0 : std::stoi(std::string(word.substr(0, k)));
    k += 2;
    if (k < word.size() && word[k] == '-') {
      h.chomp = true;
      ++k;
    }
    const std::string_view rest = word.substr(k);
    if (rest.empty() || rest.find('<') != std::string_view::npos) continue;
    h.expand = rest.find_first_of("'\"") == std::string_view::npos;
    for (std::size_t i = 0; i < rest.size(); ++i) {
      if (rest[i] == '\'' || rest[i] == '"') continue;
      if (rest[i] == '\\' && i + 1 < rest.size()) ++i;
      h.name += rest[i];
    }
    if (!h.name.empty()) out.push_back(std::move(h));
  }
  return out;
}

bool valid_stage_name(std::string_view s) {
  if (s.empty() || s.front() < 'a' || s.front() > 'z') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

class Expander {
 public:
  Expander(const DockerfileVars& vars, char escape) : vars_(vars), esc_(escape) {}

  std::string run(std::string_view s, int depth) {
    if (depth > k_max_expand_depth) {
      incomplete("substitutions nested deeper than 16 levels");
      return std::string(s);
    }
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '\'') {
        const std::size_t j = s.find('\'', i + 1);
        out.append(s.substr(i + 1, j == std::string_view::npos ? j : j - i - 1));
        i = j == std::string_view::npos ? s.size() : j + 1;
      } else if (c == '"') {
        for (++i; i < s.size() && s[i] != '"';) {
          if (s[i] == esc_ && i + 1 < s.size() &&
              (s[i + 1] == '"' || s[i + 1] == '$' || s[i + 1] == esc_)) {
            out += s[i + 1];
            i += 2;
          } else if (s[i] == '$') {
            i = dollar(s, i, depth, out);
          } else {
            out += s[i++];
          }
        }
        ++i;
      } else if (c == esc_) {
        if (i + 1 < s.size()) out += s[i + 1];
        i += 2;
      } else if (c == '$') {
        i = dollar(s, i, depth, out);
      } else {
        out += c;
        ++i;
      }
    }
    return out;
  }

  DockerfileExpansion result;

 private:
  void incomplete(std::string why) {
    if (result.complete) result.note = std::move(why);
    result.complete = false;
  }

  // The value of a variable, or nullopt (with a note) when it is unset.
  std::optional<std::string> lookup(const std::string& name, bool note) {
    auto it = vars_.find(name);
    if (it != vars_.end() && it->second) return *it->second;
    if (note)
      incomplete(it == vars_.end() ? name + " is not declared in the Dockerfile"
                                   : name + " is an ARG without a default");
    return std::nullopt;
  }

  // s[i] == '$': appends the expansion, returns the index after it.
  std::size_t dollar(std::string_view s, std::size_t i, int depth, std::string& out) {
    std::size_t j = i + 1;
    if (j >= s.size() || s[j] != '{') {
      while (j < s.size() && name_char(s[j])) ++j;
      if (j == i + 1 || std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
        out += '$';
        return i + 1;
      }
      out += lookup(std::string(s.substr(i + 1, j - i - 1)), true).value_or("");
      return j;
    }
    const std::size_t name_start = ++j;
    while (j < s.size() && name_char(s[j])) ++j;
    const std::string name(s.substr(name_start, j - name_start));
    std::size_t end = j;  // the matching '}'
    for (int open = 0; end < s.size(); ++end) {
      if (s[end] == esc_) {
        ++end;
      } else if (s[end] == '$' && end + 1 < s.size() && s[end + 1] == '{') {
        ++open, ++end;
      } else if (s[end] == '}') {
        if (open-- == 0) break;
      }
    }
    if (end >= s.size() || name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) {
      incomplete("bad substitution");
      out.append(s.substr(i, end - i + 1));
      return std::min(end + 1, s.size());
    }
    std::string op(s.substr(j, std::min<std::size_t>(2, end - j)));
    if (op.size() == 2 && op[0] != ':') op.resize(1);
    const std::string_view word = s.substr(j + op.size(), end - j - op.size());
    const auto value = lookup(name, op.empty());
    const bool set = value.has_value(), full = set && !value->empty();
    if (op.empty()) {
      out += value.value_or("");
    } else if (op == ":-" || op == "-") {
      out += (op == ":-" ? full : set) ? *value : run(word, depth + 1);
    } else if (op == ":+" || op == "+") {
      if (op == ":+" ? full : set) out += run(word, depth + 1);
    } else if (op == ":?" || op == "?") {
      if (op == ":?" ? full : set)
        out += *value;
      else
        incomplete(name + " is required (" + printable(word, 80) + ")");
    } else {
      incomplete("${" + name + op.substr(0, 1) + "...} is not evaluated");
      out += value.value_or("");
    }
    return end + 1;
  }

  const DockerfileVars& vars_;
  char esc_;
};

// Splits the text into lines without their ends (any trailing CRs dropped, a BOM removed).
std::optional<std::vector<std::string_view>> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    if (lines.size() >= k_dockerfile_max_lines) return std::nullopt;
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view l = text.substr(start, nl - start);
    while (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (lines.empty() && starts_with(l, "\xEF\xBB\xBF")) l.remove_prefix(3);
    lines.push_back(l);
    start = nl + 1;
  }
  return lines;
}

}  // namespace

namespace {

// ---- shell words (for the rules that look into RUN) ----

bool op_char(char c) {
  return std::string_view(";&|()<>`").find(c) != std::string_view::npos;
}

// A redirection target or here-document delimiter: one word, quotes removed.
std::string target_word(std::string_view s, std::size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  std::string w;
  while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && !op_char(s[i])) {
    if (s[i] == '\'' || s[i] == '"') {
      const std::size_t end = std::min(s.find(s[i], i + 1), s.size());
      w.append(s.substr(i + 1, end - i - 1));
      i = std::min(end + 1, s.size());
    } else if (s[i] == '\\' && i + 1 < s.size()) {
      w += s[i + 1];
      i += 2;
    } else {
      w += s[i++];
    }
  }
  return w;
}

}  // namespace

std::vector<ShellCommand> shell_commands(std::string_view s) {
  std::vector<ShellCommand> out;
  ShellCommand cur;
  std::string w;
  bool in_word = false;
  std::vector<std::pair<std::string, bool>> heredocs;  // pending: delimiter, strip tabs
  auto end_word = [&] {
    if (in_word) cur.push_back(std::move(w));
    w.clear();
    in_word = false;
  };
  auto end_command = [&] {
    end_word();
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\n') {
      end_command();
      ++i;
      for (const auto& [delim, strip] : heredocs) {  // their bodies follow this line
        while (i < s.size()) {
          const std::size_t eol = std::min(s.find('\n', i), s.size());
          std::string_view line = s.substr(i, eol - i);
          i = std::min(eol + 1, s.size());
          if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
          while (strip && !line.empty() && line.front() == '\t') line.remove_prefix(1);
          if (line == delim) break;
        }
      }
      heredocs.clear();
    } else if (c == ' ' || c == '\t' || c == '\r') {
      end_word();
      ++i;
    } else if (c == '#' && !in_word) {
      i = std::min(s.find('\n', i), s.size());
    } else if (c == '\'') {
      in_word = true;
      const std::size_t end = std::min(s.find('\'', i + 1), s.size());
      w.append(s.substr(i + 1, end - i - 1));
      i = std::min(end + 1, s.size());
    } else if (c == '"') {
      in_word = true;
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size() &&
            std::string_view("\"\\$`\n").find(s[i + 1]) != std::string_view::npos)
          if (s[++i] == '\n') continue;
        w += s[i];
      }
      ++i;
    } else if (c == '\\') {
      if (i + 1 < s.size() && s[i + 1] != '\n') {
        w += s[i + 1];
        in_word = true;
      }
      i += 2;
    } else if (c == '$' && i + 1 < s.size() && s[i + 1] == '{') {
      in_word = true;
      const std::size_t end = std::min(s.find('}', i), s.size() - 1) + 1;
      w.append(s.substr(i, end - i));
      i = end;
    } else if (c == '$' && i + 1 < s.size() && s[i + 1] == '(') {
      end_command();  // a command substitution's commands stand on their own
      i += 2;
    } else if (c == '<' || c == '>') {
      if (in_word && std::all_of(w.begin(), w.end(), [](char d) { return d >= '0' && d <= '9'; }))
        in_word = false;  // the descriptor of "2>file"
      end_word();
      std::size_t j = i;
      while (j < s.size() && (s[j] == '<' || s[j] == '>')) ++j;
      const std::string_view op = s.substr(i, j - i);
      const bool strip = op == "<<" && j < s.size() && s[j] == '-';
      if (strip) ++j;
      if (j < s.size() && (s[j] == '&' || s[j] == '|')) ++j;
      i = j;
      std::string target = target_word(s, i);
      if (op == "<<" && !target.empty()) heredocs.emplace_back(std::move(target), strip);
    } else if (op_char(c)) {
      end_command();
      ++i;
    } else {
      w += c;
      in_word = true;
      ++i;
    }
  }
  end_command();
  return out;
}

const DockerfileFlag* DockerfileInstruction::flag(std::string_view flag_name) const {
  for (const auto& f : flags)
    if (f.name == flag_name) return &f;
  return nullptr;
}

DockerfileExpansion expand_dockerfile_word(std::string_view word, const DockerfileVars& vars,
                                           char escape) {
  Expander e(vars, escape);
  std::string text = e.run(word, 0);
  e.result.text = std::move(text);
  return e.result;
}

Expected<Dockerfile> parse_dockerfile(std::string_view text, const std::string& name) {
  auto fail = [&](std::size_t line, const std::string& msg) {
    return make_error(ErrorKind::parse, name + ":" + std::to_string(line) + ": " + msg);
  };
  if (text.size() > k_dockerfile_max_bytes)
    return make_error(ErrorKind::too_large, name + ": larger than 4 MiB, not parsed");
  const auto lines_or = lines_of(text);
  if (!lines_or)
    return fail(k_dockerfile_max_lines + 1,
                "more than " + std::to_string(k_dockerfile_max_lines) + " lines, not parsed");
  const std::vector<std::string_view>& lines = *lines_or;

  Dockerfile df;
  df.name = name;
  bool directives_done = false;
  std::set<std::string> seen;
  DockerfileVars& globals = df.globals;
  std::map<std::string, int> stage_names;  // alias -> stage index
  std::size_t i = 0;
  while (i < lines.size()) {
    const std::size_t start = i + 1;
    const std::string_view t = ltrim(lines[i++]);
    if (!directives_done) {
      auto d = directive(t);
      if (!d || (d->first != "syntax" && d->first != "escape" && d->first != "check")) {
        directives_done = true;
      } else {
        if (!seen.insert(d->first).second)
          return fail(start, "only one " + d->first + " parser directive can be used");
        if (d->first == "escape") {
          if (d->second != "\\" && d->second != "`")
            return fail(start, "invalid escape token " + single_quoted(d->second) +
                                   " does not match ` or \\");
          df.escape = d->second[0];
        } else if (d->first == "syntax") {
          df.syntax = d->second;
        }
        continue;
      }
    }
    if (t.empty() || t.front() == '#') continue;
    auto [first, more] = continuation(t, df.escape);
    std::string line(first);
    while (more && i < lines.size()) {
      const std::string_view next = lines[i++];
      const std::string_view nt = ltrim(next);
      if (nt.empty() || nt.front() == '#') continue;  // comments and empty lines are skipped
      auto [part, again] = continuation(next, df.escape);
      line.append(part);
      more = again;
    }
    const std::string_view l = trim_blank(line);
    if (l.empty()) continue;
    if (++df.instruction_count > k_dockerfile_max_instructions)
      return fail(start, "more than " + std::to_string(k_dockerfile_max_instructions) +
                             " instructions, not parsed");

    DockerfileInstruction ins;
    ins.first_line = static_cast<int>(start);
    std::size_t sp = 0;
    while (sp < l.size() && !blank(l[sp])) ++sp;
    ins.keyword = upper(l.substr(0, sp));
    if (!known_keyword(ins.keyword))
      return fail(start, "unknown instruction: " + printable(l.substr(0, sp), 80));
    ins.args = std::string(trim_blank(take_flags(l.substr(sp), ins.flags)));

    const std::string& k = ins.keyword;
    Form form = Form::shell;
    std::string heredoc_kw = k;
    if (k == "RUN" || k == "CMD" || k == "ENTRYPOINT" || k == "SHELL" || k == "ADD" ||
        k == "COPY" || k == "VOLUME") {
      form = json_form(ins.args, ins.argv);
      if (k == "SHELL" && form == Form::shell)
        return fail(start, "SHELL requires the arguments to be in JSON form");
    } else if (k == "HEALTHCHECK") {
      const auto words = split_ws(ins.args);
      const std::string type = words.empty() ? "" : upper(words[0]);
      if (type.empty()) return fail(start, "HEALTHCHECK requires at least one argument");
      if (type == "NONE" && words.size() > 1)
        return fail(start, "HEALTHCHECK NONE takes no arguments");
      if (type == "CMD") {
        const std::string_view cmd = ltrim(std::string_view(ins.args).substr(words[0].size()));
        if (cmd.empty()) return fail(start, "Missing command after HEALTHCHECK CMD");
        form = json_form(cmd, ins.argv);
      } else if (type != "NONE") {
        return fail(start, "Unknown type " + single_quoted(words[0]) + " in HEALTHCHECK (try CMD)");
      }
    } else if (k == "ARG" || k == "ENV") {
      if (auto err = assignments(ins, df.escape)) return fail(start, *err);
    } else if (k == "ONBUILD") {
      std::size_t csp = 0;
      while (csp < ins.args.size() && !blank(ins.args[csp])) ++csp;
      ins.onbuild_keyword = upper(std::string_view(ins.args).substr(0, csp));
      if (ins.onbuild_keyword.empty()) return fail(start, "ONBUILD requires at least one argument");
      if (ins.onbuild_keyword == "ONBUILD")
        return fail(start, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      if (ins.onbuild_keyword == "FROM" || ins.onbuild_keyword == "MAINTAINER")
        return fail(start, ins.onbuild_keyword + " isn't allowed as an ONBUILD trigger");
      if (!known_keyword(ins.onbuild_keyword))
        return fail(start, "unknown instruction: " + printable(ins.onbuild_keyword, 80));
      std::vector<DockerfileFlag> ignored;
      std::vector<std::string> ignored_argv;
      if (json_form(take_flags(std::string_view(ins.args).substr(csp), ignored), ignored_argv) ==
          Form::exec)
        form = Form::exec;
      heredoc_kw = ins.onbuild_keyword;
    }
    if (form == Form::bad)
      return fail(start, "when using JSON array syntax, arrays must be comprised of strings only");
    ins.exec_form = form == Form::exec;

    if (form == Form::shell &&
        (heredoc_kw == "RUN" || heredoc_kw == "COPY" || heredoc_kw == "ADD")) {
      ins.heredocs = heredocs_of(l);
      for (auto& h : ins.heredocs) {
        h.first_line = static_cast<int>(i + 1);
        bool terminated = false;
        while (!terminated && i < lines.size()) {
          std::string_view body = lines[i++];
          if (h.chomp)
            while (!body.empty() && body.front() == '\t') body.remove_prefix(1);
          terminated = body == h.name;
          if (!terminated) h.body.append(body).push_back('\n');
        }
        if (!terminated)
          return fail(start, "unterminated heredoc <<" + printable(h.name, 80) + ": no line " +
                                 single_quoted(h.name) + " before the end of the file");
        h.last_line = static_cast<int>(i);
      }
    }
    ins.last_line = static_cast<int>(i);

    if (k == "FROM") {
      const auto words = split_ws(ins.args);
      if (words.size() != 1 && (words.size() != 3 || !iequals(words[1], "AS")))
        return fail(start, "FROM requires either one or three arguments: FROM <image> [AS <name>]");
      DockerfileStage st;
      st.index = static_cast<int>(df.stages.size());
      st.line = ins.first_line;
      st.base = std::string(words[0]);
      if (words.size() == 3) {
        st.name = to_lower(words[2]);
        if (!valid_stage_name(st.name))
          return fail(start, "invalid name for build stage: " + single_quoted(words[2]) +
                                 ", name can't start with a number or contain symbols");
        if (stage_names.count(st.name))
          return fail(start, "duplicate stage name " + single_quoted(st.name));
      }
      auto ex = expand_dockerfile_word(st.base, globals, df.escape);
      st.base_resolved = std::move(ex.text);
      st.base_complete = ex.complete;
      st.base_note = std::move(ex.note);
      if (auto it = stage_names.find(to_lower(st.base_resolved)); it != stage_names.end())
        st.base_stage = it->second;
      if (!st.name.empty()) stage_names.emplace(st.name, st.index);
      st.from = std::move(ins);
      df.stages.push_back(std::move(st));
    } else if (!df.stages.empty()) {
      df.stages.back().instructions.push_back(std::move(ins));
    } else if (k == "ARG") {
      for (const auto& a : ins.assignments) {
        if (!a.value) {
          globals.try_emplace(a.name, std::nullopt);
          continue;
        }
        auto ex = expand_dockerfile_word(*a.value, globals, df.escape);
        globals[a.name] = ex.complete ? std::optional<std::string>(ex.text) : std::nullopt;
      }
      df.global_args.push_back(std::move(ins));
    } else {
      return fail(start, "no build stage in current context (" + k +
                             " before the first FROM; only ARG may precede it)");
    }
  }
  if (df.stages.empty()) {
    if (df.instruction_count == 0)
      return fail(std::max<std::size_t>(1, lines.size()), "file with no instructions");
    return fail(df.global_args.back().first_line,
                "no FROM instruction: the Dockerfile has no stage to build");
  }
  return df;
}

}  // namespace hb
