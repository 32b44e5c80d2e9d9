#include "text/phrase_index.h"

#include <algorithm>
#include <functional>

namespace affil::text {
namespace {

uint64_t Hash(std::string_view key) { return std::hash<std::string_view>()(key); }

}  // namespace

size_t PhraseIndex::Probe(std::string_view key, uint64_t hash) const {
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.key_offset == kNone) return i;
    if (s.hash == static_cast<uint32_t>(hash) && s.key_length == key.size() &&
        std::string_view(keys_).substr(s.key_offset, s.key_length) == key) {
      return i;
    }
  }
}

void PhraseIndex::Rehash(size_t capacity) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot());
  size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.key_offset == kNone) continue;
    size_t i = s.hash & mask;
    while (slots_[i].key_offset != kNone) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

void PhraseIndex::Reserve(size_t keys) {
  size_t capacity = slots_.size();
  while (capacity < 2 * (used_ + keys)) capacity *= 2;
  if (capacity > slots_.size()) Rehash(capacity);
}

size_t PhraseIndex::Insert(std::string_view key) {
  uint64_t hash = Hash(key);
  size_t i = Probe(key, hash);
  if (slots_[i].key_offset != kNone) return i;
  if (2 * (used_ + 1) > slots_.size()) {
    Rehash(2 * slots_.size());
    i = Probe(key, hash);
  }
  slots_[i].hash = static_cast<uint32_t>(hash);
  slots_[i].key_offset = static_cast<uint32_t>(keys_.size());
  slots_[i].key_length = static_cast<uint32_t>(key.size());
  keys_.append(key);
  ++used_;
  return i;
}

void PhraseIndex::Add(std::string_view key, uint32_t value) {
  if (key.empty()) return;
  for (size_t space = key.find(' '); space != std::string_view::npos; space = key.find(' ', space + 1)) {
    Insert(key.substr(0, space));
  }
  Slot& slot = slots_[Insert(key)];
  for (uint32_t at = slot.first; at != kNone; at = pending_[at].second) {
    if (pending_[at].first == value) return;
  }
  if (slot.first == kNone) ++keys_with_values_;
  pending_.emplace_back(value, slot.first);
  slot.first = static_cast<uint32_t>(pending_.size() - 1);
}

void PhraseIndex::Freeze() {
  values_.clear();
  values_.reserve(pending_.size());
  for (Slot& s : slots_) {
    if (s.key_offset == kNone || s.first == kNone) continue;
    size_t begin = values_.size();
    values_.push_back(0);
    for (uint32_t at = s.first; at != kNone; at = pending_[at].second) values_.push_back(pending_[at].first);
    std::reverse(values_.begin() + begin + 1, values_.end());  // lists were built newest first
    values_[begin] = static_cast<uint32_t>(values_.size() - begin - 1);
    s.first = static_cast<uint32_t>(begin);
  }
  pending_.clear();
  pending_.shrink_to_fit();
  keys_.shrink_to_fit();
}

uint32_t PhraseIndex::FirstValue(std::string_view key) const {
  const Slot& s = slots_[Probe(key, Hash(key))];
  if (s.key_offset == kNone || s.first == kNone) return kNoValue;
  if (pending_.empty()) return values_[s.first + 1];  // frozen
  uint32_t at = s.first;
  while (pending_[at].second != kNone) at = pending_[at].second;  // lists are newest first
  return pending_[at].first;
}

PhraseIndex::Values PhraseIndex::Find(std::string_view key) const {
  return ValuesOf(slots_[Probe(key, Hash(key))]);
}

size_t PhraseIndex::KeysAt(std::string_view folded, std::span<const Token> tokens, size_t first,
                           Match* found) const {
  size_t n = 0;
  // Reused across calls: a scan builds a key per token, and each would
  // otherwise be an allocation.
  thread_local std::string key;
  key.clear();
  for (size_t last = first + 1; last <= tokens.size(); ++last) {
    if (last > first + 1) key.push_back(' ');
    const Token& t = tokens[last - 1];
    key.append(folded.substr(t.begin, t.end - t.begin));
    const Slot& s = slots_[Probe(key, Hash(key))];
    if (s.key_offset == kNone) break;
    Values values = ValuesOf(s);
    if (values.empty()) continue;
    if (n == kMaxMatches) {  // longer than any real name: keep the longest
      std::move(found + 1, found + kMaxMatches, found);
      --n;
    }
    found[n++] = {first, last, values};
  }
  return n;
}

}  // namespace affil::text
