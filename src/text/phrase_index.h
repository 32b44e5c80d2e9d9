// PhraseIndex: a dictionary of token phrases with longest-match scanning.
//
// Keys are phrase keys (text::KeyOf): folded tokens joined by one space. Every
// proper prefix of a key is stored too, marked as a prefix only, so a scan stops
// extending a phrase as soon as no key can start with it: the index is a trie
// laid out in one hash table. Values are caller-defined 32-bit ids.
#ifndef AFFIL_TEXT_PHRASE_INDEX_H_
#define AFFIL_TEXT_PHRASE_INDEX_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/text.h"

namespace affil::text {

class PhraseIndex {
 public:
  struct Match {
    size_t first_token = 0;  // tokens [first_token, last_token) matched
    size_t last_token = 0;
    const std::vector<uint32_t>* values = nullptr;
  };

  // Adds `value` under `key` (a phrase key; empty keys are ignored).
  void Add(const std::string& key, uint32_t value);

  // The values stored under exactly `key`, or null.
  const std::vector<uint32_t>* Find(std::string_view key) const;

  // Scans left to right, taking at each position the longest phrase that is a
  // key, and skipping tokens where none starts. `accept`, when given, may veto a
  // candidate match (then shorter ones are tried).
  std::vector<Match> Scan(std::string_view folded, const std::vector<Token>& tokens,
                          const std::function<bool(const Match&)>& accept = nullptr) const;

  // The longest phrase starting at token `first`, or a match with values == null.
  Match LongestAt(std::string_view folded, const std::vector<Token>& tokens, size_t first,
                  const std::function<bool(const Match&)>& accept = nullptr) const;

  size_t size() const { return entries_; }

 private:
  struct Entry {
    std::vector<uint32_t> values;  // empty: a prefix of longer keys only
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> map_;
  size_t entries_ = 0;
};

}  // namespace affil::text

#endif  // AFFIL_TEXT_PHRASE_INDEX_H_
