// PhraseIndex: a dictionary of token phrases with longest-match scanning.
//
// Keys are phrase keys (text::KeyOf): folded tokens joined by one space. Every
// proper prefix of a key is stored too, marked as a prefix only, so a scan stops
// extending a phrase as soon as no key can start with it: the index is a trie
// laid out in one open-addressing hash table, with keys in one arena and values
// in one array, so that loading a few hundred thousand names costs a few
// allocations rather than a few per name. Values are caller-defined 32-bit ids.
//
// Build with Add() calls, then Freeze() once; only then look up (FirstValue()
// excepted: it also answers while building).
#ifndef AFFIL_TEXT_PHRASE_INDEX_H_
#define AFFIL_TEXT_PHRASE_INDEX_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "text/text.h"

namespace affil::text {

class PhraseIndex {
 public:
  using Values = std::span<const uint32_t>;  // empty: not a key

  struct Match {
    size_t first_token = 0;  // tokens [first_token, last_token) matched
    size_t last_token = 0;
    Values values;
  };

  // Adds `value` under `key` (a phrase key; empty keys are ignored). Adding the
  // same (key, value) twice stores it once.
  void Add(std::string_view key, uint32_t value);

  // Makes room for about `keys` keys (prefixes included) before adding them.
  void Reserve(size_t keys);

  // The first value added under exactly `key`, or kNoValue. Also while building:
  // a loader asks it to learn who claimed a name first.
  static constexpr uint32_t kNoValue = 0xFFFFFFFF;
  uint32_t FirstValue(std::string_view key) const;

  // Makes the index readable. Call once, after the last Add().
  void Freeze();

  // The values stored under exactly `key`, in the order they were added.
  Values Find(std::string_view key) const;

  // Scans left to right, taking at each position the longest phrase that is a
  // key, and skipping tokens where none starts. `accept(const Match&)` may veto
  // a candidate match (then shorter ones are tried).
  template <typename Accept>
  std::vector<Match> Scan(std::string_view folded, std::span<const Token> tokens, Accept accept) const;
  std::vector<Match> Scan(std::string_view folded, std::span<const Token> tokens) const {
    return Scan(folded, tokens, [](const Match&) { return true; });
  }

  // The longest accepted phrase starting at token `first`; values empty when none.
  template <typename Accept>
  Match LongestAt(std::string_view folded, std::span<const Token> tokens, size_t first, Accept accept) const;

  // Number of keys with values.
  size_t size() const { return keys_with_values_; }

 private:
  static constexpr uint32_t kNone = 0xFFFFFFFF;
  // 16 bytes, four to a cache line: a probe is mostly a cache miss.
  struct Slot {
    uint32_t hash = 0;            // low half of the key's hash
    uint32_t key_offset = kNone;  // kNone: empty slot
    uint32_t key_length = 0;
    // Building: head of the key's list in pending_. Frozen: offset in values_
    // of the value count, the values following it. kNone: a prefix only.
    uint32_t first = kNone;
  };

  // The slot holding `key`, or the empty slot where it would go.
  size_t Probe(std::string_view key, uint64_t hash) const;
  Values ValuesOf(const Slot& s) const {
    if (s.key_offset == kNone || s.first == kNone) return {};
    return Values(values_.data() + s.first + 1, values_[s.first]);
  }
  // The slot of `key`, inserting it (as a prefix only) when absent.
  size_t Insert(std::string_view key);
  void Rehash(size_t capacity);  // capacity: a power of two

  std::vector<Slot> slots_ = std::vector<Slot>(16);
  size_t used_ = 0;
  std::string keys_;
  std::vector<uint32_t> values_;
  std::vector<std::pair<uint32_t, uint32_t>> pending_;  // (value, next) lists while building
  size_t keys_with_values_ = 0;

  // The phrases that are keys among tokens [first, first + 1), [first, first + 2), ...,
  // longest last; at most kMaxMatches of them (longer phrases win).
  static constexpr size_t kMaxMatches = 16;
  size_t KeysAt(std::string_view folded, std::span<const Token> tokens, size_t first, Match* found) const;
};

template <typename Accept>
PhraseIndex::Match PhraseIndex::LongestAt(std::string_view folded, std::span<const Token> tokens, size_t first,
                                          Accept accept) const {
  Match found[kMaxMatches];
  for (size_t n = KeysAt(folded, tokens, first, found); n > 0; --n) {
    if (accept(found[n - 1])) return found[n - 1];
  }
  return {first, first, {}};
}

template <typename Accept>
std::vector<PhraseIndex::Match> PhraseIndex::Scan(std::string_view folded, std::span<const Token> tokens,
                                                  Accept accept) const {
  std::vector<Match> matches;
  size_t i = 0;
  while (i < tokens.size()) {
    Match m = LongestAt(folded, tokens, i, accept);
    if (!m.values.empty()) {
      matches.push_back(m);
      i = m.last_token;
    } else {
      ++i;
    }
  }
  return matches;
}

}  // namespace affil::text

#endif  // AFFIL_TEXT_PHRASE_INDEX_H_
