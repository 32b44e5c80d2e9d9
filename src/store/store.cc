#include "store/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "text/text.h"

namespace affil::store {
namespace {

constexpr const char* kSchemaVersion = "1";

// The views hold the study's definition (which pulls count) in one place, for
// the collector, ReadRecords and anyone with the sqlite3 shell alike.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS responses(
  key TEXT PRIMARY KEY, etag TEXT NOT NULL, link TEXT NOT NULL, body TEXT NOT NULL, fetched_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS repos(
  name TEXT PRIMARY KEY COLLATE NOCASE, full_name TEXT NOT NULL, since TEXT NOT NULL, until TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pulls(
  repo TEXT NOT NULL COLLATE NOCASE, number INTEGER NOT NULL, id INTEGER NOT NULL, author TEXT NOT NULL COLLATE NOCASE,
  created_at TEXT NOT NULL, merged_at TEXT NOT NULL, commits_fetched_at INTEGER, PRIMARY KEY(repo, number));
CREATE TABLE IF NOT EXISTS users(
  login TEXT PRIMARY KEY COLLATE NOCASE, id INTEGER NOT NULL, type TEXT NOT NULL, name TEXT, company TEXT,
  location TEXT, email TEXT, bio TEXT, blog TEXT, twitter_username TEXT, fetched_at INTEGER);
CREATE TABLE IF NOT EXISTS commit_identities(
  repo TEXT NOT NULL COLLATE NOCASE, number INTEGER NOT NULL, sha TEXT NOT NULL, login TEXT NOT NULL COLLATE NOCASE,
  name TEXT NOT NULL, email TEXT NOT NULL, authored_at TEXT NOT NULL, PRIMARY KEY(repo, number, sha));
CREATE TABLE IF NOT EXISTS accounts(
  login TEXT PRIMARY KEY COLLATE NOCASE, type TEXT NOT NULL, name TEXT, blog TEXT, location TEXT, email TEXT,
  description TEXT, fetched_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS runs(
  id INTEGER PRIMARY KEY, started_at INTEGER NOT NULL, finished_at INTEGER, command TEXT NOT NULL,
  status TEXT NOT NULL, requests INTEGER, not_modified INTEGER, message TEXT);
CREATE VIEW IF NOT EXISTS study_pulls AS
  SELECT p.*, r.full_name FROM pulls p JOIN repos r ON r.name = p.repo
  WHERE (r.since = '' OR p.merged_at >= r.since) AND (r.until = '' OR p.merged_at <= r.until);
CREATE VIEW IF NOT EXISTS contributions AS
  SELECT full_name AS repo, author AS login, count(*) AS merged_prs FROM study_pulls GROUP BY full_name, author;
)sql";

// A prepared statement; parameters bind in order.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) Fail("preparing");
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(const std::string& s) {
    sqlite3_bind_text(stmt_, ++bound_, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(const char* s) { return Bind(std::string(s)); }
  Statement& Bind(long long v) {
    sqlite3_bind_int64(stmt_, ++bound_, v);
    return *this;
  }
  Statement& Bind(const std::optional<std::string>& s) {
    if (s) return Bind(*s);
    sqlite3_bind_null(stmt_, ++bound_);
    return *this;
  }
  Statement& Bind(const std::vector<std::string>& list) {
    for (const std::string& s : list) Bind(s);
    return *this;
  }

  // True while there is a row to read.
  bool Step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) Fail("running");
    return false;
  }
  void Run() {
    while (Step()) {
    }
  }
  // Ready to bind and run again.
  Statement& Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bound_ = 0;
    return *this;
  }

  bool Null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  long long Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    return text ? std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column)) : "";
  }

 private:
  [[noreturn]] void Fail(const char* doing) const {
    throw Error(std::string("SQLite error ") + doing + " a statement: " + sqlite3_errmsg(db_));
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int bound_ = 0;
};

void Exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string what = message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    throw Error("SQLite: " + what);
  }
}

// "?,?,?" for an IN list of `n` values (at least one, so that the SQL stays valid).
std::string Placeholders(size_t n) {
  std::string s = "?";
  for (size_t i = 1; i < n; ++i) s += ",?";
  return s;
}

nlohmann::ordered_json TextOrNull(const Statement& statement, int column) {
  return statement.Null(column) ? nlohmann::ordered_json() : nlohmann::ordered_json(statement.Text(column));
}

// The @handles of a company field, without the '@', lower-cased, in text order,
// each once. Folded first, so that a full-width ＠ counts too.
std::vector<std::string> CompanyHandles(const std::string& company) {
  std::string folded = text::Fold(company).text;
  std::vector<std::string> handles;
  for (const text::Span& span : text::FindHandles(folded)) {
    std::string handle = text::AsciiLower(folded.substr(span.begin + 1, span.end - span.begin - 1));
    if (std::find(handles.begin(), handles.end(), handle) == handles.end()) handles.push_back(handle);
  }
  return handles;
}

// Opens `path` and checks it is a study database (or, when `create`, an empty
// file that becomes one). Null and *error otherwise.
sqlite3* OpenStudy(const std::string& path, bool create, std::string* error) {
  sqlite3* db = nullptr;
  int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    *error = path + ": cannot open: " + (db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_busy_timeout(db, 10000);
  try {
    Statement tables(db, "SELECT count(*), count(CASE WHEN name = 'meta' THEN 1 END) FROM sqlite_master");
    tables.Step();
    bool empty = tables.Int(0) == 0, has_meta = tables.Int(1) > 0;
    std::string version;
    if (has_meta) {
      Statement meta(db, "SELECT value FROM meta WHERE key = 'schema'");
      if (meta.Step()) version = meta.Text(0);
    }
    if (!(create && empty) && version != kSchemaVersion) {
      *error = path + ": not a study database (" +
               (version.empty() ? std::string("no affil schema") : "schema " + version + ", expected " + kSchemaVersion) +
               "); `affil collect --db` writes one";
      sqlite3_close(db);
      return nullptr;
    }
  } catch (const Error&) {
    *error = path + ": not a study database: " + sqlite3_errmsg(db);
    sqlite3_close(db);
    return nullptr;
  }
  return db;
}

}  // namespace

bool ReadRecords(const std::string& db_path, std::vector<affil::io::InputRecord>* records, std::string* error) {
  sqlite3* db = OpenStudy(db_path, /*create=*/false, error);
  if (!db) return false;
  try {
    Statement rows(db, R"sql(
      SELECT c.repo, u.login, u.id, u.name, u.company, u.location, u.email, u.bio, u.blog, u.twitter_username,
             u.type, c.merged_prs
      FROM contributions c JOIN users u ON u.login = c.login
      ORDER BY c.repo, u.login)sql");
    // Commit e-mails of the author's own commits (or unlinked ones) in their pulls.
    Statement emails(db, R"sql(
      SELECT min(ci.email) FROM commit_identities ci
      JOIN study_pulls p ON p.repo = ci.repo AND p.number = ci.number
      WHERE p.full_name = ? AND p.author = ? AND (ci.login = '' OR ci.login = p.author) AND ci.email != ''
      GROUP BY lower(ci.email) ORDER BY lower(ci.email))sql");
    // Study files written before the accounts table existed lack it until the next collect.
    Statement has_accounts(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'accounts'");
    has_accounts.Step();
    std::optional<Statement> account;
    if (has_accounts.Int(0)) {
      account.emplace(db, "SELECT login, type, name, blog, location, email, description FROM accounts "
                          "WHERE login = ? AND type != ''");
    }
    while (rows.Step()) {
      nlohmann::ordered_json row;
      row["login"] = rows.Text(1);
      row["id"] = rows.Int(2);
      static const char* const kFields[] = {"name", "company", "location", "email", "bio", "blog", "twitter_username"};
      for (int i = 0; i < 7; ++i) row[kFields[i]] = TextOrNull(rows, 3 + i);
      row["type"] = rows.Text(10);
      row["repo"] = rows.Text(0);
      row["merged_prs"] = rows.Int(11);
      row["commit_emails"] = nlohmann::ordered_json::array();
      emails.Reset().Bind(rows.Text(0)).Bind(rows.Text(1));
      while (emails.Step()) row["commit_emails"].push_back(emails.Text(0));
      // Only when there are some, so that studies without them read as before.
      nlohmann::ordered_json accounts = nlohmann::ordered_json::array();
      std::vector<std::string> handles;
      if (account && !rows.Null(4)) handles = CompanyHandles(rows.Text(4));
      for (const std::string& handle : handles) {
        if (!account->Reset().Bind(handle).Step()) continue;
        static const char* const kAccountFields[] = {"login", "type", "name", "blog", "location", "email",
                                                     "description"};
        nlohmann::ordered_json& a = accounts.emplace_back();
        for (int i = 0; i < 7; ++i) a[kAccountFields[i]] = TextOrNull(*account, i);
      }
      if (!accounts.empty()) row["company_accounts"] = std::move(accounts);
      records->push_back(affil::io::ParseJsonLine(row.dump(), records->size() + 1));
    }
  } catch (const Error& e) {
    *error = db_path + ": " + e.what();
    sqlite3_close(db);
    return false;
  }
  sqlite3_close(db);
  return true;
}

std::unique_ptr<Database> Database::Open(const std::string& path, std::string* error) {
  sqlite3* db = OpenStudy(path, /*create=*/true, error);
  if (!db) return nullptr;
  std::unique_ptr<Database> database(new Database(db));
  try {
    {
      Statement wal(db, "PRAGMA journal_mode=WAL");
      if (!wal.Step() || wal.Text(0) != "wal") throw Error("cannot switch to WAL mode");
    }
    // With WAL, NORMAL survives a killed process (only a power cut may lose the
    // last transactions), and costs no fsync per page.
    Exec(db, "PRAGMA synchronous=NORMAL");
    Exec(db, "BEGIN IMMEDIATE");
    Exec(db, kSchema);
    Statement(db, "INSERT OR IGNORE INTO meta VALUES('schema', ?)").Bind(kSchemaVersion).Run();
    Exec(db, "COMMIT");
  } catch (const Error& e) {
    *error = path + ": " + e.what();
    return nullptr;
  }
  return database;
}

Database::~Database() { sqlite3_close(db_); }

Database::Transaction::Transaction(Database& db) : db_(db) { Exec(db_.db_, "BEGIN IMMEDIATE"); }

Database::Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Database::Transaction::Commit() {
  Exec(db_.db_, "COMMIT");
  done_ = true;
}

std::optional<Response> Database::GetResponse(const std::string& key) {
  Statement q(db_, "SELECT etag, link, body, fetched_at FROM responses WHERE key = ?");
  if (!q.Bind(key).Step()) return std::nullopt;
  return Response{q.Text(0), q.Text(1), q.Text(2), q.Int(3)};
}

void Database::PutResponse(const std::string& key, const Response& r) {
  Statement(db_, "INSERT OR REPLACE INTO responses VALUES(?, ?, ?, ?, ?)")
      .Bind(key).Bind(r.etag).Bind(r.link).Bind(r.body).Bind(r.fetched_at).Run();
}

void Database::TouchResponse(const std::string& key, long long fetched_at) {
  Statement(db_, "UPDATE responses SET fetched_at = ? WHERE key = ?").Bind(fetched_at).Bind(key).Run();
}

void Database::PutRepo(const std::string& name, const std::string& since, const std::string& until) {
  Statement(db_, R"sql(INSERT INTO repos VALUES(?, ?, ?, ?)
                       ON CONFLICT(name) DO UPDATE SET since = excluded.since, until = excluded.until)sql")
      .Bind(name).Bind(name).Bind(since).Bind(until).Run();
}

void Database::SetFullName(const std::string& repo, const std::string& full_name) {
  Statement(db_, "UPDATE repos SET full_name = ? WHERE name = ?").Bind(full_name).Bind(repo).Run();
}

void Database::PutPull(const std::string& repo, const Pull& p) {
  Statement(db_, R"sql(INSERT INTO pulls(repo, number, id, author, created_at, merged_at) VALUES(?, ?, ?, ?, ?, ?)
                       ON CONFLICT(repo, number) DO UPDATE SET id = excluded.id, author = excluded.author,
                         created_at = excluded.created_at, merged_at = excluded.merged_at)sql")
      .Bind(repo).Bind(p.number).Bind(p.id).Bind(p.author).Bind(p.created_at).Bind(p.merged_at).Run();
  Statement(db_, "INSERT OR IGNORE INTO users(login, id, type) VALUES(?, ?, ?)")
      .Bind(p.author).Bind(p.author_id).Bind(p.author_type).Run();
}

void Database::PutCommits(const std::string& repo, long long number, const std::vector<CommitIdentity>& commits) {
  Statement put(db_, "INSERT OR REPLACE INTO commit_identities VALUES(?, ?, ?, ?, ?, ?, ?)");
  for (const CommitIdentity& c : commits) {
    put.Reset().Bind(repo).Bind(number).Bind(c.sha).Bind(c.login).Bind(c.name).Bind(c.email).Bind(c.authored_at).Run();
  }
}

void Database::MarkCommitsFetched(const std::string& repo, long long number, long long at) {
  Statement(db_, "UPDATE pulls SET commits_fetched_at = ? WHERE repo = ? AND number = ?")
      .Bind(at).Bind(repo).Bind(number).Run();
}

void Database::PutProfile(const UserProfile& u, long long fetched_at) {
  Statement(db_, R"sql(INSERT OR REPLACE INTO users VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql")
      .Bind(u.login).Bind(u.id).Bind(u.type).Bind(u.name).Bind(u.company).Bind(u.location).Bind(u.email)
      .Bind(u.bio).Bind(u.blog).Bind(u.twitter_username).Bind(fetched_at).Run();
}

void Database::MarkProfileMissing(const std::string& login, long long at) {
  Statement(db_, "UPDATE users SET fetched_at = ? WHERE login = ?").Bind(at).Bind(login).Run();
}

void Database::PutAccount(const Account& a, long long fetched_at) {
  Statement(db_, "INSERT OR REPLACE INTO accounts VALUES(?, ?, ?, ?, ?, ?, ?, ?)")
      .Bind(a.login).Bind(a.type).Bind(a.name).Bind(a.blog).Bind(a.location).Bind(a.email).Bind(a.description)
      .Bind(fetched_at).Run();
}

std::vector<std::string> Database::UsersToFetch(const std::vector<std::string>& repos, long long fetched_before) {
  Statement q(db_, R"sql(
    SELECT DISTINCT u.login FROM users u JOIN study_pulls p ON p.author = u.login
    WHERE p.repo IN ()sql" + Placeholders(repos.size()) + R"sql() AND u.type != 'Bot' AND u.login NOT LIKE '%[bot]'
      AND (u.fetched_at IS NULL OR u.fetched_at <= ?)
    ORDER BY u.login)sql");
  q.Bind(repos).Bind(fetched_before);
  std::vector<std::string> logins;
  while (q.Step()) logins.push_back(q.Text(0));
  return logins;
}

std::vector<std::string> Database::AccountsToFetch(const std::vector<std::string>& repos, long long fetched_before) {
  Statement companies(db_, R"sql(
    SELECT DISTINCT u.company FROM users u JOIN study_pulls p ON p.author = u.login
    WHERE p.repo IN ()sql" + Placeholders(repos.size()) + ") AND u.company IS NOT NULL");
  companies.Bind(repos);
  std::set<std::string> handles;
  while (companies.Step()) {
    for (std::string& handle : CompanyHandles(companies.Text(0))) handles.insert(std::move(handle));
  }
  Statement fresh(db_, "SELECT 1 FROM accounts WHERE login = ? AND fetched_at > ?");
  std::vector<std::string> due;
  for (const std::string& handle : handles) {
    if (!fresh.Reset().Bind(handle).Bind(fetched_before).Step()) due.push_back(handle);
  }
  return due;
}

std::vector<PullRef> Database::PullsToFetchCommits(const std::vector<std::string>& repos, long long fetched_before) {
  Statement q(db_, R"sql(
    SELECT repo, full_name, number FROM study_pulls
    WHERE repo IN ()sql" + Placeholders(repos.size()) + R"sql() AND (commits_fetched_at IS NULL OR commits_fetched_at <= ?)
    ORDER BY repo, number)sql");
  q.Bind(repos).Bind(fetched_before);
  std::vector<PullRef> pulls;
  while (q.Step()) pulls.push_back({q.Text(0), q.Text(1), q.Int(2)});
  return pulls;
}

Totals Database::Count(const std::vector<std::string>& repos) {
  std::string in = "IN (" + Placeholders(repos.size()) + ")";
  Statement q(db_, R"sql(
    SELECT count(*), count(DISTINCT p.author),
           count(DISTINCT CASE WHEN u.type = 'Bot' OR u.login LIKE '%[bot]' THEN u.login END),
           count(DISTINCT p.repo || '/' || lower(p.author)),
           (SELECT count(DISTINCT lower(ci.email)) FROM commit_identities ci
            JOIN study_pulls s ON s.repo = ci.repo AND s.number = ci.number WHERE s.repo )sql" + in + R"sql()
    FROM study_pulls p JOIN users u ON u.login = p.author WHERE p.repo )sql" + in);
  q.Bind(repos).Bind(repos).Step();
  return {q.Int(0), q.Int(1), q.Int(2), q.Int(3), q.Int(4)};
}

long long Database::StartRun(const std::string& command, long long at) {
  Exec(db_, "UPDATE runs SET status = 'interrupted' WHERE status = 'running'");
  Statement(db_, "INSERT INTO runs(started_at, command, status) VALUES(?, ?, 'running')").Bind(at).Bind(command).Run();
  return sqlite3_last_insert_rowid(db_);
}

void Database::FinishRun(long long run, long long at, const std::string& status, long long requests,
                         long long not_modified, const std::string& message) {
  Statement(db_, R"sql(UPDATE runs SET finished_at = ?, status = ?, requests = ?, not_modified = ?, message = ?
                       WHERE id = ?)sql")
      .Bind(at).Bind(status).Bind(requests).Bind(not_modified).Bind(message).Bind(run).Run();
}

}  // namespace affil::store
