// The seed article's findings, recomputed from its own contributor table
// (fixtures/deepseek-oss-week): the acceptance test of issue #2.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>

#include "io/records.h"
#include "report/report.h"
#include "test_kb.h"

namespace {

struct Article {
  std::vector<affil::io::InputRecord> records;
  affil::Batch batch;
  affil::report::Report report;

  Article() {
    std::ifstream in(std::string(AFFIL_SOURCE_DIR) + "/fixtures/deepseek-oss-week/contributors.ndjson");
    affil::io::RecordReader reader(in, affil::io::RecordReader::Format::kNdjson);
    while (auto r = reader.Next()) records.push_back(std::move(*r));
    std::vector<const affil::Profile*> identities;
    for (const auto& r : records) identities.push_back(&r.profile);
    batch = affil::ResolveBatch(affil::testing::RealKb(), identities, 2);
    std::vector<affil::report::Row> rows;
    for (size_t i = 0; i < records.size(); ++i) {
      rows.push_back({records[i].profile.login, records[i].repo, records[i].merged_prs, batch.person[i],
                      &batch.resolutions[batch.resolution[i]], !records[i].ok()});
    }
    report = affil::report::Compute(rows);
  }

  const affil::Resolution& Of(const std::string& login) const {
    for (size_t i = 0; i < records.size(); ++i) {
      if (records[i].profile.login == login) return batch.resolutions[batch.resolution[i]];
    }
    FAIL("no such login " << login);
    return batch.resolutions[0];
  }
};

const Article& TheArticle() {
  static const Article article;
  return article;
}

}  // namespace

TEST_CASE("92 rows, 84 people, none malformed") {
  const auto& s = TheArticle().report.summary;
  CHECK(s.input_rows == 92);
  CHECK(s.error_rows == 0);
  CHECK(s.people == 84);
}

TEST_CASE("China: 42 rows, 40 people by self-reported location") {
  const auto& countries = TheArticle().report.countries;
  REQUIRE_FALSE(countries.empty());
  CHECK(countries[0].code == "CN");
  CHECK(countries[0].rows == 42);
  CHECK(countries[0].people == 40);
}

TEST_CASE("Alibaba 5 (not 6) and Ant Group 2") {
  std::map<std::string, long long> groups;
  for (const auto& g : TheArticle().report.groups) groups[g.id] = g.people_declared;
  CHECK(groups["alibaba"] == 5);
  CHECK(groups["antgroup"] == 2);
}

TEST_CASE("universities: 7 people by what profiles say, 8 with e-mail evidence") {
  std::map<std::string, const affil::report::KindLine*> kinds;
  for (const auto& k : TheArticle().report.kinds) kinds[k.kind] = &k;
  REQUIRE(kinds.count("university"));
  CHECK(kinds["university"]->people_declared == 7);
  CHECK(kinds["university"]->people == 8);  // songhexiang: smail.nju.edu.cn
}

TEST_CASE("per-repository concentration") {
  std::map<std::pair<std::string, std::string>, long long> concentration;
  for (const auto& repo : TheArticle().report.repositories) {
    for (const auto& c : repo.concentration) concentration[{repo.repo, c.group}] = c.people;
  }
  CHECK(concentration[{"deepseek-ai/DeepGEMM", "nvidia"}] == 3);
  CHECK(concentration[{"deepseek-ai/FlashMLA", "bytedance"}] == 2);
  CHECK(concentration[{"deepseek-ai/3FS", "xsky"}] == 2);
  CHECK(concentration[{"deepseek-ai/DeepEP", "antgroup"}] == 2);
}

TEST_CASE("besides LyricZhao, three people contributed to both DeepEP and DeepGEMM") {
  std::set<std::string> both;
  for (const auto& o : TheArticle().report.overlaps) {
    std::set<std::string> repos(o.repos.begin(), o.repos.end());
    if (repos.count("deepseek-ai/DeepEP") && repos.count("deepseek-ai/DeepGEMM")) both.insert(o.logins[0]);
  }
  CHECK(both == std::set<std::string>{"LyricZhao", "dzhulgakov", "fzyzcjy", "sleepcoo"});
}

TEST_CASE("every person with a self-reported place gets the country a reader would give") {
  // The article's table, read by a person: login → country of the location field
  // ("-" for no place). Champaign; Hangzhou names two countries; the first is primary.
  std::map<std::string, std::string> expected = {
      {"interestingLSY", "CN"}, {"KnowingNothing", "CN"}, {"sijiac", "US"}, {"yangsijia-serena", "CN"},
      {"A-transformer", "AE"}, {"haosdent", "SG"}, {"wx-csy", "CN"}, {"weberxie", "CN"},
      {"oraluben", "CN"}, {"pojianbing", "CN"}, {"LyricZhao", "CN"}, {"abcdabcd987", "US"},
      {"acheong08", "-"}, {"fzyzcjy", "-"}, {"lucifer1004", "CN"}, {"sleepcoo", "CN"},
      {"yizhang2077", "CN"}, {"yuxianq", "CN"}, {"yz-tang", "CN"}, {"ZeppLu", "CN"},
      {"sphish", "CN"}, {"youkaichao", "CN"}, {"alpha-baby", "CN"}, {"GuangguanWang", "CN"},
      {"jeejeelee", "CN"}, {"phantom5125", "CN"}, {"songhexiang", "CN"}, {"wangfakang", "CN"},
      {"wplf", "CN"}, {"wzc-wuzhicheng", "CN"}, {"SF-Zhou", "CN"}, {"huww98", "CN"},
      {"yiyuanliu", "CN"}, {"Clcanny", "US"}, {"RuixiangMa", "CN"}, {"SimonCqk", "CN"},
      {"bugwz", "CN"}, {"diabloneo", "CN"}, {"echaozh", "CN"}, {"haochengxia", "US"},
      {"James6xie", "CN"}, {"jiangxiaosheng", "US"}, {"jt-zhang", "CN"}, {"mapleFU", "CN"},
      {"Nugine", "-"}, {"r-value", "CN"}, {"RangerCD", "-"}, {"wlxiong", "CN"},
      {"yuyuyu101", "CN"}, {"zchrissirhcz", "CN"},
  };
  for (const auto& [login, country] : expected) {
    CAPTURE(login);
    const affil::Resolution& r = TheArticle().Of(login);
    bool self_reported = r.country && r.country->basis == "location";
    CHECK((self_reported ? r.country->code : std::string("-")) == country);
  }
  // lancerts writes "CA": never Canada.
  const affil::Resolution& lancerts = TheArticle().Of("lancerts");
  CHECK((!lancerts.country || lancerts.country->code != "CA"));
}

TEST_CASE("every person's current organizations") {
  // login → current org ids, as the article (and its corrections) read them.
  std::map<std::string, std::set<std::string>> expected = {
      {"interestingLSY", {"deepseek"}}, {"KnowingNothing", {"bytedance"}}, {"lancerts", {"linkedin"}},
      {"sijiac", {"meta", "pytorch"}}, {"yangsijia-serena", {"bytedance"}}, {"A-transformer", {}},
      {"haosdent", {"shopee"}}, {"wx-csy", {"tsinghua", "madsys"}}, {"oraluben", {"alibaba"}},
      {"LyricZhao", {"deepseek"}}, {"RayWang96", {"nvidia"}}, {"abcdabcd987", {"perplexity"}},
      {"acheong08", {"huawei"}}, {"dzhulgakov", {"meta"}}, {"fzyzcjy", {}}, {"lucifer1004", {"nvidia"}},
      {"yuxianq", {"nvidia"}}, {"yz-tang", {"didi"}}, {"sphish", {"deepseek"}},
      {"youkaichao", {"vllm"}}, {"alpha-baby", {"antgroup"}}, {"andylin-hao", {"infinigence"}},
      {"GuangguanWang", {"alibaba"}}, {"songhexiang", {"nju"}}, {"wangfakang", {"antgroup"}},
      {"wzc-wuzhicheng", {"alibaba"}}, {"SF-Zhou", {"deepseek"}}, {"huww98", {"alibaba-cloud", "kubernetes"}},
      {"yiyuanliu", {"tsinghua", "deepseek"}}, {"RuixiangMa", {"hust"}}, {"SimonCqk", {"alibaba"}},
      {"diabloneo", {"xsky"}}, {"haochengxia", {"uiuc", "zju"}}, {"jiangxiaosheng", {"cmu"}},
      {"jt-zhang", {"thu-ml", "tsinghua"}}, {"r-value", {"ruc"}}, {"RangerCD", {"kingsoft-office"}},
      {"yuyuyu101", {"xsky"}},
  };
  for (const auto& [login, orgs] : expected) {
    CAPTURE(login);
    std::set<std::string> got;
    for (const auto& o : TheArticle().Of(login).orgs) {
      if (o.current) got.insert(o.id);
    }
    CHECK(got == orgs);
  }
}
