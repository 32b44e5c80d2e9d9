// FuzzyIndex: finds dictionary keys within one edit of a query (insertion,
// deletion, substitution or adjacent transposition), for conservative typo
// correction: "melo park" → "menlo park", "renmin univeristy of china" →
// "renmin university of china".
//
// Symmetric deletion: every key and each of its single-deletion variants is
// stored by hash in one array of small buckets; a query looks up itself and its own
// single-deletion variants, and every candidate is verified with EditDistance,
// so hash collisions cost time, never correctness. Only ASCII keys of at least
// `min_length` bytes take part: short words have too many neighbours for a
// one-edit correction to mean anything.
//
// Build with Add() calls, then Freeze() once; only then look up. The variant
// table is built on the first lookup (thread-safe), not at Freeze(): most runs
// never need a correction, and loading stays fast for those that do not.
#ifndef AFFIL_TEXT_FUZZY_INDEX_H_
#define AFFIL_TEXT_FUZZY_INDEX_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace affil::text {

class FuzzyIndex {
 public:
  explicit FuzzyIndex(size_t min_length) : min_length_(min_length) {}

  // Adds `value` under `key` (a phrase key); keys that do not qualify are ignored.
  void Add(std::string_view key, uint32_t value);

  void Freeze() {
    key_text_.shrink_to_fit();
    keys_.shrink_to_fit();
  }

  // Values of keys exactly one edit from `key`, in the order they were added.
  std::vector<uint32_t> OneEditFrom(std::string_view key) const;

 private:
  bool Qualifies(std::string_view key) const;
  void BuildVariants() const;

  size_t min_length_;
  size_t max_length_ = 0;  // of the keys: a query longer by two or more matches none
  struct Key {
    uint32_t offset, length;  // in key_text_
    uint32_t value;
  };
  std::string_view KeyText(const Key& k) const { return std::string_view(key_text_).substr(k.offset, k.length); }
  std::string key_text_;  // every key, back to back: one allocation, not one per key
  std::vector<Key> keys_;
  // A variant's hash picks its bucket by the top kBucketBits bits; a bucket
  // holds a few variants (about two on average), each with the low 32 bits of
  // its hash, so a lookup reads one cache line or two.
  struct Variant {
    uint32_t hash_low;
    uint32_t key;  // index into keys_
  };
  static constexpr int kBucketBits = 20;
  static size_t BucketOf(uint64_t hash) { return static_cast<size_t>(hash >> (64 - kBucketBits)); }
  mutable std::once_flag built_;
  mutable std::vector<Variant> variants_;
  mutable std::vector<uint32_t> directory_;  // bucket b is variants_[directory_[b], directory_[b + 1])
};

}  // namespace affil::text

#endif  // AFFIL_TEXT_FUZZY_INDEX_H_
