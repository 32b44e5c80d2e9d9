// rules_file: the syntax of rules/**/*.rules (docs/formats.md), nothing more.
//
// A file is a sequence of blocks: a header line at column 0, "<type> <argument>",
// then indented "<key> <value>" field lines. Lines whose first non-blank
// character is '#' are comments. Meaning (which types and keys exist) is checked
// by the knowledge-base compiler, which reports problems at the lines kept here.
#ifndef AFFIL_KB_RULES_FILE_H_
#define AFFIL_KB_RULES_FILE_H_

#include <string>
#include <string_view>
#include <vector>

namespace affil::kb {

struct RuleField {
  std::string key;
  std::string value;
  int line = 0;
};

struct RuleBlock {
  std::string type;      // "org", "nonorg", "cue", "override", "mail", "bot"
  std::string argument;  // the rest of the header line
  std::string file;      // path as given to ParseRules
  int line = 0;          // line of the header
  std::vector<RuleField> fields;

  // "file:line" of this block's header, or of one of its fields.
  std::string Location() const;
  std::string Location(const RuleField& field) const;
};

// Parses `text` (the contents of `file`), appending blocks to *blocks and
// "file:line: message" strings to *errors for lines that fit no syntax.
void ParseRules(std::string_view file, std::string_view text, std::vector<RuleBlock>* blocks,
                std::vector<std::string>* errors);

}  // namespace affil::kb

#endif  // AFFIL_KB_RULES_FILE_H_
