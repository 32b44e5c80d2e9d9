// text: the first stage. Turns raw profile text into a folded form that every
// later stage matches against, and splits it into tokens.
//
// Folding is ICU NFKC_Casefold (full-width → ASCII, case folded, compatibility
// forms and default-ignorables such as U+FE0F removed), with a fast path for
// ASCII. Invalid UTF-8 becomes U+FFFD, so no input is ever rejected here.
// Every folded byte remembers the byte offset of the input it came from, so a
// match in folded text can be quoted as written.
//
// Tokens are runs of letters, digits and marks; each Han, Hiragana or Katakana
// character is a token of its own, so CJK text without spaces can be matched
// phrase by phrase against a dictionary (longest match), and a phrase key is the
// same whatever spacing the writer used: "杭州市" and "杭 州 市" both key "杭 州 市".
#ifndef AFFIL_TEXT_TEXT_H_
#define AFFIL_TEXT_TEXT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace affil::text {

struct Folded {
  std::string text;               // NFKC_Casefold of the input, valid UTF-8
  std::vector<uint32_t> origin;   // origin[i]: input offset of folded byte i; size text.size()+1
  // The input bytes that folded bytes [begin, end) came from.
  std::string_view Source(std::string_view input, size_t begin, size_t end) const;
};

// Folds `input` (any bytes) as described above.
Folded Fold(std::string_view input);

// Folds without keeping offsets: the key form of a dictionary entry.
std::string FoldString(std::string_view input);

// True when `input` is well-formed UTF-8.
bool IsValidUtf8(std::string_view input);

// `input` with every ill-formed sequence replaced by U+FFFD.
std::string ScrubUtf8(std::string_view input);

struct Token {
  uint32_t begin = 0;  // byte offsets into the folded text
  uint32_t end = 0;
  bool ideograph = false;  // a single Han/Kana character
};

// Splits folded text into tokens (see above). Everything else is a separator.
std::vector<Token> Tokenize(std::string_view folded);

// The phrase key of tokens [first, last): their texts joined by one space.
std::string PhraseKey(std::string_view folded, std::span<const Token> tokens, size_t first,
                      size_t last);

// Folds, tokenizes and joins: the key under which a dictionary phrase is stored.
std::string KeyOf(std::string_view phrase);

// A byte range [begin, end) of a text.
struct Span {
  size_t begin = 0, end = 0;
};

// The "@handle" mentions of a text ("@deepseek-ai infra", "CS @Tsinghua"): '@'
// not preceded by a letter or digit (so neither "me@example.com" nor
// "MadSys@Tsinghua"), then a GitHub login. Each span starts at the '@'.
std::vector<Span> FindHandles(std::string_view text);

// Optimal-string-alignment edit distance between byte strings (insertions,
// deletions, substitutions and adjacent transpositions each cost 1), or
// `limit + 1` as soon as the distance is known to exceed `limit`.
int EditDistance(std::string_view a, std::string_view b, int limit);

// `s` with ASCII letters lowered, other bytes unchanged: for logins, e-mail
// addresses and domains, which are ASCII-case-insensitive and nothing more.
std::string AsciiLower(std::string s);

// Number of Unicode code points in valid UTF-8.
size_t CodePointCount(std::string_view utf8);

}  // namespace affil::text

#endif  // AFFIL_TEXT_TEXT_H_
