// Resolve(): combines what place.h and org.h find in each identity of a person
// into one Resolution, strongest evidence first (DESIGN.md, "Evidence").
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "affil.h"
#include "text/text.h"
#include "kb/kb.h"
#include "resolve/org.h"
#include "resolve/place.h"

namespace affil {
namespace {

using resolve::OrgHit;
using resolve::Strength;

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void AddUnique(std::vector<std::string>* list, const std::string& value) {
  if (!value.empty() && std::find(list->begin(), list->end(), value) == list->end()) list->push_back(value);
}

struct Collected {
  std::vector<OrgHit> hits;
  std::vector<OrgAffiliation> unlisted;  // orgs the knowledge base does not list (OrgFacts::unlisted)
  std::vector<resolve::LocatedPlace> places;
  double place_confidence = 0;
  std::vector<std::pair<std::string, Evidence>> email_countries;
  std::pair<std::string, Evidence> free_mail_country;
  std::set<std::string> flags;
  std::vector<Evidence> notes;
  const kb::Override* override = nullptr;
  std::string non_org;
  std::vector<std::string> timezone_countries;  // keep the offset most commits carry
  Evidence timezone_evidence;
};

// The UTC offset most of `offsets` carry (the earliest on a tie), as "+0800".
int ModalOffset(const std::vector<int>& offsets, std::string* shown) {
  std::map<int, int> counts;
  for (int o : offsets) ++counts[o];
  auto best = std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  char buf[16];  // room for any int, though offsets stay within ±14 hours
  int m = std::abs(best->first);
  std::snprintf(buf, sizeof buf, "%c%02d%02d", best->first < 0 ? '-' : '+', m / 60, m % 60);
  *shown = buf;
  return best->first;
}

void CollectIdentity(const KnowledgeBase::Impl& kb, const Profile& p, Collected* c,
                     std::vector<std::string>* trace) {
  std::string login = text::AsciiLower(p.login);
  auto bot = kb.orgs.bots.find(login);
  if (EndsWith(login, "[bot]") || p.type == "Bot" || bot != kb.orgs.bots.end()) {
    c->flags.insert("bot");
    c->notes.push_back({"login", p.login, bot != kb.orgs.bots.end() ? kb.files.Where(bot->second)
                                                                     : (p.type == "Bot" ? "type: Bot" : "[bot] suffix")});
  }
  if (!c->override) {
    auto o = kb.orgs.overrides_by_login.find(login);
    if (o != kb.orgs.overrides_by_login.end()) c->override = &o->second;
    o = kb.orgs.overrides_by_email.find(text::AsciiLower(p.email));
    if (!c->override && !p.email.empty() && o != kb.orgs.overrides_by_email.end()) c->override = &o->second;
  }
  resolve::EmailFacts emails = resolve::ScanEmails(kb, p, trace);
  for (size_t i = 0; i < emails.countries.size(); ++i) c->email_countries.emplace_back(emails.countries[i], emails.country_evidence[i]);
  if (emails.free_mail) {
    c->flags.insert("free_mail");
    if (!emails.free_mail_country.empty() && c->free_mail_country.first.empty()) {
      c->free_mail_country = {emails.free_mail_country, emails.free_mail_evidence};
    }
  }
  c->hits.insert(c->hits.end(), emails.hits.begin(), emails.hits.end());

  if (!p.commit_offsets.empty() && c->timezone_countries.empty()) {
    std::string shown;
    auto zone = kb.places.countries_at_offset.find(ModalOffset(p.commit_offsets, &shown));
    if (zone != kb.places.countries_at_offset.end()) {
      c->timezone_countries = zone->second;
      c->timezone_evidence = {"commit_timezones", shown, "ICU time-zone database"};
      if (trace) trace->push_back("commit_timezones: " + shown + " is kept by " + std::to_string(zone->second.size()) + " countries");
    }
  }
  std::vector<std::string> context = emails.countries;
  for (const OrgHit& h : emails.hits) AddUnique(&context, kb.orgs.orgs[h.org].country);
  // The commits' time zone is the weakest context: only when nothing else speaks.
  if (context.empty()) context = c->timezone_countries;
  resolve::LocationResult where = resolve::ResolveLocation(kb, p.location, context, trace);
  std::vector<std::string> countries = context;
  for (const auto& lp : where.places) AddUnique(&countries, lp.place.code);
  resolve::OrgFacts orgs = resolve::ScanOrgs(kb, p, countries, trace);
  if (where.ambiguous) {
    // The location alone could not say; the organizations' seats may.
    std::vector<std::string> more = context;
    for (const OrgHit& h : orgs.hits) AddUnique(&more, kb.orgs.orgs[h.org].country);
    if (more.size() > context.size()) {
      if (trace) trace->push_back("location: retrying with the organizations' countries as context");
      where = resolve::ResolveLocation(kb, p.location, more, trace);
    }
  }
  if (where.non_place) c->flags.insert("non_place");
  if (where.ambiguous) c->flags.insert("ambiguous_place");
  c->notes.insert(c->notes.end(), where.notes.begin(), where.notes.end());
  if (c->places.empty() && !where.places.empty()) {
    c->places = std::move(where.places);
    c->place_confidence = where.confidence;
  }
  c->hits.insert(c->hits.end(), orgs.hits.begin(), orgs.hits.end());
  for (OrgAffiliation& a : orgs.unlisted) {
    auto same = std::find_if(c->unlisted.begin(), c->unlisted.end(), [&](const OrgAffiliation& u) { return u.id == a.id; });
    if (same == c->unlisted.end()) c->unlisted.push_back(std::move(a));
    else same->current = same->current || a.current;
  }
  if (!orgs.non_org.empty()) {
    c->flags.insert("non_org");
    if (c->non_org.empty()) c->non_org = orgs.non_org;
  }
  if (orgs.ambiguous_org) c->flags.insert("ambiguous_org");
  c->notes.insert(c->notes.end(), orgs.notes.begin(), orgs.notes.end());
}

OrgAffiliation MakeAffiliation(const kb::OrgKb& orgs, uint32_t index) {
  const kb::Org& o = orgs.orgs[index];
  const kb::Org& group = orgs.orgs[o.group >= 0 ? o.group : index];
  OrgAffiliation a;
  a.id = o.id;
  a.name = o.name;
  a.kind = o.kind;
  a.group = group.id;
  a.group_name = group.name;
  return a;
}

void BuildOrgs(const KnowledgeBase::Impl& kb, Collected* c, Resolution* r,
               std::vector<std::string>* trace) {
  struct Entry {
    bool current = false;
    Strength strength = Strength::kBlog;
    std::vector<Evidence> evidence;
  };
  std::map<uint32_t, Entry> entries;
  std::set<uint32_t> overridden;
  if (const kb::Override* o = c->override) {
    Evidence e{"override", o->note + " (" + o->date + ")", kb.files.Where(o->loc)};
    for (uint32_t org : o->orgs) {
      entries[org] = {true, Strength::kOverride, {e}};
      overridden.insert(org);
    }
    for (uint32_t org : o->past) {
      entries[org] = {false, Strength::kOverride, {e}};
      overridden.insert(org);
    }
    r->flags.push_back("override");
    if (trace) trace->push_back("override: " + e.rule + ": " + o->note);
  }
  // An override that names current orgs replaces every other current company;
  // what it replaces stays in the notes.
  bool replaces_companies = c->override && !c->override->orgs.empty();
  auto supersede = [&](const Evidence& e, const std::string& id) {
    c->notes.push_back({e.field, e.text, "superseded by override " + kb.files.Where(c->override->loc)});
    if (trace) trace->push_back("decision: " + id + " from " + e.field + " is superseded by the override");
  };
  for (const OrgHit& h : c->hits) {
    if (overridden.count(h.org)) {
      entries[h.org].evidence.push_back(h.evidence);
      continue;
    }
    if (replaces_companies && h.current && kb.orgs.orgs[h.org].kind == "company") {
      supersede(h.evidence, kb.orgs.orgs[h.org].id);
      continue;
    }
    Entry& e = entries[h.org];
    if (e.evidence.empty() || h.strength < e.strength) e.strength = h.strength;
    e.current = e.current || h.current;
    bool seen = std::any_of(e.evidence.begin(), e.evidence.end(), [&](const Evidence& x) {
      return x.field == h.evidence.field && x.text == h.evidence.text;
    });
    if (!seen) e.evidence.push_back(h.evidence);
  }
  std::vector<std::pair<uint32_t, Entry>> sorted(entries.begin(), entries.end());
  std::stable_sort(sorted.begin(), sorted.end(), [&](const auto& a, const auto& b) {
    if (a.second.current != b.second.current) return a.second.current;
    if (a.second.strength != b.second.strength) return a.second.strength < b.second.strength;
    return kb.orgs.orgs[a.first].id < kb.orgs.orgs[b.first].id;
  });
  // Two different employers, one from an e-mail domain and one from the
  // company field, disagree: say so rather than pick silently.
  std::set<std::string> email_groups, company_groups;
  for (const auto& [index, entry] : sorted) {
    OrgAffiliation a = MakeAffiliation(kb.orgs, index);
    a.current = entry.current;
    a.evidence = entry.evidence;
    if (a.current && a.kind == "company") {
      for (const Evidence& e : a.evidence) {
        if (e.field == "email" || e.field == "commit_email") email_groups.insert(a.group);
        if (e.field == "company") company_groups.insert(a.group);
      }
    }
    if (trace) trace->push_back(std::string("decision: ") + (a.current ? "current " : "past ") + a.id + " (" + a.kind + ", group " + a.group + ")");
    r->orgs.push_back(std::move(a));
  }
  // Orgs the knowledge base does not list come after the ones it lists,
  // current first; an override's current orgs replace them too.
  std::stable_sort(c->unlisted.begin(), c->unlisted.end(),
                   [](const OrgAffiliation& a, const OrgAffiliation& b) { return a.current && !b.current; });
  for (OrgAffiliation& a : c->unlisted) {
    if (replaces_companies && a.current) {
      supersede(a.evidence.front(), a.id);
      continue;
    }
    if (trace) trace->push_back(std::string("decision: ") + (a.current ? "current " : "past ") + a.id + " (an org the knowledge base does not list)");
    r->orgs.push_back(std::move(a));
  }
  if (!email_groups.empty() && !company_groups.empty()) {
    bool overlap = std::any_of(email_groups.begin(), email_groups.end(), [&](const std::string& g) { return company_groups.count(g) > 0; });
    if (!overlap) r->flags.push_back("conflict");
  }
}

void BuildCountry(const KnowledgeBase::Impl& kb, const Collected& c, Resolution* r,
                  std::vector<std::string>* trace) {
  for (const resolve::LocatedPlace& lp : c.places) r->places.push_back(lp.place);
  if (c.places.size() > 1) r->flags.push_back("several_places");
  auto make = [&](const std::string& code, const char* basis, double confidence, std::vector<Evidence> evidence) {
    Country country;
    country.code = code;
    const kb::PlaceRec* rec = kb.places.Country(code);
    country.name = rec ? rec->name : code;
    country.basis = basis;
    country.confidence = confidence;
    country.evidence = std::move(evidence);
    if (trace) trace->push_back("decision: country " + code + " by " + basis);
    return country;
  };
  if (c.override && !c.override->country.empty()) {
    r->country = make(c.override->country, "override", 1.0,
                      {{"override", c.override->note, kb.files.Where(c.override->loc)}});
    return;
  }
  if (!c.places.empty()) {
    const resolve::LocatedPlace& primary = c.places.front();
    r->country = make(primary.place.code, "location", c.place_confidence, primary.evidence);
    r->country->subdivision = primary.place.subdivision;
    r->country->city = primary.place.city;
    return;
  }
  if (!c.email_countries.empty()) {
    r->country = make(c.email_countries.front().first, "email", 0.6, {c.email_countries.front().second});
    return;
  }
  for (const OrgAffiliation& a : r->orgs) {
    if (!a.current || !a.listed || (a.kind != "university" && a.kind != "institute" && a.kind != "government")) continue;
    const kb::Org& o = kb.orgs.orgs[kb.orgs.by_id.at(a.id)];
    if (o.country.empty()) continue;
    r->country = make(o.country, "institution", 0.5, {{"org", a.name, kb.files.Where(o.loc)}});
    return;
  }
  const std::vector<std::string>& zone = c.timezone_countries;
  if (!c.free_mail_country.first.empty()) {
    // A Chinese free-mail address is weak evidence; commits in China's time zone make it less weak.
    bool agrees = std::find(zone.begin(), zone.end(), c.free_mail_country.first) != zone.end();
    std::vector<Evidence> evidence = {c.free_mail_country.second};
    if (agrees) evidence.push_back(c.timezone_evidence);
    r->country = make(c.free_mail_country.first, "email", agrees ? 0.4 : 0.3, evidence);
    return;
  }
  if (zone.size() == 1) r->country = make(zone.front(), "timezone", 0.2, {c.timezone_evidence});
}

}  // namespace

Resolution Resolve(const KnowledgeBase& knowledge, const std::vector<const Profile*>& identities,
                   std::vector<std::string>* trace) {
  const KnowledgeBase::Impl& kb = knowledge.impl();
  Collected c;
  for (const Profile* p : identities) {
    if (trace && identities.size() > 1) trace->push_back("identity: " + p->login);
    CollectIdentity(kb, *p, &c, trace);
  }
  Resolution r;
  BuildOrgs(kb, &c, &r, trace);
  BuildCountry(kb, c, &r, trace);
  r.flags.insert(r.flags.end(), c.flags.begin(), c.flags.end());
  std::sort(r.flags.begin(), r.flags.end());
  r.flags.erase(std::unique(r.flags.begin(), r.flags.end()), r.flags.end());
  r.notes = std::move(c.notes);
  r.non_org = std::move(c.non_org);
  return r;
}

}  // namespace affil
