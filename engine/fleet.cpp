#include "engine/fleet.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <deque>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "engine/json_text.hpp"  // k_max_json_depth, line_col
#include "engine/local_file.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

constexpr std::string_view k_results_schema = "hostbench-results/1";
constexpr std::size_t k_max_id_bytes = 1024;       // a rule id (the engine's are < 100)
constexpr std::size_t k_max_text_bytes = 4096;     // titles, hostnames, profile ids: cut past this
constexpr std::size_t k_max_results = 100000;      // results in one file
constexpr std::size_t k_max_profiles = 1000;

// A JSON string as it sits in the text, quotes excluded; decoded only when it is kept.
struct RawStr {
  std::string_view raw;
  bool escaped = false;  // holds a backslash
  bool present = false;
};

struct RawResult {
  RawStr id, title, profile, severity, status;
};

struct RawHost {
  RawStr schema, hostname, started, version;
  std::vector<RawStr> profiles;
  std::vector<RawResult> results;
  void clear() {  // keeps the vectors' capacity for the next file
    schema = hostname = started = version = RawStr{};
    profiles.clear();
    results.clear();
  }
};

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::uint32_t> hex4(std::string_view s, std::size_t i) {
  if (i + 4 > s.size()) return std::nullopt;
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    int d = hex_digit(s[i + k]);
    if (d < 0) return std::nullopt;
    v = v * 16 + static_cast<std::uint32_t>(d);
  }
  return v;
}

bool ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// The string's value into `out`: escapes decoded (the skimmer validated them), cut at about
// `cap` bytes, valid UTF-8 (lone surrogates and invalid bytes become U+FFFD).
void decode_into(const RawStr& s, std::size_t cap, std::string& out) {
  out.clear();
  if (!s.escaped) {
    out.assign(s.raw.substr(0, cap));
  } else {
    std::string_view r = s.raw;
    for (std::size_t i = 0; i < r.size() && out.size() < cap;) {
      char c = r[i];
      if (c != '\\') {
        out += c;
        ++i;
        continue;
      }
      char e = r[i + 1];
      i += 2;
      switch (e) {
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::uint32_t cp = hex4(r, i).value_or(0xFFFD);
          i += 4;
          if (cp >= 0xD800 && cp < 0xDC00 && i + 6 <= r.size() && r[i] == '\\' && r[i + 1] == 'u') {
            auto lo = hex4(r, i + 2);
            if (lo && *lo >= 0xDC00 && *lo < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (*lo - 0xDC00);
              i += 6;
            }
          }
          if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;
          append_utf8(out, cp);
          break;
        }
        default: out += e; break;  // " \\ /
      }
    }
  }
  if (!ascii(out)) out = sanitize_utf8(out);
}

std::string decode(const RawStr& s, std::size_t cap = k_max_text_bytes) {
  std::string out;
  decode_into(s, cap, out);
  return out;
}

template <class T>
std::optional<T> word_of(const RawStr& s, std::optional<T> (*parse)(std::string_view)) {
  if (!s.escaped) return parse(s.raw);
  return parse(decode(s, 32));
}

bool equals(const RawStr& s, std::string_view word) {
  if (!s.escaped) return s.raw == word;
  return decode(s, word.size() + 1) == word;
}

// A single forward pass over the document. Values outside the few fields the merge keeps are
// skipped by their structure alone (strings by their closing quote), so a 400 KB file of
// descriptions and evidence costs little more than finding its quotes.
class Skimmer {
 public:
  explicit Skimmer(std::string_view text) : t_(text) {}

  std::optional<std::string> run(RawHost& out) {
    ws();
    if (peek() != '{') {
      fail("the document is not a JSON object");
      return error_;
    }
    if (!object([&](std::string_view key) {
          if (key == "schema") return string_into(out.schema);
          // A member given twice counts once, with its last value, as JSON parsers read it; a
          // member of another type than expected is skipped.
          if (key == "tool") {
            out.version = RawStr{};
            return object_or_skip([&](std::string_view k) {
              return k == "version" ? string_into(out.version) : skip_value();
            });
          }
          if (key == "scan") {
            out.hostname = out.started = RawStr{};
            out.profiles.clear();
            return object_or_skip([&](std::string_view k) {
              if (k == "hostname") return string_into(out.hostname);
              if (k == "started") return string_into(out.started);
              if (k != "profiles") return skip_value();
              out.profiles.clear();
              return array_or_skip([&] {
                if (out.profiles.size() >= k_max_profiles) return fail("more than 1000 profiles");
                RawStr id;
                if (!object_or_skip([&](std::string_view pk) {
                      return pk == "id" ? string_into(id) : skip_value();
                    }))
                  return false;
                if (id.present) out.profiles.push_back(id);
                return true;
              });
            });
          }
          if (key == "results") {
            out.results.clear();
            return array([&] {
            if (out.results.size() >= k_max_results) return fail("more than 100000 results");
            if (peek() != '{') return fail("a result is not an object");
            RawResult r;
            std::size_t at = pos_;
            if (!object([&](std::string_view rk) {
                  if (rk == "id") return string_into(r.id);
                  if (rk == "title") return string_into(r.title);
                  if (rk == "profile") return string_into(r.profile);
                  if (rk == "severity") return string_into(r.severity);
                  if (rk == "status") return string_into(r.status);
                  return skip_value();
                }))
              return false;
            if (!r.id.present || r.id.raw.empty() || !r.status.present || !r.severity.present) {
              pos_ = at;
              return fail("a result lacks an id, a severity or a status");
            }
            out.results.push_back(r);
            return true;
            });
          }
          return skip_value();
        }))
      return error_;
    ws();
    if (pos_ != t_.size()) fail("text after the document");
    return error_;
  }


 private:
  char peek() const { return pos_ < t_.size() ? t_[pos_] : '\0'; }

  void ws() {
    while (pos_ < t_.size() &&
           (t_[pos_] == ' ' || t_[pos_] == '\n' || t_[pos_] == '\r' || t_[pos_] == '\t'))
      ++pos_;
  }

  bool fail(std::string what) {
    if (!error_) error_ = line_col(t_, std::min(pos_, t_.size())) + ": " + std::move(what);
    return false;
  }

  bool expect(char c, const char* what) {
    if (peek() != c) return fail(what);
    ++pos_;
    return true;
  }

  // `member(key)` consumes the member's value (after the colon and whitespace).
  template <class F>
  bool object(F&& member) {
    if (!expect('{', "expected an object")) return false;
    if (++depth_ > k_max_json_depth) return fail("nested deeper than 512 levels");
    ws();
    if (peek() == '}') {
      ++pos_;
      --depth_;
      return true;
    }
    for (;;) {
      ws();
      RawStr key;
      if (peek() != '"') return fail("expected a member name in quotes");
      if (!string_into(key)) return false;
      ws();
      if (!expect(':', "expected ':' after a member name")) return false;
      ws();
      std::string decoded;
      std::string_view k = key.raw;
      if (key.escaped) {
        decoded = decode(key, 64);
        k = decoded;
      }
      if (!member(k)) return false;
      ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        --depth_;
        return true;
      }
      return fail("expected ',' or '}' in an object");
    }
  }

  template <class F>
  bool object_or_skip(F&& member) {
    return peek() == '{' ? object(member) : skip_value();
  }
  template <class F>
  bool array_or_skip(F&& element) {
    return peek() == '[' ? array(element) : skip_value();
  }

  template <class F>
  bool array(F&& element) {
    if (peek() != '[') return fail("expected an array");
    ++pos_;
    if (++depth_ > k_max_json_depth) return fail("nested deeper than 512 levels");
    ws();
    if (peek() == ']') {
      ++pos_;
      --depth_;
      return true;
    }
    for (;;) {
      ws();
      if (!element()) return false;
      ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        --depth_;
        return true;
      }
      return fail("expected ',' or ']' in an array");
    }
  }

  // A string at pos_ (which must be a quote): its raw text into `out`. Escapes are validated;
  // control characters are refused, as the grammar says.
  bool string_into(RawStr& out) {
    if (peek() != '"') return fail("expected a string");
    std::size_t start = ++pos_;
    bool escaped = false;
    for (;;) {
      // Jump to the next quote or backslash; then check the bytes jumped over for controls.
      const char* base = t_.data();
      std::size_t n = t_.size();
      std::size_t i = pos_;
      // Eight bytes at a time while none of them is a quote, a backslash or a control character
      // (SWAR: a byte of v is zero exactly where the high bit of the expression is set).
      constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
      while (i + 8 <= n) {
        std::uint64_t w;
        std::memcpy(&w, base + i, 8);
        std::uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
        std::uint64_t hit = ((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w);
        if (hit & highs) break;
        i += 8;
      }
      while (i < n) {
        unsigned char c = static_cast<unsigned char>(base[i]);
        if (c == '"' || c == '\\') break;
        if (c < 0x20) {
          pos_ = i;
          return fail("a control character inside a string");
        }
        ++i;
      }
      if (i >= n) {
        pos_ = n;
        return fail("a string is not closed");
      }
      if (base[i] == '"') {
        out.raw = t_.substr(start, i - start);
        out.escaped = escaped;
        out.present = true;
        pos_ = i + 1;
        return true;
      }
      escaped = true;
      if (i + 1 >= n) {
        pos_ = n;
        return fail("a string is not closed");
      }
      char e = base[i + 1];
      if (e == 'u') {
        auto cp = hex4(t_, i + 2);
        if (!cp) {
          pos_ = i;
          return fail("a \\u escape without four hex digits");
        }
        pos_ = i + 6;
        // UTF-16 surrogates only in pairs, as the JSON parser of every other reader insists.
        if (*cp >= 0xDC00 && *cp < 0xE000) {
          pos_ = i;
          return fail("a \\u escape of a lone surrogate");
        }
        if (*cp >= 0xD800 && *cp < 0xDC00) {
          auto lo = pos_ + 1 < n && base[pos_] == '\\' && base[pos_ + 1] == 'u' ? hex4(t_, pos_ + 2)
                                                                            : std::nullopt;
          if (!lo || *lo < 0xDC00 || *lo >= 0xE000) {
            pos_ = i;
            return fail("a \\u escape of a lone surrogate");
          }
          pos_ += 6;
        }
      } else if (std::strchr("\"\\/bfnrt", e) != nullptr && e != '\0') {
        pos_ = i + 2;
      } else {
        pos_ = i;
        return fail("an invalid escape in a string");
      }
    }
  }

  bool literal(std::string_view word) {
    if (t_.substr(pos_, word.size()) != word) return fail("an invalid value");
    pos_ += word.size();
    return true;
  }

  bool number() {
    auto digits = [&] {
      std::size_t s = pos_;
      while (pos_ < t_.size() && t_[pos_] >= '0' && t_[pos_] <= '9') ++pos_;
      return pos_ > s;
    };
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
    } else if (!digits()) {
      return fail("an invalid number");
    }
    if (peek() == '.') {
      ++pos_;
      if (!digits()) return fail("an invalid number");
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!digits()) return fail("an invalid number");
    }
    return true;
  }

  bool skip_value() {
    switch (peek()) {
      case '{': return object([&](std::string_view) { return skip_value(); });
      case '[': return array([&] { return skip_value(); });
      case '"': {
        RawStr ignored;
        return string_into(ignored);
      }
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default:
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return number();
        if (pos_ >= t_.size()) return fail("the document ends early");
        return fail("an invalid value");
    }
  }

  std::string_view t_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::optional<std::string> error_;
};

// What a raw document means: checks the schema and every result's vocabulary. The message of
// an error is what FleetProblem says.
std::optional<std::string> check_host(const RawHost& h) {
  if (!h.schema.present) return "not hostbench results (no \"schema\")";
  if (!equals(h.schema, k_results_schema))
    return "not hostbench results (schema '" + printable(decode(h.schema, 100), 60) +
           "', expected '" + std::string(k_results_schema) + "')";
  for (const auto& r : h.results) {
    if (r.id.raw.size() > k_max_id_bytes)
      return "a result id is longer than " + std::to_string(k_max_id_bytes) + " bytes";
    if (!word_of<Status>(r.status, parse_status))
      return "result " + printable(decode(r.id), 100) + ": unknown status '" +
             printable(decode(r.status, 40), 40) + "'";
    if (!word_of<Severity>(r.severity, parse_severity))
      return "result " + printable(decode(r.id), 100) + ": unknown severity '" +
             printable(decode(r.severity, 40), 40) + "'";
  }
  return std::nullopt;
}

std::optional<std::int64_t> epoch_of(const std::string& iso) {
  auto t = parse_time(iso);
  if (!t) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
}

// ---- the merge ----

struct LocalRule {
  std::string id, title, profile;
  Severity severity;
};

// One reader thread's rules: ids interned once, so a host's results are small integers.
struct Interner {
  std::unordered_map<std::string, std::uint32_t> index;
  std::vector<LocalRule> rules;
};

struct Entry {
  std::uint32_t rule;  // local to the worker until the merge, then global
  std::uint8_t status;
  std::uint8_t severity;
};

struct Slot {
  bool ok = false;
  std::string problem;
  unsigned worker = 0;
  FleetHost host;
  std::vector<Entry> entries;
};

void read_one(const std::string& file, std::size_t cap, std::string& buf, RawHost& raw,
              Interner& in, Slot& slot) {
  if (auto err = read_local_file_into(file, cap, buf)) {
    // read_local_file names the path first; the problem's file field already does.
    std::string m = err->message;
    if (m.rfind(file + ": ", 0) == 0) m.erase(0, file.size() + 2);
    slot.problem = m;
    return;
  }
  raw.clear();
  Skimmer sk(buf);
  if (auto e = sk.run(raw)) {
    slot.problem = "not valid JSON: " + *e;
    return;
  }
  if (auto e = check_host(raw)) {
    slot.problem = *e;
    return;
  }
  FleetHost& h = slot.host;
  h.file = file;
  h.hostname = decode(raw.hostname);
  h.started = decode(raw.started, 64);
  h.tool_version = decode(raw.version, 64);
  for (const auto& p : raw.profiles) h.profiles.push_back(decode(p, 256));
  SummaryTally tally;
  slot.entries.reserve(raw.results.size());
  std::string id;
  for (const auto& r : raw.results) {
    decode_into(r.id, k_max_id_bytes, id);
    Status st = *word_of<Status>(r.status, parse_status);
    Severity sev = *word_of<Severity>(r.severity, parse_severity);
    auto [it, fresh] = in.index.try_emplace(id, static_cast<std::uint32_t>(in.rules.size()));
    if (fresh) in.rules.push_back({id, decode(r.title), decode(r.profile, 256), sev});
    slot.entries.push_back({it->second, static_cast<std::uint8_t>(st), static_cast<std::uint8_t>(sev)});
    tally.add(sev, st);
  }
  // A rule twice in one file is not something the scanner writes.
  std::vector<std::uint32_t> seen;
  seen.reserve(slot.entries.size());
  for (const auto& e : slot.entries) seen.push_back(e.rule);
  std::sort(seen.begin(), seen.end());
  if (auto d = std::adjacent_find(seen.begin(), seen.end()); d != seen.end()) {
    slot.problem = "rule " + printable(in.rules[*d].id, 100) + " appears twice";
    slot.entries.clear();
    return;
  }
  h.summary = tally.done();
  slot.ok = true;
}

std::string html_sibling(const std::string& file) {
  if (file.size() < 6 || file.compare(file.size() - 5, 5, ".json") != 0) return "";
  std::string html = file.substr(0, file.size() - 5) + ".html";
  struct stat st {};
  if (::stat(html.c_str(), &st) == 0 && S_ISREG(st.st_mode)) return html;
  return "";
}

std::string hours_text(double h) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", h);
  return buf;
}

}  // namespace

Expected<SkimmedHost> skim_results(std::string_view text) {
  RawHost raw;
  Skimmer sk(text);
  if (auto e = sk.run(raw)) return make_error(ErrorKind::parse, "not valid JSON: " + *e);
  if (auto e = check_host(raw)) return make_error(ErrorKind::parse, *e);
  SkimmedHost h;
  h.hostname = decode(raw.hostname);
  h.started = decode(raw.started, 64);
  h.tool_version = decode(raw.version, 64);
  for (const auto& p : raw.profiles) h.profiles.push_back(decode(p, 256));
  for (const auto& r : raw.results)
    h.results.push_back({decode(r.id, k_max_id_bytes), decode(r.title), decode(r.profile, 256),
                         *word_of<Severity>(r.severity, parse_severity),
                         *word_of<Status>(r.status, parse_status)});
  return h;
}

void sort_rules_most_failed(Fleet& fleet) {
  std::vector<std::uint32_t> order(fleet.rules.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const FleetRule &x = fleet.rules[a], &y = fleet.rules[b];
    if (x.count(Status::fail) != y.count(Status::fail)) return x.count(Status::fail) > y.count(Status::fail);
    if (x.severity != y.severity) return x.severity > y.severity;
    return x.id < y.id;
  });
  std::vector<FleetRule> rules;
  rules.reserve(order.size());
  for (auto i : order) rules.push_back(std::move(fleet.rules[i]));
  fleet.rules = std::move(rules);
  std::vector<std::uint8_t> row(order.size());
  for (auto& h : fleet.hosts) {
    for (std::size_t i = 0; i < order.size(); ++i)
      row[i] = order[i] < h.status.size() ? h.status[order[i]] : k_not_scanned;
    h.status.swap(row);
    row.resize(order.size());
  }
}

void sort_hosts_worst_first(std::vector<FleetHost>& hosts) {
  auto weighted = [](const FleetHost& h) {
    int w = 0;
    for (Severity s : k_all_severities)
      w += severity_weight(s) * h.summary.by_severity_failed[static_cast<int>(s)];
    return w;
  };
  std::vector<int> weights;
  weights.reserve(hosts.size());
  for (const auto& h : hosts) weights.push_back(weighted(h));
  std::vector<std::size_t> order(hosts.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const FleetHost &x = hosts[a], &y = hosts[b];
    if (weights[a] != weights[b]) return weights[a] > weights[b];
    if (x.summary.score != y.summary.score) return x.summary.score < y.summary.score;
    if (x.hostname != y.hostname) return x.hostname < y.hostname;
    return x.file < y.file;
  });
  std::vector<FleetHost> sorted;
  sorted.reserve(order.size());
  for (auto i : order) sorted.push_back(std::move(hosts[i]));
  hosts = std::move(sorted);
}

int Fleet::hosts_stale() const {
  return static_cast<int>(std::count_if(hosts.begin(), hosts.end(), [](const FleetHost& h) { return h.stale; }));
}

int Fleet::hosts_failing() const {
  return static_cast<int>(std::count_if(hosts.begin(), hosts.end(), [](const FleetHost& h) {
    return h.summary.count(Status::fail) > 0;
  }));
}

Fleet merge_results(std::span<const std::string> files, const MergeOptions& options) {
  Fleet fleet;
  fleet.max_age_hours = options.max_age_hours;
  fleet.files_given = static_cast<int>(files.size());
  std::int64_t now = options.now_epoch.value_or(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  fleet.generated = format_time(SystemTime(std::chrono::seconds(now)));

  // Read and skim, a few files at a time. Each worker keeps one buffer and its own rule table.
  std::vector<Slot> slots(files.size());
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(files.size(), 1)));
  std::vector<Interner> interners(jobs);
  std::atomic<std::size_t> next{0};
  auto work = [&](unsigned w) {
    std::string buf;
    RawHost raw;
    for (std::size_t i; (i = next.fetch_add(1)) < files.size();) {
      slots[i].worker = w;
      read_one(files[i], options.max_file_bytes, buf, raw, interners[w], slots[i]);
      if (buf.capacity() > (std::size_t{8} << 20)) std::string().swap(buf);  // one huge file
    }
  };
  if (jobs == 1) {
    work(0);
  } else {
    std::vector<std::jthread> threads;
    for (unsigned w = 0; w < jobs; ++w) threads.emplace_back(work, w);
  }

  // Global rule table, in input order so "first host" means the first file given.
  std::unordered_map<std::string_view, std::uint32_t> global_index;
  std::vector<std::vector<std::uint32_t>> remap(jobs);
  for (unsigned w = 0; w < jobs; ++w) remap[w].assign(interners[w].rules.size(), UINT32_MAX);
  std::vector<FleetRule> rules;
  std::deque<std::string> id_store;  // stable storage for global_index's keys
  for (auto& slot : slots) {
    if (!slot.ok) continue;
    auto& map = remap[slot.worker];
    for (auto& e : slot.entries) {
      std::uint32_t& g = map[e.rule];
      if (g == UINT32_MAX) {
        const LocalRule& lr = interners[slot.worker].rules[e.rule];
        auto it = global_index.find(lr.id);
        if (it == global_index.end()) {
          id_store.push_back(lr.id);
          it = global_index.emplace(id_store.back(), static_cast<std::uint32_t>(rules.size())).first;
          FleetRule fr;
          fr.id = lr.id;
          fr.title = lr.title;
          fr.profile = lr.profile;
          fr.severity = lr.severity;
          rules.push_back(std::move(fr));
        }
        g = it->second;
      }
      e.rule = g;
      FleetRule& fr = rules[g];
      ++fr.hosts[e.status];
      if (static_cast<Severity>(e.severity) != fr.severity) fr.severity_differs = true;
    }
  }

  fleet.rules = std::move(rules);

  // Hosts, in input order for the problems; then sorted worst first.
  std::unordered_map<std::string, std::string> first_file_of;  // hostname → file
  for (std::size_t i = 0; i < slots.size(); ++i) {
    Slot& slot = slots[i];
    if (!slot.ok) {
      fleet.problems.push_back({files[i], slot.problem, true});
      continue;
    }
    FleetHost h = std::move(slot.host);
    h.status.assign(fleet.rules.size(), k_not_scanned);
    for (const auto& e : slot.entries) h.status[e.rule] = e.status;
    std::vector<Entry>().swap(slot.entries);
    h.started_epoch = epoch_of(h.started);
    if (h.started_epoch) {
      h.age_hours = static_cast<double>(now - *h.started_epoch) / 3600.0;
      h.stale = *h.age_hours > options.max_age_hours;
      if (*h.age_hours < -1.0)
        fleet.problems.push_back({h.file, "scanned " + hours_text(-*h.age_hours) +
                                              " hours in the future: is the host's clock ahead?",
                                  false});
    } else {
      h.stale = true;
      fleet.problems.push_back({h.file, h.started.empty() ? "no scan time (scan.started): counted as stale"
                                                          : "scan time '" + printable(h.started, 40) +
                                                                "' does not parse: counted as stale",
                                false});
    }
    if (!h.hostname.empty()) {
      auto [it, fresh] = first_file_of.try_emplace(h.hostname, h.file);
      if (!fresh)
        fleet.problems.push_back({h.file, "the same hostname " + in_quotes(h.hostname) + " as " +
                                              it->second + " (both merged as separate hosts)",
                                  false});
    }
    h.report_html = html_sibling(h.file);
    fleet.hosts.push_back(std::move(h));
  }
  sort_rules_most_failed(fleet);
  sort_hosts_worst_first(fleet.hosts);
  return fleet;
}

}  // namespace hb
