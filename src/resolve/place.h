// place: resolves a free-text location ("中国，浙江省，杭州市", "Champaign; Hangzhou",
// "Melo Park", "CA") against the gazetteer. Pure: no I/O.
//
// The text is folded, split into segments at the separators people use, and
// each segment is matched longest-first against the gazetteer's names (CJK
// without spaces included, since every ideograph is a token). Each match is a
// mention with candidate places; candidates are chosen by containment
// (mentions that agree on a country support each other), then by the record's
// other evidence (`context`), then by kind and population. A mention that
// stays split between countries is ambiguous and yields no place. One-edit typo
// correction is tried only for long segments that exact matching leaves
// partly unexplained.
#ifndef AFFIL_RESOLVE_PLACE_H_
#define AFFIL_RESOLVE_PLACE_H_

#include <string>
#include <string_view>
#include <vector>

#include "affil.h"
#include "kb/kb.h"

namespace affil::resolve {

struct LocatedPlace {
  Place place;
  std::vector<Evidence> evidence;
};

struct LocationResult {
  std::vector<LocatedPlace> places;  // in text order; the first is primary
  double confidence = 0;             // of the primary
  bool non_place = false;            // the text names no place (a curated non-place, or no letters)
  bool ambiguous = false;            // some mention could not be pinned to one country
  bool partial = false;              // some words of the text are no place name we know
  bool by_name = true;               // every place was read by its own name, not an alternate
                                     // spelling, a code or a typo correction
  std::vector<Evidence> notes;       // why non_place / ambiguous
};

// `context`: alpha-2 codes the rest of the record points to (e-mail ccTLD,
// organizations' seats); used only to break ties. `trace` may be null.
LocationResult ResolveLocation(const KnowledgeBase::Impl& kb, std::string_view location,
                               const std::vector<std::string>& context,
                               std::vector<std::string>* trace);

}  // namespace affil::resolve

#endif  // AFFIL_RESOLVE_PLACE_H_
