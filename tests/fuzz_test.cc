// Deterministic fuzzing: random and mutated inputs through every stage that
// reads outside text. Nothing may crash, hang or produce invalid UTF-8, and
// every record must still come out as exactly one line. (A seeded generator
// keeps failures reproducible; raise kRounds locally to search longer.)
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <sstream>

#include "io/records.h"
#include "test_kb.h"
#include "text/text.h"

namespace {

constexpr int kRounds = 3000;

// Pieces that stress the code: separators, CJK, combining marks, emoji,
// invalid bytes, cue words, handles, URLs, quotes and escapes.
const std::vector<std::string> kPieces = {
    "Hangzhou", "中国", "，", "；", "/", "|", "⇄", "...", "(", ")", "@", "@alibaba", "https://",
    "www.", "previously at ", "ex-", "Ph.D. from", "曾就职于", "e\xCC\x81", "☁️", "\xF0\x9F\x8C\x8D",
    "\xFF", "\xC3", "\xE4\xB8", " ", "  ", "\t", "\n", "\"", "\\", "CA", "BIT", "Melo Park",
    "University of ", "Alibaba Cloud", "蚂蚁", ",", ";", ".", "Ｂｅｉｊｉｎｇ", "İ", "ß", "\x01",
    " Ltd", " Co., Ltd.", " Technologies", "有限公司", "@acme-x", "@",
};

std::string RandomText(std::mt19937& rng) {
  std::string s;
  int n = std::uniform_int_distribution<int>(0, 12)(rng);
  for (int i = 0; i < n; ++i) {
    if (rng() % 4 == 0) {
      s.push_back(static_cast<char>(rng() % 256));  // any byte at all
    } else {
      s += kPieces[rng() % kPieces.size()];
    }
  }
  return s;
}

}  // namespace

TEST_CASE("fuzz: folding and tokenizing any bytes") {
  std::mt19937 rng(20261207);
  for (int round = 0; round < kRounds; ++round) {
    std::string input = RandomText(rng);
    affil::text::Folded f = affil::text::Fold(input);
    REQUIRE(affil::text::IsValidUtf8(f.text));
    REQUIRE(f.origin.size() == f.text.size() + 1);
    for (size_t i = 1; i < f.origin.size(); ++i) REQUIRE(f.origin[i] >= f.origin[i - 1]);
    bool valid = affil::text::IsValidUtf8(input);
    for (const affil::text::Token& t : affil::text::Tokenize(f.text)) {
      REQUIRE(t.begin < t.end);
      REQUIRE(t.end <= f.text.size());
      // Quoting valid input never cuts a character in two.
      if (valid) REQUIRE(affil::text::IsValidUtf8(f.Source(input, t.begin, t.end)));
    }
  }
}

TEST_CASE("fuzz: resolving profiles made of any bytes") {
  std::mt19937 rng(7);
  for (int round = 0; round < kRounds / 3; ++round) {
    affil::Profile p;
    p.login = "fuzz" + std::to_string(round);
    p.company = RandomText(rng);
    p.location = RandomText(rng);
    p.bio = RandomText(rng);
    p.email = RandomText(rng) + "@" + RandomText(rng);
    p.blog = RandomText(rng);
    if (rng() % 2) {
      // What the collector found for the field's handles, or for none of them.
      p.company_accounts.push_back({rng() % 2 ? "acme-x" : RandomText(rng), rng() % 3 ? "Organization" : "User",
                                    RandomText(rng), RandomText(rng), RandomText(rng), RandomText(rng)});
    }
    affil::Resolution r = affil::testing::ResolveOne(p);
    for (const affil::OrgAffiliation& o : r.orgs) {
      for (const affil::Evidence& e : o.evidence) REQUIRE(e.rule.size() > 0);
    }
    std::string json = affil::io::ResolutionJson(r);
    REQUIRE(affil::text::IsValidUtf8(json));
  }
}

TEST_CASE("fuzz: NDJSON and CSV readers never lose a record") {
  std::mt19937 rng(11);
  for (int round = 0; round < 200; ++round) {
    std::string ndjson;
    int lines = 1 + rng() % 20;
    for (int i = 0; i < lines; ++i) {
      std::string line = rng() % 3 ? R"({"login":"u","location":")" + RandomText(rng) + R"("})" : RandomText(rng);
      for (char& c : line) {
        if (c == '\n' || c == '\r') c = ' ';
      }
      if (line.find_first_not_of(" \t") == std::string::npos) line = "x";
      ndjson += line + "\n";
    }
    std::istringstream in(ndjson);
    auto records = affil::io::ReadAll(in, affil::io::RecordReader::Format::kNdjson, 2);
    REQUIRE(static_cast<int>(records.size()) == lines);
    std::string out;
    affil::Resolution empty;
    for (const auto& r : records) affil::io::AppendOutputLine(&out, r, "p", r.ok() ? &empty : nullptr);
    REQUIRE(std::count(out.begin(), out.end(), '\n') == lines);
    REQUIRE(affil::text::IsValidUtf8(out));

    std::istringstream csv("login,location\n" + RandomText(rng) + "\n" + RandomText(rng) + "\n");
    auto rows = affil::io::ReadAll(csv, affil::io::RecordReader::Format::kCsv, 1);
    for (const auto& r : rows) REQUIRE((r.ok() || !r.error.empty()));
  }
}
