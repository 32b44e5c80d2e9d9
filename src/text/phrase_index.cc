#include "text/phrase_index.h"

namespace affil::text {

void PhraseIndex::Add(const std::string& key, uint32_t value) {
  if (key.empty()) return;
  for (size_t space = key.find(' '); space != std::string::npos; space = key.find(' ', space + 1)) {
    map_.try_emplace(key.substr(0, space));
  }
  std::vector<uint32_t>& values = map_[key].values;
  for (uint32_t v : values) {
    if (v == value) return;
  }
  if (values.empty()) ++entries_;
  values.push_back(value);
}

const std::vector<uint32_t>* PhraseIndex::Find(std::string_view key) const {
  auto it = map_.find(key);
  if (it == map_.end() || it->second.values.empty()) return nullptr;
  return &it->second.values;
}

PhraseIndex::Match PhraseIndex::LongestAt(std::string_view folded, const std::vector<Token>& tokens,
                                          size_t first,
                                          const std::function<bool(const Match&)>& accept) const {
  std::vector<Match> found;
  std::string key;
  for (size_t last = first + 1; last <= tokens.size(); ++last) {
    if (last > first + 1) key.push_back(' ');
    const Token& t = tokens[last - 1];
    key.append(folded.substr(t.begin, t.end - t.begin));
    auto it = map_.find(key);
    if (it == map_.end()) break;
    if (!it->second.values.empty()) found.push_back({first, last, &it->second.values});
  }
  for (auto m = found.rbegin(); m != found.rend(); ++m) {
    if (!accept || accept(*m)) return *m;
  }
  return {first, first, nullptr};
}

std::vector<PhraseIndex::Match> PhraseIndex::Scan(
    std::string_view folded, const std::vector<Token>& tokens,
    const std::function<bool(const Match&)>& accept) const {
  std::vector<Match> matches;
  size_t i = 0;
  while (i < tokens.size()) {
    Match m = LongestAt(folded, tokens, i, accept);
    if (m.values) {
      matches.push_back(m);
      i = m.last_token;
    } else {
      ++i;
    }
  }
  return matches;
}

}  // namespace affil::text
