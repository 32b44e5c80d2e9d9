#include "text/text.h"

#include <algorithm>
#include <cstdlib>

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

namespace affil::text {
namespace {

const icu::Normalizer2& CasefoldNormalizer() {
  static const icu::Normalizer2* normalizer = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) abort();  // ICU data missing: nothing can work
    return n;
  }();
  return *normalizer;
}

void AppendUtf8(UChar32 c, std::string* out) {
  char buf[4];
  int32_t len = 0;
  UBool unused_error = false;  // cannot happen: 4 bytes hold any code point
  U8_APPEND(buf, len, 4, c, unused_error);
  (void)unused_error;
  out->append(buf, len);
}

// Decodes one code point at *i; ill-formed input yields U+FFFD and advances.
UChar32 NextCodePoint(std::string_view s, size_t* i) {
  int32_t pos = static_cast<int32_t>(*i);
  UChar32 c;
  U8_NEXT(s.data(), pos, static_cast<int32_t>(s.size()), c);
  *i = pos;
  return c < 0 ? 0xFFFD : c;
}

template <bool kKeepOrigin>
void FoldInto(std::string_view input, std::string* out, std::vector<uint32_t>* origin) {
  const icu::Normalizer2& normalizer = CasefoldNormalizer();
  out->reserve(input.size());
  if constexpr (kKeepOrigin) origin->reserve(input.size() + 1);
  size_t i = 0;
  while (i < input.size()) {
    unsigned char b = input[i];
    // ASCII folds to lower case alone, unless a combining mark follows it.
    if (b < 0x80 && (i + 1 == input.size() || static_cast<unsigned char>(input[i + 1]) < 0x80)) {
      out->push_back(static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b));
      if constexpr (kKeepOrigin) origin->push_back(i);
      ++i;
      continue;
    }
    // A normalization chunk: one starter and what cannot be split from it.
    size_t chunk_begin = i;
    UChar32 c = NextCodePoint(input, &i);
    if (c >= 0x80 && normalizer.isInert(c)) {
      size_t before = out->size();
      AppendUtf8(c, out);
      if constexpr (kKeepOrigin) origin->insert(origin->end(), out->size() - before, chunk_begin);
      continue;
    }
    while (i < input.size()) {
      size_t save = i;
      UChar32 next = NextCodePoint(input, &i);
      if (normalizer.hasBoundaryBefore(next)) {
        i = save;
        break;
      }
    }
    // The chunk's bytes are well-formed: an ill-formed sequence decodes as
    // U+FFFD, which is inert and so never joins a chunk.
    size_t before = out->size();
    UErrorCode status = U_ZERO_ERROR;
    icu::StringByteSink<std::string> sink(out);
    normalizer.normalizeUTF8(0, icu::StringPiece(input.data() + chunk_begin, static_cast<int32_t>(i - chunk_begin)),
                             sink, nullptr, status);
    if (U_FAILURE(status)) out->resize(before);
    if constexpr (kKeepOrigin) origin->insert(origin->end(), out->size() - before, chunk_begin);
  }
  if constexpr (kKeepOrigin) origin->push_back(input.size());
}

bool IsIdeographic(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  UScriptCode script = uscript_getScript(c, &status);
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA;
}

bool IsWordChar(UChar32 c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
  int8_t category = u_charType(c);
  return u_isalnum(c) || category == U_NON_SPACING_MARK || category == U_COMBINING_SPACING_MARK ||
         category == U_OTHER_LETTER || category == U_MODIFIER_LETTER;
}

}  // namespace

std::string_view Folded::Source(std::string_view input, size_t begin, size_t end) const {
  size_t from = origin[begin];
  size_t to = end < origin.size() - 1 ? origin[end] : input.size();
  // A folded byte range that ends inside a chunk still quotes the whole chunk.
  while (end < origin.size() - 1 && origin[end] == origin[end - 1] && to < input.size()) {
    ++end;
    to = end < origin.size() - 1 ? origin[end] : input.size();
  }
  if (to < from) to = from;
  return input.substr(from, to - from);
}

Folded Fold(std::string_view input) {
  Folded folded;
  FoldInto<true>(input, &folded.text, &folded.origin);
  return folded;
}

std::string FoldString(std::string_view input) {
  std::string out;
  if (std::all_of(input.begin(), input.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    FoldInto<false>(input, &out, nullptr);
    return out;
  }
  // No offsets to keep: one ICU call for the whole string beats one per chunk.
  std::string scrubbed;
  if (!IsValidUtf8(input)) input = scrubbed = ScrubUtf8(input);
  UErrorCode status = U_ZERO_ERROR;
  icu::StringByteSink<std::string> sink(&out);
  CasefoldNormalizer().normalizeUTF8(0, icu::StringPiece(input.data(), static_cast<int32_t>(input.size())), sink,
                                     nullptr, status);
  if (U_FAILURE(status)) return std::string(input);
  return out;
}

bool IsValidUtf8(std::string_view input) {
  size_t i = 0;
  while (i < input.size()) {
    if (static_cast<unsigned char>(input[i]) < 0x80) {
      ++i;
      continue;
    }
    int32_t pos = static_cast<int32_t>(i);
    UChar32 c;
    U8_NEXT(input.data(), pos, static_cast<int32_t>(input.size()), c);
    if (c < 0) return false;
    i = pos;
  }
  return true;
}

std::string ScrubUtf8(std::string_view input) {
  if (IsValidUtf8(input)) return std::string(input);
  std::string out;
  size_t i = 0;
  while (i < input.size()) AppendUtf8(NextCodePoint(input, &i), &out);
  return out;
}

std::vector<Token> Tokenize(std::string_view folded) {
  std::vector<Token> tokens;
  tokens.reserve(folded.size() / 2 + 1);  // at most a token for every two bytes: one allocation
  size_t i = 0;
  bool in_word = false;
  while (i < folded.size()) {
    size_t start = i;
    UChar32 c = static_cast<unsigned char>(folded[i]) < 0x80 ? folded[i++] : NextCodePoint(folded, &i);
    if (c >= 0x80 && IsIdeographic(c)) {
      tokens.push_back({static_cast<uint32_t>(start), static_cast<uint32_t>(i), true});
      in_word = false;
    } else if (IsWordChar(c)) {
      if (in_word) {
        tokens.back().end = static_cast<uint32_t>(i);
      } else {
        tokens.push_back({static_cast<uint32_t>(start), static_cast<uint32_t>(i), false});
        in_word = true;
      }
    } else {
      in_word = false;
    }
  }
  return tokens;
}

std::string PhraseKey(std::string_view folded, std::span<const Token> tokens, size_t first,
                      size_t last) {
  std::string key;
  for (size_t t = first; t < last; ++t) {
    if (t > first) key.push_back(' ');
    key.append(folded.substr(tokens[t].begin, tokens[t].end - tokens[t].begin));
  }
  return key;
}

std::string KeyOf(std::string_view phrase) {
  // ASCII (most dictionary names): lower-case letter/digit runs joined by one space.
  if (std::all_of(phrase.begin(), phrase.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    std::string key;
    key.reserve(phrase.size());
    bool in_word = false;
    for (char c : phrase) {
      bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
      if (word) {
        if (!in_word && !key.empty()) key.push_back(' ');
        key.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
      }
      in_word = word;
    }
    return key;
  }
  std::string folded = FoldString(phrase);
  std::vector<Token> tokens = Tokenize(folded);
  return PhraseKey(folded, tokens, 0, tokens.size());
}

std::vector<Span> FindHandles(std::string_view text) {
  auto login_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  std::vector<Span> spans;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '@' || (i > 0 && login_char(text[i - 1]))) continue;
    size_t end = i + 1;
    while (end < text.size() && (login_char(text[end]) || text[end] == '-' || text[end] == '_')) ++end;
    while (end > i + 1 && (text[end - 1] == '-' || text[end - 1] == '_')) --end;
    if (end > i + 1) spans.push_back({i, end});
  }
  return spans;
}

int EditDistance(std::string_view a, std::string_view b, int limit) {
  int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  std::vector<int> before(m + 1), previous(m + 1), current(m + 1);
  for (int j = 0; j <= m; ++j) previous[j] = j;
  for (int i = 1; i <= n; ++i) {
    current[0] = i;
    int row_min = current[0];
    for (int j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
      row_min = std::min(row_min, current[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[m], limit + 1);
}

std::string AsciiLower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c += 32;
  }
  return s;
}

size_t CodePointCount(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char b : utf8) n += (b & 0xC0) != 0x80;
  return n;
}

}  // namespace affil::text
