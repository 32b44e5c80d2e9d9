#include "text/fuzzy_index.h"

#include <algorithm>
#include <functional>

#include "text/text.h"

namespace affil::text {
namespace {

uint64_t Hash(std::string_view s) { return std::hash<std::string_view>()(s); }

// Calls fn(variant) for `key` and each single-deletion variant of it.
template <typename Fn>
void ForEachVariant(std::string_view key, Fn fn) {
  fn(key);
  std::string variant;
  for (size_t i = 0; i < key.size(); ++i) {
    variant.assign(key.substr(0, i));
    variant.append(key.substr(i + 1));
    fn(std::string_view(variant));
  }
}

}  // namespace

bool FuzzyIndex::Qualifies(std::string_view key) const {
  return key.size() >= min_length_ &&
         std::all_of(key.begin(), key.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

void FuzzyIndex::Add(std::string_view key, uint32_t value) {
  if (!Qualifies(key)) return;
  keys_.push_back({static_cast<uint32_t>(key_text_.size()), static_cast<uint32_t>(key.size()), value});
  key_text_.append(key);
}

void FuzzyIndex::BuildVariants() const {
  for (uint32_t index = 0; index < keys_.size(); ++index) {
    ForEachVariant(KeyText(keys_[index]), [&](std::string_view v) { variants_.emplace_back(Hash(v), index); });
  }
  std::sort(variants_.begin(), variants_.end());
  variants_.erase(std::unique(variants_.begin(), variants_.end()), variants_.end());
  directory_.assign((1 << 16) + 1, 0);
  size_t at = 0;
  for (uint32_t bucket = 0; bucket <= (1 << 16); ++bucket) {
    while (at < variants_.size() && (variants_[at].first >> 48) < bucket) ++at;
    directory_[bucket] = static_cast<uint32_t>(at);
  }
}

std::vector<uint32_t> FuzzyIndex::OneEditFrom(std::string_view key) const {
  std::vector<uint32_t> indexes;
  if (!Qualifies(key)) return {};
  std::call_once(built_, [this] { BuildVariants(); });
  ForEachVariant(key, [&](std::string_view v) {
    uint64_t h = Hash(v);
    auto end = variants_.begin() + directory_[(h >> 48) + 1];
    auto it = std::lower_bound(variants_.begin() + directory_[h >> 48], end, std::pair<uint64_t, uint32_t>(h, 0));
    for (; it != end && it->first == h; ++it) indexes.push_back(it->second);
  });
  std::sort(indexes.begin(), indexes.end());
  indexes.erase(std::unique(indexes.begin(), indexes.end()), indexes.end());
  std::vector<uint32_t> values;
  for (uint32_t i : indexes) {
    if (EditDistance(key, KeyText(keys_[i]), 1) == 1) values.push_back(keys_[i].value);
  }
  return values;
}

}  // namespace affil::text
