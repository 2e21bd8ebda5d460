#include "engine/json_text.hpp"

#include <algorithm>
#include <optional>

#include "engine/text.hpp"

namespace hb {

std::optional<std::size_t> json_too_deep_at(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

std::string line_col(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const std::size_t line =
      1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t nl = before.rfind('\n');
  const std::size_t col = nl == std::string_view::npos ? offset + 1 : offset - nl;
  return std::to_string(line) + ":" + std::to_string(col);
}

Expected<Json> parse_json_text(const std::string& origin, std::string_view text) {
  if (auto at = json_too_deep_at(text, k_max_json_depth))
    return make_error(ErrorKind::parse, origin + ":" + line_col(text, *at) +
                                            ": nested deeper than " +
                                            std::to_string(k_max_json_depth) + " levels");
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    // nlohmann counts bytes from 1 up to the one it stopped at; its message repeats the position
    // before ": ", which is dropped in favour of our origin:line:col.
    const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    std::string why = e.what();
    const auto colon = why.find(": ");
    if (colon != std::string::npos) why = why.substr(colon + 2);
    return make_error(ErrorKind::parse,
                      origin + ":" + line_col(text, offset) + ": " + printable(why));
  } catch (const Json::exception& e) {
    return make_error(ErrorKind::parse, origin + ": " + printable(e.what()));
  }
}

}  // namespace hb
