#include "report/report.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace affil::report {
namespace {

constexpr long long kConcentrationMin = 2;

bool HasFlag(const affil::Resolution* r, std::string_view flag) {
  if (r == nullptr) return false;
  return std::find(r->flags.begin(), r->flags.end(), flag) != r->flags.end();
}

// Everything known about one counted person.
struct Person {
  const affil::Resolution* resolution = nullptr;
  std::set<std::string> logins;
  std::set<std::string> repos;  // non-empty repos only
  long long rows = 0;
  bool bot = false;
  std::set<std::string> self_codes;  // countries by self-reported location
  std::set<std::string> any_codes;   // self_codes plus an inferred primary country
  bool has_country = false;
};

void SetName(std::map<std::string, std::string>* names, const std::string& code,
             const std::string& name) {
  if (name.empty()) return;
  auto& slot = (*names)[code];
  if (slot.empty()) slot = name;
}

// Country codes for a person, plus the display names seen for them.
void Locate(Person* p, std::map<std::string, std::string>* names) {
  const affil::Resolution* r = p->resolution;
  if (r == nullptr || !r->country.has_value() || r->country->code.empty()) return;
  const affil::Country& c = *r->country;
  p->has_country = true;
  SetName(names, c.code, c.name);
  if (c.basis == "location") {
    p->self_codes.insert(c.code);
    for (const affil::Place& place : r->places) {
      if (place.code.empty()) continue;
      p->self_codes.insert(place.code);
      SetName(names, place.code, place.name);
    }
  }
  p->any_codes = p->self_codes;
  p->any_codes.insert(c.code);
}

struct OrgInfo {
  std::string id, name, kind, group, group_name;
  bool declared = false;  // the profile itself (company field, bio) or a curator says so
};

bool Declared(const affil::OrgAffiliation& o) {
  for (const affil::Evidence& e : o.evidence) {
    if (e.field == "company" || e.field == "bio" || e.field == "override") return true;
  }
  return false;
}

// Current orgs of a person, one per id, in resolution order.
std::vector<OrgInfo> CurrentOrgs(const affil::Resolution* r) {
  std::vector<OrgInfo> out;
  if (r == nullptr) return out;
  std::set<std::string> seen;
  for (const affil::OrgAffiliation& o : r->orgs) {
    if (!o.current || o.id.empty() || !seen.insert(o.id).second) continue;
    OrgInfo info{o.id, o.name, o.kind.empty() ? "unknown" : o.kind, o.group, o.group_name, Declared(o)};
    if (info.group.empty()) {
      info.group = o.id;
      if (info.group_name.empty()) info.group_name = o.name;
    }
    if (info.group_name.empty()) info.group_name = info.group;
    if (info.name.empty()) info.name = info.id;
    out.push_back(std::move(info));
  }
  return out;
}

std::set<std::string> GroupsOf(const std::vector<OrgInfo>& orgs, bool declared_only = false) {
  std::set<std::string> groups;
  for (const OrgInfo& o : orgs) {
    if (o.declared || !declared_only) groups.insert(o.group);
  }
  return groups;
}

}  // namespace

Report Compute(const std::vector<Row>& rows, const Options& options) {
  Report report;
  Summary& s = report.summary;

  // Pass 1: people. std::map keeps every later walk in person-id order.
  std::map<std::string, Person> people;
  for (const Row& row : rows) {
    ++s.input_rows;
    if (row.error) {
      ++s.error_rows;
      continue;
    }
    Person& p = people[row.person.empty() ? row.login : row.person];
    if (p.resolution == nullptr) p.resolution = row.resolution;
  }
  for (auto& [id, p] : people) p.bot = HasFlag(p.resolution, "bot");

  // Pass 2: rows of included people.
  struct RepoAcc {
    long long rows = 0, merged_prs = 0;
    std::set<std::string> people;
  };
  std::map<std::string, RepoAcc> repos;
  std::set<std::string> bots;
  for (const Row& row : rows) {
    if (row.error) continue;
    const std::string& id = row.person.empty() ? row.login : row.person;
    Person& p = people[id];
    if (p.bot && !options.include_bots) {
      ++s.bot_rows_excluded;
      bots.insert(id);
      continue;
    }
    ++s.rows;
    ++p.rows;
    if (!row.login.empty()) p.logins.insert(row.login);
    if (!row.repo.empty()) {
      p.repos.insert(row.repo);
      RepoAcc& acc = repos[row.repo];
      ++acc.rows;
      acc.merged_prs += row.merged_prs;
      acc.people.insert(id);
    }
  }
  s.bots_excluded = static_cast<long long>(bots.size());
  for (const std::string& id : bots) people.erase(id);

  // Pass 3: per-person aggregates.
  std::map<std::string, std::string> country_names;
  std::map<std::string, CountryLine> countries;
  std::map<std::string, OrgLine> orgs;
  std::map<std::string, GroupLine> groups;
  std::map<std::string, std::pair<long long, long long>> kinds;  // (people, declared)
  std::map<std::string, std::vector<OrgInfo>> person_orgs;
  for (auto& [id, p] : people) {
    ++s.people;
    Locate(&p, &country_names);
    if (p.has_country) ++s.people_with_country;
    if (!p.self_codes.empty()) ++s.people_self_reported_country;
    for (const std::string& code : p.self_codes) {
      CountryLine& line = countries[code];
      line.rows += p.rows;
      ++line.people;
    }
    for (const std::string& code : p.any_codes) ++countries[code].people_incl_inferred;

    std::vector<OrgInfo> current = CurrentOrgs(p.resolution);
    if (!current.empty()) ++s.people_with_current_org;
    std::set<std::string> seen_kinds, declared_kinds;
    for (const OrgInfo& o : current) {
      OrgLine& line = orgs[o.id];
      if (line.id.empty()) line = {o.id, o.name, o.kind, o.group, o.group_name, 0, 0, 0};
      ++line.people;
      line.people_declared += o.declared;
      line.rows += p.rows;
      seen_kinds.insert(o.kind);
      if (o.declared) declared_kinds.insert(o.kind);
      GroupLine& g = groups[o.group];
      if (g.id.empty()) g = {o.group, o.group_name, 0, 0, 0};
    }
    for (const std::string& g : GroupsOf(current)) {
      ++groups[g].people;
      groups[g].rows += p.rows;
    }
    for (const std::string& g : GroupsOf(current, true)) ++groups[g].people_declared;
    for (const std::string& k : seen_kinds) ++kinds[k].first;
    for (const std::string& k : declared_kinds) ++kinds[k].second;
    person_orgs[id] = std::move(current);
  }

  for (auto& [code, line] : countries) {
    line.code = code;
    line.name = country_names[code];
    report.countries.push_back(line);
  }
  std::sort(report.countries.begin(), report.countries.end(),
            [](const CountryLine& a, const CountryLine& b) {
              if (a.people != b.people) return a.people > b.people;
              if (a.rows != b.rows) return a.rows > b.rows;
              return a.code < b.code;
            });

  for (auto& [id, line] : orgs) report.organizations.push_back(line);
  std::stable_sort(report.organizations.begin(), report.organizations.end(),
                   [](const OrgLine& a, const OrgLine& b) { return a.people > b.people; });
  for (auto& [id, line] : groups) report.groups.push_back(line);
  std::stable_sort(report.groups.begin(), report.groups.end(),
                   [](const GroupLine& a, const GroupLine& b) { return a.people > b.people; });
  for (auto& [kind, n] : kinds) report.kinds.push_back({kind, n.first, n.second});
  std::stable_sort(report.kinds.begin(), report.kinds.end(),
                   [](const KindLine& a, const KindLine& b) { return a.people > b.people; });

  // Repositories.
  for (auto& [name, acc] : repos) {
    RepoLine line;
    line.repo = name;
    line.rows = acc.rows;
    line.people = static_cast<long long>(acc.people.size());
    line.merged_prs = acc.merged_prs;
    std::map<std::string, long long> by_country;
    std::map<std::string, long long> by_group;
    for (const std::string& id : acc.people) {
      const Person& p = people.at(id);
      if (p.has_country) ++line.people_with_country;
      for (const std::string& code : p.any_codes) ++by_country[code];
      for (const std::string& g : GroupsOf(person_orgs[id])) ++by_group[g];
    }
    for (auto& [code, n] : by_country) line.top_countries.emplace_back(code, n);
    std::stable_sort(line.top_countries.begin(), line.top_countries.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (line.top_countries.size() > options.top_countries) {
      line.top_countries.resize(options.top_countries);
    }
    for (auto& [g, n] : by_group) {
      if (n >= kConcentrationMin) line.concentration.push_back({g, groups.at(g).name, n});
    }
    std::stable_sort(line.concentration.begin(), line.concentration.end(),
                     [](const Concentration& a, const Concentration& b) {
                       return a.people > b.people;
                     });
    report.repositories.push_back(std::move(line));
  }
  std::stable_sort(report.repositories.begin(), report.repositories.end(),
                   [](const RepoLine& a, const RepoLine& b) {
                     if (a.people != b.people) return a.people > b.people;
                     return a.rows > b.rows;
                   });

  // Overlaps.
  std::map<std::pair<std::string, std::string>, long long> pairs;
  for (const auto& [id, p] : people) {
    if (p.repos.size() < 2) continue;
    report.overlaps.push_back({id, {p.logins.begin(), p.logins.end()},
                               {p.repos.begin(), p.repos.end()}});
    for (auto a = p.repos.begin(); a != p.repos.end(); ++a) {
      for (auto b = std::next(a); b != p.repos.end(); ++b) ++pairs[{*a, *b}];
    }
  }
  std::stable_sort(report.overlaps.begin(), report.overlaps.end(),
                   [](const Overlap& a, const Overlap& b) {
                     return a.repos.size() > b.repos.size();
                   });
  for (const auto& [ab, n] : pairs) report.repo_pairs.push_back({ab.first, ab.second, n});
  std::stable_sort(report.repo_pairs.begin(), report.repo_pairs.end(),
                   [](const RepoPair& a, const RepoPair& b) { return a.people > b.people; });
  return report;
}

// ---------------------------------------------------------------------------
// Markdown

namespace {

std::string Cell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '|') {
      out += "\\|";
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

// Appends a table; `right` marks right-aligned (numeric) columns.
void Table(std::string* out, const std::vector<std::string>& header, const std::vector<bool>& right,
           const std::vector<std::vector<std::string>>& body) {
  if (body.empty()) {
    *out += "None.\n\n";
    return;
  }
  *out += "|";
  for (const std::string& h : header) *out += " " + Cell(h) + " |";
  *out += "\n|";
  for (bool r : right) *out += r ? "---:|" : "---|";
  *out += "\n";
  for (const auto& row : body) {
    *out += "|";
    for (const std::string& c : row) *out += " " + Cell(c) + " |";
    *out += "\n";
  }
  *out += "\n";
}

std::string N(long long n) { return std::to_string(n); }

std::string TopCountries(const RepoLine& r) {
  std::vector<std::string> parts;
  for (const auto& [code, n] : r.top_countries) parts.push_back(code + " " + N(n));
  return Join(parts, ", ");
}

std::string Concentrations(const RepoLine& r) {
  std::vector<std::string> parts;
  for (const Concentration& c : r.concentration) parts.push_back(c.name + " " + N(c.people));
  return Join(parts, ", ");
}

}  // namespace

std::string RenderMarkdown(const Report& report) {
  const Summary& s = report.summary;
  std::string out = "# Contributor affiliations\n\n## Summary\n\n";
  Table(&out, {"", "count"}, {false, true},
        {{"input rows", N(s.input_rows)},
         {"malformed rows", N(s.error_rows)},
         {"rows counted", N(s.rows)},
         {"people", N(s.people)},
         {"bots excluded (people)", N(s.bots_excluded)},
         {"bots excluded (rows)", N(s.bot_rows_excluded)},
         {"people with a self-reported country", N(s.people_self_reported_country)},
         {"people with a country (incl. inferred)", N(s.people_with_country)},
         {"people with a current organization", N(s.people_with_current_org)}});

  out += "## Countries\n\n";
  std::vector<std::vector<std::string>> body;
  for (const CountryLine& c : report.countries) {
    body.push_back({c.code, c.name, N(c.rows), N(c.people), N(c.people_incl_inferred)});
  }
  Table(&out, {"code", "country", "rows", "people", "people incl. inferred"},
        {false, false, true, true, true}, body);
  if (!body.empty()) {
    out +=
        "Rows and people are counted by self-reported location, under every country the "
        "location names (\"Champaign; Hangzhou\" counts under both US and CN), so a column can "
        "add up to more than the total. \"people incl. inferred\" also counts people whose "
        "country was inferred from an e-mail, institution or time zone.\n\n";
  }

  out += "## Organizations\n\nCurrent affiliations only.\n\n";
  body.clear();
  for (const OrgLine& o : report.organizations) {
    body.push_back({o.id, o.name, o.kind, o.group_name, N(o.people_declared), N(o.people), N(o.rows)});
  }
  Table(&out, {"org", "name", "kind", "group", "people (profile)", "people (all evidence)", "rows"},
        {false, false, false, false, true, true, true}, body);
  if (!body.empty()) {
    out += "\"people (profile)\" counts what the profile itself says (company field, bio) or a "
           "curator's override, as a reader of the profile would; \"all evidence\" adds e-mail "
           "and website domains. \"rows\" are the contribution rows of all those people. Ids "
           "`name:…` and `github:…` are organizations no rule lists, known by a name that ends "
           "like one (\"… Ltd\", \"… Technologies\") or by the GitHub account a company "
           "`@handle` names.\n\n";
  }

  out += "## Groups\n\n";
  body.clear();
  for (const GroupLine& g : report.groups) body.push_back({g.id, g.name, N(g.people_declared), N(g.people), N(g.rows)});
  Table(&out, {"group", "name", "people (profile)", "people (all evidence)", "rows"}, {false, false, true, true, true}, body);

  out += "## Kinds\n\n";
  body.clear();
  for (const KindLine& k : report.kinds) body.push_back({k.kind, N(k.people_declared), N(k.people)});
  Table(&out, {"kind", "people (profile)", "people (all evidence)"}, {false, true, true}, body);

  out += "## Repositories\n\n";
  body.clear();
  for (const RepoLine& r : report.repositories) {
    body.push_back({r.repo, N(r.rows), N(r.people), N(r.merged_prs), N(r.people_with_country),
                    TopCountries(r), Concentrations(r)});
  }
  Table(&out,
        {"repo", "rows", "people", "merged PRs", "with country", "top countries",
         "org groups with 2+ people"},
        {false, true, true, true, true, false, false}, body);

  out += "## Overlaps\n\nPeople with rows in two or more repositories.\n\n";
  body.clear();
  for (const Overlap& o : report.overlaps) {
    body.push_back({o.person, Join(o.logins, ", "), Join(o.repos, ", ")});
  }
  Table(&out, {"person", "logins", "repos"}, {false, false, false}, body);
  if (!report.repo_pairs.empty()) {
    out += "### Repository pairs\n\n";
    body.clear();
    for (const RepoPair& p : report.repo_pairs) body.push_back({p.a, p.b, N(p.people)});
    Table(&out, {"repo A", "repo B", "shared people"}, {false, false, true}, body);
  }
  out.pop_back();  // one trailing newline, not a blank line
  return out;
}

// ---------------------------------------------------------------------------
// JSON and CSV: one description of every line, rendered both ways

namespace {

// CSV columns: every table shares one header, each line filling its columns.
enum Col {
  kTable, kKey, kKey2, kName, kKind, kGroup, kValue, kRows, kPeople, kPeopleInclInferred,
  kPeopleDeclared, kMergedPrs, kPeopleWithCountry, kLogins, kRepos, kNumCols,
  kJsonOnly = kNumCols
};

constexpr const char* kCsvHeader[kNumCols] = {
    "table", "key",   "key2",   "name",   "kind",       "group",         "value",
    "rows",  "people", "people_incl_inferred", "people_declared", "merged_prs", "people_with_country",
    "logins", "repos"};

// One field of a report line: its JSON member name, its CSV column (kJsonOnly:
// not in CSV) and its value; a list is a JSON array and a ';'-joined CSV cell.
struct Field {
  const char* json;
  Col csv;
  std::variant<std::string, long long, std::vector<std::string>> value;
};
using Fields = std::vector<Field>;

Fields FieldsOf(const CountryLine& c) {
  return {{"code", kKey, c.code}, {"name", kName, c.name}, {"rows", kRows, c.rows},
          {"people", kPeople, c.people}, {"people_incl_inferred", kPeopleInclInferred, c.people_incl_inferred}};
}
Fields FieldsOf(const OrgLine& o) {
  return {{"id", kKey, o.id},         {"name", kName, o.name},
          {"kind", kKind, o.kind},    {"group", kGroup, o.group},
          {"group_name", kJsonOnly, o.group_name}, {"people", kPeople, o.people},
          {"people_declared", kPeopleDeclared, o.people_declared}, {"rows", kRows, o.rows}};
}
Fields FieldsOf(const GroupLine& g) {
  return {{"id", kKey, g.id}, {"name", kName, g.name}, {"people", kPeople, g.people},
          {"people_declared", kPeopleDeclared, g.people_declared}, {"rows", kRows, g.rows}};
}
Fields FieldsOf(const KindLine& k) {
  return {{"kind", kKey, k.kind}, {"people", kPeople, k.people}, {"people_declared", kPeopleDeclared, k.people_declared}};
}
Fields FieldsOf(const RepoLine& r) {  // the flat part; its countries and groups are lines of their own
  return {{"repo", kKey, r.repo}, {"rows", kRows, r.rows}, {"people", kPeople, r.people},
          {"merged_prs", kMergedPrs, r.merged_prs}, {"people_with_country", kPeopleWithCountry, r.people_with_country}};
}
Fields FieldsOf(const std::pair<std::string, long long>& top_country) {
  return {{"code", kKey2, top_country.first}, {"people", kPeople, top_country.second}};
}
Fields FieldsOf(const Concentration& c) {
  return {{"group", kKey2, c.group}, {"name", kName, c.name}, {"people", kPeople, c.people}};
}
Fields FieldsOf(const Overlap& o) {
  return {{"person", kKey, o.person}, {"logins", kLogins, o.logins}, {"repos", kRepos, o.repos}};
}
Fields FieldsOf(const RepoPair& p) {
  return {{"a", kKey, p.a}, {"b", kKey2, p.b}, {"people", kPeople, p.people}};
}
std::vector<std::pair<const char*, long long>> SummaryFields(const Summary& s) {
  return {{"input_rows", s.input_rows},
          {"error_rows", s.error_rows},
          {"rows", s.rows},
          {"people", s.people},
          {"bots_excluded", s.bots_excluded},
          {"bot_rows_excluded", s.bot_rows_excluded},
          {"people_self_reported_country", s.people_self_reported_country},
          {"people_with_country", s.people_with_country},
          {"people_with_current_org", s.people_with_current_org}};
}

using J = nlohmann::ordered_json;

J JsonOf(const Fields& fields) {
  J object = J::object();
  for (const Field& f : fields) std::visit([&](const auto& v) { object[f.json] = v; }, f.value);
  return object;
}

template <typename Line>
J JsonArray(const std::vector<Line>& lines) {
  J array = J::array();
  for (const Line& line : lines) array.push_back(JsonOf(FieldsOf(line)));
  return array;
}

std::string CsvField(std::string_view f) {
  if (f.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(f);
  std::string out = "\"";
  for (char c : f) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

class CsvWriter {
 public:
  CsvWriter() { Line(std::vector<std::string>(kCsvHeader, kCsvHeader + kNumCols)); }
  // One line of `table`: `key` (when not empty) then `fields` in their columns.
  void Add(const std::string& table, const Fields& fields, const std::string& key = "") {
    std::vector<std::string> record(kNumCols);
    record[kTable] = table;
    if (!key.empty()) record[kKey] = key;
    for (const Field& f : fields) {
      if (f.csv == kJsonOnly) continue;
      std::visit([&](const auto& v) { record[f.csv] = Cell(v); }, f.value);
    }
    Line(record);
  }
  std::string Take() { return std::move(out_); }

 private:
  static std::string Cell(const std::string& v) { return v; }
  static std::string Cell(long long v) { return std::to_string(v); }
  static std::string Cell(const std::vector<std::string>& v) { return Join(v, ";"); }
  void Line(const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out_ += ',';
      out_ += CsvField(fields[i]);
    }
    out_ += "\r\n";
  }
  std::string out_;
};

}  // namespace

std::string RenderJson(const Report& report) {
  J j;
  J summary = J::object();
  for (const auto& [key, value] : SummaryFields(report.summary)) summary[key] = value;
  j["summary"] = std::move(summary);
  j["countries"] = JsonArray(report.countries);
  j["organizations"] = JsonArray(report.organizations);
  j["groups"] = JsonArray(report.groups);
  j["kinds"] = JsonArray(report.kinds);
  J repos = J::array();
  for (const RepoLine& r : report.repositories) {
    J repo = JsonOf(FieldsOf(r));
    repo["top_countries"] = JsonArray(r.top_countries);
    repo["concentration"] = JsonArray(r.concentration);
    repos.push_back(std::move(repo));
  }
  j["repositories"] = std::move(repos);
  j["overlaps"] = JsonArray(report.overlaps);
  j["repo_pairs"] = JsonArray(report.repo_pairs);
  return j.dump(2, ' ', false, J::error_handler_t::replace) + "\n";
}

std::string RenderCsv(const Report& report) {
  CsvWriter w;
  for (const auto& [key, value] : SummaryFields(report.summary)) w.Add("summary", {{"value", kValue, value}}, key);
  for (const CountryLine& c : report.countries) w.Add("countries", FieldsOf(c));
  for (const OrgLine& o : report.organizations) w.Add("organizations", FieldsOf(o));
  for (const GroupLine& g : report.groups) w.Add("groups", FieldsOf(g));
  for (const KindLine& k : report.kinds) w.Add("kinds", FieldsOf(k));
  for (const RepoLine& r : report.repositories) w.Add("repositories", FieldsOf(r));
  for (const RepoLine& r : report.repositories) {
    for (const auto& top : r.top_countries) w.Add("repository_countries", FieldsOf(top), r.repo);
  }
  for (const RepoLine& r : report.repositories) {
    for (const Concentration& c : r.concentration) w.Add("concentration", FieldsOf(c), r.repo);
  }
  for (const Overlap& o : report.overlaps) w.Add("overlaps", FieldsOf(o));
  for (const RepoPair& p : report.repo_pairs) w.Add("repo_pairs", FieldsOf(p));
  return w.Take();
}

}  // namespace affil::report
