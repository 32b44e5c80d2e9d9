#include "collect/collect.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <sstream>

#include "collect/github.h"
#include "store/store.h"
#include "text/text.h"

namespace affil::collect {
namespace {

using json = nlohmann::json;

constexpr size_t kLoginsPerQuery = 50;

constexpr const char* kHelp = R"(affil collect REPO... --db FILE [options]

Collects, per repository (OWNER/NAME or https://github.com/OWNER/NAME), the merged
pull requests, their authors' profiles, the GitHub accounts their company fields
name (@deepseek-ai) and the author e-mails of their commits into a study database;
then `affil report --db FILE` breaks the contributors down.

Re-running resumes: stored pull-request lists are revalidated with their ETags
(a 304 costs no rate limit), stored profiles, accounts and commits are not
fetched again.

Options:
  --db FILE                    the study database (SQLite; created when missing)
  --since DATE, --until DATE   count pulls merged in this range (YYYY-MM-DD, or
                               YYYY-MM-DDTHH:MM:SSZ; UTC; both ends included)
  --token-file FILE            read the token from FILE (default: $GITHUB_TOKEN); it
                               is only ever sent to the API host, over https
  --api-url URL                REST base (default: $GITHUB_API_URL, else
                               https://api.github.com; Enterprise: https://HOST/api/v3)
  --refresh-older-than AGE     revalidate stored commits and refetch profiles and
                               accounts stored AGE or more ago (30s, 15m, 12h, 7d,
                               2w; 0s: all)
  --timeout SECONDS            per request (default 60)
  --retries N                  retries of timeouts, 5xx and broken bodies (default 5)
  --retry-wait SECONDS         first backoff, doubled each retry, with jitter (default 1)
  --progress                   show progress even when stderr is not a terminal
  --verbose                    one line per request on stderr (never a header or the token)

Exit status: 0 everything collected; 1 something could not be (each said on
stderr; re-run to resume); 2 usage error.

Example:
  GITHUB_TOKEN=... affil collect deepseek-ai/FlashMLA deepseek-ai/DeepEP --db study.db
  affil report --db study.db
)";

struct Options {
  std::vector<std::string> repos;
  std::string db, since, until, token_file, api_url;
  long long refresh_seconds = -1;  // -1: stored profiles, accounts and commits are final
  ClientOptions client;
  bool progress = false, verbose = false, help = false;
};

long long UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool AllOf(const std::string& s, const char* allowed) { return s.find_first_not_of(allowed) == std::string::npos; }

// YYYY-MM-DD (the day's start, or its last second for an end) or YYYY-MM-DDTHH:MM:SSZ,
// as the ISO 8601 UTC text GitHub uses, so that strings compare as times.
bool ParseTime(const std::string& s, bool end_of_day, std::string* iso) {
  static const char* kDigits = "0123456789";
  auto digits = [&](size_t at, size_t n) { return s.size() >= at + n && AllOf(s.substr(at, n), kDigits); };
  bool date = s.size() >= 10 && digits(0, 4) && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2);
  if (date && s.size() == 10) {
    *iso = s + (end_of_day ? "T23:59:59Z" : "T00:00:00Z");
    return true;
  }
  if (date && s.size() == 20 && s[10] == 'T' && digits(11, 2) && s[13] == ':' && digits(14, 2) && s[16] == ':' &&
      digits(17, 2) && s[19] == 'Z') {
    *iso = s;
    return true;
  }
  return false;
}

bool ParseDuration(const std::string& s, long long* seconds) {
  static const std::string kUnits = "smhdw";
  static const long long kScale[] = {1, 60, 3600, 86400, 604800};
  if (s.size() < 2 || !AllOf(s.substr(0, s.size() - 1), "0123456789") || kUnits.find(s.back()) == std::string::npos) {
    return false;
  }
  *seconds = std::stoll(s.substr(0, s.size() - 1)) * kScale[kUnits.find(s.back())];
  return true;
}

// OWNER/NAME, from that or a github.com URL.
bool ParseRepo(std::string s, std::string* name) {
  for (const char* prefix : {"https://github.com/", "http://github.com/", "github.com/"}) {
    if (s.rfind(prefix, 0) == 0) s = s.substr(std::strlen(prefix));
  }
  while (!s.empty() && s.back() == '/') s.pop_back();
  if (s.ends_with(".git")) s.resize(s.size() - 4);
  size_t slash = s.find('/');
  static const char* kNameChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
  if (slash == std::string::npos || slash == 0 || slash + 1 == s.size() || !AllOf(s.substr(0, slash), kNameChars) ||
      !AllOf(s.substr(slash + 1), kNameChars)) {
    return false;
  }
  *name = s;
  return true;
}

bool ParseOptions(const std::vector<std::string>& args, Options* o, std::string* error) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i], value;
    bool inline_value = false;
    if (a.rfind("--", 0) == 0 && a.find('=') != std::string::npos) {
      value = a.substr(a.find('=') + 1);
      a = a.substr(0, a.find('='));
      inline_value = true;
    }
    auto take = [&]() {
      if (inline_value) return true;
      if (i + 1 >= args.size()) {
        *error = a + " needs a value";
        return false;
      }
      value = args[++i];
      return true;
    };
    auto number = [&](double* out) {
      char* end = nullptr;
      double v = take() ? std::strtod(value.c_str(), &end) : -1;
      if (!end || *end || v < 0) {
        if (error->empty()) *error = a + " needs a number, not '" + value + "'";
        return false;
      }
      *out = v;
      return true;
    };
    if (a == "--help" || a == "-h") o->help = true;
    else if (a == "--progress") o->progress = true;
    else if (a == "--verbose") o->verbose = true;
    else if (a == "--db") { if (!take()) return false; o->db = value; }
    else if (a == "--token-file") { if (!take()) return false; o->token_file = value; }
    else if (a == "--api-url") { if (!take()) return false; o->api_url = value; }
    else if (a == "--since" || a == "--until") {
      if (!take()) return false;
      if (!ParseTime(value, a == "--until", a == "--since" ? &o->since : &o->until)) {
        *error = a + " needs YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, not '" + value + "'";
        return false;
      }
    } else if (a == "--refresh-older-than") {
      if (!take()) return false;
      if (!ParseDuration(value, &o->refresh_seconds)) {
        *error = "--refresh-older-than needs a number and a unit (s, m, h, d, w), not '" + value + "'";
        return false;
      }
    } else if (a == "--timeout") { if (!number(&o->client.timeout_seconds)) return false; }
    else if (a == "--retry-wait") { if (!number(&o->client.retry_wait_seconds)) return false; }
    else if (a == "--retries") {
      double n;
      if (!number(&n)) return false;
      o->client.retries = static_cast<int>(n);
    } else if (a.size() > 1 && a[0] == '-') {
      *error = "unknown option " + a;  // never the value: it could be a token
      return false;
    } else {
      std::string name;
      if (!ParseRepo(a, &name)) {
        *error = "not a repository (expected OWNER/NAME): " + a;
        return false;
      }
      o->repos.push_back(name);
    }
  }
  if (o->help) return true;
  if (o->repos.empty()) *error = "name at least one repository (OWNER/NAME)";
  else if (o->db.empty()) *error = "--db FILE is required";
  else if (!o->since.empty() && !o->until.empty() && o->since > o->until) *error = "--since is after --until";
  return error->empty();
}

// Replaces every occurrence of the token: a last guard on everything printed.
std::string Redact(std::string text, const std::string& token) {
  if (token.empty()) return text;
  const std::string mask = "***";
  for (size_t at = 0; (at = text.find(token, at)) != std::string::npos; at += mask.size()) {
    text.replace(at, token.size(), mask);
  }
  return text;
}

// Progress on one line of a terminal (or a line per update with --progress
// elsewhere); notices always, each on its own line.
class Progress {
 public:
  Progress(std::ostream& err, bool show, bool terminal, std::string token)
      : err_(err), show_(show), terminal_(terminal), token_(std::move(token)) {}

  void Show(const std::string& line) {
    if (!show_) return;
    if (terminal_) err_ << "\r\033[K" << Redact(line, token_) << std::flush;
    else err_ << Redact(line, token_) << "\n";
    pending_ = terminal_;
  }
  void Notice(const std::string& line) {
    Clear();
    err_ << Redact(line, token_) << "\n" << std::flush;
  }
  void Clear() {
    if (pending_) err_ << "\r\033[K" << std::flush;
    pending_ = false;
  }
  bool terminal() const { return terminal_; }

 private:
  std::ostream& err_;
  bool show_, terminal_;
  std::string token_;
  bool pending_ = false;
};

std::string Clock(double seconds) {
  long long s = std::llround(seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  return buf;
}

// One kind of GraphQL lookup by login: `ALIAS0: FIELD(login: "x") SELECTION ...`,
// then FRAGMENTS after the query.
struct Lookup {
  const char* what;      // in failure messages
  const char* progress;  // in the progress line
  const char* alias;
  const char* field;
  const char* selection;
  const char* fragments;
  const char* key_tag;   // the responses key is <graphql_url>#<key_tag><login,login,...>
};

// A lookup phase's progress and cost.
struct Tally {
  size_t total = 0, done = 0;       // logins due, logins stored
  long long queries = 0, asked = 0;  // answered queries, logins they asked for
};

// A string of a GraphQL answer. GitHub's GraphQL says "" where REST says null: both
// become nullopt.
std::optional<std::string> GraphQlText(const json& node, const char* key) {
  if (!node.contains(key) || !node[key].is_string() || node[key].get<std::string>().empty()) return std::nullopt;
  return node[key].get<std::string>();
}

// "1 profile", "2 profiles".
std::string Plural(long long n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

class Collector {
 public:
  Collector(const Options& o, Client& client, store::Database& db, Progress& progress)
      : o_(o), client_(client), db_(db), progress_(progress), now_(UnixNow()),
        refresh_before_(o.refresh_seconds < 0 ? -1 : now_ - o.refresh_seconds), started_(std::chrono::steady_clock::now()) {}

  void Run() {
    for (size_t i = 0; i < o_.repos.size() && !stopped_; ++i) {
      repo_index_ = i;
      ListPulls(o_.repos[i]);
    }
    if (!stopped_) FetchUsers();
    if (!stopped_) FetchAccounts();
    if (!stopped_) FetchCommits();
    progress_.Clear();
  }

  void Summarize(std::ostream& out) const {
    store::Totals t = db_.Count(o_.repos);
    const Counters& c = client_.counters();
    out << "collected " << o_.repos.size() << " repositor" << (o_.repos.size() == 1 ? "y" : "ies") << ": " << t.pulls
        << " merged pull requests by " << t.authors << " authors (" << t.bots << " bots), " << t.rows
        << " contributor rows, " << t.identities << " commit e-mails\n"
        << "requests: " << c.requests << " = " << pull_pages_ << " pull-request pages + "
        << Plural(profiles_.queries, "GraphQL query", "GraphQL queries") << " for "
        << Plural(profiles_.asked, "profile", "profiles") << " + "
        << Plural(accounts_.queries, "GraphQL query", "GraphQL queries") << " for "
        << Plural(accounts_.asked, "company account", "company accounts") << " + " << commit_pages_
        << " commit pages + " << c.retries << " retries + " << c.redirects << " redirects; " << c.not_modified
        << " answered 304 Not Modified\n";
    if (c.waited_seconds > 0) {
      char waited[64];
      std::snprintf(waited, sizeof waited, "waited %.1f s on rate limits and retries\n", c.waited_seconds);
      out << waited;
    }
    if (!failures_.empty()) out << failures_.size() << " problem" << (failures_.size() == 1 ? "" : "s") << "; re-run to resume\n";
  }

  const std::vector<std::string>& failures() const { return failures_; }
  void Fail(const std::string& message, bool fatal) {
    failures_.push_back(message);
    progress_.Notice("affil collect: " + message + (fatal ? "; stopping" : ""));
    stopped_ |= fatal;
  }

 private:
  // Fetches `url` and the pages its Link headers lead to, each conditional on its
  // stored ETag. `keep(page, fresh, last)` runs inside the transaction that stores
  // the page (fresh: just fetched, rather than the stored copy a 304 confirmed)
  // and returns false to stop. False when a page could not be had.
  bool Paginate(const std::string& what, const std::string& url, long long* pages,
                const std::function<bool(const json& page, bool fresh, bool last)>& keep) {
    std::set<std::string> seen;
    for (std::string next = url; !next.empty();) {
      if (!seen.insert(next).second) {
        progress_.Notice("affil collect: warning: " + what + ": the Link header leads back to a page already read (" +
                         next + "); stopped there, nothing is missing");
        break;
      }
      std::optional<store::Response> stored = db_.GetResponse(next);
      Reply r = client_.Get(next, stored ? stored->etag : "");
      if (r.ok && r.not_modified && !stored) {
        r = Reply();
        r.error = "GET " + next + ": 304 for a page never stored";
      }
      if (!r.ok) {
        Fail(what + ": " + r.error, r.fatal);
        return false;
      }
      ++*pages;
      store::Response page = r.not_modified ? *stored : store::Response{r.etag, r.link, r.body, 0};
      page.fetched_at = now_;
      json items = r.not_modified ? json::parse(page.body, nullptr, false) : std::move(r.json);
      std::string following = NextLink(page.link);
      bool go_on = true;
      if (!items.is_array()) {
        Fail(what + ": GET " + next + ": a list was expected", false);
        return false;
      }
      try {
        store::Database::Transaction t(db_);
        db_.PutResponse(next, page);
        go_on = keep(items, !r.not_modified, following.empty() || seen.count(following));
        t.Commit();
      } catch (const json::exception& e) {  // a field missing or of another type: nothing of the page is kept
        Fail(what + ": GET " + next + ": not shaped like GitHub's answer (" + e.what() + ")", false);
        return false;
      }
      Show();
      if (!go_on) break;
      next = following;
    }
    return true;
  }

  void ListPulls(const std::string& repo) {
    {
      store::Database::Transaction t(db_);
      db_.PutRepo(repo, o_.since, o_.until);
      t.Commit();
    }
    current_ = repo;
    std::string url = client_.api_url() + "/repos/" + repo + "/pulls?state=closed&sort=created&direction=asc&per_page=100";
    Paginate(repo + " pull requests", url, &pull_pages_, [&](const json& page, bool fresh, bool) {
      bool after_until = !o_.until.empty() && !page.empty();
      for (const json& p : page) {
        std::string created = p.at("created_at").get<std::string>();
        after_until &= created > o_.until;
        if (!fresh || !p.at("merged_at").is_string()) continue;
        const json& user = p.at("user");  // null for a deleted account, which GitHub shows as "ghost"
        store::Pull pull;
        pull.number = p.at("number").get<long long>();
        pull.id = p.at("id").get<long long>();
        pull.author = user.is_null() ? "ghost" : user.at("login").get<std::string>();
        pull.author_id = user.is_null() ? 0 : user.at("id").get<long long>();
        pull.author_type = user.is_null() ? "User" : user.value("type", "User");
        pull.created_at = created;
        pull.merged_at = p.at("merged_at").get<std::string>();
        db_.PutPull(repo, pull);
      }
      if (fresh && !page.empty()) db_.SetFullName(repo, page[0].at("base").at("repo").at("full_name").get<std::string>());
      return !after_until;  // listed by creation: a pull created after --until was merged after it too
    });
  }

  // Fetches `logins` through GraphQL, kLoginsPerQuery a query, each as the aliased
  // field `lookup` describes. Each answer is stored under <graphql_url>#<key_tag><logins>
  // in one transaction with what `keep(login, node)` makes of each login's node
  // (null when GitHub resolved none), so a killed run resumes after the last
  // stored batch. A failed batch is reported and skipped (a re-run asks again).
  void FetchByLogin(const Lookup& lookup, const std::vector<std::string>& logins, Tally* tally,
                    const std::function<void(const std::string& login, const json& node)>& keep) {
    tally->total = logins.size();
    for (size_t first = 0; first < logins.size() && !stopped_; first += kLoginsPerQuery) {
      std::vector<std::string> batch(logins.begin() + first,
                                     logins.begin() + std::min(logins.size(), first + kLoginsPerQuery));
      std::string query = "query {";
      for (size_t k = 0; k < batch.size(); ++k) {
        query += std::string(" ") + lookup.alias + std::to_string(k) + ": " + lookup.field + "(login: " +
                 json(batch[k]).dump() + ") " + lookup.selection;
      }
      query += std::string(" } ") + lookup.fragments;
      current_ = std::string(lookup.progress) + " " + batch.front() + "…" + batch.back();
      Reply r = client_.GraphQl(query);
      if (!r.ok) {
        Fail(std::string(lookup.what) + ": " + r.error, r.fatal);
        continue;
      }
      ++tally->queries;
      tally->asked += batch.size();
      std::string key = client_.graphql_url() + "#" + lookup.key_tag;
      for (const std::string& login : batch) key += login + (&login == &batch.back() ? "" : ",");
      try {
        store::Database::Transaction t(db_);
        db_.PutResponse(key, {"", "", r.body, now_});
        for (size_t k = 0; k < batch.size(); ++k) {
          keep(batch[k], r.json["data"].value(lookup.alias + std::to_string(k), json()));
        }
        t.Commit();
      } catch (const json::exception& e) {  // a field of another type: nothing of the batch is kept
        Fail(std::string(lookup.what) + ": " + batch.front() + "…" + batch.back() +
                 ": not shaped like GitHub's answer (" + e.what() + ")",
             false);
        continue;
      }
      tally->done += batch.size();
      Show();
    }
  }

  void FetchUsers() {
    static constexpr Lookup kProfiles = {
        "user profiles", "profiles", "u", "user", "{ ...profile }",
        "fragment profile on User { login databaseId name company location email bio websiteUrl twitterUsername }", ""};
    std::vector<std::string> logins = db_.UsersToFetch(o_.repos, refresh_before_);
    commits_total_ = db_.PullsToFetchCommits(o_.repos, refresh_before_).size();
    FetchByLogin(kProfiles, logins, &profiles_, [&](const std::string& login, const json& node) {
      if (!node.is_object() || !node.contains("login") || !node["login"].is_string()) {
        db_.MarkProfileMissing(login, now_);  // renamed or deleted since the pull: keep what the pull said
        ++users_missing_;
        return;
      }
      store::UserProfile u;
      u.login = node["login"];
      u.id = node.value("databaseId", 0LL);
      u.name = GraphQlText(node, "name");
      u.company = GraphQlText(node, "company");
      u.location = GraphQlText(node, "location");
      u.email = GraphQlText(node, "email");
      u.bio = GraphQlText(node, "bio");
      u.blog = GraphQlText(node, "websiteUrl").value_or("");  // REST's blog is "" when unset
      u.twitter_username = GraphQlText(node, "twitterUsername");
      db_.PutProfile(u, now_);
    });
    if (users_missing_) {
      progress_.Notice("affil collect: " + std::to_string(users_missing_) +
                       " login(s) no longer resolve (renamed or deleted accounts); kept as the pull requests show them");
    }
  }

  // The accounts that the @handles of the authors' company fields name ("@deepseek-ai"):
  // often the only place a profile names its employer. User.email is String! and
  // Organization.email String: under one response key they make the query invalid
  // (the GraphQL spec's field merging), hence the userEmail alias; bio answers as
  // description.
  void FetchAccounts() {
    static constexpr Lookup kAccounts = {
        "company accounts", "company accounts", "a", "repositoryOwner", "{ ...account }",
        "fragment account on RepositoryOwner { __typename login"
        " ... on Organization { name websiteUrl location email description }"
        " ... on User { name websiteUrl location userEmail: email description: bio } }",
        "accounts:"};
    std::vector<std::string> handles = db_.AccountsToFetch(o_.repos, refresh_before_);
    FetchByLogin(kAccounts, handles, &accounts_, [&](const std::string& handle, const json& node) {
      store::Account a;
      a.login = handle;  // a handle that names no account is stored with type "", so it is not asked again
      if (node.is_object() && node.contains("login") && node["login"].is_string()) {
        std::string login = node["login"];
        if (text::AsciiLower(login) == handle) a.login = login;  // GitHub's spelling
        a.type = node.value("__typename", "");
        a.name = GraphQlText(node, "name");
        a.blog = GraphQlText(node, "websiteUrl");
        a.location = GraphQlText(node, "location");
        a.email = GraphQlText(node, a.type == "User" ? "userEmail" : "email");
        a.description = GraphQlText(node, "description");
      }
      db_.PutAccount(a, now_);
    });
  }

  void FetchCommits() {
    std::vector<store::PullRef> pulls = db_.PullsToFetchCommits(o_.repos, refresh_before_);
    commits_total_ = pulls.size();
    for (const store::PullRef& p : pulls) {
      if (stopped_) break;
      current_ = p.full_name + "#" + std::to_string(p.number) + " commits";
      std::string url = client_.api_url() + "/repos/" + p.full_name + "/pulls/" + std::to_string(p.number) +
                        "/commits?per_page=100";
      Paginate(current_, url, &commit_pages_, [&](const json& page, bool fresh, bool last) {
        if (fresh) {
          std::vector<store::CommitIdentity> commits;
          for (const json& c : page) {
            const json& author = c.at("commit").at("author");
            if (author.is_null()) continue;
            const json& account = c.value("author", json());
            commits.push_back({c.at("sha").get<std::string>(),
                               account.is_object() ? account.value("login", "") : "",
                               author.value("name", ""), author.value("email", ""), author.value("date", "")});
          }
          db_.PutCommits(p.repo, p.number, commits);
        }
        if (last) db_.MarkCommitsFetched(p.repo, p.number, now_);
        return true;
      });
      ++commits_done_;
    }
  }

  void Show() {
    const Counters& c = client_.counters();
    std::ostringstream line;
    line << "[" << std::min(repo_index_ + 1, o_.repos.size()) << "/" << o_.repos.size() << " repos] " << current_
         << " · pages " << pull_pages_ << " · profiles " << profiles_.done << "/" << profiles_.total << " · accounts "
         << accounts_.done << "/" << accounts_.total << " · commits "
         << commits_done_ << "/" << commits_total_ << " · " << c.requests << " requests";
    for (const auto& [resource, budget] : client_.budgets()) {
      if (budget.remaining >= 0) line << " · " << resource << " " << budget.remaining << "/" << budget.limit << " left";
    }
    // Once the profiles are due, the rest is known: their batches (the accounts' once
    // the profiles are in) and a page a pull.
    if (profiles_.total || commits_total_) {
      auto queries = [](const Tally& t) { return (t.total - t.done + kLoginsPerQuery - 1) / kLoginsPerQuery; };
      double left = static_cast<double>(queries(profiles_) + queries(accounts_) + commits_total_ - commits_done_);
      double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
      if (c.requests) line << " · ETA " << Clock(left * elapsed / static_cast<double>(c.requests));
    }
    progress_.Show(line.str());
  }

  const Options& o_;
  Client& client_;
  store::Database& db_;
  Progress& progress_;
  long long now_, refresh_before_;
  std::chrono::steady_clock::time_point started_;
  std::vector<std::string> failures_;
  bool stopped_ = false;
  size_t repo_index_ = 0;
  std::string current_;
  long long pull_pages_ = 0, users_missing_ = 0, commit_pages_ = 0;
  Tally profiles_, accounts_;
  size_t commits_total_ = 0, commits_done_ = 0;
};

}  // namespace

int Main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Options o;
  std::string error;
  bool parsed = ParseOptions(args, &o, &error);
  const char* env_token = std::getenv("GITHUB_TOKEN");
  std::string token = env_token ? env_token : "";
  if (parsed && !o.help && !o.token_file.empty()) {
    std::ifstream file(o.token_file, std::ios::binary);
    std::stringstream content;
    content << file.rdbuf();
    if (!file) {
      error = "cannot read the token file " + o.token_file + ": " + std::strerror(errno);
      parsed = false;
    }
    token = content.str();
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front()))) token.erase(0, 1);
  }
  if (parsed && !o.help && token.empty()) {
    error = "no token: set GITHUB_TOKEN or pass --token-file FILE (a token with no scopes will do for public repositories)";
    parsed = false;
  }
  if (!parsed) {
    err << "affil collect: " << Redact(error, token) << "\n(affil collect --help says more)\n";
    return 2;
  }
  if (o.help) {
    out << kHelp;
    return 0;
  }
  const char* env_api = std::getenv("GITHUB_API_URL");
  o.client.api_url = !o.api_url.empty() ? o.api_url : env_api && *env_api ? env_api : "https://api.github.com";
  o.client.token = token;
  std::unique_ptr<Client> client = Client::Create(o.client, &error);
  std::unique_ptr<store::Database> db = client ? store::Database::Open(o.db, &error) : nullptr;
  if (!db) {
    err << "affil collect: " << Redact(error, token) << "\n";
    return 2;
  }
  bool terminal = &err == &std::cerr && isatty(STDERR_FILENO);
  Progress progress(err, o.progress || terminal, terminal, token);
  client->on_wait = [&progress](const std::string& reason, double total, double left) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f s", left);
    if (left == total) progress.Notice("affil collect: " + reason + ": waiting " + seconds);
    else progress.Show("  " + reason + ": " + seconds + " left");
  };
  if (o.verbose) client->on_exchange = [&progress](const std::string& line) { progress.Notice(line); };

  std::string command = "affil collect";
  for (const std::string& a : args) command += " " + a;
  command = Redact(command, token);
  Collector collector(o, *client, *db, progress);
  int status;
  try {
    long long run = db->StartRun(command, UnixNow());
    collector.Run();
    status = collector.failures().empty() ? 0 : 1;
    db->FinishRun(run, UnixNow(), status ? "partial" : "ok", client->counters().requests,
                  client->counters().not_modified, collector.failures().empty() ? "" : collector.failures().front());
    std::ostringstream summary;
    collector.Summarize(summary);
    out << Redact(summary.str(), token);
  } catch (const store::Error& e) {
    progress.Clear();
    err << "affil collect: " << o.db << ": " << Redact(e.what(), token) << "; stopping (re-run to resume)\n";
    return 1;
  }
  return status;
}

}  // namespace affil::collect
