#include "text/fuzzy_index.h"

#include <algorithm>
#include <functional>

#include "text/text.h"

namespace affil::text {
namespace {

uint64_t Hash(std::string_view s) { return std::hash<std::string_view>()(s); }

// Calls fn(variant) for `key` and each distinct single-deletion variant of it:
// deleting any letter of a run ("ll" in "hello") gives the same string, so only
// the first of a run is deleted.
template <typename Fn>
void ForEachVariant(std::string_view key, Fn fn) {
  fn(key);
  std::string variant;
  for (size_t i = 0; i < key.size(); ++i) {
    if (i > 0 && key[i] == key[i - 1]) continue;
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
  max_length_ = std::max(max_length_, key.size());
  keys_.push_back({static_cast<uint32_t>(key_text_.size()), static_cast<uint32_t>(key.size()), value});
  key_text_.append(key);
}

void FuzzyIndex::BuildVariants() const {
  // A counting sort by bucket: a few million variants placed in linear time.
  std::vector<std::pair<uint64_t, uint32_t>> hashed;  // (hash, key)
  for (uint32_t index = 0; index < keys_.size(); ++index) {
    ForEachVariant(KeyText(keys_[index]), [&](std::string_view v) { hashed.emplace_back(Hash(v), index); });
  }
  directory_.assign((size_t{1} << kBucketBits) + 1, 0);
  for (const auto& [hash, key] : hashed) ++directory_[BucketOf(hash) + 1];
  for (size_t b = 1; b < directory_.size(); ++b) directory_[b] += directory_[b - 1];
  variants_.resize(hashed.size());
  std::vector<uint32_t> next(directory_.begin(), directory_.end() - 1);
  for (const auto& [hash, key] : hashed) variants_[next[BucketOf(hash)]++] = {static_cast<uint32_t>(hash), key};
}

std::vector<uint32_t> FuzzyIndex::OneEditFrom(std::string_view key) const {
  // Beyond the longest key plus one, no key is one edit away; and a long text
  // would cost as many copies of itself as it has bytes.
  if (!Qualifies(key) || key.size() > max_length_ + 1) return {};
  std::call_once(built_, [this] { BuildVariants(); });
  // Every variant's bucket is a cache miss: hash them all and prefetch their
  // directory entries, then their buckets, then read, so that the misses
  // overlap rather than follow one another (GCC/Clang builtin).
  thread_local std::vector<uint64_t> hashes;
  hashes.clear();
  ForEachVariant(key, [&](std::string_view v) {
    hashes.push_back(Hash(v));
    __builtin_prefetch(&directory_[BucketOf(hashes.back())]);
  });
  for (uint64_t h : hashes) __builtin_prefetch(variants_.data() + directory_[BucketOf(h)]);
  std::vector<uint32_t> indexes;
  for (uint64_t h : hashes) {
    size_t bucket = BucketOf(h);
    for (uint32_t at = directory_[bucket]; at < directory_[bucket + 1]; ++at) {
      if (variants_[at].hash_low == static_cast<uint32_t>(h)) indexes.push_back(variants_[at].key);
    }
  }
  std::sort(indexes.begin(), indexes.end());
  indexes.erase(std::unique(indexes.begin(), indexes.end()), indexes.end());
  std::vector<uint32_t> values;
  for (uint32_t i : indexes) {
    if (EditDistance(key, KeyText(keys_[i]), 1) == 1) values.push_back(keys_[i].value);
  }
  return values;
}

}  // namespace affil::text
