// fake_github: a GitHub API stand-in for the collector's tests, on 127.0.0.1.
//
//   fake_github --fixtures fixtures/github [--max-per-page N] [--delay-ms N]
//               [--require-token T] [--log FILE] [--fault KIND[:COUNT][@TEXT]]...
//
// Prints "PORT OTHER_PORT\n" on stdout once both listeners are up (ports chosen
// by the OS), then serves HTTP/1.1 with keep-alive until killed. PORT is the API;
// OTHER_PORT plays "another host": it serves the same data, never asks for a
// token, and logs whether one arrived.
//
// Served, shaped like GitHub's REST and GraphQL responses (data from the
// fixtures written by fixtures/github/generate.py: users.json, orgs.json, repos/):
//   GET  /repos/O/R, /repos/O/R/pulls?state=&per_page=&page=,
//        /repos/O/R/pulls/N/commits, the same under /repositories/ID/..., /users/LOGIN,
//        /orgs/LOGIN
//   POST /graphql   aliased `ALIAS: user(login: "LOGIN")` fields, aliased
//                   `ALIAS: repositoryOwner(login: "LOGIN")` fields (users.json's users
//                   and orgs.json's organizations; each answers __typename, login and
//                   the fields of the query's `... on User { }` or `... on Organization
//                   { }`, aliases honoured, unknown fields and an unaliased email in
//                   both rejected as GitHub does), and `rateLimit`. A login that
//                   resolves to nothing answers null with a NOT_FOUND error.
// Lists paginate with a Link header that, like GitHub's, names the repository by
// id; every 200 carries a weak ETag, and a matching If-None-Match gets a 304
// that does not count against the x-ratelimit-remaining budget.
//
// --fault injects a fault into the next COUNT requests (default 1; 0 = every one)
// whose target or body contains TEXT (default: any; "repositoryOwner" picks the
// account queries out of the GraphQL ones):
//   500, 502, 503    that status
//   ratelimit        403, x-ratelimit-remaining: 0, reset one second ahead; requests
//                    before the reset get the same answer
//   secondary        429 with retry-after: 1, likewise enforced
//   secondary403     403 with retry-after: 1, likewise enforced
//   truncate         the body cut in half, Content-Length still the full size
//   badjson          the body cut in half, Content-Length matching (valid HTTP)
//   slow             the answer after --slow-ms (default 1500)
//   redirect         301 to the same target on OTHER_PORT
//   unauthorized     401 Bad credentials
//   emptylast        lists gain an empty page after the last one (COUNT ignored)
//   linkloop         the last page's "next" link points at page 1 (COUNT ignored)
//
// --log FILE gets one line a request: "main|other METHOD TARGET STATUS auth=0|1
// inm=0|1[ fault=KIND]". The token itself is never written anywhere.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using json = nlohmann::json;
using Clock = std::chrono::system_clock;

struct Fault {
  std::string kind;
  int count = 1;  // requests left to hit; 0 = unlimited
  std::string text;
};

struct Options {
  std::string fixtures;
  int max_per_page = 100;
  int delay_ms = 0;
  int slow_ms = 1500;
  std::string token;
  std::string log;
  std::vector<Fault> faults;
};

struct Repo {
  json repo;
  std::vector<json> pulls;
  std::map<long long, std::vector<json>> commits;
};

struct Request {
  std::string method, target, path, body;
  std::vector<std::pair<std::string, std::string>> query;
  std::map<std::string, std::string> headers;  // names lowercased

  std::string Query(const std::string& key, const std::string& fallback = "") const {
    for (const auto& [k, v] : query) {
      if (k == key) return v;
    }
    return fallback;
  }
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

struct Reply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool truncate = false;  // send half the body under the full Content-Length, then close
  std::string fault;      // for the log
};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

std::string Percent(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string IsoTime(Clock::time_point t) {
  std::time_t s = Clock::to_time_t(t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&s));
  return buf;
}

long long Epoch(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

class Server {
 public:
  explicit Server(Options options) : options_(std::move(options)), started_(Clock::now()) {}

  bool Load(std::string* error) {
    namespace fs = std::filesystem;
    try {
      std::ifstream users(options_.fixtures + "/users.json");
      for (json& u : json::parse(users)) {
        std::string login = Lower(u["login"].get<std::string>());
        users_[login] = std::move(u);
      }
      if (std::ifstream orgs(options_.fixtures + "/orgs.json"); orgs) {
        for (json& o : json::parse(orgs)) {
          std::string login = Lower(o["login"].get<std::string>());  // json's operator= takes its argument by value
          orgs_[login] = std::move(o);
        }
      }
      for (const auto& entry : fs::recursive_directory_iterator(options_.fixtures + "/repos")) {
        if (entry.path().extension() != ".json") continue;
        std::ifstream in(entry.path());
        json data = json::parse(in);
        Repo repo;
        repo.repo = data["repo"];
        repo.pulls = data["pulls"].get<std::vector<json>>();
        for (auto& [number, commits] : data["commits"].items()) repo.commits[std::stoll(number)] = commits;
        std::string name = Lower(repo.repo["full_name"].get<std::string>());
        ids_[std::to_string(repo.repo["id"].get<long long>())] = name;
        repos_[name] = std::move(repo);
      }
    } catch (const std::exception& e) {
      *error = options_.fixtures + ": " + e.what();
      return false;
    }
    if (repos_.empty()) *error = options_.fixtures + ": no repositories";
    return !repos_.empty();
  }

  void set_ports(int main_port, int other_port) {
    main_port_ = main_port;
    other_port_ = other_port;
  }

  void Serve(int fd, bool other) {
    std::string buffer;
    Request request;
    while (ReadRequest(fd, &buffer, &request)) {
      Reply reply = other ? Route(request) : Handle(request);
      Log(other, request, reply);
      if (options_.delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(options_.delay_ms));
      if (!Send(fd, reply) || reply.truncate || Lower(request.Header("connection")) == "close") break;
    }
    close(fd);
  }

 private:
  static bool ReadRequest(int fd, std::string* buffer, Request* request) {
    size_t end;
    while ((end = buffer->find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(fd, buffer)) return false;
    }
    *request = Request();
    std::vector<std::string> lines = Split(buffer->substr(0, end), '\n');
    std::vector<std::string> first = Split(lines[0].substr(0, lines[0].find('\r')), ' ');
    if (first.size() < 2) return false;
    request->method = first[0];
    request->target = first[1];
    for (size_t i = 1; i < lines.size(); ++i) {
      std::string line = lines[i].substr(0, lines[i].find('\r'));
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      size_t value = line.find_first_not_of(' ', colon + 1);
      request->headers[Lower(line.substr(0, colon))] = value == std::string::npos ? "" : line.substr(value);
    }
    size_t length = std::atol(request->Header("content-length").c_str());
    while (buffer->size() < end + 4 + length) {
      if (!Fill(fd, buffer)) return false;
    }
    request->body = buffer->substr(end + 4, length);
    buffer->erase(0, end + 4 + length);
    size_t q = request->target.find('?');
    request->path = request->target.substr(0, q);
    if (q != std::string::npos) {
      for (const std::string& pair : Split(request->target.substr(q + 1), '&')) {
        size_t eq = pair.find('=');
        request->query.emplace_back(pair.substr(0, eq), eq == std::string::npos ? "" : Percent(pair.substr(eq + 1)));
      }
    }
    return true;
  }

  static bool Fill(int fd, std::string* buffer) {
    char chunk[16384];
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer->append(chunk, n);
    return true;
  }

  static bool Send(int fd, const Reply& reply) {
    std::string body = reply.truncate ? reply.body.substr(0, reply.body.size() / 2) : reply.body;
    std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " " + Reason(reply.status) + "\r\n";
    for (const auto& [name, value] : reply.headers) head += name + ": " + value + "\r\n";
    head += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n\r\n";
    std::string all = head + body;
    for (size_t sent = 0; sent < all.size();) {
      ssize_t n = send(fd, all.data() + sent, all.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += n;
    }
    return true;
  }

  static const char* Reason(int status) {
    switch (status) {
      case 200: return "OK";
      case 301: return "Moved Permanently";
      case 304: return "Not Modified";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 429: return "Too Many Requests";
      case 500: return "Internal Server Error";
      case 502: return "Bad Gateway";
      case 503: return "Service Unavailable";
      default: return "Status";
    }
  }

  // The API port: enforced waits, injected faults, the token check, then the route.
  Reply Handle(const Request& request) {
    std::optional<Fault> fault;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (Clock::now() < blocked_until_) return Blocked(blocked_kind_);
      for (Fault& f : options_.faults) {
        if (f.kind == "emptylast" || f.kind == "linkloop" || f.count < 0) continue;
        if (!Matches(f, request)) continue;
        fault = f;
        if (f.count > 0 && --f.count == 0) f.count = -1;
        break;
      }
      if (fault && (fault->kind == "ratelimit" || fault->kind.rfind("secondary", 0) == 0)) {
        // A primary limit resets on a whole second; a secondary one after retry-after.
        blocked_until_ = fault->kind == "ratelimit" ? Clock::from_time_t(Epoch(Clock::now()) + 1) + std::chrono::milliseconds(1)
                                                    : Clock::now() + std::chrono::seconds(1);
        blocked_kind_ = fault->kind;
        return Blocked(fault->kind);
      }
    }
    if (fault && fault->kind == "slow") std::this_thread::sleep_for(std::chrono::milliseconds(options_.slow_ms));
    if (fault && (fault->kind == "500" || fault->kind == "502" || fault->kind == "503")) {
      return Json(std::stoi(fault->kind), {{"message", "Server Error"}}, "core", fault->kind);
    }
    if (fault && fault->kind == "redirect") {
      Reply r;
      r.status = 301;
      r.headers = {{"Location", "http://127.0.0.1:" + std::to_string(other_port_) + request.target}};
      r.fault = "redirect";
      return r;
    }
    std::string auth = request.Header("authorization");
    if ((fault && fault->kind == "unauthorized") ||
        (!options_.token.empty() && auth != "Bearer " + options_.token && auth != "token " + options_.token)) {
      return Json(401, {{"message", "Bad credentials"}, {"documentation_url", "https://docs.github.com/rest"}},
                  "core", fault ? fault->kind : "");
    }
    Reply reply = Route(request);
    if (fault && reply.status == 200 && fault->kind == "truncate") reply.truncate = true;
    if (fault && reply.status == 200 && fault->kind == "badjson") reply.body.resize(reply.body.size() / 2);
    if (fault) reply.fault = fault->kind;
    return reply;
  }

  Reply Blocked(const std::string& kind) {
    Reply r;
    r.fault = kind;
    r.headers = {{"Content-Type", "application/json; charset=utf-8"}};
    if (kind == "ratelimit") {
      r.status = 403;
      r.headers.push_back({"x-ratelimit-limit", "5000"});
      r.headers.push_back({"x-ratelimit-remaining", "0"});
      r.headers.push_back({"x-ratelimit-reset", std::to_string(Epoch(blocked_until_))});
      r.headers.push_back({"x-ratelimit-resource", "core"});
      r.body = json{{"message", "API rate limit exceeded for user ID 1."},
                    {"documentation_url", "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}}.dump();
    } else {
      r.status = kind == "secondary" ? 429 : 403;
      r.headers.push_back({"retry-after", "1"});
      r.body = json{{"message", "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."},
                    {"documentation_url", "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}}.dump();
    }
    return r;
  }

  Reply Route(const Request& request) {
    std::vector<std::string> parts = Split(request.path, '/');  // "", "repos", owner, name, ...
    if (request.method == "POST" && request.path == "/graphql") return GraphQl(request);
    if (request.method == "GET" && parts.size() == 3 && (parts[1] == "users" || parts[1] == "orgs")) {
      std::string login = Lower(Percent(parts[2]));
      auto user = users_.find(login);
      if (parts[1] == "users" && user != users_.end()) return Json(200, user->second, "core", "", &request);
      auto org = orgs_.find(login);  // GET /users/ORG answers the organization too
      if (org != orgs_.end()) return Json(200, org->second, "core", "", &request);
      return NotFound();
    }
    const Repo* repo = nullptr;
    size_t rest = 0;  // index of the first part after the repository
    if (parts.size() >= 4 && parts[1] == "repos") {
      auto it = repos_.find(Lower(parts[2] + "/" + parts[3]));
      if (it != repos_.end()) repo = &it->second;
      rest = 4;
    } else if (parts.size() >= 3 && parts[1] == "repositories" && ids_.count(parts[2])) {
      repo = &repos_.at(ids_.at(parts[2]));
      rest = 3;
    }
    if (!repo || request.method != "GET") return NotFound();
    std::string base = "/repositories/" + std::to_string(repo->repo["id"].get<long long>());
    if (parts.size() == rest) return Json(200, repo->repo, "core", "", &request);
    if (parts.size() == rest + 1 && parts[rest] == "pulls") {
      std::string state = request.Query("state", "open");
      std::vector<json> pulls;
      for (const json& p : repo->pulls) {
        if (state == "all" || p["state"] == state) pulls.push_back(p);
      }
      return List(request, pulls, base + "/pulls");
    }
    if (parts.size() == rest + 3 && parts[rest] == "pulls" && parts[rest + 2] == "commits") {
      auto it = repo->commits.find(std::atoll(parts[rest + 1].c_str()));
      if (it == repo->commits.end()) return NotFound();
      return List(request, it->second, base + "/pulls/" + parts[rest + 1] + "/commits");
    }
    return NotFound();
  }

  Reply NotFound() {
    return Json(404, {{"message", "Not Found"}, {"documentation_url", "https://docs.github.com/rest"}}, "core");
  }

  static bool Matches(const Fault& f, const Request& request) {
    return request.target.find(f.text) != std::string::npos || request.body.find(f.text) != std::string::npos;
  }

  bool Mode(const std::string& kind, const Request& request) const {
    return std::any_of(options_.faults.begin(), options_.faults.end(),
                       [&](const Fault& f) { return f.kind == kind && Matches(f, request); });
  }

  // One page of `items`, with GitHub's Link header (next/last, prev/first).
  Reply List(const Request& request, const std::vector<json>& items, const std::string& canonical) {
    long long per_page = std::clamp<long long>(std::atoll(request.Query("per_page", "30").c_str()), 1,
                                               std::min(100, options_.max_per_page));
    long long page = std::max(1LL, std::atoll(request.Query("page", "1").c_str()));
    long long pages = std::max(1LL, static_cast<long long>((items.size() + per_page - 1) / per_page));
    bool loop = Mode("linkloop", request);
    long long last = pages + (Mode("emptylast", request) ? 1 : 0);
    json body = json::array();
    for (long long i = (page - 1) * per_page; i < std::min<long long>(items.size(), page * per_page); ++i) {
      body.push_back(items[i]);
    }
    auto url = [&](long long p) {
      std::string q;
      bool replaced = false;
      for (const auto& [k, v] : request.query) {
        q += (q.empty() ? "" : "&") + k + "=" + (k == "page" ? std::to_string(p) : v);
        replaced |= k == "page";
      }
      if (!replaced) q += (q.empty() ? "" : "&") + std::string("page=") + std::to_string(p);
      return "<http://127.0.0.1:" + std::to_string(main_port_) + canonical + "?" + q + ">";
    };
    std::vector<std::string> links;
    if (page > 1) links.push_back(url(page - 1) + "; rel=\"prev\"");
    if (page < last) links.push_back(url(page + 1) + "; rel=\"next\"");
    if (loop && page == last) links.push_back(url(1) + "; rel=\"next\"");
    if (page < last) links.push_back(url(last) + "; rel=\"last\"");
    if (page > 1) links.push_back(url(1) + "; rel=\"first\"");
    std::string link;
    for (const std::string& l : links) link += (link.empty() ? "" : ", ") + l;
    return Json(200, body, "core", "", &request, link);
  }

  // The (response key, field) pairs of the query's first `... on TYPE { }`.
  static std::vector<std::pair<std::string, std::string>> Selection(const std::string& query, const std::string& type) {
    static const std::regex kField(R"re((\w+)(?:\s*:\s*(\w+))?)re");
    std::smatch m;
    std::vector<std::pair<std::string, std::string>> fields;
    if (!std::regex_search(query, m, std::regex("\\.\\.\\.\\s*on\\s+" + type + "\\s*\\{([^}]*)\\}"))) return fields;
    std::string block = m[1];
    for (std::sregex_iterator it(block.begin(), block.end(), kField), end; it != end; ++it) {
      fields.push_back({(*it)[1], (*it)[2].matched ? (*it)[2] : (*it)[1]});
    }
    return fields;
  }

  // A repositoryOwner answer: `r` (a users.json or orgs.json object) as the query's
  // selection for its type asks. False and *error for a field the type lacks.
  static bool Owner(const std::string& query, const json& r, json* out, std::string* error) {
    bool user = r["type"] == "User";
    std::string type = user ? "User" : "Organization";
    *out = {{"__typename", type}, {"login", r["login"]}};
    for (const auto& [key, field] : Selection(query, type)) {
      if (field == "websiteUrl") (*out)[key] = r["blog"] == "" ? json(nullptr) : r["blog"];
      else if (field == "email") (*out)[key] = user && r["email"].is_null() ? json("") : r["email"];  // String! on User
      else if (field == "__typename") (*out)[key] = type;
      else if (field == "name" || field == "location" || field == "login" || field == (user ? "bio" : "description")) {
        (*out)[key] = r[field];
      } else {
        *error = "Field '" + field + "' doesn't exist on type '" + type + "'";
        return false;
      }
    }
    return true;
  }

  // User.email is String! and Organization.email String: the two under one response
  // key cannot merge (the GraphQL spec's SameResponseShape), and GitHub rejects the
  // query before running it. The message for that, or "".
  static std::string EmailConflict(const std::string& query) {
    std::vector<std::pair<std::string, std::string>> org = Selection(query, "Organization");
    for (const auto& [key, field] : Selection(query, "User")) {
      bool shared = std::any_of(org.begin(), org.end(), [&](const auto& o) { return o.first == key; });
      if (field == "email" && shared) {
        return "Fields '" + key + "' conflict because they return conflicting types String! and String";
      }
    }
    return "";
  }

  // GraphQL: each `ALIAS: user(login: "LOGIN")` and `ALIAS: repositoryOwner(login:
  // "LOGIN")` in the query, and rateLimit.
  Reply GraphQl(const Request& request) {
    json in = json::parse(request.body, nullptr, false);
    if (in.is_discarded() || !in.contains("query") || !in["query"].is_string()) {
      return Json(400, {{"message", "Problems parsing JSON"}}, "graphql");
    }
    std::string query = in["query"];
    if (std::string conflict = EmailConflict(query); !conflict.empty()) {
      return Json(200, {{"errors", {{{"message", conflict}, {"extensions", {{"code", "fieldConflict"}}}}}}}, "graphql");
    }
    static const std::regex kUser(R"re((\w+)\s*:\s*user\s*\(\s*login\s*:\s*"((?:[^"\\]|\\.)*)"\s*\))re");
    json data = json::object(), errors = json::array();
    if (query.find("rateLimit") != std::string::npos) {
      std::lock_guard<std::mutex> lock(mutex_);
      data["rateLimit"] = {{"limit", 5000}, {"cost", 1}, {"remaining", graphql_remaining_ - 1},
                           {"resetAt", IsoTime(started_ + std::chrono::hours(1))}};
    }
    for (std::sregex_iterator it(query.begin(), query.end(), kUser), end; it != end; ++it) {
      std::string alias = (*it)[1], login = (*it)[2];
      auto u = users_.find(Lower(login));
      if (u == users_.end() || u->second["type"] != "User") {
        data[alias] = nullptr;
        errors.push_back({{"type", "NOT_FOUND"}, {"path", {alias}},
                          {"locations", {{{"line", 1}, {"column", it->position() + 1}}}},
                          {"message", "Could not resolve to a User with the login of '" + login + "'."}});
        continue;
      }
      const json& r = u->second;
      auto text = [&](const char* key) { return r[key].is_null() ? json("") : r[key]; };
      data[alias] = {{"__typename", "User"}, {"login", r["login"]}, {"databaseId", r["id"]},
                     {"name", r["name"]}, {"company", r["company"]}, {"location", r["location"]},
                     {"email", text("email")}, {"bio", r["bio"]},
                     {"websiteUrl", r["blog"] == "" ? json(nullptr) : r["blog"]},
                     {"twitterUsername", r["twitter_username"]}};
    }
    static const std::regex kOwner(R"re((\w+)\s*:\s*repositoryOwner\s*\(\s*login\s*:\s*"((?:[^"\\]|\\.)*)"\s*\))re");
    for (std::sregex_iterator it(query.begin(), query.end(), kOwner), end; it != end; ++it) {
      std::string alias = (*it)[1], login = (*it)[2];
      const json* r = nullptr;
      if (auto u = users_.find(Lower(login)); u != users_.end() && u->second["type"] == "User") r = &u->second;
      if (auto o = orgs_.find(Lower(login)); o != orgs_.end()) r = &o->second;
      if (!r) {
        data[alias] = nullptr;
        errors.push_back({{"type", "NOT_FOUND"}, {"path", {alias}},
                          {"locations", {{{"line", 1}, {"column", it->position() + 1}}}},
                          {"message", "Could not resolve to a RepositoryOwner with the login of '" + login + "'."}});
        continue;
      }
      std::string error;
      if (!Owner(query, *r, &data[alias], &error)) {
        return Json(200, {{"errors", {{{"message", error}, {"extensions", {{"code", "undefinedField"}}}}}}}, "graphql");
      }
    }
    json out = {{"data", data}};
    if (!errors.empty()) out["errors"] = errors;
    return Json(200, out, "graphql");
  }

  Reply Json(int status, const json& body, const std::string& resource, const std::string& fault = "",
             const Request* conditional = nullptr, const std::string& link = "") {
    Reply r;
    r.status = status;
    r.fault = fault;
    r.body = body.dump();
    r.headers = {{"Content-Type", "application/json; charset=utf-8"}};
    if (!link.empty()) r.headers.push_back({"Link", link});
    std::lock_guard<std::mutex> lock(mutex_);
    if (conditional) {
      uint64_t h = 1469598103934665603ULL;  // FNV-1a over body and links
      for (char c : r.body + link) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
      char etag[40];
      std::snprintf(etag, sizeof etag, "W/\"%016llx\"", static_cast<unsigned long long>(h));
      r.headers.push_back({"ETag", etag});
      if (conditional->Header("if-none-match") == etag) {
        r.status = 304;
        r.body.clear();
        r.headers = {{"ETag", etag}};
      }
    }
    int& remaining = resource == "graphql" ? graphql_remaining_ : core_remaining_;
    if (r.status != 304 && remaining > 0) --remaining;
    r.headers.push_back({"x-ratelimit-limit", "5000"});
    r.headers.push_back({"x-ratelimit-remaining", std::to_string(remaining)});
    r.headers.push_back({"x-ratelimit-reset", std::to_string(Epoch(started_) + 3600)});
    r.headers.push_back({"x-ratelimit-used", std::to_string(5000 - remaining)});
    r.headers.push_back({"x-ratelimit-resource", resource});
    return r;
  }

  void Log(bool other, const Request& request, const Reply& reply) {
    if (options_.log.empty()) return;
    std::lock_guard<std::mutex> lock(mutex_);
    std::ofstream out(options_.log, std::ios::app);
    out << (other ? "other " : "main ") << request.method << " " << request.target << " " << reply.status
        << " auth=" << !request.Header("authorization").empty() << " inm=" << !request.Header("if-none-match").empty()
        << (reply.fault.empty() ? "" : " fault=" + reply.fault) << "\n";
  }

  Options options_;
  Clock::time_point started_;
  int main_port_ = 0, other_port_ = 0;
  std::map<std::string, json> users_;      // by lowercase login
  std::map<std::string, json> orgs_;       // by lowercase login
  std::map<std::string, Repo> repos_;      // by lowercase full name
  std::map<std::string, std::string> ids_;  // repository id → lowercase full name
  std::mutex mutex_;
  Clock::time_point blocked_until_;
  std::string blocked_kind_;
  int core_remaining_ = 5000, graphql_remaining_ = 5000;
};

int Listen(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 64) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return -1;
  }
  *port = ntohs(addr.sin_port);
  return fd;
}

bool ParseFault(const std::string& spec, Fault* fault) {
  std::string s = spec;
  if (size_t at = s.find('@'); at != std::string::npos) {
    fault->text = s.substr(at + 1);
    s = s.substr(0, at);
  }
  if (size_t colon = s.find(':'); colon != std::string::npos) {
    fault->count = std::atoi(s.substr(colon + 1).c_str());
    s = s.substr(0, colon);
  }
  fault->kind = s;
  static const std::vector<std::string> kKinds = {"500", "502", "503", "ratelimit", "secondary", "secondary403",
                                                  "truncate", "badjson", "slow", "redirect", "unauthorized",
                                                  "emptylast", "linkloop"};
  return std::find(kKinds.begin(), kKinds.end(), fault->kind) != kKinds.end();
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    std::string value = i + 1 < argc ? argv[i + 1] : "";
    if (a == "--fixtures") options.fixtures = value;
    else if (a == "--max-per-page") options.max_per_page = std::max(1, std::atoi(value.c_str()));
    else if (a == "--delay-ms") options.delay_ms = std::atoi(value.c_str());
    else if (a == "--slow-ms") options.slow_ms = std::atoi(value.c_str());
    else if (a == "--require-token") options.token = value;
    else if (a == "--log") options.log = value;
    else if (a == "--fault") {
      Fault f;
      if (!ParseFault(value, &f)) {
        std::cerr << "fake_github: unknown fault " << value << "\n";
        return 2;
      }
      options.faults.push_back(f);
    } else {
      std::cerr << "fake_github: unknown argument " << a << " (see the comment at the top of fake_github.cc)\n";
      return 2;
    }
    ++i;
  }
  Server server(options);
  std::string error;
  if (options.fixtures.empty() || !server.Load(&error)) {
    std::cerr << "fake_github: " << (error.empty() ? "--fixtures DIR is required" : error) << "\n";
    return 2;
  }
  int main_port, other_port;
  int main_fd = Listen(&main_port), other_fd = Listen(&other_port);
  if (main_fd < 0 || other_fd < 0) {
    std::perror("fake_github: listen");
    return 1;
  }
  server.set_ports(main_port, other_port);
  std::cout << main_port << " " << other_port << std::endl;
  auto accept_loop = [&server](int listener, bool other) {
    for (;;) {
      int fd = accept(listener, nullptr, nullptr);
      if (fd >= 0) std::thread(&Server::Serve, &server, fd, other).detach();
    }
  };
  std::thread(accept_loop, other_fd, true).detach();
  accept_loop(main_fd, false);
}
