// store: the study database, one SQLite file written by `affil collect` and read
// by `affil resolve --db` / `affil report --db`.
//
// Schema (also readable with the sqlite3 shell):
//   meta(key, value)                  ('schema', '1') marks a study database
//   responses(key, etag, link, body, fetched_at)
//                                     raw API responses by URL (GraphQL: URL#logins,
//                                     URL#accounts:logins),
//                                     with the ETag to revalidate them and the Link
//                                     header to page on after a 304
//   repos(name, full_name, since, until)
//                                     each repository asked for (name as given, any
//                                     case), GitHub's spelling, and the merge-date range
//                                     of the study ('' = open); ISO 8601 UTC strings
//   pulls(repo, number, id, author, created_at, merged_at, commits_fetched_at)
//                                     every merged pull request listed, in range or not
//   users(login, id, type, name, company, location, email, bio, blog,
//         twitter_username, fetched_at)
//                                     pull-request authors; the profile columns are
//                                     filled once fetched (fetched_at not null); bots
//                                     keep type 'Bot' and only what the pull said
//   commit_identities(repo, number, sha, login, name, email, authored_at)
//                                     the Git author of each commit of a merged pull
//   accounts(login, type, name, blog, location, email, description, fetched_at)
//                                     the GitHub accounts that authors' company fields
//                                     name as @handles; type 'Organization' or 'User',
//                                     or '' when the handle names no account
//   runs(id, started_at, finished_at, command, status, requests, not_modified, message)
// Views: study_pulls (merged pulls inside their repository's range) and
// contributions(repo, login, merged_prs), the article's table.
//
// Writes happen in explicit transactions, one per fetched page, in WAL mode:
// a process killed at any moment leaves every page either wholly stored or not
// at all. Times are Unix seconds.
#ifndef AFFIL_STORE_STORE_H_
#define AFFIL_STORE_STORE_H_

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/records.h"

struct sqlite3;

namespace affil::store {

// Reads a study database's contribution rows as input records, one per (author, repo),
// in a stable order (repo, then login): profile fields, repo, merged_prs, commit_emails,
// `json` = the row as a JSON object (the GitHub user object plus repo/merged_prs/
// commit_emails, and company_accounts when the company field's @handles name stored
// accounts), `text` = the same. false + *error when the file is not a study database.
bool ReadRecords(const std::string& db_path, std::vector<affil::io::InputRecord>* records, std::string* error);

// A SQLite failure while writing (disk full, a corrupt file): what was being done
// and SQLite's message.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A stored API response.
struct Response {
  std::string etag;  // empty when the server sent none
  std::string link;  // the Link header, empty when the list had one page
  std::string body;
  long long fetched_at = 0;  // fetched or last revalidated
};

// A merged pull request as the list endpoint shows it.
struct Pull {
  long long number = 0;
  long long id = 0;
  std::string author;       // login
  long long author_id = 0;
  std::string author_type;  // "User" or "Bot"
  std::string created_at;
  std::string merged_at;
};

// The Git author of one commit. `login` is the GitHub account the commit is
// linked to, empty when none is.
struct CommitIdentity {
  std::string sha, login, name, email, authored_at;
};

// A user profile as fetched; nullopt fields are unset on GitHub.
struct UserProfile {
  std::string login;
  long long id = 0;
  std::string type = "User";
  std::optional<std::string> name, company, location, email, bio, blog, twitter_username;
};

// A GitHub account that an @handle of a company field names, as fetched. `type` is
// "Organization" or "User" as GitHub says, or "" when the handle names no account;
// nullopt fields are unset on GitHub (a User's `description` is its bio).
struct Account {
  std::string login;
  std::string type;
  std::optional<std::string> name, blog, location, email, description;
};

// A pull request of the study whose commits are still to be stored.
struct PullRef {
  std::string repo;       // as given (repos.name)
  std::string full_name;  // GitHub's spelling, for URLs
  long long number = 0;
};

// Totals of what the study holds, for the collector's summary.
struct Totals {
  long long pulls = 0;         // merged pulls in range
  long long authors = 0;       // distinct authors of those
  long long bots = 0;          // of which bots
  long long rows = 0;          // contribution rows (author, repo)
  long long identities = 0;    // distinct commit e-mails
};

// The writer. Every method throws Error when SQLite fails.
class Database {
 public:
  // Opens `path` for writing, creating the file and schema when missing. Null
  // and *error when it cannot be opened or is some other SQLite file.
  static std::unique_ptr<Database> Open(const std::string& path, std::string* error);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // One transaction; Commit() makes it durable, anything else (including the
  // object going away first) rolls it back.
  class Transaction {
   public:
    explicit Transaction(Database& db);
    ~Transaction();
    void Commit();

   private:
    Database& db_;
    bool done_ = false;
  };

  std::optional<Response> GetResponse(const std::string& key);
  void PutResponse(const std::string& key, const Response& response);
  void TouchResponse(const std::string& key, long long fetched_at);  // a 304 revalidated it

  // Records a repository of the study and its merge-date range ('' = open).
  void PutRepo(const std::string& name, const std::string& since, const std::string& until);
  void SetFullName(const std::string& repo, const std::string& full_name);

  // Upserts a merged pull and makes sure its author has a users row.
  void PutPull(const std::string& repo, const Pull& pull);
  // Stores one page of a pull's commits (a page fetched again replaces its rows).
  void PutCommits(const std::string& repo, long long number, const std::vector<CommitIdentity>& commits);
  void MarkCommitsFetched(const std::string& repo, long long number, long long at);
  void PutProfile(const UserProfile& profile, long long fetched_at);
  // Marks a login GraphQL could not resolve (renamed or deleted) as looked up.
  void MarkProfileMissing(const std::string& login, long long at);
  void PutAccount(const Account& account, long long fetched_at);

  // Non-bot authors of the study's pulls in `repos` whose profile is missing or
  // was fetched at or before `fetched_before`, by login.
  std::vector<std::string> UsersToFetch(const std::vector<std::string>& repos, long long fetched_before);
  // The @handles in the company fields of the authors of the study's pulls in
  // `repos` (without the '@', lower-cased, sorted, each once) that have no account
  // row or one fetched at or before `fetched_before`.
  std::vector<std::string> AccountsToFetch(const std::vector<std::string>& repos, long long fetched_before);
  // The study's pulls in `repos` whose commits are missing or were stored at or
  // before `fetched_before`, by repository and number.
  std::vector<PullRef> PullsToFetchCommits(const std::vector<std::string>& repos, long long fetched_before);
  Totals Count(const std::vector<std::string>& repos);

  // Starts a run (runs left 'running' by a killed process become 'interrupted').
  long long StartRun(const std::string& command, long long at);
  void FinishRun(long long run, long long at, const std::string& status, long long requests, long long not_modified,
                 const std::string& message);

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace affil::store

#endif  // AFFIL_STORE_STORE_H_
