// Every kind of broken knowledge-base file is refused with path:line.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "affil.h"
#include "kb/kb.h"

namespace {

namespace fs = std::filesystem;

// A throwaway knowledge base: a two-country gazetteer and one rules file.
struct TempKb {
  fs::path root;
  explicit TempKb(const std::string& rules, const std::string& extra_places = "") {
    root = fs::temp_directory_path() / ("affil_kb_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter()++));
    fs::create_directories(root / "rules");
    fs::create_directories(root / "gazetteer");
    std::ofstream(root / "gazetteer/places.tsv") << "id\tkind\tcountry\tsubdivision\tname\tpopulation\n"
                                                    "CN\tcountry\tCN\t\tChina\t1400000000\n"
                                                    "US\tcountry\tUS\t\tUnited States\t330000000\n"
                                                 << extra_places;
    std::ofstream(root / "gazetteer/names.tsv") << "id\tname\ttype\nCN\tChina\tname\nUS\tUSA\tcode\n";
    std::ofstream(root / "rules/test.rules") << rules;
  }
  ~TempKb() { fs::remove_all(root); }
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::string LoadError() const {
    affil::LoadOptions options;
    options.rules_dir = (root / "rules").string();
    options.gazetteer_dir = (root / "gazetteer").string();
    std::string error;
    auto kb = affil::KnowledgeBase::Load(options, &error);
    return kb ? "" : error;
  }
};

}  // namespace

TEST_CASE("a sound knowledge base loads") {
  TempKb kb("org alibaba\n    name Alibaba Group\n    country CN\n"
            "org alibaba-cloud\n    name Alibaba Cloud\n    parent alibaba\n    pattern \\baliyun\\b\n");
  CHECK(kb.LoadError() == "");
}

TEST_CASE("broken rules are refused with file:line") {
  struct Case {
    const char* rules;
    const char* error;
  } cases[] = {
      {"org a\n    name A\norg a\n    name B\n", "rules/test.rules:3: duplicate org id 'a'"},
      {"org a\n    name Same\norg b\n    name same\n", "rules/test.rules:4: 'same' is already claimed by org 'a'"},
      {"org a\n    name A\n    domain a.com\norg b\n    name B\n    domain A.com\n", "rules/test.rules:6: domain 'A.com' is already claimed"},
      {"org a\n    name A\n    parent nobody\n", "rules/test.rules:3: unknown parent 'nobody'"},
      {"org a\n    name A\n    parent b\norg b\n    name B\n    parent a\n", "parent chain of 'a' is a cycle"},
      {"org a\n    name A\n    country XX\n", "rules/test.rules:3: unknown country code 'XX'"},
      {"org a\n    name A\n    pattern (unclosed\n", "rules/test.rules:3: bad pattern: missing )"},
      {"org a\n    name A\n    colour red\n", "rules/test.rules:3: unknown org key 'colour'"},
      {"org Bad Id\n    name A\n", "rules/test.rules:1: org id 'Bad Id' must be a lowercase slug"},
      {"org a\n    kind bakery\n    name A\n", "rules/test.rules:2: unknown kind 'bakery'"},
      {"widget a\n", "rules/test.rules:1: unknown block type 'widget'"},
      {"override login:x\n    org a\n    date 2025-01-01\norg a\n    name A\n", "rules/test.rules:1: an override needs a note"},
      {"override login:x\n    org nobody\n    note n\n    date 2025-01-01\n", "rules/test.rules:2: unknown org 'nobody'"},
      {"org a\n    name A\n    example company: A => b\n", "rules/test.rules:3: example expects unknown org 'b'"},
      {"org a\n    name A\n    abbrev XY\norg b\n    name B\n    alias XY\n", "rules/test.rules:6: 'XY' is already claimed by org 'a'"},
      {"cue sometimes\n    pattern x\n", "rules/test.rules:1: unknown cue kind 'sometimes'"},
      {"nonorg student\n    alias Student\n    example company: Student => nonorg:pupil\n",
       "rules/test.rules:3: example expects unknown non-org category 'pupil'"},
      {"unlisted bakery\n    word Bakery\n", "rules/test.rules:1: unknown kind 'bakery'"},
      {"unlisted company\n    form Ltd\n    form Ltd.\n", "rules/test.rules:3: 'Ltd.' is already listed at rules/test.rules:2"},
      {"unlisted company\n    suffix Ltd\n", "rules/test.rules:2: unknown unlisted key 'suffix'"},
      {"unlisted company\n    word Labs\n    example company: X Labs => unlisted:shop\n",
       "rules/test.rules:3: example expects unknown kind 'shop'"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.rules);
    TempKb kb(c.rules);
    std::string error = kb.LoadError();
    CHECK(error.find(c.error) != std::string::npos);
  }
}

TEST_CASE("a shared abbreviation is allowed on several orgs") {
  TempKb kb("org a\n    name A Institute\n    abbrev XY\norg b\n    name B Institute\n    abbrev XY\n");
  CHECK(kb.LoadError() == "");
}

TEST_CASE("broken gazetteer rows are refused with file:line") {
  TempKb bad_kind("", "XX\tplanet\tCN\t\tMars\t0\n");
  CHECK(bad_kind.LoadError().find("gazetteer/places.tsv:4: unknown place kind 'planet'") != std::string::npos);
  TempKb bad_population("", "g1\tcity\tCN\t\tHangzhou\tmany\n");
  CHECK(bad_population.LoadError().find("gazetteer/places.tsv:4: population is not a number") != std::string::npos);
  TempKb bad_country("", "g1\tcity\tZZ\t\tNowhere\t5\n");
  CHECK(bad_country.LoadError().find("gazetteer/places.tsv:4: unknown country 'ZZ'") != std::string::npos);
  TempKb columns("", "g1\tcity\tCN\n");
  CHECK(columns.LoadError().find("gazetteer/places.tsv:4: expected 6 tab-separated columns") != std::string::npos);
}
