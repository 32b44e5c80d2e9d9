#include <doctest/doctest.h>

#include "text/phrase_index.h"
#include "text/fuzzy_index.h"
#include "text/text.h"

using namespace affil::text;

TEST_CASE("Fold: case, full-width forms and compatibility characters") {
  CHECK(FoldString("HangZhou") == "hangzhou");
  CHECK(FoldString("中国，浙江省，杭州市") == "中国,浙江省,杭州市");  // U+FF0C → ','
  CHECK(FoldString("Ｂｅｉｊｉｎｇ") == "beijing");
  CHECK(FoldString("Straße") == "strasse");
  CHECK(FoldString("☁️") == "☁");  // the variation selector is a default-ignorable
  CHECK(FoldString("e\xCC\x81") == FoldString("\xC3\xA9"));  // decomposed é == composed é
}

TEST_CASE("Fold keeps the input offset of every folded byte") {
  std::string input = "Ｂeijing, ＣＨＩＮＡ";
  Folded f = Fold(input);
  CHECK(f.text == "beijing, china");
  size_t at = f.text.find("china");
  CHECK(f.Source(input, at, at + 5) == "ＣＨＩＮＡ");
  CHECK(f.Source(input, 0, 7) == "Ｂeijing");
}

TEST_CASE("invalid UTF-8 becomes U+FFFD, never an error") {
  std::string bad = "Bei\xFFjing\xC3";
  CHECK_FALSE(IsValidUtf8(bad));
  std::string scrubbed = ScrubUtf8(bad);
  CHECK(IsValidUtf8(scrubbed));
  CHECK(scrubbed == "Bei\xEF\xBF\xBDjing\xEF\xBF\xBD");
  Folded f = Fold(bad);
  CHECK(IsValidUtf8(f.text));
  CHECK(f.origin.size() == f.text.size() + 1);
}

TEST_CASE("Tokenize: words, and one token per ideograph") {
  std::string folded = FoldString("Alibaba Cloud @aliyun 杭州市");
  std::vector<Token> tokens = Tokenize(folded);
  REQUIRE(tokens.size() == 6);
  CHECK(PhraseKey(folded, tokens, 0, 3) == "alibaba cloud aliyun");
  CHECK(PhraseKey(folded, tokens, 3, 6) == "杭 州 市");
  CHECK(tokens[3].ideograph);
  CHECK_FALSE(tokens[0].ideograph);
}

TEST_CASE("KeyOf: the same key whatever the spacing and punctuation") {
  CHECK(KeyOf("杭州市") == KeyOf("杭 州 市"));
  CHECK(KeyOf("Hangzhou-City") == "hangzhou city");
  CHECK(KeyOf("  Menlo   Park ") == "menlo park");
  CHECK(KeyOf("☁️").empty());
}

TEST_CASE("EditDistance counts transpositions as one edit and stops at the limit") {
  CHECK(EditDistance("melo park", "menlo park", 1) == 1);
  CHECK(EditDistance("univeristy", "university", 1) == 1);
  CHECK(EditDistance("hangzhou", "hangzhou", 1) == 0);
  CHECK(EditDistance("solar system", "salem", 1) == 2);
  CHECK(EditDistance("abc", "xyz", 5) == 3);
}

TEST_CASE("PhraseIndex: longest match, prefixes stop the scan early") {
  PhraseIndex index;
  index.Add(KeyOf("Alibaba"), 1);
  index.Add(KeyOf("Alibaba Cloud"), 2);
  index.Add(KeyOf("杭州"), 3);
  index.Freeze();
  std::string folded = FoldString("Alibaba Cloud team, 浙江杭州");
  std::vector<Token> tokens = Tokenize(folded);
  auto matches = index.Scan(folded, tokens);
  REQUIRE(matches.size() == 2);
  CHECK(matches[0].values.front() == 2);
  CHECK(matches[1].values.front() == 3);
  // A veto makes the scan fall back to the shorter phrase.
  auto shorter = index.Scan(folded, tokens, [](const PhraseIndex::Match& m) { return m.values.front() != 2; });
  CHECK(shorter[0].values.front() == 1);
  CHECK(index.Find("alibaba").size() == 1);
  CHECK(index.Find("alibaba clou").empty());
  CHECK(index.Find("alibaba cloud team").empty());
}

TEST_CASE("fuzzy index: one edit of a key, never more, and long text is no key") {
  affil::text::FuzzyIndex index(7);
  index.Add("menlo park", 1);
  index.Add("renmin university of china", 2);
  index.Add("short", 3);  // under the minimum length: not indexed
  index.Freeze();
  CHECK(index.OneEditFrom("melo park") == std::vector<uint32_t>{1});        // deletion
  CHECK(index.OneEditFrom("menlo parks") == std::vector<uint32_t>{1});      // insertion
  CHECK(index.OneEditFrom("menlo pakr") == std::vector<uint32_t>{1});       // transposition
  CHECK(index.OneEditFrom("renmin univeristy of china") == std::vector<uint32_t>{2});
  CHECK(index.OneEditFrom("menlo park").empty());     // an exact key is zero edits away
  CHECK(index.OneEditFrom("mello pakr").empty());     // two edits
  CHECK(index.OneEditFrom("shrt").empty());
  // One byte longer than the longest key can still be one edit away; two cannot.
  CHECK(index.OneEditFrom("renmin university of chinaa") == std::vector<uint32_t>{2});
  CHECK(index.OneEditFrom("renmin university of chinaaa").empty());
  CHECK(index.OneEditFrom(std::string(100000, 'a')).empty());
}
