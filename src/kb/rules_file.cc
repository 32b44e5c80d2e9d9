#include "kb/rules_file.h"

#include "text/text.h"

namespace affil::kb {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

// Splits "key   value" at the first run of blanks.
void SplitKeyValue(std::string_view s, std::string* key, std::string* value) {
  size_t space = 0;
  while (space < s.size() && !IsBlank(s[space])) ++space;
  *key = std::string(s.substr(0, space));
  *value = std::string(Trim(s.substr(space)));
}

}  // namespace

std::string RuleBlock::Location() const { return file + ":" + std::to_string(line); }

std::string RuleBlock::Location(const RuleField& field) const {
  return file + ":" + std::to_string(field.line);
}

void ParseRules(std::string_view file, std::string_view text, std::vector<RuleBlock>* blocks,
                std::vector<std::string>* errors) {
  auto error = [&](int line, const std::string& message) {
    errors->push_back(std::string(file) + ":" + std::to_string(line) + ": " + message);
  };
  RuleBlock* current = nullptr;
  int line_number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (line_number == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    std::string_view content = Trim(line);
    if (content.empty() || content.front() == '#') {
      if (end == text.size()) break;
      continue;
    }
    if (!text::IsValidUtf8(line)) {
      error(line_number, "invalid UTF-8");
    } else if (!IsBlank(line.front())) {
      RuleBlock block;
      SplitKeyValue(content, &block.type, &block.argument);
      block.file = std::string(file);
      block.line = line_number;
      blocks->push_back(std::move(block));
      current = &blocks->back();
    } else if (current == nullptr) {
      error(line_number, "indented field line before any block header");
    } else {
      RuleField field;
      SplitKeyValue(content, &field.key, &field.value);
      field.line = line_number;
      if (field.value.empty()) {
        error(line_number, "field '" + field.key + "' has no value");
      } else {
        current->fields.push_back(std::move(field));
      }
    }
    if (end == text.size()) break;
  }
}

}  // namespace affil::kb
