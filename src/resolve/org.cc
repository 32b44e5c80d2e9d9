#include "resolve/org.h"

#include <algorithm>

#include "resolve/place.h"
#include "text/text.h"

namespace affil::resolve {
namespace {

using kb::Cue;

// The org that owns `domain` or its nearest listed parent domain
// ("smail.nju.edu.cn" → "nju.edu.cn").
const kb::OrgRef* FindDomain(const kb::OrgKb& orgs, std::string domain) {
  while (true) {
    auto it = orgs.domains.find(domain);
    if (it != orgs.domains.end()) return &it->second;
    size_t dot = domain.find('.');
    if (dot == std::string::npos) return nullptr;
    domain.erase(0, dot + 1);
    if (domain.find('.') == std::string::npos) return nullptr;  // never a bare TLD
  }
}

using text::FindHandles;
using text::Span;

// Clause ends in a bio: ';' '.' (before a space or at the end) '!' '?' '。' newline.
// A company field lists its entries with commas, so there a comma outside
// brackets ends a clause too: "Ex Atlassian, ThoughtWorks", but "Meteor
// (formerly: Facebook, Quora)".
std::vector<size_t> ClauseEnds(std::string_view folded, bool commas) {
  std::vector<size_t> ends;
  int depth = 0;
  for (size_t i = 0; i < folded.size(); ++i) {
    char c = folded[i];
    depth += c == '(' ? 1 : c == ')' && depth > 0 ? -1 : 0;
    bool end = c == ';' || c == '!' || c == '?' || c == '\n' ||
               (c == '.' && (i + 1 == folded.size() || folded[i + 1] == ' ')) || (commas && c == ',' && depth == 0);
    if (!end && folded.compare(i, 3, "\xE3\x80\x82") == 0) end = true;  // 。
    if (end) ends.push_back(i);
  }
  ends.push_back(folded.size());
  return ends;
}

size_t ClauseOf(const std::vector<size_t>& ends, size_t pos) {
  return std::lower_bound(ends.begin(), ends.end(), pos) - ends.begin();
}

struct CueHit {
  size_t begin, end;
  Cue::Kind kind;
  kb::Loc loc;
};

// The temporal cues of a text and its clauses: what is history and what is
// current at each position ("@deepseek-ai infra; previously at NVIDIA").
struct Timeline {
  std::vector<size_t> clauses;  // clause ends (ClauseEnds)
  std::vector<CueHit> cues;     // in text order
  // Per cue: its clause, and the kind of the last past/now cue up to it in
  // that clause (kLink when none), so a lookup is a binary search, not a walk.
  std::vector<size_t> clause_of;
  std::vector<Cue::Kind> time_of;

  Timeline(const kb::OrgKb& orgs, const std::string& t, bool commas) : clauses(ClauseEnds(t, commas)) {
    std::vector<int> fired;
    if (orgs.cue_set && orgs.cue_set->Match(t, &fired)) {
      for (int index : fired) {
        const kb::Cue& cue = orgs.cues[index];
        re2::StringPiece match;
        size_t pos = 0;
        while (pos <= t.size() && cue.re->Match(t, pos, t.size(), RE2::UNANCHORED, &match, 1)) {
          size_t begin = match.data() - t.data();
          cues.push_back({begin, begin + match.size(), cue.kind, cue.loc});
          pos = begin + std::max<size_t>(match.size(), 1);
        }
      }
    }
    std::sort(cues.begin(), cues.end(), [](const CueHit& a, const CueHit& b) { return a.begin < b.begin; });
    // A full stop inside a cue ("Ph.D. from") ends no clause.
    clauses.erase(std::remove_if(clauses.begin(), clauses.end() - 1, [&](size_t end) {
                    auto after = std::upper_bound(cues.begin(), cues.end(), end,
                                                  [](size_t e, const CueHit& c) { return e < c.begin; });
                    return after != cues.begin() && end < std::prev(after)->end;
                  }), clauses.end() - 1);
    for (size_t i = 0; i < cues.size(); ++i) {
      clause_of.push_back(ClauseOf(clauses, cues[i].begin));
      bool same = i > 0 && clause_of[i - 1] == clause_of[i];
      time_of.push_back(cues[i].kind != Cue::kLink ? cues[i].kind : same ? time_of[i - 1] : Cue::kLink);
    }
  }

  // Whether a mention at `pos` is current: not when the last past/now cue
  // before it in its clause is past. *cued says whether any cue precedes it.
  bool CurrentAt(size_t pos, bool* cued) const {
    // The last cue that ends before `pos`.
    auto it = std::lower_bound(cues.begin(), cues.end(), pos, [](const CueHit& c, size_t p) { return c.begin < p; });
    size_t i = it - cues.begin();
    while (i > 0 && cues[i - 1].end > pos) --i;
    *cued = i > 0 && clause_of[i - 1] == ClauseOf(clauses, pos);
    return !*cued || time_of[i - 1] != Cue::kPast;
  }
};

// The host of a URL that names a whole site, lower-case, without "www."
// ("https://www.Acme.com/" → "acme.com"), or "" for a page on a site
// ("https://github.com/someone", "linkedin.com/in/someone"): a page names the
// platform that hosts it, not who wrote it.
std::string SiteHost(std::string_view url) {
  std::string host = text::AsciiLower(std::string(url));
  size_t scheme = host.find("://");
  if (scheme != std::string::npos) host.erase(0, scheme + 3);
  size_t end = host.find_first_of("/?#");
  if (end != std::string::npos && end + 1 < host.size()) return "";
  host = host.substr(0, std::min(end, host.find(':')));  // no port
  if (host.rfind("www.", 0) == 0) host.erase(0, 4);
  return host;
}

// URLs written into a field ("https://twitter.com/someone", "www.acme.com"):
// they are read as domains, never as names.
std::vector<Span> FindUrls(std::string_view folded) {
  std::vector<Span> spans;
  for (size_t i = 0; i < folded.size();) {
    size_t at = std::string_view::npos;
    for (std::string_view start : {"http://", "https://", "www."}) at = std::min(at, folded.find(start, i));
    if (at == std::string_view::npos) break;
    size_t end = folded.find_first_of(" \t,;|", at);
    if (end == std::string_view::npos) end = folded.size();
    spans.push_back({at, end});
    i = end;
  }
  return spans;
}

class OrgScanner {
 public:
  OrgScanner(const KnowledgeBase::Impl& kb, const Profile& profile,
             const std::vector<std::string>& countries, std::vector<std::string>* trace)
      : kb_(kb), orgs_(kb.orgs), profile_(profile), countries_(countries), trace_(trace) {}

  OrgFacts Run() {
    ScanCompany();
    ScanBio();
    ScanBlog();
    return std::move(facts_);
  }

 private:
  // Lines are built only when someone reads them: `line` makes the text.
  template <typename MakeLine>
  void Trace(MakeLine line) {
    if (trace_) trace_->push_back(line());
  }
  const std::string& IdOf(uint32_t org) const { return orgs_.orgs[org].id; }

  void Hit(uint32_t org, bool current, Strength strength, const char* field, std::string_view text,
           kb::Loc loc) {
    std::string where = kb_.files.Where(loc);
    Trace([&] {
      return std::string(field) + ": '" + std::string(text) + "' → " + IdOf(org) + (current ? "" : " (past)") +
             " [" + where + "]";
    });
    facts_.hits.push_back({org, current, strength, {field, std::string(text), where}});
  }

  // Picks the org a name match means; false when it names none for sure.
  bool PickOrg(text::PhraseIndex::Values refs, const char* field, std::string_view text,
               uint32_t* org, kb::Loc* loc) {
    std::vector<const kb::OrgRef*> plain, abbrevs;
    for (uint32_t r : refs) (orgs_.name_refs[r].abbrev ? abbrevs : plain).push_back(&orgs_.name_refs[r]);
    if (!plain.empty()) {
      *org = plain.front()->org;
      *loc = plain.front()->loc;
      return true;
    }
    std::vector<const kb::OrgRef*> fitting;
    for (const kb::OrgRef* ref : abbrevs) {
      const std::string& country = orgs_.orgs[ref->org].country;
      if (std::find(countries_.begin(), countries_.end(), country) != countries_.end()) fitting.push_back(ref);
    }
    if (fitting.size() == 1) {
      *org = fitting.front()->org;
      *loc = fitting.front()->loc;
      Trace([&] { return std::string(field) + ": abbreviation '" + std::string(text) + "' settled by the record's country " +
            orgs_.orgs[*org].country; });
      return true;
    }
    std::string readings;
    for (const kb::OrgRef* ref : abbrevs) readings += (readings.empty() ? "" : " or ") + IdOf(ref->org);
    facts_.ambiguous_org = true;
    facts_.notes.push_back({field, std::string(text), "ambiguous: " + readings});
    Trace([&] { return std::string(field) + ": abbreviation '" + std::string(text) + "' is ambiguous: " + readings; });
    return false;
  }

  // Records an org the knowledge base does not list: its own group, "listed": false.
  void Unlisted(std::string id, std::string name, std::string kind, bool current, std::vector<Evidence> evidence) {
    OrgAffiliation a;
    a.listed = false;
    a.group = id;
    a.id = std::move(id);
    a.group_name = name;
    a.name = std::move(name);
    a.kind = std::move(kind);
    a.current = current;
    a.evidence = std::move(evidence);
    facts_.unlisted.push_back(std::move(a));
  }
  bool ReadAccount(const std::string& login, std::string_view quoted, bool current);
  bool ReadUnlisted(const text::Folded& folded, const std::vector<text::Token>& tokens);
  void ScanCompany();
  void ScanBio();
  void ScanBlog();
  // `timeline`: a bio's, where a pattern counts like a name (after a cue, in
  // its time); null for the company field, where every match counts.
  void Patterns(const text::Folded& folded, std::string_view input, const char* field,
                Strength strength, const Timeline* timeline, bool* any_org, std::string* non_org);

  const KnowledgeBase::Impl& kb_;
  const kb::OrgKb& orgs_;
  const Profile& profile_;
  const std::vector<std::string>& countries_;
  std::vector<std::string>* trace_;
  OrgFacts facts_;
};

// The runs of `tokens` between spans that must not be read as names (handles)
// and between separators, as views into *kept, which holds the kept tokens back
// to back (one list, not one per run). Runs are never empty.
std::vector<std::span<const text::Token>> Runs(std::string_view folded, std::span<const text::Token> tokens,
                                               const std::vector<Span>& masks, std::string_view separators,
                                               std::vector<text::Token>* kept) {
  kept->clear();
  std::vector<size_t> ends;  // where each run ends in *kept
  size_t mask = 0, last_end = 0;
  auto close_run = [&] {
    if (kept->size() > (ends.empty() ? 0 : ends.back())) ends.push_back(kept->size());
  };
  for (const text::Token& t : tokens) {
    bool split = false;
    while (mask < masks.size() && masks[mask].end <= t.begin) {
      split = true;
      ++mask;
    }
    if (mask < masks.size() && t.begin >= masks[mask].begin && t.end <= masks[mask].end) {
      close_run();
      continue;
    }
    split = split || folded.substr(last_end, t.begin - last_end).find_first_of(separators) != std::string_view::npos;
    if (split) close_run();
    kept->push_back(t);
    last_end = t.end;
  }
  close_run();
  std::vector<std::span<const text::Token>> runs;
  size_t begin = 0;
  for (size_t end : ends) {
    runs.emplace_back(kept->data() + begin, end - begin);
    begin = end;
  }
  return runs;
}

void OrgScanner::Patterns(const text::Folded& folded, std::string_view input, const char* field,
                          Strength strength, const Timeline* timeline, bool* any_org, std::string* non_org) {
  if (!orgs_.pattern_set) return;
  std::vector<int> fired;
  if (!orgs_.pattern_set->Match(folded.text, &fired)) return;
  std::sort(fired.begin(), fired.end());
  for (int index : fired) {
    const kb::Pattern& p = orgs_.patterns[index];
    re2::StringPiece match;
    if (!p.re->Match(folded.text, 0, folded.text.size(), RE2::UNANCHORED, &match, 1)) continue;
    size_t begin = match.data() - folded.text.data();
    std::string_view quoted = folded.Source(input, begin, begin + match.size());
    if (p.non_org) {
      if (non_org) *non_org = orgs_.non_orgs[p.target].category;
      facts_.notes.push_back({field, std::string(quoted), kb_.files.Where(p.loc)});
      continue;
    }
    bool current = true;
    if (timeline) {
      bool cued;
      current = timeline->CurrentAt(begin, &cued);
      if (!cued) continue;
    }
    Hit(p.target, current, strength, field, quoted, p.loc);
    if (any_org) *any_org = true;
  }
}

// An @handle the knowledge base does not know, told by the account the
// collector found for it: an organization is read by its own name, then its
// website, as the knowledge base would read them ("@ppl-ai" is "Perplexity");
// one it does not list stays an organization, known by its handle. A user
// account names a person, not an employer.
bool OrgScanner::ReadAccount(const std::string& login, std::string_view quoted, bool current) {
  auto account = std::find_if(profile_.company_accounts.begin(), profile_.company_accounts.end(),
                              [&](const Account& a) { return text::AsciiLower(a.login) == login; });
  if (account == profile_.company_accounts.end()) return false;
  const char* via = "the GitHub account of the handle (company_accounts)";
  if (account->type != "Organization") {
    facts_.notes.push_back({"company", std::string(quoted), "a GitHub " + account->type + " account, not an organization"});
    Trace([&] { return "company: '" + std::string(quoted) + "' is a GitHub " + account->type + " account"; });
    return false;
  }
  uint32_t org;
  kb::Loc loc;
  text::PhraseIndex::Values names;
  if (!account->name.empty()) names = orgs_.names.Find(text::KeyOf(account->name));
  if (!names.empty() && PickOrg(names, "company_accounts", account->name, &org, &loc)) {
    Hit(org, current, Strength::kCompany, "company_accounts", account->name, loc);
  } else if (const kb::OrgRef* site = FindDomain(orgs_, SiteHost(account->blog))) {
    org = site->org;
    Hit(org, current, Strength::kCompany, "company_accounts", account->blog, site->loc);
  } else {
    std::string name = account->name.empty() ? account->login : account->name;
    Trace([&] { return "company: '" + std::string(quoted) + "' is the GitHub organization " + name + ", not in the knowledge base"; });
    Unlisted("github:" + login, name, "", current,
             {{"company", std::string(quoted), via},
              {"company_accounts", name, "a GitHub organization the knowledge base does not list"}});
    return true;
  }
  facts_.hits.push_back({org, current, Strength::kCompany, {"company", std::string(quoted), via}});
  return true;
}

// A company field that is one name ending in a legal form or an org-type word
// ("Bok Consulting Pty Ltd", "Astral Technologies", "Homedwen University"), or
// beginning like one ("College of Science & Technology"), names an
// organization this knowledge base does not list. Its identity is the name
// without the legal form, so "Synapse Systems Ltd" and "Synapse Systems" are
// one org.
bool OrgScanner::ReadUnlisted(const text::Folded& folded, const std::vector<text::Token>& tokens) {
  const std::string& t = folded.text;
  if (t.find_first_of(";|/@") != std::string::npos) return false;  // several mentions, or a handle
  // Longer values are sentences, not names (each Han character is a token).
  constexpr size_t kMaxWords = 8, kMaxIdeographs = 24;
  size_t ideographs = std::count_if(tokens.begin(), tokens.end(), [](const text::Token& k) { return k.ideograph; });
  if (tokens.size() < 2 || tokens.size() - ideographs > kMaxWords || ideographs > kMaxIdeographs) return false;
  const size_t n = tokens.size();
  const kb::NameMarker* marker = nullptr;
  size_t name_end = n;
  // The longest beginning, then the longest ending, leaving a word of name.
  for (size_t end = n - 1; end >= 1 && !marker; --end) {
    text::PhraseIndex::Values found = orgs_.beginnings.Find(text::PhraseKey(t, tokens, 0, end));
    if (!found.empty()) marker = &orgs_.markers[found.front()];
  }
  for (size_t start = 1; start < n && !marker; ++start) {
    text::PhraseIndex::Values found = orgs_.endings.Find(text::PhraseKey(t, tokens, start, n));
    if (found.empty()) continue;
    marker = &orgs_.markers[found.front()];
    if (marker->legal_form) name_end = start;
  }
  if (!marker) return false;
  std::string id = "name:";
  for (size_t i = 0; i < name_end; ++i) {
    if (i > 0 && !(tokens[i].ideograph && tokens[i - 1].ideograph)) id.push_back('-');
    id.append(t, tokens[i].begin, tokens[i].end - tokens[i].begin);
  }
  std::string name(folded.Source(profile_.company, tokens.front().begin, tokens.back().end));
  std::string where = kb_.files.Where(marker->loc);
  Trace([&] { return "company: '" + name + "' is named like a " + marker->kind + ": unlisted org " + id + " [" + where + "]"; });
  Unlisted(id, name, marker->kind, true, {{"company", name, where}});
  return true;
}

void OrgScanner::ScanCompany() {
  const std::string& input = profile_.company;
  if (input.empty()) return;
  text::Folded folded = text::Fold(input);
  Trace([&] { return "company: folded '" + folded.text + "'"; });
  bool any_org = false;
  // "Ex-Mozilla", "Meteor (formerly: Facebook)": the company field has time too.
  Timeline timeline(orgs_, folded.text, /*commas=*/true);
  auto current_at = [&](size_t pos) {
    bool cued;
    return timeline.CurrentAt(pos, &cued);
  };
  // An @handle is a GitHub login: a known org's, or else a name only when the
  // whole handle is one ("@Tencent"), never a word inside it ("@BAC-GitHub-Club").
  std::vector<Span> masked = FindHandles(folded.text);
  for (const Span& h : masked) {
    std::string login = folded.text.substr(h.begin + 1, h.end - h.begin - 1);
    std::string_view quoted = folded.Source(input, h.begin, h.end);
    auto it = orgs_.handles.find(login);
    if (it != orgs_.handles.end()) {
      Hit(it->second.org, current_at(h.begin), Strength::kCompany, "company", quoted, it->second.loc);
      any_org = true;
      continue;
    }
    uint32_t org;
    kb::Loc loc;
    text::PhraseIndex::Values names = orgs_.names.Find(text::KeyOf(login));
    if (!names.empty() && PickOrg(names, "company", quoted, &org, &loc)) {
      Hit(org, current_at(h.begin), Strength::kCompany, "company", quoted, loc);
      any_org = true;
    } else if (ReadAccount(login, quoted, current_at(h.begin))) {
      any_org = true;
    }
  }
  // A URL names an org by its host, and only when it is the org's own site
  // ("https://acme.com"), not a page on a platform ("twitter.com/someone").
  for (const Span& u : FindUrls(folded.text)) {
    masked.push_back(u);
    std::string host = SiteHost(std::string_view(folded.text).substr(u.begin, u.end - u.begin));
    if (const kb::OrgRef* ref = FindDomain(orgs_, host)) {
      Hit(ref->org, current_at(u.begin), Strength::kCompany, "company", folded.Source(input, u.begin, u.end), ref->loc);
      any_org = true;
    }
  }
  std::sort(masked.begin(), masked.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  // Commas and brackets do not split: names contain them ("University of
  // California, Berkeley"), and longest match keeps "X, Y" apart anyway.
  std::vector<text::Token> tokens = text::Tokenize(folded.text);
  std::vector<text::Token> kept;
  for (std::span<const text::Token> run : Runs(folded.text, tokens, masked, ";|/", &kept)) {
    for (const auto& m : orgs_.names.Scan(folded.text, run)) {
      size_t begin = run[m.first_token].begin;
      std::string_view quoted = folded.Source(input, begin, run[m.last_token - 1].end);
      uint32_t org;
      kb::Loc loc;
      if (PickOrg(m.values, "company", quoted, &org, &loc)) {
        Hit(org, current_at(begin), Strength::kCompany, "company", quoted, loc);
        any_org = true;
      }
    }
  }
  std::string non_org;
  Patterns(folded, input, "company", Strength::kCompany, nullptr, &any_org, &non_org);
  if (any_org || facts_.ambiguous_org) return;
  std::string key = text::PhraseKey(folded.text, tokens, 0, tokens.size());
  // Non-org words name no org only as the whole value: "Private" alone is a
  // placeholder, "… Private Limited" is a company we do not know.
  text::PhraseIndex::Values whole = orgs_.non_org_names.Find(key.empty() ? folded.text : key);
  if (!whole.empty()) {
    const kb::NonOrg& n = orgs_.non_orgs[whole.front()];
    facts_.notes.push_back({"company", input, kb_.files.Where(n.loc)});
    Trace([&] { return "company: '" + input + "' names no org: " + n.category + " [" + kb_.files.Where(n.loc) + "]"; });
    non_org = n.category;
  }
  // A field that is only a place ("Bangkok", "TOKYO", "Tokyo, Japan") says
  // where, not who. Parsed as a location only when it could be one: a single
  // place name, or a comma chain.
  bool could_be_place = !kb_.places.names.Find(key).empty() || folded.text.find(',') != std::string::npos;
  if (non_org.empty() && could_be_place) {
    LocationResult where = ResolveLocation(kb_, input, {}, nullptr);
    if (!where.places.empty() && !where.partial && !where.ambiguous && where.by_name) {
      facts_.notes.push_back({"company", input, where.places.front().evidence.front().rule});
      Trace([&] { return "company: '" + input + "' is a place, not an organization"; });
      non_org = "place";
    }
  }
  if (!non_org.empty()) {
    facts_.non_org = non_org;
    return;
  }
  // Last, a one-edit typo of a long name ("Renmin Univeristy of China"), mention
  // by mention, when it can mean only one org.
  bool corrected = false;
  for (std::span<const text::Token> run : Runs(folded.text, tokens, masked, ",;|/()", &kept)) {
    std::vector<uint32_t> refs = orgs_.fuzzy_names.OneEditFrom(text::PhraseKey(folded.text, run, 0, run.size()));
    if (refs.empty()) continue;
    uint32_t org = orgs_.name_refs[refs.front()].org;
    bool one_org = std::all_of(refs.begin(), refs.end(), [&](uint32_t r) { return orgs_.name_refs[r].org == org; });
    if (!one_org) continue;
    std::string_view quoted = folded.Source(input, run.front().begin, run.back().end);
    Trace([&] { return "company: '" + std::string(quoted) + "' is one edit from a name of " + IdOf(org); });
    Hit(org, true, Strength::kCompany, "company", quoted, orgs_.name_refs[refs.front()].loc);
    corrected = true;
  }
  if (!corrected && timeline.cues.empty() && ReadUnlisted(folded, tokens)) return;
  if (!corrected) {
    facts_.notes.push_back({"company", input, "unknown organization"});
    Trace([&] { return "company: '" + input + "' matches no rule"; });
  }
}

void OrgScanner::ScanBio() {
  const std::string& input = profile_.bio;
  if (input.empty()) return;
  text::Folded folded = text::Fold(input);
  const std::string& t = folded.text;
  Trace([&] { return "bio: folded '" + t + "'"; });
  Timeline timeline(orgs_, t, /*commas=*/false);
  std::vector<Span> handles = FindHandles(t);
  std::vector<Span> known;
  for (const Span& h : handles) {
    auto it = orgs_.handles.find(t.substr(h.begin + 1, h.end - h.begin - 1));
    if (it == orgs_.handles.end()) continue;
    bool cued;
    bool current = timeline.CurrentAt(h.begin, &cued);
    Hit(it->second.org, current, Strength::kBio, "bio", folded.Source(input, h.begin, h.end), it->second.loc);
    known.push_back(h);
  }
  std::vector<text::Token> kept;
  for (std::span<const text::Token> run : Runs(t, text::Tokenize(t), known, ";.!?\n", &kept)) {
    for (const auto& m : orgs_.names.Scan(t, run)) {
      size_t begin = run[m.first_token].begin;
      size_t end = run[m.last_token - 1].end;
      bool cued;
      bool current = timeline.CurrentAt(begin, &cued);
      // "MadSys@Tsinghua": a unit written against its org with '@' is an affiliation too.
      if (!cued && !(end < t.size() && t[end] == '@')) continue;
      std::string_view quoted = folded.Source(input, begin, end);
      uint32_t org;
      kb::Loc loc;
      if (PickOrg(m.values, "bio", quoted, &org, &loc)) Hit(org, current, Strength::kBio, "bio", quoted, loc);
    }
  }
  Patterns(folded, input, "bio", Strength::kBio, &timeline, nullptr, nullptr);
}

void OrgScanner::ScanBlog() {
  std::string host = SiteHost(profile_.blog);
  if (host.empty() || host.find('.') == std::string::npos) return;
  if (const kb::OrgRef* ref = FindDomain(orgs_, host)) {
    Hit(ref->org, true, Strength::kBlog, "blog", profile_.blog, ref->loc);
  }
}

}  // namespace

EmailFacts ScanEmails(const KnowledgeBase::Impl& kb, const Profile& profile,
                      std::vector<std::string>* trace) {
  EmailFacts facts;
  std::vector<std::pair<std::string, const char*>> emails;
  if (!profile.email.empty()) emails.emplace_back(text::AsciiLower(profile.email), "email");
  for (const std::string& e : profile.commit_emails) {
    std::string lower = text::AsciiLower(e);
    if (std::none_of(emails.begin(), emails.end(), [&](const auto& x) { return x.first == lower; })) {
      emails.emplace_back(lower, "commit_email");
    }
  }
  bool first = true;
  for (const auto& [email, field] : emails) {
    size_t at = email.rfind('@');
    bool main = first;
    first = false;
    if (at == std::string::npos || at + 1 >= email.size()) continue;
    std::string domain = email.substr(at + 1);
    while (!domain.empty() && domain.back() == '.') domain.pop_back();
    if (domain.empty() || domain.find('.') == std::string::npos) continue;
    if (domain == "users.noreply.github.com") continue;
    auto free = kb.orgs.free_mail.find(domain);
    if (free != kb.orgs.free_mail.end()) {
      std::string where = kb.files.Where(free->second.loc);
      if (trace) trace->push_back(std::string(field) + ": " + domain + " is free mail [" + where + "]");
      if (main) {
        facts.free_mail = true;
        facts.free_mail_evidence = {field, email, where};
        facts.free_mail_country = free->second.country;
      }
      continue;
    }
    if (const kb::OrgRef* ref = FindDomain(kb.orgs, domain)) {
      std::string where = kb.files.Where(ref->loc);
      if (trace) trace->push_back(std::string(field) + ": " + domain + " → " + kb.orgs.orgs[ref->org].id + " [" + where + "]");
      facts.hits.push_back({ref->org, true, Strength::kEmail, {field, email, where}});
    }
    // A ccTLD names its country (ISO 3166-1 alpha-2), except where the
    // gazetteer's tlds file says otherwise (".uk" is GB, ".io" is anyone).
    std::string tld = domain.substr(domain.rfind('.') + 1);
    std::string code;
    kb::Loc loc;
    auto listed = kb.places.tlds.find(tld);
    if (listed != kb.places.tlds.end()) {
      code = listed->second.first;
      loc = listed->second.second;
    } else if (tld.size() == 2) {
      std::string upper = {static_cast<char>(tld[0] - 32), static_cast<char>(tld[1] - 32)};
      if (const kb::PlaceRec* country = kb.places.Country(upper)) {
        code = upper;
        loc = country->loc;
      }
    }
    if (!code.empty() && std::find(facts.countries.begin(), facts.countries.end(), code) == facts.countries.end()) {
      facts.countries.push_back(code);
      facts.country_evidence.push_back({field, email, kb.files.Where(loc)});
    }
  }
  return facts;
}

OrgFacts ScanOrgs(const KnowledgeBase::Impl& kb, const Profile& profile,
                  const std::vector<std::string>& countries, std::vector<std::string>* trace) {
  return OrgScanner(kb, profile, countries, trace).Run();
}

}  // namespace affil::resolve
