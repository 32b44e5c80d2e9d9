#include "resolve/place.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "text/text.h"

namespace affil::resolve {
namespace {

using kb::NameType;
using kb::PlaceKind;
using kb::PlaceRec;

// Characters that separate the places in one location string: "Champaign;
// Hangzhou", "Hangzhou / Shanghai / Yokohama", "New Jersey ⇄ China". Full-width
// forms ("，" "；") are already ASCII after folding.
bool IsSeparator(UChar32 c) {
  switch (c) {
    case ',': case ';': case '/': case '|': case '(': case ')': case '[': case ']':
    case '{': case '}': case '&': case '+': case '\n': case '\t': case '!': case '?':
    case 0x3001: case 0x3002: case 0x00B7: case 0x2022: case 0x30FB: case 0x2013: case 0x2014:
      return true;
    default:
      return (c >= 0x2190 && c <= 0x21FF) || (c >= 0x27F0 && c <= 0x27FF);  // arrows
  }
}

struct Segment {
  size_t begin, end;  // folded bytes
  size_t chain;       // segments joined by commas form one chain ("Kingston, ON, Canada")
};

std::vector<Segment> SplitSegments(std::string_view folded) {
  std::vector<Segment> segments;
  size_t start = 0, i = 0, chain = 0;
  while (i < folded.size()) {
    size_t at = i;
    int32_t pos = static_cast<int32_t>(i);
    UChar32 c;
    U8_NEXT(folded.data(), pos, static_cast<int32_t>(folded.size()), c);
    i = pos;
    // A hyphen separates only with spaces around it ("Beijing - China"); an
    // ellipsis ("CA, ...China") lists, so it ends a chain like "/" does.
    bool dash = c == '-' && at > 0 && folded[at - 1] == ' ' && i < folded.size() && folded[i] == ' ';
    bool ellipsis = folded.compare(at, 3, "...") == 0;
    if (ellipsis) i = at + 3;
    if (IsSeparator(c) || dash || ellipsis) {
      if (at > start) segments.push_back({start, at, chain});
      if (c != ',' || ellipsis) ++chain;
      start = i;
    }
  }
  if (folded.size() > start) segments.push_back({start, folded.size(), chain});
  return segments;
}

int KindRank(PlaceKind kind) {
  switch (kind) {
    case PlaceKind::kCountry: return 3;
    case PlaceKind::kSubdivision: return 2;
    case PlaceKind::kRegion: return 2;
    case PlaceKind::kCity: return 1;
  }
  return 0;
}

// How a name names its place, strongest first.
int TypeRank(NameType type) {
  switch (type) {
    case NameType::kName: return 0;
    case NameType::kAlt: return 1;
    case NameType::kDemonym: return 2;
    case NameType::kCode: return 3;
  }
  return 4;
}

bool IsWeak(NameType type) { return type == NameType::kCode; }

// Whether `p` is the better reading of a name within one country than `best`
// (null: none yet): the most specific kind, then the most populous.
bool MoreSpecific(const PlaceRec& p, const PlaceRec* best) {
  return !best || KindRank(p.kind) < KindRank(best->kind) ||
         (KindRank(p.kind) == KindRank(best->kind) && p.population > best->population);
}

struct Candidate {
  uint32_t place;
  NameType type;
  kb::Loc loc;
};

struct Mention {
  size_t begin = 0, end = 0;  // folded bytes
  size_t chain = 0;           // the comma chain of its segment
  std::vector<Candidate> candidates;
  bool fuzzy = false;
  bool by_context = false;
  bool ambiguous = false;
  const PlaceRec* chosen = nullptr;       // most specific chosen place
  const PlaceRec* subdivision = nullptr;  // chosen subdivision, if one was named too
};

class LocationResolver {
 public:
  LocationResolver(const KnowledgeBase::Impl& kb, std::string_view input,
                   const std::vector<std::string>& context, std::vector<std::string>* trace)
      : kb_(kb), g_(kb.places), input_(input), context_(context), trace_(trace) {}

  LocationResult Run();

 private:
  // Lines are built only when someone reads them: `line` makes the text.
  template <typename MakeLine>
  void Trace(MakeLine line) {
    if (trace_) trace_->push_back("location: " + line());
  }
  std::string Quote(size_t begin, size_t end) const {
    return std::string(folded_.Source(input_, begin, end));
  }
  std::string Describe(const PlaceRec& p) const {
    return p.name + " (" + p.id + (p.id != p.country ? ", " + p.country : "") + ")";
  }
  bool IsNoise(const text::Token& t) const {
    return g_.noise_words.contains(folded_.text.substr(t.begin, t.end - t.begin));
  }
  bool NonPlace(const std::string& key, size_t begin, size_t end, LocationResult* result);
  // `tokens`: the tokens of the whole text that lie inside `segment`.
  void ScanSegment(const Segment& segment, std::span<const text::Token> tokens, LocationResult* result);
  bool TryFuzzy(std::span<const text::Token> tokens);  // the tokens of one segment
  void AddMention(size_t begin, size_t end, std::span<const uint32_t> refs, bool fuzzy);
  void Anchor();
  double Weight(const PlaceRec& p) const;
  // Whether `c` reads its mention as a country by name, not by a code such as
  // "TCD", which names a country too weakly to frame anything.
  bool IsCountryByName(const Candidate& c) const {
    return g_.places[c.place].kind == PlaceKind::kCountry && !IsWeak(c.type);
  }
  // Whether `m` names `country` itself, by name.
  bool NamesCountry(const Mention& m, std::string_view country) const {
    return std::any_of(m.candidates.begin(), m.candidates.end(), [&](const Candidate& c) {
      return IsCountryByName(c) && g_.places[c.place].country == country;
    });
  }
  void Choose(Mention* m);
  void Merge(LocationResult* result);

  const KnowledgeBase::Impl& kb_;
  const kb::Gazetteer& g_;
  std::string_view input_;
  const std::vector<std::string>& context_;
  std::vector<std::string>* trace_;
  text::Folded folded_;
  std::vector<Mention> mentions_;
  size_t chain_ = 0;  // of the segment being scanned
  // How many mentions of a chain have a reading in a country: containment
  // support, counted once rather than per pair of mentions. A location has a
  // handful of mentions, so a flat list beats a map.
  struct ChainCountry {
    size_t chain;
    std::string_view country;
    int mentions;
  };
  std::vector<ChainCountry> chain_countries_;
  // Entries come in chain order (mentions do), so a chain's are found by binary search.
  int ChainSupport(size_t chain, std::string_view country) const {
    auto it = std::lower_bound(chain_countries_.begin(), chain_countries_.end(), chain,
                               [](const ChainCountry& c, size_t ch) { return c.chain < ch; });
    for (; it != chain_countries_.end() && it->chain == chain; ++it) {
      if (it->country == country) return it->mentions;
    }
    return 0;
  }
  // How many mentions name each country by name ("Italy - Lodi": IT once).
  std::vector<std::pair<std::string_view, int>> named_countries_;
  int NamedCountry(std::string_view country) const {
    for (const auto& [c, mentions] : named_countries_) {
      if (c == country) return mentions;
    }
    return 0;
  }
  // Calls fn(country) once for each country among m's candidates that `keep` accepts.
  template <typename Keep, typename Fn>
  void ForEachCountry(const Mention& m, Keep keep, Fn fn) const {
    for (size_t i = 0; i < m.candidates.size(); ++i) {
      if (!keep(m.candidates[i])) continue;
      std::string_view country = g_.places[m.candidates[i].place].country;
      bool seen = std::any_of(m.candidates.begin(), m.candidates.begin() + i, [&](const Candidate& c) {
        return keep(c) && g_.places[c.place].country == country;
      });
      if (!seen) fn(country);
    }
  }
};

bool LocationResolver::NonPlace(const std::string& key, size_t begin, size_t end,
                                LocationResult* result) {
  text::PhraseIndex::Values hit = g_.non_places.Find(key);
  if (hit.empty()) return false;
  std::string where = kb_.files.Where(g_.non_place_locs[hit.front()]);
  result->notes.push_back({"location", Quote(begin, end), where});
  Trace([&] { return "'" + Quote(begin, end) + "' is a non-place [" + where + "]"; });
  return true;
}

void LocationResolver::AddMention(size_t begin, size_t end, std::span<const uint32_t> refs,
                                  bool fuzzy) {
  Mention m;
  m.begin = begin;
  m.end = end;
  m.chain = chain_;
  m.fuzzy = fuzzy;
  m.candidates.reserve(refs.size());
  for (uint32_t r : refs) {
    const kb::NameRef& ref = g_.name_refs[r];
    auto same = std::find_if(m.candidates.begin(), m.candidates.end(),
                             [&](const Candidate& c) { return c.place == ref.place; });
    if (same == m.candidates.end()) {
      m.candidates.push_back({ref.place, ref.type, ref.loc});
    } else if (TypeRank(ref.type) < TypeRank(same->type)) {
      same->type = ref.type;
      same->loc = ref.loc;
    }
  }
  mentions_.push_back(std::move(m));
}

// One-edit correction of a whole segment ("melo park" → "menlo park"), tried
// only when exact matching left part of the segment unexplained.
bool LocationResolver::TryFuzzy(std::span<const text::Token> tokens) {
  std::string key;
  size_t first = tokens.size(), last = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (IsNoise(tokens[i])) continue;
    if (!key.empty()) key.push_back(' ');
    key.append(folded_.text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin));
    first = std::min(first, i);
    last = i + 1;
  }
  if (key.empty()) return false;
  std::vector<uint32_t> refs = g_.fuzzy_names.OneEditFrom(key);
  if (refs.empty()) return false;
  Trace([&] {
    std::string names;
    for (uint32_t r : refs) names += " " + Describe(g_.places[g_.name_refs[r].place]);
    return "'" + Quote(tokens[first].begin, tokens[last - 1].end) + "' is one edit from:" + names;
  });
  AddMention(tokens[first].begin, tokens[last - 1].end, refs, true);
  return true;
}

void LocationResolver::ScanSegment(const Segment& segment, std::span<const text::Token> tokens,
                                   LocationResult* result) {
  std::string_view folded = folded_.text;
  if (tokens.empty()) return;
  chain_ = segment.chain;
  if (NonPlace(text::PhraseKey(folded, tokens, 0, tokens.size()), segment.begin, segment.end, result)) {
    result->non_place = true;
    return;
  }
  size_t content_tokens = 0;
  for (const text::Token& t : tokens) content_tokens += !IsNoise(t);
  // A bare code ("CA", "in") counts only when written in capitals or when it is
  // the whole segment: "living in Berlin" names no India.
  auto accept = [&](const text::PhraseIndex::Match& m) {
    // A noise word ("city", "bay") names no place by itself; a name made of
    // several ("Bay Area") still does.
    if (m.last_token - m.first_token == 1 && IsNoise(tokens[m.first_token])) return false;
    bool all_codes = std::all_of(m.values.begin(), m.values.end(), [&](uint32_t r) {
      return g_.name_refs[r].type == NameType::kCode;
    });
    if (!all_codes) return true;
    if (m.last_token - m.first_token == content_tokens) return true;
    std::string_view source = folded_.Source(input_, tokens[m.first_token].begin, tokens[m.last_token - 1].end);
    return std::none_of(source.begin(), source.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  };
  size_t before = mentions_.size();
  bool unexplained = false;
  for (size_t i = 0; i < tokens.size();) {
    // A non-place inside a segment ("Southeast Asia, based in Phnom Penh")
    // names nothing and hides nothing: step over it.
    text::PhraseIndex::Match skip = g_.non_places.LongestAt(folded, tokens, i, [](const auto&) { return true; });
    if (!skip.values.empty()) {
      i = skip.last_token;
      continue;
    }
    text::PhraseIndex::Match m = g_.names.LongestAt(folded, tokens, i, accept);
    if (!m.values.empty()) {
      AddMention(tokens[m.first_token].begin, tokens[m.last_token - 1].end, m.values, false);
      i = m.last_token;
    } else {
      if (!IsNoise(tokens[i])) unexplained = true;
      ++i;
    }
  }
  if (unexplained) {
    std::vector<Mention> exact(std::make_move_iterator(mentions_.begin() + before),
                               std::make_move_iterator(mentions_.end()));
    mentions_.resize(before);
    // A reading that explains the whole segment beats one that explains part.
    if (!TryFuzzy(tokens)) {
      for (Mention& m : exact) mentions_.push_back(std::move(m));
      result->partial = true;
    }
  }
}

void LocationResolver::Choose(Mention* m) {
  std::vector<Candidate> cands = m->candidates;
  // A country's name is not a town's alternate name: "Ireland" is not the old
  // name of West Springfield, Massachusetts. A town's own name stays ("Granada,
  // Spain" is not Grenada), and so do subdivisions ("Georgia" may be the state).
  bool names_country = std::any_of(cands.begin(), cands.end(), [&](const Candidate& c) { return IsCountryByName(c); });
  if (names_country) {
    std::erase_if(cands, [&](const Candidate& c) {
      return g_.places[c.place].kind == PlaceKind::kCity && c.type == NameType::kAlt;
    });
  }
  auto country_of = [&](const Candidate& c) -> const std::string& { return g_.places[c.place].country; };
  // Containment: prefer readings that other mentions of the same comma chain
  // agree with ("San Jose, CA"); "Berlin & NYC" are two places, not one.
  // Support: the other mentions of the chain with a reading in the candidate's country.
  auto support = [&](const Candidate& c) { return std::max(ChainSupport(m->chain, country_of(c)) - 1, 0); };
  int best_support = 0;
  for (const Candidate& c : cands) best_support = std::max(best_support, support(c));
  if (best_support > 0) std::erase_if(cands, [&](const Candidate& c) { return support(c) != best_support; });
  // Still split between countries: keep the readings in a country the rest of
  // the text names ("Italy - Lodi", "Montenegro - RS - Brasil"), else in one
  // the rest of the record points to (e-mail ccTLD, organizations' seats),
  // which is weaker: the answer's confidence says so.
  auto narrow_to = [&](bool from_record, auto in_context) {
    bool several_countries = std::any_of(cands.begin(), cands.end(), [&](const Candidate& c) {
      return country_of(c) != country_of(cands.front());
    });
    if (!several_countries) return;
    if (std::none_of(cands.begin(), cands.end(), [&](const Candidate& c) { return in_context(country_of(c)); })) return;
    std::erase_if(cands, [&](const Candidate& c) { return !in_context(country_of(c)); });
    m->by_context = m->by_context || from_record;
  };
  narrow_to(false, [&](std::string_view country) {
    return NamedCountry(country) - (NamesCountry(*m, country) ? 1 : 0) > 0;  // by another mention
  });
  narrow_to(true, [&](std::string_view country) {
    return std::find(context_.begin(), context_.end(), country) != context_.end();
  });
  // One reading per country: its highest kind, and the greatest weight of any
  // of its candidates (a subdivision named like a big city weighs as the city).
  struct Reading {
    std::string_view country;
    int rank = 0;
    double weight = 0;
  };
  std::vector<Reading> readings;
  readings.reserve(cands.size());
  for (const Candidate& c : cands) {
    const PlaceRec& p = g_.places[c.place];
    auto it = std::find_if(readings.begin(), readings.end(), [&](const Reading& r) { return r.country == p.country; });
    if (it == readings.end()) it = readings.insert(readings.end(), {p.country, 0, 0});
    it->rank = std::max(it->rank, KindRank(p.kind));
    it->weight = std::max(it->weight, Weight(p));
  }
  std::sort(readings.begin(), readings.end(), [](const Reading& a, const Reading& b) {
    if (a.rank != b.rank) return a.rank > b.rank;
    if (a.weight != b.weight) return a.weight > b.weight;
    return a.country < b.country;
  });
  if (readings.size() > 1) {
    bool all_weak = std::all_of(cands.begin(), cands.end(), [](const Candidate& c) { return IsWeak(c.type); });
    // A country or region beats a town of the same name elsewhere; between
    // equals, the reading must weigh four times its rival.
    bool clear = !all_weak && (readings[0].rank > readings[1].rank || readings[0].weight >= 4 * readings[1].weight);
    if (!clear) {
      m->ambiguous = true;
      Trace([&] {
        std::string names;
        for (const Candidate& c : cands) names += " " + Describe(g_.places[c.place]);
        return "'" + Quote(m->begin, m->end) + "' is ambiguous between:" + names;
      });
      return;
    }
  }
  // Within the chosen country, the most specific place; keep a named subdivision too.
  const std::string_view country = readings.front().country;
  for (const Candidate& c : cands) {
    const PlaceRec& p = g_.places[c.place];
    if (p.country != country) continue;
    if (p.kind == PlaceKind::kSubdivision && !m->subdivision) m->subdivision = &p;
    if (MoreSpecific(p, m->chosen)) m->chosen = &p;
  }
}

// How much a place is the one people mean by its name: population times the
// number of names the world has for it (Barcelona, Spain has 49; Barcelona,
// Venezuela has 9).
double LocationResolver::Weight(const PlaceRec& p) const {
  return std::max<double>(p.population, 1) * std::max<double>(p.name_count, 1);
}

// In a comma chain that names a country ("Clearwater Bay, Hong Kong", "TCD,
// Dublin, Ireland"), the country is the frame: a mention that can be read
// inside it is; one that cannot is a local name the gazetteer does not know
// (it matched "Bay" in Somalia, or Chad's code TCD) and is dropped.
void LocationResolver::Anchor() {
  // Mentions come in chain order, so a chain is a range of them; a second
  // anchor of the same country in a chain would change nothing.
  std::vector<std::pair<size_t, std::string_view>> framed;  // (chain, country)
  for (const Mention& anchor : mentions_) {
    if (!anchor.chosen || !NamesCountry(anchor, anchor.chosen->country)) continue;
    const std::string& country = anchor.chosen->country;
    std::pair<size_t, std::string_view> frame(anchor.chain, country);
    if (std::find(framed.begin(), framed.end(), frame) != framed.end()) continue;
    framed.push_back(frame);
    auto [chain_begin, chain_end] = std::equal_range(mentions_.begin(), mentions_.end(), anchor,
        [](const Mention& a, const Mention& b) { return a.chain < b.chain; });
    for (Mention& m : std::span<Mention>(chain_begin, chain_end)) {
      if (&m == &anchor) continue;
      if (m.chosen && m.chosen->country == country) continue;
      // "Hong Kong, China": a country in a country's frame stays itself.
      if (m.chosen && NamesCountry(m, m.chosen->country)) continue;
      if (!m.chosen && !m.ambiguous) continue;
      const PlaceRec* inside = nullptr;
      for (const Candidate& c : m.candidates) {
        const PlaceRec& p = g_.places[c.place];
        if (p.country == country && MoreSpecific(p, inside)) inside = &p;
      }
      Trace([&] {
        return "'" + Quote(m.begin, m.end) + "' read inside " + country + ": " +
               (inside ? Describe(*inside) : std::string("no such place there, dropped"));
      });
      m.chosen = inside;
      m.subdivision = inside && inside->kind == PlaceKind::kSubdivision ? inside : nullptr;
      m.ambiguous = false;
    }
  }
}

void LocationResolver::Merge(LocationResult* result) {
  struct Building {  // views of the gazetteer's own strings
    std::string_view country, subdivision, city;
    std::vector<Evidence> evidence;
  };
  std::vector<Building> places;
  for (const Mention& m : mentions_) {
    if (!m.chosen) continue;
    const PlaceRec& p = *m.chosen;
    std::string_view subdivision = p.kind == PlaceKind::kSubdivision ? p.id : p.subdivision;
    if (subdivision.empty() && m.subdivision) subdivision = m.subdivision->id;
    std::string_view city = p.kind == PlaceKind::kCity || p.kind == PlaceKind::kRegion ? std::string_view(p.name) : "";
    auto fits = [&](const Building& b) {
      return b.country == p.country && (b.city.empty() || city.empty() || b.city == city) &&
             (b.subdivision.empty() || subdivision.empty() || b.subdivision == subdivision);
    };
    auto it = std::find_if(places.begin(), places.end(), fits);
    if (it == places.end()) {
      places.push_back({p.country, {}, {}, {}});
      it = places.end() - 1;
    }
    if (it->subdivision.empty()) it->subdivision = subdivision;
    if (it->city.empty()) it->city = city;
    it->evidence.push_back({"location", Quote(m.begin, m.end), kb_.files.Where(
        std::find_if(m.candidates.begin(), m.candidates.end(),
                     [&](const Candidate& c) { return &g_.places[c.place] == m.chosen; })->loc)});
  }
  for (Building& b : places) {
    LocatedPlace lp;
    lp.place.code = b.country;
    const PlaceRec* country = g_.Country(lp.place.code);
    lp.place.name = country ? country->name : lp.place.code;
    lp.place.subdivision = b.subdivision;
    lp.place.city = b.city;
    lp.evidence = std::move(b.evidence);
    Trace([&] { return "place: " + lp.place.code + (lp.place.subdivision.empty() ? "" : " " + lp.place.subdivision) +
          (lp.place.city.empty() ? "" : " " + lp.place.city); });
    result->places.push_back(std::move(lp));
  }
}

LocationResult LocationResolver::Run() {
  LocationResult result;
  folded_ = text::Fold(input_);
  std::string_view folded = folded_.text;
  Trace([&] { return "folded '" + std::string(folded) + "'"; });
  std::vector<text::Token> all = text::Tokenize(folded);
  std::string whole = text::PhraseKey(folded, all, 0, all.size());
  if (all.empty()) {
    // Only symbols: "☁️", "~". Name the curated entry when there is one.
    std::string bare(folded);
    bare.erase(std::remove_if(bare.begin(), bare.end(), [](char c) { return c == ' ' || c == '\t'; }), bare.end());
    if (bare.empty()) return result;
    if (!NonPlace(bare, 0, folded.size(), &result)) {
      result.notes.push_back({"location", std::string(input_), "no letters or digits"});
      Trace([] { return std::string("no letters or digits: not a place"); });
    }
    result.non_place = true;
    return result;
  }
  if (NonPlace(whole, 0, folded.size(), &result)) {
    result.non_place = true;
    return result;
  }
  // Separators are never part of a token, so the text's tokens split cleanly
  // into its segments' tokens: tokenize once.
  auto token = all.begin();
  for (const Segment& segment : SplitSegments(folded)) {
    while (token != all.end() && token->begin < segment.begin) ++token;
    auto first = token;
    while (token != all.end() && token->end <= segment.end) ++token;
    ScanSegment(segment, std::span<const text::Token>(first, token), &result);
  }
  for (const Mention& m : mentions_) {
    Trace([&] {
      std::string names;
      for (const Candidate& c : m.candidates) {
        names += " " + Describe(g_.places[c.place]) + "[" + kb_.files.Where(c.loc) + "]";
      }
      return "'" + Quote(m.begin, m.end) + "' names" + names;
    });
  }
  auto any = [](const Candidate&) { return true; };
  auto by_name = [&](const Candidate& c) { return IsCountryByName(c); };
  for (const Mention& m : mentions_) {
    size_t chain_first = chain_countries_.size();
    while (chain_first > 0 && chain_countries_[chain_first - 1].chain == m.chain) --chain_first;
    ForEachCountry(m, any, [&](std::string_view country) {
      auto it = std::find_if(chain_countries_.begin() + chain_first, chain_countries_.end(),
                             [&](const ChainCountry& c) { return c.country == country; });
      if (it == chain_countries_.end()) chain_countries_.push_back({m.chain, country, 1});
      else ++it->mentions;
    });
    ForEachCountry(m, by_name, [&](std::string_view country) {
      auto it = std::find_if(named_countries_.begin(), named_countries_.end(), [&](const auto& c) { return c.first == country; });
      if (it == named_countries_.end()) named_countries_.emplace_back(country, 1);
      else ++it->second;
    });
  }
  for (Mention& m : mentions_) Choose(&m);
  Anchor();
  for (const Mention& m : mentions_) {
    if (m.chosen && !m.fuzzy) {
      auto c = std::find_if(m.candidates.begin(), m.candidates.end(),
                            [&](const Candidate& x) { return &g_.places[x.place] == m.chosen; });
      if (c != m.candidates.end() && (c->type == NameType::kAlt || c->type == NameType::kCode)) result.by_name = false;
    } else if (m.chosen) {
      result.by_name = false;
    }
    if (m.ambiguous) {
      result.ambiguous = true;
      std::string readings;
      std::set<std::string> seen;
      for (const Candidate& c : m.candidates) {
        if (seen.insert(g_.places[c.place].country).second) readings += (readings.empty() ? "" : " or ") + g_.places[c.place].country;
      }
      result.notes.push_back({"location", Quote(m.begin, m.end), "ambiguous: " + readings});
    }
  }
  Merge(&result);
  if (!result.places.empty()) {
    const Mention* first = nullptr;
    for (const Mention& m : mentions_) {
      if (m.chosen && m.chosen->country == result.places.front().place.code) { first = &m; break; }
    }
    result.confidence = first && first->fuzzy ? 0.7 : (first && first->by_context ? 0.8 : 0.95);
  } else if (mentions_.empty() && !result.non_place) {
    Trace([] { return std::string("no place name found"); });
  }
  return result;
}

}  // namespace

LocationResult ResolveLocation(const KnowledgeBase::Impl& kb, std::string_view location,
                               const std::vector<std::string>& context,
                               std::vector<std::string>* trace) {
  return LocationResolver(kb, location, context, trace).Run();
}

}  // namespace affil::resolve
