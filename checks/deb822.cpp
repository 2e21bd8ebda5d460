#include "checks/deb822.hpp"

#include <algorithm>
#include <cstring>

#include "engine/text.hpp"

namespace hb {

namespace {
constexpr std::size_t k_initial_buffer = 256 * 1024;

bool is_blank_line(std::string_view s) {
  return s.find_first_not_of(" \t") == std::string_view::npos;
}
}  // namespace

LineReader::LineReader(FileStream& in, std::size_t max_line)
    : in_(in),
      max_line_(std::max<std::size_t>(max_line, 1)),
      buf_(std::min(k_initial_buffer, max_line_ + 1)) {}

Expected<bool> LineReader::fill() {
  auto got = in_.read(buf_.data() + end_, buf_.size() - end_);
  if (!got) return got.error();
  end_ += *got;
  if (*got == 0) eof_ = true;
  return *got > 0;
}

Expected<bool> LineReader::next(std::string_view& line) {
  truncated_ = false;
  for (;;) {
    if (start_ < end_) {
      const void* p = std::memchr(buf_.data() + start_, '\n', end_ - start_);
      if (p) {
        std::size_t nl = static_cast<std::size_t>(static_cast<const char*>(p) - buf_.data());
        if (skipping_) {  // the end of a cut line
          skipping_ = false;
          start_ = nl + 1;
          continue;
        }
        line = std::string_view(buf_.data() + start_, nl - start_);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        start_ = nl + 1;
        ++line_no_;
        return true;
      }
      if (skipping_) start_ = end_ = 0;
    }
    if (eof_) {
      if (start_ < end_) {  // a last line without "\n"
        line = std::string_view(buf_.data() + start_, end_ - start_);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        start_ = end_;
        ++line_no_;
        return true;
      }
      return false;
    }
    const std::size_t pending = end_ - start_;
    if (pending >= max_line_) {
      // Too long: hand out its first max_line bytes and drop the rest as it streams by.
      line = std::string_view(buf_.data() + start_, max_line_);
      start_ = end_ = 0;
      skipping_ = true;
      truncated_ = true;
      ++line_no_;
      return true;
    }
    if (start_ > 0) {
      std::memmove(buf_.data(), buf_.data() + start_, pending);
      start_ = 0;
      end_ = pending;
    }
    if (end_ == buf_.size()) buf_.resize(std::min(buf_.size() * 2, max_line_ + 1));
    auto more = fill();
    if (!more) return more.error();
  }
}

Expected<bool> LineReader::skip_stanza() {
  truncated_ = false;
  // In the middle of a line (already counted) whose end is still to come.
  bool mid_line = skipping_;
  skipping_ = false;
  for (;;) {
    if (!mid_line) {
      if (start_ == end_) {
        if (eof_) return false;
        start_ = end_ = 0;
        auto more = fill();
        if (!more) return more.error();
        continue;
      }
      const char c = buf_[start_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        // Perhaps blank: take the whole line as next() gives it, so both agree on what is blank.
        std::string_view line;
        auto got = next(line);
        if (!got) return got.error();
        if (!*got) return false;
        if (is_blank_line(line)) return true;
        mid_line = skipping_;  // a cut line's rest is still to come
        skipping_ = false;
        continue;
      }
      ++line_no_;  // a line that cannot be blank: count it and find its end
      mid_line = true;
    }
    const void* p = std::memchr(buf_.data() + start_, '\n', end_ - start_);
    if (p) {
      start_ = static_cast<std::size_t>(static_cast<const char*>(p) - buf_.data()) + 1;
      mid_line = false;
      continue;
    }
    // The line goes on past the buffer: drop what there is of it and read on.
    start_ = end_ = 0;
    if (eof_) return false;  // a last line without "\n"
    auto more = fill();
    if (!more) return more.error();
  }
}

StanzaReader::StanzaReader(LineReader& lines, std::string name,
                           std::initializer_list<std::string_view> fields, bool comments)
    : lines_in_(lines), name_(std::move(name)), comments_(comments) {
  for (std::string_view f : fields) {
    if (fields_.size() == k_max_fields) break;
    fields_.push_back(to_lower(f));
  }
}

void StanzaReader::keep_only(std::size_t i, std::function<bool(std::string_view)> keep) {
  filter_field_ = i < fields_.size() && keep ? i : k_max_fields;
  keep_ = std::move(keep);
}

Error StanzaReader::error_at(std::uint64_t line, const std::string& why) const {
  return make_error(ErrorKind::parse, name_ + ":" + std::to_string(line) + ": " + why);
}

Expected<bool> StanzaReader::next() {
  present_.fill(false);
  first_line_ = 0;
  bool in_stanza = false;
  std::string_view line;
  for (;;) {
    auto got = lines_in_.next(line);
    if (!got) return got.error();
    if (!*got) return in_stanza;
    const std::uint64_t no = lines_in_.line_number();
    if (line.empty() || ((line[0] == ' ' || line[0] == '\t') && is_blank_line(line))) {
      if (in_stanza) return true;
      continue;
    }
    if (comments_ && line[0] == '#') continue;
    if (line[0] == ' ' || line[0] == '\t') {
      if (!in_stanza) return error_at(no, "continuation line outside a field");
      continue;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return error_at(no, "not a field: '" + printable(line, 60) + "'");
    std::string_view field = line.substr(0, colon);
    if (std::any_of(field.begin(), field.end(), [](char c) { return c == ' ' || c == '\t'; }))
      return error_at(no, "field name with a blank: '" + printable(field, 60) + "'");
    if (!in_stanza) {
      in_stanza = true;
      first_line_ = no;
    }
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      if (field.size() != fields_[i].size() || !iequals(field, fields_[i])) continue;
      if (present_[i]) return error_at(no, "duplicate field '" + printable(field) + "'");
      if (lines_in_.truncated())
        return error_at(no, "field '" + printable(field) + "' is longer than the line limit");
      const std::string_view value = trim(line.substr(colon + 1));
      if (i == filter_field_ && !keep_(value)) {
        // Not wanted: pass over the rest unparsed and start again with the next stanza.
        ++skipped_;
        auto more = lines_in_.skip_stanza();
        if (!more) return more.error();
        present_.fill(false);
        first_line_ = 0;
        in_stanza = false;
        break;
      }
      present_[i] = true;
      values_[i].assign(value);
      lines_[i] = no;
      break;
    }
  }
}

}  // namespace hb
