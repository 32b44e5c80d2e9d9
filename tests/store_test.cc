// The study database: what ReadRecords makes of the stored rows, and that it
// refuses files that are not study databases.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace {

namespace fs = std::filesystem;
using affil::store::Database;

struct TempDb {
  fs::path dir;
  TempDb() {
    char name[] = "/tmp/affil-store-XXXXXX";
    dir = mkdtemp(name);
  }
  ~TempDb() { fs::remove_all(dir); }
  std::string path() const { return (dir / "study.db").string(); }
};

affil::store::Pull MakePull(long long number, const std::string& author, const std::string& merged_at,
                            const std::string& type = "User") {
  return {number, 1000 + number, author, 7, type, "2025-01-01T00:00:00Z", merged_at};
}

}  // namespace

TEST_CASE("store: contribution rows per (repo, author), in range, with the author's commit e-mails") {
  TempDb t;
  std::string error;
  {
    auto db = Database::Open(t.path(), &error);
    REQUIRE_MESSAGE(db, error);
    Database::Transaction tx(*db);
    db->PutRepo("acme/Zeta", "2025-03-01T00:00:00Z", "");
    db->PutRepo("acme/alpha", "", "");
    db->SetFullName("acme/alpha", "acme/Alpha");
    db->PutPull("acme/Zeta", MakePull(1, "bob", "2025-02-01T00:00:00Z"));  // before --since
    db->PutPull("acme/Zeta", MakePull(2, "bob", "2025-03-02T00:00:00Z"));
    db->PutPull("acme/Zeta", MakePull(3, "Bob", "2025-03-03T00:00:00Z"));  // logins are case-insensitive
    db->PutPull("acme/alpha", MakePull(1, "carol", "2025-03-02T00:00:00Z"));
    db->PutPull("acme/alpha", MakePull(2, "bot[bot]", "2025-03-02T00:00:00Z", "Bot"));
    db->PutPull("acme/alpha", MakePull(3, "Alice", "2025-03-02T00:00:00Z"));
    affil::store::UserProfile bob;
    bob.login = "bob";
    bob.id = 7;
    bob.company = "Acme";
    bob.blog = "";
    db->PutProfile(bob, 100);
    db->PutCommits("acme/Zeta", 2, {{"s1", "bob", "Bob", "bob@acme.example", "t"},
                                    {"s2", "", "Bob", "BOB@acme.example", "t"},           // unlinked, same address
                                    {"s3", "dave", "Dave", "dave@other.example", "t"}});  // someone else's commit
    db->PutCommits("acme/Zeta", 1, {{"s0", "bob", "Bob", "old@acme.example", "t"}});      // out of range
    tx.Commit();

    CHECK(db->UsersToFetch({"acme/Zeta", "acme/alpha"}, 0) == std::vector<std::string>{"Alice", "carol"});
    CHECK(db->UsersToFetch({"acme/Zeta"}, 200) == std::vector<std::string>{"bob"});
    CHECK(db->PullsToFetchCommits({"acme/Zeta"}, 0).size() == 2);
    affil::store::Totals totals = db->Count({"acme/Zeta", "acme/alpha"});
    CHECK(totals.pulls == 5);
    CHECK(totals.bots == 1);
    CHECK(totals.rows == 4);
  }
  std::vector<affil::io::InputRecord> records;
  REQUIRE_MESSAGE(affil::store::ReadRecords(t.path(), &records, &error), error);
  REQUIRE(records.size() == 4);
  CHECK(records[0].repo == "acme/Alpha");
  CHECK(records[0].profile.login == "Alice");
  CHECK(records[1].profile.login == "bot[bot]");
  CHECK(records[1].profile.type == "Bot");
  CHECK(records[2].profile.login == "carol");
  const affil::io::InputRecord& b = records[3];
  CHECK(b.repo == "acme/Zeta");
  CHECK(b.profile.login == "bob");
  CHECK(b.merged_prs == 2);
  CHECK(b.profile.company == "Acme");
  CHECK(b.profile.commit_emails == std::vector<std::string>{"BOB@acme.example"});
  CHECK(b.line == 4);
  CHECK(b.text == b.json);
  auto j = nlohmann::json::parse(b.json);
  CHECK(j["location"].is_null());
  CHECK(j["blog"] == "");
  CHECK(j["merged_prs"] == 2);
  CHECK(nlohmann::json::parse(records[2].json)["blog"].is_null());  // never fetched
}

TEST_CASE("store: the accounts that company fields name as @handles") {
  TempDb t;
  std::string error;
  {
    auto db = Database::Open(t.path(), &error);
    REQUIRE_MESSAGE(db, error);
    Database::Transaction tx(*db);
    db->PutRepo("acme/x", "2025-03-01T00:00:00Z", "");
    db->PutPull("acme/x", MakePull(1, "bob", "2025-03-02T00:00:00Z"));
    db->PutPull("acme/x", MakePull(2, "carol", "2025-03-02T00:00:00Z"));
    db->PutPull("acme/x", MakePull(3, "dave", "2025-03-02T00:00:00Z"));
    db->PutPull("acme/x", MakePull(4, "erin", "2025-02-01T00:00:00Z"));  // before --since: not in the study
    auto profile = [&](const std::string& login, const std::string& company) {
      affil::store::UserProfile u;
      u.login = login;
      u.company = company;
      db->PutProfile(u, 100);
    };
    profile("bob", "Infra @Acme-Corp, ex-@globex; @acme-corp again");
    profile("carol", "＠Initech (full-width)");
    profile("dave", "dave@acme.example");  // an e-mail address, no handle
    profile("erin", "@Umbrella");
    tx.Commit();

    CHECK(db->AccountsToFetch({"acme/x"}, -1) == std::vector<std::string>{"acme-corp", "globex", "initech"});
    Database::Transaction put(*db);
    db->PutAccount({"Acme-Corp", "Organization", "Acme Corporation", "https://acme.example", std::nullopt,
                    std::nullopt, "Makers of everything"}, 200);
    db->PutAccount({"globex", "", {}, {}, {}, {}, {}}, 200);  // names no account
    db->PutAccount({"initech", "User", "Peter", std::nullopt, "Austin", std::nullopt, "TPS reports"}, 300);
    put.Commit();
    CHECK(db->AccountsToFetch({"acme/x"}, -1).empty());
    CHECK(db->AccountsToFetch({"acme/x"}, 200) == std::vector<std::string>{"acme-corp", "globex"});  // at or before
    CHECK(db->AccountsToFetch({"acme/x"}, 300).size() == 3);
  }
  std::vector<affil::io::InputRecord> records;
  REQUIRE_MESSAGE(affil::store::ReadRecords(t.path(), &records, &error), error);
  REQUIRE(records.size() == 3);
  auto json_of = [&](const std::string& login) {
    for (const auto& r : records) {
      if (r.profile.login == login) return nlohmann::json::parse(r.json);
    }
    FAIL("no record for " << login);
    return nlohmann::json();
  };
  // In text order, each handle once, only those naming an account; the login as stored.
  CHECK(json_of("bob")["company_accounts"] ==
        nlohmann::json::parse(R"([{"login": "Acme-Corp", "type": "Organization", "name": "Acme Corporation",
                                   "blog": "https://acme.example", "location": null, "email": null,
                                   "description": "Makers of everything"}])"));
  CHECK(json_of("carol")["company_accounts"][0]["type"] == "User");
  CHECK(json_of("carol")["company_accounts"][0]["description"] == "TPS reports");
  CHECK(!json_of("dave").contains("company_accounts"));
}

TEST_CASE("store: a study written before the accounts table reads as before") {
  TempDb t;
  std::string error;
  {
    auto db = Database::Open(t.path(), &error);
    REQUIRE_MESSAGE(db, error);
    db->PutRepo("acme/x", "", "");
    db->PutPull("acme/x", MakePull(1, "bob", "2025-03-02T00:00:00Z"));
    affil::store::UserProfile bob;
    bob.login = "bob";
    bob.company = "@acme";
    db->PutProfile(bob, 100);
  }
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(t.path().c_str(), &raw) == SQLITE_OK);
  CHECK(sqlite3_exec(raw, "DROP TABLE accounts", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  std::vector<affil::io::InputRecord> records;
  REQUIRE_MESSAGE(affil::store::ReadRecords(t.path(), &records, &error), error);
  REQUIRE(records.size() == 1);
  CHECK(!nlohmann::json::parse(records[0].json).contains("company_accounts"));
  auto db = Database::Open(t.path(), &error);  // the next collect adds the table
  REQUIRE_MESSAGE(db, error);
  CHECK(db->AccountsToFetch({"acme/x"}, -1) == std::vector<std::string>{"acme"});
}

TEST_CASE("store: a transaction not committed leaves nothing") {
  TempDb t;
  std::string error;
  auto db = Database::Open(t.path(), &error);
  REQUIRE(db);
  {
    Database::Transaction tx(*db);
    db->PutRepo("acme/x", "", "");
    db->PutResponse("https://api.example/x", {"W/\"1\"", "", "[]", 5});
  }
  CHECK(!db->GetResponse("https://api.example/x"));
  CHECK(db->Count({"acme/x"}).pulls == 0);
}

TEST_CASE("store: runs left running by a killed process become interrupted") {
  TempDb t;
  std::string error;
  auto db = Database::Open(t.path(), &error);
  REQUIRE(db);
  long long first = db->StartRun("affil collect a/b", 1);
  long long second = db->StartRun("affil collect a/b", 2);
  CHECK(second > first);
  db->FinishRun(second, 3, "ok", 10, 4, "");
}

TEST_CASE("store: files that are not study databases are refused") {
  TempDb t;
  std::vector<affil::io::InputRecord> records;
  std::string error;
  CHECK(!affil::store::ReadRecords((t.dir / "absent.db").string(), &records, &error));
  CHECK(error.find("cannot open") != std::string::npos);

  std::ofstream(t.dir / "text.db") << "login,repo\nbob,acme/x\n";
  error.clear();
  CHECK(!affil::store::ReadRecords((t.dir / "text.db").string(), &records, &error));
  CHECK(error.find("not a study database") != std::string::npos);
  CHECK(!Database::Open((t.dir / "text.db").string(), &error));

  {
    auto db = Database::Open(t.path(), &error);  // an empty study reads as no rows
    REQUIRE(db);
  }
  CHECK(affil::store::ReadRecords(t.path(), &records, &error));
  CHECK(records.empty());
}
