#include <doctest/doctest.h>

#include "kb/rules_file.h"

using affil::kb::ParseRules;
using affil::kb::RuleBlock;

TEST_CASE("ParseRules: blocks, fields, comments, line numbers") {
  std::vector<RuleBlock> blocks;
  std::vector<std::string> errors;
  ParseRules("rules/x.rules",
             "# comment\n"
             "org alibaba\n"
             "    name   Alibaba Group\n"
             "    # an indented comment\n"
             "\n"
             "    alias  C# Corner\n"
             "org antgroup\n"
             "\tname Ant Group\n",
             &blocks, &errors);
  CHECK(errors.empty());
  REQUIRE(blocks.size() == 2);
  CHECK(blocks[0].type == "org");
  CHECK(blocks[0].argument == "alibaba");
  CHECK(blocks[0].line == 2);
  REQUIRE(blocks[0].fields.size() == 2);
  CHECK(blocks[0].fields[1].value == "C# Corner");  // no trailing comments
  CHECK(blocks[0].Location(blocks[0].fields[1]) == "rules/x.rules:6");
  CHECK(blocks[1].fields[0].key == "name");
}

TEST_CASE("ParseRules: errors carry file:line") {
  std::vector<RuleBlock> blocks;
  std::vector<std::string> errors;
  ParseRules("r.rules", "    name orphan\norg x\n    name\norg y\n    name \xFF\n", &blocks, &errors);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0] == "r.rules:1: indented field line before any block header");
  CHECK(errors[1] == "r.rules:3: field 'name' has no value");
  CHECK(errors[2] == "r.rules:5: invalid UTF-8");
}
