// Organization resolution on the article's profiles.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <utility>

#include "test_kb.h"

using affil::OrgAffiliation;
using affil::Profile;
using affil::Resolution;
using affil::testing::HasFlag;
using affil::testing::ResolveOne;

namespace {

Profile Make(const std::string& company, const std::string& bio = "", const std::string& email = "",
             const std::string& location = "", const std::string& login = "") {
  Profile p;
  p.company = company;
  p.bio = bio;
  p.email = email;
  p.location = location;
  p.login = login;
  return p;
}

// "id" for current orgs, "~id" for past ones, in resolution order.
std::vector<std::string> Orgs(const Resolution& r) {
  std::vector<std::string> out;
  for (const OrgAffiliation& o : r.orgs) out.push_back((o.current ? "" : "~") + o.id);
  return out;
}

const OrgAffiliation* Find(const Resolution& r, const std::string& id) {
  for (const OrgAffiliation& o : r.orgs) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("Alibaba Cloud rolls up to Alibaba; communities are communities") {
  Resolution r = ResolveOne(Make("Alibaba Cloud @aliyun ACK team @kubernetes"));
  const OrgAffiliation* cloud = Find(r, "alibaba-cloud");
  REQUIRE(cloud);
  CHECK(cloud->group == "alibaba");
  CHECK(cloud->current);
  REQUIRE(cloud->evidence.size() >= 1);
  CHECK(cloud->evidence[0].field == "company");
  CHECK(cloud->evidence[0].rule.find("rules/") == 0);
  const OrgAffiliation* k8s = Find(r, "kubernetes");
  REQUIRE(k8s);
  CHECK(k8s->kind == "community");
}

TEST_CASE("Ant Group is not under Alibaba") {
  Resolution r = ResolveOne(Make("蚂蚁"));
  REQUIRE(r.orgs.size() == 1);
  CHECK(r.orgs[0].id == "antgroup");
  CHECK(r.orgs[0].group == "antgroup");
}

TEST_CASE("an override wins over the profile, and says so") {
  Resolution r = ResolveOne(Make("Alibaba", "", "1031379296@qq.com", "HangZhou", "wangfakang"));
  CHECK(Orgs(r) == std::vector<std::string>{"antgroup"});
  CHECK(HasFlag(r, "override"));
  CHECK(r.orgs[0].evidence[0].field == "override");
}

TEST_CASE("past employers in bios are history, not current") {
  Resolution lyric = ResolveOne(Make("DeepSeek AI", "@deepseek-ai infra; previously at NVIDIA | SenseTime | Tsinghua University."));
  CHECK(Orgs(lyric) == std::vector<std::string>{"deepseek", "~nvidia", "~sensetime", "~tsinghua"});
  Resolution tang = ResolveOne(Make("@didi", "@didi AI Infra; previously at Baidu"));
  CHECK(Orgs(tang) == std::vector<std::string>{"didi", "~baidu"});
  Resolution ma = ResolveOne(Make("HUST", "Build LLM System，Previously at Aliyun | SenseTime", "", "Hangzhou"));
  CHECK(Orgs(ma) == std::vector<std::string>{"hust", "~alibaba-cloud", "~sensetime"});
  Resolution cd = ResolveOne(Make("Kingsoft Office (WPS)", "Senior Backend Engineer at Kingsoft Office (WPS). Previously at Xiaomi / Lotus Cars."));
  CHECK(Orgs(cd) == std::vector<std::string>{"kingsoft-office", "~lotus-cars", "~xiaomi"});
  Resolution you = ResolveOne(Make("@vllm-project", "Ph.D. from Tsinghua University. Core maintainer of @vllm-project ."));
  CHECK(Orgs(you) == std::vector<std::string>{"vllm", "~tsinghua"});
}

TEST_CASE("bios, e-mails and handles name employers") {
  CHECK(Orgs(ResolveOne(Make("", "A developer at InfinigenceAI, working on GPU systems."))) ==
        std::vector<std::string>{"infinigence"});
  Resolution xie = ResolveOne(Make("OpenCloudOS & Circle Linux Project", "", "maxonxie@tencent.com"));
  REQUIRE(Find(xie, "tencent"));
  CHECK(Find(xie, "tencent")->evidence[0].field == "email");
  Resolution song = ResolveOne(Make("", "just only know a little C/C++ and network", "songhx@smail.nju.edu.cn"));
  CHECK(Orgs(song) == std::vector<std::string>{"nju"});
  CHECK(Orgs(ResolveOne(Make("@ppl-ai"))) == std::vector<std::string>{"perplexity"});
  CHECK(Orgs(ResolveOne(Make("Meta - PyTorch", "", "sijiac@meta.com")))[0] == "meta");
}

TEST_CASE("shared abbreviations need context") {
  Resolution bit = ResolveOne(Make("BIT", "", "cl5743590921@gmail.com", "Abu Dhabi"));
  CHECK(bit.orgs.empty());
  CHECK(HasFlag(bit, "ambiguous_org"));
  Resolution bit_cn = ResolveOne(Make("BIT", "", "", "Beijing"));
  REQUIRE(bit_cn.orgs.size() == 1);
  CHECK(bit_cn.orgs[0].id == "bit");
}

TEST_CASE("free mail names no employer; non-orgs say what they are") {
  Resolution gmail = ResolveOne(Make("", "", "someone@gmail.com"));
  CHECK(gmail.orgs.empty());
  CHECK(HasFlag(gmail, "free_mail"));
  Resolution joke = ResolveOne(Make("(seriously this is the name)"));
  CHECK(joke.orgs.empty());
  CHECK(HasFlag(joke, "non_org"));
  Resolution freelancer = ResolveOne(Make("Freelancer"));
  CHECK(freelancer.orgs.empty());
  CHECK(HasFlag(freelancer, "non_org"));
}

TEST_CASE("bots are flagged") {
  Profile p;
  p.login = "dependabot[bot]";
  CHECK(HasFlag(ResolveOne(p), "bot"));
  Profile q;
  q.login = "someone";
  q.type = "Bot";
  CHECK(HasFlag(ResolveOne(q), "bot"));
}

TEST_CASE("a one-edit typo of a long name resolves, and says so; short words never do") {
  Resolution r = ResolveOne(Make("Renmin Univeristy of China"));
  REQUIRE(r.orgs.size() == 1);
  CHECK(r.orgs[0].id == "ruc");
  CHECK(r.orgs[0].evidence[0].text == "Renmin Univeristy of China");
  CHECK(ResolveOne(Make("Alibabx")).orgs.empty());  // too short to correct
}

TEST_CASE("the company field has time too: ex-, formerly") {
  CHECK(Orgs(ResolveOne(Make("Ex-Mozilla"))) == std::vector<std::string>{"~mozilla"});
  CHECK(Orgs(ResolveOne(Make("Ex Atlassian, ThoughtWorks"))) == std::vector<std::string>{"thoughtworks", "~atlassian"});
  Resolution listed = ResolveOne(Make("Meteor (formerly: Facebook, Mozilla)"));
  for (const OrgAffiliation& o : listed.orgs) CHECK_FALSE(o.current);
}

TEST_CASE("an @handle is a login: whole, never a word inside it") {
  CHECK(ResolveOne(Make("@BAC-GitHub-Club")).orgs.empty());
  CHECK(Orgs(ResolveOne(Make("@Tencent"))) == std::vector<std::string>{"tencent"});
}

TEST_CASE("URLs name an org by its own site only") {
  CHECK(ResolveOne(Make("https://twitter.com/AntyaDev")).orgs.empty());
  CHECK(Orgs(ResolveOne(Make("https://www.alibaba.com"))) == std::vector<std::string>{"alibaba"});
}

TEST_CASE("commas inside names do not split them") {
  CHECK(Orgs(ResolveOne(Make("University of California, Berkeley"))) == std::vector<std::string>{"uc-berkeley"});
}

TEST_CASE("a company field that is only a place names no org, and says so") {
  Resolution bangkok = ResolveOne(Make("Bangkok"));
  CHECK(bangkok.orgs.empty());
  CHECK(bangkok.non_org == "place");
  CHECK(HasFlag(bangkok, "non_org"));
  CHECK(ResolveOne(Make("Acme Hangzhou")).non_org.empty());  // a company we do not know, somewhere
  CHECK(Orgs(ResolveOne(Make("Shopee Singapore"))) == std::vector<std::string>{"shopee"});
}

TEST_CASE("a 100 KB bio and company field resolve whole, one evidence line per distinct mention") {
  std::string bio, company;
  for (int i = 0; i < 9000; ++i) bio += i % 2 ? "at Alibaba, " : "previously at NVIDIA; ";
  for (int i = 0; i < 5000; ++i) company += "@alibaba ";
  Resolution r = ResolveOne(Make(company, bio));
  CHECK(Orgs(r) == std::vector<std::string>{"alibaba", "~nvidia"});
  REQUIRE(r.orgs[0].evidence.size() == 2);  // the company field once, the bio once
  CHECK(r.orgs[0].evidence[1].field == "bio");
}

TEST_CASE("an unknown @handle is read through the GitHub account the collector found") {
  auto with_account = [](const std::string& company, const std::string& login, const std::string& type,
                         const std::string& name, const std::string& blog) {
    Profile p = Make(company);
    p.company_accounts.push_back({login, type, name, blog, "", ""});
    return p;
  };
  // Without the account, the handle names nothing.
  CHECK(Orgs(ResolveOne(Make("@tencent-oss-labs-x"))).empty());
  // Its name, read as the knowledge base reads names.
  Resolution by_name = ResolveOne(with_account("@tencent-oss-labs-x", "Tencent-OSS-Labs-X", "Organization", "Tencent", ""));
  REQUIRE(Orgs(by_name) == std::vector<std::string>{"tencent"});
  const OrgAffiliation* tencent = Find(by_name, "tencent");
  REQUIRE(tencent->evidence.size() == 2);
  CHECK(tencent->evidence[0].field == "company_accounts");
  CHECK(tencent->evidence[0].text == "Tencent");
  CHECK(tencent->evidence[0].rule.find("rules/") == 0);
  CHECK(tencent->evidence[1].field == "company");
  CHECK(tencent->evidence[1].text == "@tencent-oss-labs-x");
  // Its website, when the name is not known.
  CHECK(Orgs(ResolveOne(with_account("@gpu-folks", "gpu-folks", "Organization", "GPU Folks Inc", "https://www.nvidia.com/"))) ==
        std::vector<std::string>{"nvidia"});
  // Neither: still an organization, known by its handle, of no kind.
  Resolution unlisted = ResolveOne(with_account("CS @thu-ml-xyz", "thu-ml-xyz", "Organization", "TSAIL Group", ""));
  const OrgAffiliation* lab = Find(unlisted, "github:thu-ml-xyz");
  REQUIRE(lab);
  CHECK(lab->name == "TSAIL Group");
  CHECK(lab->kind.empty());
  CHECK(lab->current);
  // A user account is a person, not an employer.
  Resolution person = ResolveOne(with_account("@someone-else", "someone-else", "User", "Some One", ""));
  CHECK(Orgs(person).empty());
  CHECK(std::any_of(person.notes.begin(), person.notes.end(), [](const affil::Evidence& n) {
    return n.text == "@someone-else" && n.rule.find("User account, not an organization") != std::string::npos;
  }));
  // A handle the knowledge base knows never asks the account.
  CHECK(Orgs(ResolveOne(with_account("@ppl-ai", "ppl-ai", "Organization", "Tencent", ""))) ==
        std::vector<std::string>{"perplexity"});
}

TEST_CASE("a name ending in a legal form or an org word is an organization the knowledge base does not list") {
  Resolution bok = ResolveOne(Make("Bok Consulting Pty Ltd"));
  REQUIRE(bok.orgs.size() == 1);
  CHECK(bok.orgs[0].id == "name:bok-consulting");
  CHECK(bok.orgs[0].name == "Bok Consulting Pty Ltd");
  CHECK(bok.orgs[0].kind == "company");
  CHECK_FALSE(bok.orgs[0].listed);
  CHECK(bok.orgs[0].evidence[0].rule.find("rules/orgs/unlisted.rules:") == 0);
  // The legal form is not part of the identity; an org word is.
  CHECK(Orgs(ResolveOne(Make("Synapse Systems Ltd"))) == Orgs(ResolveOne(Make("Synapse Systems"))));
  CHECK(Orgs(ResolveOne(Make("深圳市大树科技有限公司"))) == std::vector<std::string>{"name:深圳市大树科技"});
  // How a name begins wins over how it ends.
  Resolution college = ResolveOne(Make("College of Science & Technology"));
  REQUIRE(college.orgs.size() == 1);
  CHECK(college.orgs[0].kind == "university");
  CHECK_FALSE(college.country);  // an unlisted school has no seat to infer a country from
  // Not: a listed org, a lone word, a non-org, a time cue, several mentions.
  CHECK(Orgs(ResolveOne(Make("Alibaba Cloud Computing Ltd"))) == std::vector<std::string>{"alibaba-cloud"});
  CHECK(Orgs(ResolveOne(Make("Technologies"))).empty());
  Resolution engineer = ResolveOne(Make("Software Engineer"));
  CHECK(Orgs(engineer).empty());
  CHECK(engineer.non_org == "job_title");
  CHECK(Orgs(ResolveOne(Make("ex Shadow Developers Inc"))).empty());
  CHECK(Orgs(ResolveOne(Make("Acme Labs / Foo Systems"))).empty());
}

// The cells of one TSV line.
std::vector<std::string> TsvCells(const std::string& line) {
  std::vector<std::string> cells;
  for (size_t start = 0;;) {
    size_t tab = line.find('\t', start);
    cells.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return cells;
    start = tab + 1;
  }
}

// The data rows of a fixture TSV (no comments, no header).
std::vector<std::vector<std::string>> TsvRows(const std::string& path) {
  std::ifstream in(std::string(AFFIL_SOURCE_DIR) + "/" + path);
  REQUIRE(in);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (!std::exchange(header, false)) rows.push_back(TsvCells(line));
  }
  return rows;
}

TEST_CASE("every OpenDigger company resolves from its English and Chinese names and its GitHub orgs, all to one group") {
  // fixtures/opendigger-companies/companies.tsv: tools/rules/opendigger_fixture.py;
  // exceptions.tsv: the mentions that rightly reach another org, each with why.
  std::set<std::pair<std::string, std::string>> exceptions;
  for (const auto& cells : TsvRows("fixtures/opendigger-companies/exceptions.tsv")) {
    REQUIRE(cells.size() == 3);
    exceptions.insert({cells[0], cells[1]});
  }
  int companies = 0, handles = 0;
  std::vector<std::pair<std::string, std::string>> excepted;  // (dir, mention), checked after the group is known
  for (const auto& cells : TsvRows("fixtures/opendigger-companies/companies.tsv")) {
    REQUIRE(cells.size() == 4);
    std::vector<std::string> mentions = {cells[1]};
    if (!cells[2].empty()) mentions.push_back(cells[2]);
    for (size_t start = 0; start < cells[3].size();) {
      size_t comma = cells[3].find(',', start);
      if (comma == std::string::npos) comma = cells[3].size();
      mentions.push_back("@" + cells[3].substr(start, comma - start));
      ++handles;
      start = comma + 1;
    }
    std::string group;
    std::vector<std::string> other;
    for (const std::string& mention : mentions) {
      CAPTURE(cells[0]);
      CAPTURE(mention);
      if (exceptions.count({cells[0], mention})) {
        other.push_back(mention);
        continue;
      }
      Resolution r = ResolveOne(Make(mention));
      CHECK(r.orgs.size() == 1);
      if (r.orgs.size() != 1) continue;
      CHECK(r.orgs[0].listed);
      // A handle may name a unit of the company (@aliyun is Alibaba Cloud): one group.
      if (group.empty()) group = r.orgs[0].group;
      CHECK(r.orgs[0].group == group);
    }
    for (const std::string& mention : other) {
      CAPTURE(cells[0]);
      CAPTURE(mention);
      Resolution r = ResolveOne(Make(mention));
      CHECK_FALSE((r.orgs.size() == 1 && r.orgs[0].group == group));  // else the exception is stale
    }
    ++companies;
  }
  CHECK(companies == 381);
  CHECK(handles > 250);
}

TEST_CASE("a website names its org only when it is the org's own site, not a page on a platform") {
  auto blog = [](const std::string& url) {
    Profile p;
    p.blog = url;
    return Orgs(ResolveOne(p));
  };
  CHECK(blog("https://www.nvidia.com") == std::vector<std::string>{"nvidia"});
  CHECK(blog("nvidia.com/") == std::vector<std::string>{"nvidia"});
  CHECK(blog("https://github.com/someone").empty());
  CHECK(blog("https://www.linkedin.com/in/someone").empty());
  CHECK(blog("https://someone.github.io").empty());
  Profile account = Make("@octo-research-x");
  account.company_accounts.push_back({"octo-research-x", "Organization", "Octo Research X", "https://github.com/octo-research-x", "", ""});
  CHECK(Orgs(ResolveOne(account)) == std::vector<std::string>{"github:octo-research-x"});
}
