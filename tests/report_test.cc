// Tests for affil::report with hand-built Resolutions (no knowledge base).
#include "report/report.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using affil::Country;
using affil::OrgAffiliation;
using affil::Place;
using affil::Resolution;
using affil::report::Compute;
using affil::report::Options;
using affil::report::Report;
using affil::report::Row;

Country C(std::string code, std::string name, std::string basis) {
  Country c;
  c.code = std::move(code);
  c.name = std::move(name);
  c.basis = std::move(basis);
  c.confidence = c.basis == "location" ? 0.9 : 0.5;
  return c;
}

Place P(std::string code, std::string name) {
  Place p;
  p.code = std::move(code);
  p.name = std::move(name);
  return p;
}

OrgAffiliation O(std::string id, std::string name, std::string kind, std::string group = "",
                 std::string group_name = "", bool current = true) {
  OrgAffiliation o;
  o.id = std::move(id);
  o.name = std::move(name);
  o.kind = std::move(kind);
  o.group = std::move(group);
  o.group_name = std::move(group_name);
  o.current = current;
  o.evidence.push_back({"company", o.name, "test"});
  return o;
}

// The same org known only from an e-mail domain.
OrgAffiliation FromEmail(OrgAffiliation o) {
  o.evidence = {{"email", "someone@example.com", "test"}};
  return o;
}

// Owns Resolutions with stable addresses and builds Rows pointing at them.
struct Fixture {
  std::deque<Resolution> resolutions;
  std::vector<Row> rows;

  const Resolution* Add(std::optional<Country> country, std::vector<Place> places = {},
                        std::vector<OrgAffiliation> orgs = {}, std::vector<std::string> flags = {}) {
    Resolution r;
    r.country = std::move(country);
    r.places = std::move(places);
    r.orgs = std::move(orgs);
    r.flags = std::move(flags);
    resolutions.push_back(std::move(r));
    return &resolutions.back();
  }
  void AddRow(std::string login, std::string repo, long long prs, const Resolution* r,
              std::string person = "") {
    Row row;
    row.person = person.empty() ? "gh:" + login : std::move(person);
    row.login = std::move(login);
    row.repo = std::move(repo);
    row.merged_prs = prs;
    row.resolution = r;
    rows.push_back(std::move(row));
  }
  void AddError() {
    Row row;
    row.error = true;
    rows.push_back(std::move(row));
  }
};

const affil::report::CountryLine* FindCountry(const Report& r, const std::string& code) {
  for (const auto& c : r.countries) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

const affil::report::RepoLine* FindRepo(const Report& r, const std::string& repo) {
  for (const auto& l : r.repositories) {
    if (l.repo == repo) return &l;
  }
  return nullptr;
}

// A small population shaped like the DeepSeek article's table.
Fixture Article() {
  Fixture f;
  const Resolution* nvidia_cn =
      f.Add(C("CN", "China", "location"), {P("CN", "China")}, {O("nvidia", "NVIDIA", "company", "nvidia", "NVIDIA")});
  const Resolution* nvidia_none =
      f.Add(std::nullopt, {}, {O("nvidia", "NVIDIA", "company", "nvidia", "NVIDIA")});
  const Resolution* lyric =
      f.Add(C("CN", "China", "location"), {P("CN", "China")},
            {O("deepseek", "DeepSeek", "company", "deepseek", "DeepSeek"),
             O("nvidia", "NVIDIA", "company", "nvidia", "NVIDIA", /*current=*/false)});
  const Resolution* dual = f.Add(C("US", "United States", "location"),
                                 {P("US", "United States"), P("CN", "China")},
                                 {O("uiuc", "UIUC", "university", "uiuc", "UIUC"),
                                  O("zju", "Zhejiang University", "university", "zju",
                                    "Zhejiang University")});
  const Resolution* three = f.Add(C("CN", "China", "location"),
                                  {P("CN", "China"), P("CN", "China"), P("JP", "Japan")});
  const Resolution* mailonly = f.Add(C("CN", "China", "email"));
  const Resolution* aeu = f.Add(C("AE", "United Arab Emirates", "location"),
                                {P("AE", "United Arab Emirates")});
  const Resolution* cloud =
      f.Add(C("CN", "China", "location"), {P("CN", "China")},
            {O("alibaba-cloud", "Alibaba Cloud", "company", "alibaba", "Alibaba Group")});
  const Resolution* ali = f.Add(C("CN", "China", "location"), {P("CN", "China")},
                                {O("alibaba", "Alibaba Group", "company", "alibaba",
                                   "Alibaba Group"),
                                 O("alibaba-cloud", "Alibaba Cloud", "company", "alibaba",
                                   "Alibaba Group")});
  const Resolution* bot = f.Add(std::nullopt, {}, {}, {"bot"});

  f.AddRow("RayWang96", "deepseek-ai/DeepGEMM", 4, nvidia_none);
  f.AddRow("lucifer1004", "deepseek-ai/DeepGEMM", 1, nvidia_cn);
  f.AddRow("yuxianq", "deepseek-ai/DeepGEMM", 1, nvidia_cn);
  f.AddRow("LyricZhao", "deepseek-ai/DeepGEMM", 4, lyric);
  f.AddRow("LyricZhao", "deepseek-ai/DeepEP", 12, lyric);
  f.AddRow("haochengxia", "deepseek-ai/3FS", 1, dual);
  f.AddRow("phantom5125", "deepseek-ai/DeepEP", 1, three);
  f.AddRow("wplf", "deepseek-ai/DeepEP", 1, mailonly);
  f.AddRow("A-transformer", "deepseek-ai/EPLB", 2, aeu);
  f.AddRow("A-transformer", "deepseek-ai/DeepGEMM", 1, aeu);
  f.AddRow("A-transformer", "deepseek-ai/3FS", 1, aeu);
  f.AddRow("huww98", "deepseek-ai/3FS", 5, cloud);
  f.AddRow("SimonCqk", "deepseek-ai/3FS", 2, ali);
  f.AddRow("nobody", "deepseek-ai/3FS", 1, nullptr);
  f.AddRow("dependabot[bot]", "deepseek-ai/3FS", 3, bot);
  f.AddRow("dependabot[bot]", "deepseek-ai/DeepEP", 1, bot);
  f.AddError();
  return f;
}

}  // namespace

TEST_CASE("report: summary counts rows, people, errors and bots") {
  Fixture f = Article();
  Report r = Compute(f.rows);
  CHECK(r.summary.input_rows == 17);
  CHECK(r.summary.error_rows == 1);
  CHECK(r.summary.rows == 14);
  CHECK(r.summary.people == 11);
  CHECK(r.summary.bots_excluded == 1);
  CHECK(r.summary.bot_rows_excluded == 2);
  CHECK(r.summary.input_rows ==
        r.summary.error_rows + r.summary.rows + r.summary.bot_rows_excluded);
  // lucifer1004, yuxianq, LyricZhao, haochengxia, phantom5125, A-transformer, huww98, SimonCqk.
  CHECK(r.summary.people_self_reported_country == 8);
  CHECK(r.summary.people_with_country == 9);  // + wplf (e-mail)
  CHECK(r.summary.people_with_current_org == 7);  // LyricZhao: DeepSeek
}

TEST_CASE("report: bots are included on request") {
  Fixture f = Article();
  Options o;
  o.include_bots = true;
  Report r = Compute(f.rows, o);
  CHECK(r.summary.rows == 16);
  CHECK(r.summary.people == 12);
  CHECK(r.summary.bots_excluded == 0);
  CHECK(r.summary.bot_rows_excluded == 0);
  REQUIRE(FindRepo(r, "deepseek-ai/3FS") != nullptr);
  CHECK(FindRepo(r, "deepseek-ai/3FS")->people == 6);
  CHECK(FindRepo(Compute(f.rows), "deepseek-ai/3FS")->people == 5);
}

TEST_CASE("report: countries count every self-reported place, once per person") {
  Fixture f = Article();
  Report r = Compute(f.rows);
  const auto* cn = FindCountry(r, "CN");
  REQUIRE(cn != nullptr);
  // Self-reported CN: lucifer1004, yuxianq, LyricZhao (2 rows), haochengxia (second place),
  // phantom5125 (CN twice: once), huww98, SimonCqk.
  CHECK(cn->people == 7);
  CHECK(cn->rows == 8);
  CHECK(cn->people_incl_inferred == 8);  // + wplf by e-mail
  CHECK(cn->name == "China");
  const auto* us = FindCountry(r, "US");
  REQUIRE(us != nullptr);
  CHECK(us->people == 1);
  CHECK(us->rows == 1);
  const auto* jp = FindCountry(r, "JP");
  REQUIRE(jp != nullptr);
  CHECK(jp->people == 1);
  CHECK(jp->people_incl_inferred == 1);
  CHECK(jp->name == "Japan");
  const auto* ae = FindCountry(r, "AE");
  REQUIRE(ae != nullptr);
  CHECK(ae->people == 1);
  CHECK(ae->rows == 3);
  // Order: people desc, rows desc, code asc.
  REQUIRE(r.countries.size() == 4);
  CHECK(r.countries[0].code == "CN");
  CHECK(r.countries[1].code == "AE");  // 1 person, 3 rows
  CHECK(r.countries[2].code == "JP");  // 1 person, 1 row, JP < US
  CHECK(r.countries[3].code == "US");
}

TEST_CASE("report: inferred-only countries appear with zero self-reported people") {
  Fixture f;
  const Resolution* mail = f.Add(C("DE", "Germany", "email"));
  f.AddRow("a", "x/y", 1, mail);
  Report r = Compute(f.rows);
  REQUIRE(r.countries.size() == 1);
  CHECK(r.countries[0].code == "DE");
  CHECK(r.countries[0].rows == 0);
  CHECK(r.countries[0].people == 0);
  CHECK(r.countries[0].people_incl_inferred == 1);
  CHECK(r.summary.people_self_reported_country == 0);
  CHECK(r.summary.people_with_country == 1);
}

TEST_CASE("report: organizations, group roll-up and kinds count people once") {
  Fixture f = Article();
  Report r = Compute(f.rows);
  // Orgs: nvidia 3, alibaba-cloud 2 (huww98, SimonCqk), alibaba 1, deepseek 1, uiuc 1, zju 1.
  REQUIRE(r.organizations.size() == 6);
  CHECK(r.organizations[0].id == "nvidia");
  CHECK(r.organizations[0].people == 3);  // LyricZhao's NVIDIA is past
  CHECK(r.organizations[0].rows == 3);
  CHECK(r.organizations[1].id == "alibaba-cloud");
  CHECK(r.organizations[1].people == 2);
  CHECK(r.organizations[1].group == "alibaba");
  CHECK(r.organizations[1].group_name == "Alibaba Group");
  CHECK(r.organizations[2].id == "alibaba");
  CHECK(r.organizations[3].id == "deepseek");
  CHECK(r.organizations[3].rows == 2);
  CHECK(r.organizations[4].id == "uiuc");
  CHECK(r.organizations[5].id == "zju");

  // Groups: nvidia 3, alibaba 2 (SimonCqk has two Alibaba orgs: counted once), then by id.
  REQUIRE(r.groups.size() == 5);
  CHECK(r.groups[0].id == "nvidia");
  CHECK(r.groups[0].people == 3);
  CHECK(r.groups[1].id == "alibaba");
  CHECK(r.groups[1].name == "Alibaba Group");
  CHECK(r.groups[1].people == 2);
  CHECK(r.groups[1].rows == 2);
  CHECK(r.groups[2].id == "deepseek");
  CHECK(r.groups[3].id == "uiuc");
  CHECK(r.groups[4].id == "zju");

  // Kinds: company 6 people, university 1 (haochengxia at two universities).
  REQUIRE(r.kinds.size() == 2);
  CHECK(r.kinds[0].kind == "company");
  CHECK(r.kinds[0].people == 6);
  CHECK(r.kinds[1].kind == "university");
  CHECK(r.kinds[1].people == 1);
}

TEST_CASE("report: an org without a group is its own group") {
  Fixture f;
  f.AddRow("a", "r", 1, f.Add(std::nullopt, {}, {O("xsky", "XSKY", "company")}));
  f.AddRow("b", "r", 1, f.Add(std::nullopt, {}, {O("xsky", "XSKY", "")}));
  Report r = Compute(f.rows);
  REQUIRE(r.groups.size() == 1);
  CHECK(r.groups[0].id == "xsky");
  CHECK(r.groups[0].name == "XSKY");
  CHECK(r.groups[0].people == 2);
  REQUIRE(r.repositories.size() == 1);
  REQUIRE(r.repositories[0].concentration.size() == 1);
  CHECK(r.repositories[0].concentration[0].group == "xsky");
  CHECK(r.repositories[0].concentration[0].people == 2);
}

TEST_CASE("report: repositories, concentration and top countries") {
  Fixture f = Article();
  Report r = Compute(f.rows);
  REQUIRE(r.repositories.size() == 4);
  // people desc: DeepGEMM 5, 3FS 5 (rows tie too: 5 each) -> repo asc, DeepEP 3, EPLB 1.
  CHECK(r.repositories[0].repo == "deepseek-ai/3FS");
  CHECK(r.repositories[1].repo == "deepseek-ai/DeepGEMM");
  CHECK(r.repositories[2].repo == "deepseek-ai/DeepEP");
  CHECK(r.repositories[3].repo == "deepseek-ai/EPLB");

  const auto* gemm = FindRepo(r, "deepseek-ai/DeepGEMM");
  REQUIRE(gemm != nullptr);
  CHECK(gemm->rows == 5);
  CHECK(gemm->people == 5);
  CHECK(gemm->merged_prs == 11);
  CHECK(gemm->people_with_country == 4);  // RayWang96 has none
  REQUIRE(gemm->concentration.size() == 1);
  CHECK(gemm->concentration[0].group == "nvidia");
  CHECK(gemm->concentration[0].name == "NVIDIA");
  CHECK(gemm->concentration[0].people == 3);
  REQUIRE(gemm->top_countries.size() == 2);
  CHECK(gemm->top_countries[0] == std::pair<std::string, long long>("CN", 3));
  CHECK(gemm->top_countries[1] == std::pair<std::string, long long>("AE", 1));

  const auto* fs = FindRepo(r, "deepseek-ai/3FS");
  REQUIRE(fs != nullptr);
  CHECK(fs->merged_prs == 10);  // bot's 3 PRs excluded
  REQUIRE(fs->concentration.size() == 1);
  CHECK(fs->concentration[0].group == "alibaba");
  CHECK(fs->concentration[0].people == 2);
  // CN 3 (haochengxia, huww98, SimonCqk), then AE 1 and US 1 by code.
  REQUIRE(fs->top_countries.size() == 3);
  CHECK(fs->top_countries[0].first == "CN");
  CHECK(fs->top_countries[0].second == 3);
  CHECK(fs->top_countries[1].first == "AE");
  CHECK(fs->top_countries[2].first == "US");

  const auto* ep = FindRepo(r, "deepseek-ai/DeepEP");
  REQUIRE(ep != nullptr);
  CHECK(ep->concentration.empty());
  // LyricZhao, phantom5125 (CN, JP), wplf (CN by e-mail).
  REQUIRE(ep->top_countries.size() == 2);
  CHECK(ep->top_countries[0].first == "CN");
  CHECK(ep->top_countries[0].second == 3);

  Options o;
  o.top_countries = 1;
  CHECK(FindRepo(Compute(f.rows, o), "deepseek-ai/3FS")->top_countries.size() == 1);
}

TEST_CASE("report: rows vs people when one person has two logins") {
  Fixture f;
  const Resolution* r1 = f.Add(C("FR", "France", "location"), {P("FR", "France")});
  f.AddRow("alice", "o/a", 2, r1, "gh:alice");
  f.AddRow("alice-work", "o/a", 3, r1, "gh:alice");
  f.AddRow("alice-work", "o/b", 1, r1, "gh:alice");
  f.AddRow("bob", "o/b", 1, nullptr);
  f.AddRow("carol", "", 7, nullptr);  // no repo: counted, not listed under repositories
  Report r = Compute(f.rows);
  CHECK(r.summary.rows == 5);
  CHECK(r.summary.people == 3);
  REQUIRE(r.repositories.size() == 2);
  CHECK(r.repositories[0].repo == "o/b");  // 2 people
  CHECK(r.repositories[0].people == 2);
  CHECK(r.repositories[1].repo == "o/a");
  CHECK(r.repositories[1].rows == 2);
  CHECK(r.repositories[1].people == 1);
  CHECK(r.repositories[1].merged_prs == 5);
  const auto* fr = FindCountry(r, "FR");
  REQUIRE(fr != nullptr);
  CHECK(fr->rows == 3);
  CHECK(fr->people == 1);
  REQUIRE(r.overlaps.size() == 1);
  CHECK(r.overlaps[0].person == "gh:alice");
  CHECK(r.overlaps[0].logins == std::vector<std::string>{"alice", "alice-work"});
  CHECK(r.overlaps[0].repos == std::vector<std::string>{"o/a", "o/b"});
}

TEST_CASE("report: overlaps and repository pairs") {
  Fixture f = Article();
  Report r = Compute(f.rows);
  REQUIRE(r.overlaps.size() == 2);
  CHECK(r.overlaps[0].person == "gh:A-transformer");  // 3 repos first
  CHECK(r.overlaps[0].repos ==
        std::vector<std::string>{"deepseek-ai/3FS", "deepseek-ai/DeepGEMM", "deepseek-ai/EPLB"});
  CHECK(r.overlaps[1].person == "gh:LyricZhao");
  CHECK(r.overlaps[1].logins == std::vector<std::string>{"LyricZhao"});
  CHECK(r.overlaps[1].repos ==
        std::vector<std::string>{"deepseek-ai/DeepEP", "deepseek-ai/DeepGEMM"});
  // Pairs: (3FS,DeepGEMM) 1, (3FS,EPLB) 1, (DeepEP,DeepGEMM) 1, (DeepGEMM,EPLB) 1. The bot's
  // 3FS+DeepEP pair is excluded.
  REQUIRE(r.repo_pairs.size() == 4);
  CHECK(r.repo_pairs[0].a == "deepseek-ai/3FS");
  CHECK(r.repo_pairs[0].b == "deepseek-ai/DeepGEMM");
  CHECK(r.repo_pairs[2].a == "deepseek-ai/DeepEP");
  CHECK(r.repo_pairs[2].b == "deepseek-ai/DeepGEMM");
  for (const auto& p : r.repo_pairs) CHECK(p.people == 1);
}

TEST_CASE("report: empty input") {
  Report r = Compute({});
  CHECK(r.summary.input_rows == 0);
  CHECK(r.countries.empty());
  std::string md = affil::report::RenderMarkdown(r);
  CHECK(md.find("None.") != std::string::npos);
  CHECK(nlohmann::json::parse(affil::report::RenderJson(r))["countries"].empty());
  CHECK(affil::report::RenderCsv(r).find("summary,input_rows,,,,,0,") != std::string::npos);
}

TEST_CASE("report: JSON parses back with stable order") {
  Fixture f = Article();
  Report r = Compute(f.rows);
  std::string text = affil::report::RenderJson(r);
  CHECK(text == affil::report::RenderJson(Compute(f.rows)));
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(text);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"summary", "countries", "organizations", "groups",
                                         "kinds", "repositories", "overlaps", "repo_pairs"});
  CHECK(j["summary"]["people"] == 11);
  CHECK(j["summary"]["error_rows"] == 1);
  CHECK(j["countries"][0]["code"] == "CN");
  CHECK(j["countries"][0]["people"] == 7);
  CHECK(j["groups"][1]["id"] == "alibaba");
  CHECK(j["repositories"][1]["concentration"][0]["people"] == 3);
  CHECK(j["repositories"][1]["top_countries"][0]["code"] == "CN");
  CHECK(j["overlaps"][1]["repos"].size() == 2);
  CHECK(j["repo_pairs"].size() == 4);
}

TEST_CASE("report: JSON survives invalid UTF-8") {
  Fixture f;
  f.AddRow("x", "bad\xff", 1, nullptr);
  std::string text = affil::report::RenderJson(Compute(f.rows));
  nlohmann::json j = nlohmann::json::parse(text);
  CHECK(j["repositories"][0]["repo"] == "bad\xEF\xBF\xBD");
}

TEST_CASE("report: CSV quotes commas, quotes and newlines (RFC 4180)") {
  Fixture f;
  const Resolution* r1 = f.Add(
      C("US", "Korea, Republic of", "location"), {P("US", "Korea, Republic of")},
      {O("acme", "Acme \"Rockets\", Inc.", "company", "acme", "Acme\nGroup")});
  f.AddRow("a", "o/x", 1, r1);
  f.AddRow("b", "o/x", 1, r1, "gh:a");
  std::string csv = affil::report::RenderCsv(Compute(f.rows));
  CHECK(csv.rfind(
            "table,key,key2,name,kind,group,value,rows,people,people_incl_inferred,people_declared,merged_prs,"
            "people_with_country,logins,repos\r\n",
            0) == 0);
  CHECK(csv.find("summary,input_rows,,,,,2,,,,,,,,\r\n") != std::string::npos);
  CHECK(csv.find("countries,US,,\"Korea, Republic of\",,,,2,1,1,,,,,\r\n") != std::string::npos);
  CHECK(csv.find("organizations,acme,,\"Acme \"\"Rockets\"\", Inc.\",company,acme,,2,1,,1,,,,\r\n") !=
        std::string::npos);
  CHECK(csv.find("groups,acme,,\"Acme\nGroup\",,,,2,1,,1,,,,\r\n") != std::string::npos);
  CHECK(csv.find("repositories,o/x,,,,,,2,1,,,2,1,,\r\n") != std::string::npos);
  CHECK(csv.find("repository_countries,o/x,US,,,,,,1,,,,,,\r\n") != std::string::npos);

  Fixture g = Article();
  std::string csv2 = affil::report::RenderCsv(Compute(g.rows));
  CHECK(csv2.find("concentration,deepseek-ai/DeepGEMM,nvidia,NVIDIA,,,,,3,,,,,,\r\n") !=
        std::string::npos);
  CHECK(csv2.find("overlaps,gh:A-transformer,,,,,,,,,,,,A-transformer,"
                  "deepseek-ai/3FS;deepseek-ai/DeepGEMM;deepseek-ai/EPLB\r\n") != std::string::npos);
  CHECK(csv2.find("repo_pairs,deepseek-ai/DeepEP,deepseek-ai/DeepGEMM,,,,,,1,,,,,,\r\n") !=
        std::string::npos);
  // Every record has the header's 15 fields (no quoted commas in this report).
  std::size_t start = 0;
  int records = 0;
  while (start < csv2.size()) {
    std::size_t end = csv2.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    std::string line = csv2.substr(start, end - start);
    CHECK(std::count(line.begin(), line.end(), ',') == 14);
    start = end + 2;
    ++records;
  }
  // header + 9 summary + 4 countries + 6 orgs + 5 groups + 2 kinds + 4 repos
  // + 8 repository_countries + 2 concentration + 2 overlaps + 4 pairs
  CHECK(records == 1 + 9 + 4 + 6 + 5 + 2 + 4 + 8 + 2 + 2 + 4);
}

TEST_CASE("report: Markdown has the tables, the note and escaped cells") {
  Fixture f = Article();
  Report r = Compute(f.rows);
  std::string md = affil::report::RenderMarkdown(r);
  CHECK(md.rfind("# Contributor affiliations\n", 0) == 0);
  CHECK(md.back() == '\n');
  CHECK(md.substr(md.size() - 2) != "\n\n");
  for (const char* h : {"## Summary", "## Countries", "## Organizations", "## Groups", "## Kinds",
                        "## Repositories", "## Overlaps", "### Repository pairs"}) {
    CHECK(md.find(std::string("\n") + h + "\n") != std::string::npos);
  }
  CHECK(md.find("| people | 11 |") != std::string::npos);
  CHECK(md.find("| bots excluded (people) | 1 |") != std::string::npos);
  CHECK(md.find("| malformed rows | 1 |") != std::string::npos);
  CHECK(md.find("| CN | China | 8 | 7 | 8 |") != std::string::npos);
  CHECK(md.find("counts under both US and CN") != std::string::npos);
  CHECK(md.find("| nvidia | NVIDIA | company | NVIDIA | 3 | 3 | 3 |") != std::string::npos);
  CHECK(md.find("| alibaba | Alibaba Group | 2 | 2 | 2 |") != std::string::npos);
  CHECK(md.find("| university | 1 | 1 |") != std::string::npos);
  CHECK(md.find("| deepseek-ai/DeepGEMM | 5 | 5 | 11 | 4 | CN 3, AE 1 | NVIDIA 3 |") !=
        std::string::npos);
  CHECK(md.find("| gh:LyricZhao | LyricZhao | deepseek-ai/DeepEP, deepseek-ai/DeepGEMM |") !=
        std::string::npos);
  CHECK(md == affil::report::RenderMarkdown(Compute(f.rows)));

  Fixture g;
  g.AddRow("p", "a|b", 1, g.Add(std::nullopt, {}, {O("x", "Line\nbreak", "company")}));
  std::string md2 = affil::report::RenderMarkdown(Compute(g.rows));
  CHECK(md2.find("| a\\|b | 1 | 1 | 1 | 0 |  |  |") != std::string::npos);
  CHECK(md2.find("| x | Line break | company | Line break | 1 | 1 | 1 |") != std::string::npos);
}

TEST_CASE("report: orgs known only from e-mail count under all evidence, not under profile") {
  Fixture f;
  const Resolution* declared = f.Add(std::nullopt, {}, {O("nju", "Nanjing University", "university")});
  const Resolution* inferred = f.Add(std::nullopt, {}, {FromEmail(O("nju", "Nanjing University", "university"))});
  f.AddRow("a", "o/x", 1, declared);
  f.AddRow("b", "o/x", 1, inferred);
  Report r = Compute(f.rows);
  REQUIRE(r.kinds.size() == 1);
  CHECK(r.kinds[0].people == 2);
  CHECK(r.kinds[0].people_declared == 1);
  REQUIRE(r.organizations.size() == 1);
  CHECK(r.organizations[0].people == 2);
  CHECK(r.organizations[0].people_declared == 1);
  REQUIRE(r.groups.size() == 1);
  CHECK(r.groups[0].people_declared == 1);
}
