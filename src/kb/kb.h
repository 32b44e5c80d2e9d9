// kb: the compiled knowledge base — organizations (rules/) and places
// (gazetteer/) — as the resolver reads it. Built once by KnowledgeBase::Load,
// immutable afterwards, so any number of threads may read it.
//
// Every entry keeps the file:line it came from (Loc), because every answer
// affil gives must point a curator at the line that produced it.
#ifndef AFFIL_KB_KB_H_
#define AFFIL_KB_KB_H_

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "affil.h"
#include "text/fuzzy_index.h"
#include "text/phrase_index.h"

namespace affil::kb {

// Hashes std::string and std::string_view alike, so that sets and maps keyed
// by string can be searched with a view of the text, without a copy.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;
template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

// Where an entry was written: an index into SourceFiles plus a line number.
struct Loc {
  uint32_t file = 0;
  uint32_t line = 0;
};

class SourceFiles {
 public:
  uint32_t Intern(const std::string& path);  // thread-safe
  std::string Where(Loc loc) const;  // "rules/orgs/curated.rules:12"; only once loading is done

 private:
  std::mutex mutex_;
  std::vector<std::string> paths_;
  std::unordered_map<std::string, uint32_t> ids_;
};

// ---- organizations (rules/) ----

struct Org {
  std::string id;
  std::string name;  // display name: the first `name`
  std::string kind;  // company | university | institute | government | nonprofit | community
  std::string country;
  int parent = -1;   // index into OrgKb::orgs
  int group = -1;    // top of the parent chain (itself when no parent)
  Loc loc;
};

// One way of naming an org: an alias/name/abbrev, a domain or a handle.
struct OrgRef {
  uint32_t org = 0;
  Loc loc;
  bool abbrev = false;  // shared short form: needs context to pick one org
};

struct NonOrg {
  std::string category;  // self_employed | student | unemployed | joke | placeholder
  Loc loc;
};

// A hand-written RE2 pattern naming an org or a non-org category.
struct Pattern {
  bool non_org = false;
  uint32_t target = 0;  // index into orgs or non_orgs
  Loc loc;
  std::unique_ptr<RE2> re;
};

// A temporal cue in a bio: what follows it, up to the end of its clause, is
// past (`previously at`), present (`now`, `currently`) or just introduces an
// affiliation without saying when (`at`, `@`).
struct Cue {
  enum Kind { kPast, kNow, kLink } kind = kLink;
  Loc loc;
  std::unique_ptr<RE2> re;
};

struct Override {
  std::vector<uint32_t> orgs;  // current
  std::vector<uint32_t> past;
  std::string country;
  std::string note;
  std::string date;
  Loc loc;
};

// How a name says it is an organization's, known or not: its ending, a legal
// form ("Ltd", "GmbH", "有限公司", dropped from the name's identity) or an
// org-type word ("Technologies", "University", kept in it); or its beginning
// ("University of").
struct NameMarker {
  std::string kind;  // the org kind it implies
  bool legal_form = false;
  Loc loc;
};

struct FreeMail {
  std::string country;  // weak hint of the user's country, or empty
  Loc loc;
};

// An `example` line: `<field>: <text> => <org-id | ->`.
struct Example {
  std::string field;
  std::string text;
  std::string expected;
  Loc loc;
};

struct OrgKb {
  std::vector<Org> orgs;
  std::unordered_map<std::string, uint32_t> by_id;
  std::vector<OrgRef> name_refs;           // values of `names`
  text::PhraseIndex names;                 // name/alias/abbrev keys → name_refs
  // Typo correction of whole company mentions: name/alias keys of ten bytes and
  // more → name_refs ("Renmin Univeristy of China").
  text::FuzzyIndex fuzzy_names{10};
  std::vector<NonOrg> non_orgs;
  text::PhraseIndex non_org_names;         // alias keys → non_orgs
  std::unordered_map<std::string, OrgRef> domains;  // lower-case domain
  std::unordered_map<std::string, OrgRef> handles;  // lower-case GitHub login
  std::vector<Pattern> patterns;
  std::unique_ptr<RE2::Set> pattern_set;   // null when there are no patterns
  std::vector<Cue> cues;
  std::unique_ptr<RE2::Set> cue_set;       // null when there are no cues
  std::unordered_map<std::string, Override> overrides_by_login;  // lower-case
  std::unordered_map<std::string, Override> overrides_by_email;  // lower-case
  std::unordered_map<std::string, FreeMail> free_mail;           // lower-case domain
  std::unordered_map<std::string, Loc> bots;                     // lower-case login
  std::vector<Example> examples;
  std::vector<NameMarker> markers;
  text::PhraseIndex endings;    // form/word keys → markers
  text::PhraseIndex beginnings; // lead keys → markers
};

// ---- places (gazetteer/) ----

enum class PlaceKind : uint8_t { kCountry, kSubdivision, kCity, kRegion };

struct PlaceRec {
  std::string id;
  PlaceKind kind = PlaceKind::kCity;
  std::string country;      // alpha-2
  std::string subdivision;  // ISO 3166-2 or empty
  std::string name;
  uint64_t population = 0;
  uint32_t name_count = 0;  // names the gazetteer has for it: a measure of fame
  Loc loc;
};

enum class NameType : uint8_t { kName, kAlt, kCode, kDemonym };

struct NameRef {
  uint32_t place = 0;
  NameType type = NameType::kName;
  Loc loc;
};

struct Gazetteer {
  std::vector<PlaceRec> places;
  StringMap<uint32_t> by_id;
  std::vector<NameRef> name_refs;      // values of `names`
  text::PhraseIndex names;             // name keys → name_refs
  // Typo correction: full names (type `name`) of seven bytes and more → name_refs.
  text::FuzzyIndex fuzzy_names{7};
  std::vector<Loc> non_place_locs;     // values of `non_places`
  text::PhraseIndex non_places;
  StringSet noise_words;  // keys
  std::unordered_map<std::string, std::pair<std::string, Loc>> tlds;  // "cn" → (CN, loc); "" country: generic

  // Countries that keep each UTC offset (in minutes) in winter or summer,
  // from ICU's time-zone database: +480 → CN, HK, MY, PH, SG, TW, ...
  std::unordered_map<int, std::vector<std::string>> countries_at_offset;

  // The country record for an alpha-2 code, or null.
  const PlaceRec* Country(const std::string& code) const;
};

}  // namespace affil::kb

namespace affil {

struct KnowledgeBase::Impl {
  kb::SourceFiles files;
  kb::OrgKb orgs;
  kb::Gazetteer places;
};

}  // namespace affil

#endif  // AFFIL_KB_KB_H_
