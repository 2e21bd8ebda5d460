#include "engine/yaml_guard.hpp"

#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

namespace hb {

namespace {

struct Refused : std::runtime_error {
  Refused(const YAML::Mark& m, const std::string& what) : std::runtime_error(what), mark(m) {}
  YAML::Mark mark;
};

// The offset of the first byte that is not part of well-formed UTF-8 (no overlongs, no
// surrogates, nothing above U+10FFFF), or of a NUL; npos when there is none.
std::size_t first_bad_byte(std::string_view t) {
  std::size_t i = 0;
  while (i < t.size()) {
    const auto c = static_cast<unsigned char>(t[i]);
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 1;
    else if (c == 0xE0) n = 2, lo = 0xA0;
    else if (c == 0xED) n = 2, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) n = 2;
    else if (c == 0xF0) n = 3, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) n = 3;
    else if (c == 0xF4) n = 3, hi = 0x8F;
    else return i;
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= t.size()) return i;
      const auto d = static_cast<unsigned char>(t[i + k]);
      if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF)) return i;
    }
    i += n + 1;
  }
  return std::string_view::npos;
}

std::string at(const std::string& origin, const YAML::Mark& m) {
  if (m.is_null()) return origin;
  return origin + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

// Counts the nodes a walk would visit (an alias counts as the whole node it names), each
// shared node computed once: yaml-cpp gives no hash of a node's identity, so nodes are bucketed
// by their position and type and told apart with Node::is(). Recursion is at most max_depth deep.
class Walker {
 public:
  explicit Walker(const YamlBounds& b) : bounds_(b) {}

  std::size_t size(const YAML::Node& n) {
    if (!n.IsSequence() && !n.IsMap()) return 1;
    const auto key = std::make_pair(n.Mark().pos, static_cast<int>(n.Type()));
    if (auto it = memo_.find(key); it != memo_.end())
      for (const auto& [node, size] : it->second)
        if (node.is(n)) return size;
    for (const auto& ancestor : path_)
      if (ancestor.is(n))
        throw Refused(n.Mark(), "an alias inside the node it names (a cycle) is not allowed");
    if (path_.size() >= bounds_.max_depth)
      throw Refused(n.Mark(), "nested more than " + std::to_string(bounds_.max_depth) + " levels deep");
    path_.push_back(n);
    std::size_t total = 1;
    auto add = [&](std::size_t k) {
      total = total + k > bounds_.max_nodes ? bounds_.max_nodes + 1 : total + k;
      if (total > bounds_.max_nodes)
        throw Refused(n.Mark(), "the document has more than " + std::to_string(bounds_.max_nodes) +
                                    " nodes with its aliases expanded (a YAML bomb?)");
    };
    if (n.IsSequence()) {
      for (const auto& e : n) add(size(e));
    } else {
      for (const auto& kv : n) {
        add(size(kv.first));
        add(size(kv.second));
      }
    }
    path_.pop_back();
    memo_[key].emplace_back(n, total);
    return total;
  }

 private:
  const YamlBounds& bounds_;
  std::vector<YAML::Node> path_;
  std::map<std::pair<int, int>, std::vector<std::pair<YAML::Node, std::size_t>>> memo_;
};

}  // namespace

Expected<YAML::Node> load_yaml_bounded(std::string_view text, const std::string& origin,
                                       const YamlBounds& bounds) {
  if (text.size() > bounds.max_bytes)
    return make_error(ErrorKind::too_large, origin + ": larger than " +
                                                std::to_string(bounds.max_bytes) + " bytes");
  if (auto bad = first_bad_byte(text); bad != std::string_view::npos) {
    const std::string_view before = text.substr(0, bad);
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    const std::size_t nl = before.rfind('\n');
    const std::size_t col = bad - (nl == std::string_view::npos ? 0 : nl + 1) + 1;
    return make_error(ErrorKind::parse, origin + ":" + std::to_string(line) + ":" +
                                            std::to_string(col) +
                                            (text[bad] == '\0' ? ": a NUL byte (the file must be UTF-8 text)"
                                                                : ": not UTF-8 (the file must be UTF-8 text)"));
  }
  try {
    YAML::Node doc = YAML::Load(std::string(text));
    Walker(bounds).size(doc);
    return doc;
  } catch (const Refused& e) {
    return make_error(ErrorKind::too_large, at(origin, e.mark) + ": " + e.what());
  } catch (const YAML::DeepRecursion& e) {  // yaml-cpp's own guard (500 levels), which says "bad file"
    return make_error(ErrorKind::too_large, at(origin, e.mark) + ": nested more than " +
                                                std::to_string(bounds.max_depth) + " levels deep");
  } catch (const YAML::Exception& e) {
    return make_error(ErrorKind::parse, at(origin, e.mark) + ": " + e.msg);
  }
}

}  // namespace hb
