// affil collect against the fake GitHub server (tests/fake_github): the
// article's table comes back whole, cheaply, through every injected fault, after
// kill -9, and without the token ever leaving the API host or showing anywhere.
#include <doctest/doctest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "collect/collect.h"
#include "report/report.h"
#include "store/store.h"
#include "test_kb.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::string kToken = "ghp_affilTestToken0123456789abcdefXYZ";
const std::string kFixtures = std::string(AFFIL_SOURCE_DIR) + "/fixtures/github";
const std::vector<std::string> kRepos = {"deepseek-ai/FlashMLA", "deepseek-ai/DeepEP", "deepseek-ai/DeepGEMM",
                                         "deepseek-ai/DualPipe", "deepseek-ai/EPLB",   "deepseek-ai/3FS"};

// A scratch folder with the token file in it.
struct Scratch {
  fs::path dir;
  Scratch() {
    char name[] = "/tmp/affil-collect-XXXXXX";
    dir = mkdtemp(name);
    std::ofstream(dir / "token") << kToken << "\n";
  }
  ~Scratch() { fs::remove_all(dir); }
  std::string operator/(const std::string& name) const { return (dir / name).string(); }
};

// The fake server, started with `flags`, killed when this goes away.
class Fake {
 public:
  explicit Fake(const Scratch& scratch, std::vector<std::string> flags = {}) : log_(scratch / "fake.log") {
    std::vector<std::string> argv = {AFFIL_FAKE_GITHUB, "--fixtures", kFixtures, "--require-token", kToken,
                                     "--log", log_};
    argv.insert(argv.end(), flags.begin(), flags.end());
    int out[2];
    REQUIRE(pipe(out) == 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      std::vector<char*> args;
      for (std::string& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    close(out[1]);
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    std::istringstream(line) >> port_ >> other_port_;
    REQUIRE_MESSAGE(port_ > 0, "fake_github did not start: " << line);
  }
  ~Fake() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> Log() const {
    std::ifstream in(log_);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
  }
  size_t Count(const std::string& text) const {
    size_t n = 0;
    for (const std::string& l : Log()) n += l.find(text) != std::string::npos;
    return n;
  }
  void ClearLog() const { std::ofstream(log_, std::ios::trunc); }

 private:
  std::string log_;
  pid_t pid_ = 0;
  int port_ = 0, other_port_ = 0;
};

struct Result {
  int status;
  std::string out, err;
  long long requests = -1, not_modified = -1, graphql = -1;
  long long account_queries = -1, accounts = -1;  // GraphQL queries for company accounts, accounts asked
};

std::vector<std::string> Args(const Fake& fake, const Scratch& scratch, std::vector<std::string> extra = {},
                              const std::vector<std::string>& repos = kRepos) {
  std::vector<std::string> args = repos;
  std::vector<std::string> common = {"--db",         scratch / "study.db", "--api-url",    fake.url(),
                                     "--token-file", scratch / "token",    "--retry-wait", "0.01"};
  args.insert(args.end(), common.begin(), common.end());
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

Result Collect(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  Result r{affil::collect::Main(args, out, err), out.str(), err.str()};
  std::smatch m;
  if (std::regex_search(r.out, m, std::regex(R"(requests: (\d+) = \d+ pull-request pages \+ (\d+) GraphQL)"))) {
    r.requests = std::stoll(m[1]);
    r.graphql = std::stoll(m[2]);
  }
  if (std::regex_search(r.out, m, std::regex(R"((\d+) GraphQL quer(?:y|ies) for (\d+) company accounts?)"))) {
    r.account_queries = std::stoll(m[1]);
    r.accounts = std::stoll(m[2]);
  }
  if (std::regex_search(r.out, m, std::regex(R"((\d+) answered 304)"))) r.not_modified = std::stoll(m[1]);
  return r;
}

std::vector<affil::io::InputRecord> Records(const std::string& db) {
  std::vector<affil::io::InputRecord> records;
  std::string error;
  REQUIRE_MESSAGE(affil::store::ReadRecords(db, &records, &error), error);
  return records;
}

std::vector<affil::io::InputRecord> ArticleRecords() {
  std::ifstream in(std::string(AFFIL_SOURCE_DIR) + "/fixtures/deepseek-oss-week/contributors.ndjson");
  affil::io::RecordReader reader(in, affil::io::RecordReader::Format::kNdjson);
  std::vector<affil::io::InputRecord> records;
  while (auto r = reader.Next()) records.push_back(std::move(*r));
  return records;
}

// The study database holds exactly the article's 92 rows: same people, same
// repositories, same merged-PR counts, same profile fields.
void CheckArticle(const std::string& db) {
  std::map<std::pair<std::string, std::string>, json> got;
  for (const auto& r : Records(db)) {
    REQUIRE(r.ok());
    CHECK_MESSAGE(got.emplace(std::make_pair(r.repo, r.profile.login), json::parse(r.json)).second,
                  "duplicate row " << r.repo << " " << r.profile.login);
  }
  CHECK(got.size() == 92);
  for (const auto& want : ArticleRecords()) {
    auto it = got.find({want.repo, want.profile.login});
    REQUIRE_MESSAGE(it != got.end(), "missing row " << want.repo << " " << want.profile.login);
    json fields = json::parse(want.json);
    for (const auto& [key, value] : fields.items()) {
      CHECK_MESSAGE(it->second[key] == value, want.profile.login << " " << key);
    }
  }
}

// The normalized tables, timestamps left out (they differ between runs).
std::string Tables(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::string dump;
  for (const char* sql :
       {"SELECT name, full_name, since, until FROM repos ORDER BY name",
        "SELECT repo, number, id, author, created_at, merged_at, commits_fetched_at IS NOT NULL FROM pulls ORDER BY 1, 2",
        "SELECT login, id, type, name, company, location, email, bio, blog, twitter_username, fetched_at IS NOT NULL "
        "FROM users ORDER BY 1",
        "SELECT * FROM commit_identities ORDER BY 1, 2, 3",
        "SELECT login, type, name, blog, location, email, description FROM accounts ORDER BY 1"}) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* t = sqlite3_column_text(stmt, i);
        dump += (t ? reinterpret_cast<const char*>(t) : "NULL") + std::string("|");
      }
      dump += "\n";
    }
    sqlite3_finalize(stmt);
    dump += "--\n";
  }
  sqlite3_close(db);
  return dump;
}

long long Scalar(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  long long v = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    v = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return v;
}

// A clean run's tables, the reference every faulty run must reach.
const std::string& CleanTables() {
  static const std::string tables = [] {
    Scratch scratch;
    Fake fake(scratch);
    Result r = Collect(Args(fake, scratch));
    REQUIRE(r.status == 0);
    return Tables(scratch / "study.db");
  }();
  return tables;
}

json Fixture(const std::string& repo) {
  std::ifstream in(kFixtures + "/repos/" + repo + ".json");
  return json::parse(in);
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("collect: the article's six repositories, within the request budget, then only 304s") {
  Scratch scratch;
  const int per_page = 30;
  Fake fake(scratch, {"--max-per-page", std::to_string(per_page)});
  Result first = Collect(Args(fake, scratch));
  INFO(first.out << first.err);
  REQUIRE(first.status == 0);
  CheckArticle(scratch / "study.db");
  CHECK(Contains(first.out, "164 merged pull requests by 84 authors (0 bots), 92 contributor rows"));

  // The budget: every repository's closed-pull pages, ⌈84/50⌉ GraphQL queries for
  // the profiles, ⌈10/50⌉ for the accounts their company fields name, a commit page
  // per merged pull (none has more than 100 commits).
  long long pages = 0, merged = 0;
  for (const std::string& repo : kRepos) {
    long long closed = 0;
    json fixture = Fixture(repo);
    for (const json& p : fixture["pulls"]) {
      closed += p["state"] == "closed";
      merged += !p["merged_at"].is_null();
    }
    pages += std::max(1LL, (closed + per_page - 1) / per_page);
  }
  long long bound = pages + (84 + 49) / 50 + (10 + 49) / 50 + merged;
  CHECK(first.requests > 0);
  CHECK(first.requests <= bound);
  CHECK(first.graphql == 2);
  CHECK(first.account_queries == 1);
  CHECK(first.accounts == 10);
  MESSAGE("requests: " << first.requests << ", bound " << pages << " + 2 + 1 + " << merged << " = " << bound
                       << "; GraphQL fetched 84 profiles in 2 requests where REST takes 84 (42x fewer)");

  fake.ClearLog();
  Result second = Collect(Args(fake, scratch));
  INFO(second.out << second.err);
  CHECK(second.status == 0);
  CHECK(second.requests == pages);
  CHECK(second.account_queries == 0);
  CHECK(second.not_modified == second.requests);
  CHECK(fake.Count(" 304 ") == fake.Log().size());
  CHECK(Tables(scratch / "study.db") == CleanTables());
}

TEST_CASE("collect: report --db gives the article's breakdowns") {
  Scratch scratch;
  Fake fake(scratch);
  REQUIRE(Collect(Args(fake, scratch)).status == 0);
  auto render = [](const std::vector<affil::io::InputRecord>& records) {
    std::vector<const affil::Profile*> identities;
    for (const auto& r : records) identities.push_back(&r.profile);
    affil::Batch batch = affil::ResolveBatch(affil::testing::RealKb(), identities, 2);
    std::vector<affil::report::Row> rows;
    for (size_t i = 0; i < records.size(); ++i) {
      rows.push_back({records[i].profile.login, records[i].repo, records[i].merged_prs, batch.person[i],
                      &batch.resolutions[batch.resolution[i]], false});
    }
    return affil::report::RenderJson(affil::report::Compute(rows));
  };
  CHECK(render(Records(scratch / "study.db")) == render(ArticleRecords()));
}

TEST_CASE("collect: --since and --until count only pulls merged in the range") {
  Scratch scratch;
  Fake fake(scratch);
  const std::string since = "2025-04-01", until = "2025-05-31";
  Result r = Collect(Args(fake, scratch, {"--since", since, "--until", until}));
  REQUIRE(r.status == 0);
  std::map<std::pair<std::string, std::string>, long long> want;
  for (const std::string& repo : kRepos) {
    json fixture = Fixture(repo);
    for (const json& p : fixture["pulls"]) {
      if (p["merged_at"].is_null()) continue;
      std::string merged = p["merged_at"];
      if (merged >= since + "T00:00:00Z" && merged <= until + "T23:59:59Z") ++want[{repo, p["user"]["login"]}];
    }
  }
  std::map<std::pair<std::string, std::string>, long long> got;
  for (const auto& rec : Records(scratch / "study.db")) got[{rec.repo, rec.profile.login}] = rec.merged_prs;
  CHECK(!want.empty());
  CHECK(got == want);
}

TEST_CASE("collect: bots are kept, flagged, and not looked up") {
  Scratch scratch;
  Fake fake(scratch);
  Result r = Collect(Args(fake, scratch, {}, {"octo-org/automation"}));
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  CHECK(Contains(r.out, "by 3 authors (1 bots)"));
  bool bot_seen = false;
  for (const auto& rec : Records(scratch / "study.db")) {
    if (rec.profile.login != "dependabot[bot]") continue;
    bot_seen = true;
    CHECK(rec.profile.type == "Bot");
    CHECK(rec.merged_prs == 2);
    CHECK(affil::testing::HasFlag(affil::testing::ResolveOne(rec.profile), "bot"));
  }
  CHECK(bot_seen);
  CHECK(r.graphql == 1);  // octocat and monalisa
}

TEST_CASE("collect: --refresh-older-than revalidates commits with ETags and refetches profiles") {
  Scratch scratch;
  Fake fake(scratch);
  REQUIRE(Collect(Args(fake, scratch)).status == 0);
  Result r = Collect(Args(fake, scratch, {"--refresh-older-than", "0s"}));
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(r.graphql == 2);
  CHECK(r.account_queries == 1);
  CHECK(r.accounts == 10);
  CHECK(r.not_modified == r.requests - 3);  // every REST page answered 304
  CheckArticle(scratch / "study.db");
  CHECK(Tables(scratch / "study.db") == CleanTables());
}

TEST_CASE("collect: the accounts that company fields name as @handles, one query for the study") {
  Scratch scratch;
  Fake fake(scratch);
  Result r = Collect(Args(fake, scratch));
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  CHECK(r.account_queries == 1);
  // @alibaba @aliyun @deepseek-ai @didi @facebook @kubernetes @NVIDIA @ppl-ai @thu-ml @vllm-project
  CHECK(r.accounts == 10);
  CHECK(fake.Count("POST /graphql 200") == 3);
  const std::string db = scratch / "study.db";
  CHECK(Scalar(db, "SELECT count(*) FROM accounts") == 10);
  CHECK(Scalar(db, "SELECT count(*) FROM accounts WHERE type = 'Organization'") == 9);
  CHECK(Scalar(db, "SELECT count(*) FROM accounts WHERE login = 'thu-ml' AND type = ''") == 1);  // names no account
  CHECK(Scalar(db, "SELECT count(*) FROM accounts WHERE login = 'NVIDIA' COLLATE BINARY") == 1);  // GitHub's spelling
  CHECK(Scalar(db, "SELECT count(*) FROM responses WHERE key LIKE '%/graphql#accounts:alibaba,aliyun,%'") == 1);

  std::map<std::string, json> rows;
  for (const auto& rec : Records(db)) rows[rec.profile.login] = json::parse(rec.json);
  CHECK(rows.at("huww98")["company_accounts"] == json::parse(R"([
    {"login": "aliyun", "type": "Organization", "name": "Alibaba Cloud", "blog": "https://www.alibabacloud.com",
     "location": "Hangzhou, China", "email": null, "description": null},
    {"login": "kubernetes", "type": "Organization", "name": "Kubernetes", "blog": "https://kubernetes.io",
     "location": null, "email": null, "description": "Production-Grade Container Scheduling and Management"}])"));
  CHECK(rows.at("sphish")["company_accounts"][0]["name"] == "DeepSeek");
  CHECK(!rows.at("jt-zhang").contains("company_accounts"));  // @thu-ml names no account
  CHECK(!rows.at("A-transformer").contains("company_accounts"));  // "BIT": no handle

  Result again = Collect(Args(fake, scratch));
  CHECK(again.status == 0);
  CHECK(again.account_queries == 0);
  CHECK(again.accounts == 0);
}

TEST_CASE("collect: a handle naming a user is stored as a User, its bio as the description") {
  Scratch scratch;
  Fake fake(scratch);
  Result r = Collect(Args(fake, scratch, {}, {"octo-org/automation"}));
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  CHECK(r.account_queries == 1);
  CHECK(r.accounts == 2);  // @github (octocat's company), @octocat (monalisa's)
  std::map<std::string, json> rows;
  for (const auto& rec : Records(scratch / "study.db")) rows[rec.profile.login] = json::parse(rec.json);
  CHECK(rows.at("monalisa")["company_accounts"] == json::parse(R"([
    {"login": "octocat", "type": "User", "name": "The Octocat", "blog": "https://github.blog",
     "location": "San Francisco", "email": null, "description": "Mona's friend, GitHub's mascot"}])"));
  CHECK(rows.at("octocat")["company_accounts"][0]["type"] == "Organization");
  CHECK(!rows.at("dependabot[bot]").contains("company_accounts"));
}

TEST_CASE("collect: a failed accounts query leaves the run partial, and a re-run completes it") {
  Scratch scratch;
  Fake fake(scratch, {"--fault", "502:2@repositoryOwner"});  // both attempts of the first accounts query
  Result r = Collect(Args(fake, scratch, {"--retries", "1"}));
  INFO(r.out << r.err);
  CHECK(r.status == 1);
  CHECK(Contains(r.err, "company accounts: "));
  CHECK(Contains(r.err, "gave up after 2 attempts; last: HTTP 502"));
  CHECK(r.account_queries == 0);
  CHECK(Contains(r.out, "1 problem; re-run to resume"));
  const std::string db = scratch / "study.db";
  CHECK(Scalar(db, "SELECT count(*) FROM accounts") == 0);
  CHECK(Scalar(db, "SELECT count(*) FROM responses WHERE key LIKE '%#accounts:%'") == 0);
  CHECK(Scalar(db, "SELECT count(*) FROM runs WHERE status = 'partial'") == 1);
  CHECK(fake.Count(" 502 ") == 2);

  Result again = Collect(Args(fake, scratch));
  INFO(again.out << again.err);
  CHECK(again.status == 0);
  CHECK(again.graphql == 0);  // the profiles were stored before the failure
  CHECK(again.account_queries == 1);
  CHECK(again.accounts == 10);
  CHECK(Tables(db) == CleanTables());
}

TEST_CASE("collect: 5xx is retried with backoff; past the limit it stops, and a re-run completes") {
  Scratch scratch;
  SUBCASE("retried") {
    Fake fake(scratch, {"--fault", "502:2@/pulls?", "--fault", "503@/graphql", "--fault", "500@/commits"});
    Result r = Collect(Args(fake, scratch));
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(Contains(r.err, "retry 1 of 5 after HTTP 502"));
    CHECK(Contains(r.out, "+ 4 retries"));
    CHECK(Tables(scratch / "study.db") == CleanTables());
  }
  SUBCASE("given up") {
    Fake fake(scratch, {"--fault", "500:3@EPLB/pulls?"});
    Result r = Collect(Args(fake, scratch, {"--retries", "2"}));
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(Contains(r.err, "deepseek-ai/EPLB pull requests: GET "));
    CHECK(Contains(r.err, "gave up after 3 attempts; last: HTTP 500"));
    CHECK(Scalar(scratch / "study.db", "SELECT count(*) FROM pulls WHERE repo = 'deepseek-ai/EPLB'") == 0);
    Result again = Collect(Args(fake, scratch));
    CHECK(again.status == 0);
    CHECK(Tables(scratch / "study.db") == CleanTables());
  }
}

TEST_CASE("collect: rate limits are waited out, each hit once") {
  Scratch scratch;
  SUBCASE("primary: 403 with x-ratelimit-remaining 0") {
    Fake fake(scratch, {"--fault", "ratelimit@DeepEP/pulls?"});
    auto start = std::chrono::steady_clock::now();
    Result r = Collect(Args(fake, scratch));
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(Contains(r.err, "rate limit (core): 0 of 5000 requests left until the reset: waiting"));
    CHECK(fake.Count(" 403 ") == 1);  // no request until the reset
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(900));
    CHECK(Tables(scratch / "study.db") == CleanTables());
  }
  SUBCASE("secondary: 429 with retry-after") {
    Fake fake(scratch, {"--fault", "secondary@/graphql"});
    Result r = Collect(Args(fake, scratch));
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(Contains(r.err, "secondary rate limit (retry-after: 1): waiting"));
    CHECK(fake.Count(" 429 ") == 1);
    CHECK(Tables(scratch / "study.db") == CleanTables());
  }
  SUBCASE("secondary: 403 with retry-after") {
    Fake fake(scratch, {"--fault", "secondary403@/commits"});
    Result r = Collect(Args(fake, scratch));
    CHECK(r.status == 0);
    CHECK(fake.Count(" 403 ") == 1);
    CHECK(Tables(scratch / "study.db") == CleanTables());
  }
}

// Once: retried and complete. Always: reported, and nothing of that page stored.
void CheckBrokenBodies(const std::string& kind, const std::string& message) {
  Scratch scratch;
  SUBCASE("once") {
    Fake fake(scratch, {"--fault", kind + "@3FS/pulls?"});
    Result r = Collect(Args(fake, scratch));
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(Contains(r.err, "retry 1 of 5 after " + message));
    CHECK(Tables(scratch / "study.db") == CleanTables());
  }
  SUBCASE("always") {
    Fake fake(scratch, {"--fault", kind + ":0@3FS/pulls?"});
    Result r = Collect(Args(fake, scratch, {"--retries", "1"}));
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(Contains(r.err, "gave up after 2 attempts; last: " + message));
    CHECK(Scalar(scratch / "study.db", "SELECT count(*) FROM pulls WHERE repo = 'deepseek-ai/3FS'") == 0);
    CHECK(Scalar(scratch / "study.db", "SELECT count(*) FROM responses WHERE key LIKE '%3FS/pulls?%'") == 0);
  }
}

TEST_CASE("collect: a truncated body is never a partial record") {
  CheckBrokenBodies("truncate", "Transferred a partial file");
}

TEST_CASE("collect: invalid JSON is never a partial record") {
  CheckBrokenBodies("badjson", "the body is not valid JSON");
}

TEST_CASE("collect: a response slower than --timeout is retried") {
  Scratch scratch;
  Fake fake(scratch, {"--fault", "slow@EPLB/pulls?", "--slow-ms", "1500"});
  Result r = Collect(Args(fake, scratch, {"--timeout", "0.5"}));
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(Contains(r.err, "Timeout"));
  CHECK(Tables(scratch / "study.db") == CleanTables());
}

TEST_CASE("collect: pagination edge cases lose and duplicate nothing") {
  Scratch scratch;
  SUBCASE("an empty last page") {
    Fake fake(scratch, {"--max-per-page", "30", "--fault", "emptylast"});
    Result r = Collect(Args(fake, scratch));
    CHECK(r.status == 0);
    CHECK(fake.Count("page=4 200") == 1);  // 3FS: 67 closed pulls, 3 pages, then the empty one
    CHECK(Tables(scratch / "study.db") == CleanTables());
  }
  SUBCASE("a Link loop") {
    Fake fake(scratch, {"--max-per-page", "30", "--fault", "linkloop@/pulls?"});
    Result r = Collect(Args(fake, scratch));
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(Contains(r.err, "the Link header leads back to a page already read"));
    CHECK(Tables(scratch / "study.db") == CleanTables());
  }
}

TEST_CASE("collect: a redirect to another host is followed without the token") {
  Scratch scratch;
  Fake fake(scratch, {"--fault", "redirect@DeepEP/pulls?"});
  Result r = Collect(Args(fake, scratch, {"--verbose"}));
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(fake.Count(" 301 ") == 1);
  CHECK(fake.Count("other GET /repos/deepseek-ai/DeepEP/pulls?") == 1);
  for (const std::string& line : fake.Log()) {
    if (line.rfind("other ", 0) == 0) CHECK_MESSAGE(Contains(line, "auth=0"), line);
    else CHECK_MESSAGE(Contains(line, "auth=1"), line);
  }
  CHECK(Contains(r.err, "no token: not the API host"));
  CHECK(Tables(scratch / "study.db") == CleanTables());
}

TEST_CASE("collect: a repository that does not exist, a rejected token") {
  Scratch scratch;
  Fake fake(scratch);
  Result missing = Collect(Args(fake, scratch, {}, {"deepseek-ai/Nope", "deepseek-ai/EPLB"}));
  INFO(missing.err);
  CHECK(missing.status == 1);
  CHECK(Contains(missing.err, "deepseek-ai/Nope pull requests: GET "));
  CHECK(Contains(missing.err, "HTTP 404 (Not Found)"));
  CHECK(Contains(missing.out, "3 contributor rows"));  // EPLB still collected

  std::ofstream(scratch / "token") << "ghp_wrong";
  Result rejected = Collect(Args(fake, scratch, {}, {"deepseek-ai/DualPipe"}));
  CHECK(rejected.status == 1);
  CHECK(Contains(rejected.err, "HTTP 401 (Bad credentials); GitHub rejected the token; stopping"));
  CHECK(!Contains(rejected.err + rejected.out, "ghp_wrong"));

  std::ofstream(scratch / "token") << "ok";  // a token inside the mask, and inside every other word
  Result masked = Collect(Args(fake, scratch, {}, {"deepseek-ai/DualPipe"}));
  CHECK(masked.status == 1);
  CHECK(!Contains(masked.err + masked.out, "ok"));
}

TEST_CASE("collect: the token never appears in output, errors, or the database") {
  Scratch scratch;
  Fake fake(scratch, {"--fault", "redirect@DualPipe/pulls?", "--fault", "502@/graphql", "--fault",
                      "ratelimit@EPLB/pulls?", "--fault", "truncate:0@FlashMLA/pulls/4/commits"});
  Result r = Collect(Args(fake, scratch, {"--verbose", "--progress", "--retries", "1"}));
  CHECK(r.status == 1);  // FlashMLA#4's commits cannot be had
  CHECK(Contains(r.err, "GET "));  // --verbose did print the requests
  CHECK(Contains(r.err, "[6/6 repos] "));  // and --progress the progress, stderr being no terminal
  CHECK(Contains(r.err, " · core "));
  CHECK(Contains(r.err, " · ETA "));
  CHECK(Contains(r.out, "waited "));
  std::string everything = r.out + r.err;
  for (const std::string& f : {scratch / "study.db", scratch / "study.db-wal", scratch / "fake.log"}) {
    std::ifstream in(f, std::ios::binary);
    everything += std::string(std::istreambuf_iterator<char>(in), {});
  }
  CHECK(!Contains(everything, kToken));
  CHECK(!Contains(everything, kToken.substr(4, 20)));

  // A token typed where an option's value goes is not echoed either.
  Result typo = Collect(Args(fake, scratch, {"--token=" + kToken}));
  CHECK(typo.status == 2);
  CHECK(!Contains(typo.err, kToken));
}

TEST_CASE("collect: the token only goes over https, or plain http on loopback") {
  Scratch scratch;
  Result r = Collect({"deepseek-ai/EPLB", "--db", scratch / "study.db", "--token-file", scratch / "token",
                      "--api-url", "http://api.example.com"});
  CHECK(r.status == 2);
  CHECK(Contains(r.err, "must be https://"));
  CHECK(!fs::exists(scratch / "study.db"));
}

TEST_CASE("collect: kill -9 at any moment, then a re-run, gives the uninterrupted run's tables") {
  Scratch scratch;
  Fake fake(scratch, {"--delay-ms", "10"});
  std::vector<std::string> args = Args(fake, scratch);
  // Killed while listing, while fetching profiles, and among the commits; each
  // run resumes what the previous ones stored.
  int killed = 0;
  for (int ms : {40, 90, 300, 500, 700}) {
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      std::ostringstream sink;
      _exit(affil::collect::Main(args, sink, sink));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    killed += WIFSIGNALED(status);
  }
  CHECK(killed >= 3);
  Result resumed = Collect(args);
  INFO(resumed.out << resumed.err);
  CHECK(resumed.status == 0);
  long long interrupted = Scalar(scratch / "study.db", "SELECT count(*) FROM runs WHERE status = 'interrupted'");
  CHECK(interrupted >= 1);
  CHECK(interrupted <= killed);
  CHECK(Scalar(scratch / "study.db", "SELECT count(*) FROM runs WHERE status = 'running'") == 0);
  CHECK(Tables(scratch / "study.db") == CleanTables());
  CheckArticle(scratch / "study.db");
}

TEST_CASE("collect: usage") {
  Scratch scratch;
  CHECK(Collect({"--help"}).status == 0);
  CHECK(Contains(Collect({"--help"}).out, "affil collect REPO... --db FILE"));
  CHECK(Collect({"--db", scratch / "x.db"}).status == 2);
  CHECK(Collect({"deepseek-ai/EPLB"}).status == 2);
  CHECK(Collect({"deepseek-ai/EPLB", "--db", scratch / "x.db", "--since", "March"}).status == 2);
  CHECK(Collect({"deepseek-ai/EPLB", "--db", scratch / "x.db", "--refresh-older-than", "7"}).status == 2);
  CHECK(Collect({"not a repo", "--db", scratch / "x.db"}).status == 2);
  Result no_token = Collect({"deepseek-ai/EPLB", "--db", scratch / "x.db", "--token-file", scratch / "absent"});
  CHECK(no_token.status == 2);
  CHECK(Contains(no_token.err, "cannot read the token file"));
}
