// collect/github: a GitHub API client over libcurl that is safe with a token
// and patient with GitHub.
//
// The token is sent only to the configured API origin (scheme, host and port),
// which must be https (plain http only on a loopback address). Redirects are
// followed by hand, so a redirect to any other origin is followed without the
// token; the token never appears in a URL, a message or a callback argument.
//
// Patience: a primary rate limit (403/429 with x-ratelimit-remaining: 0, or a
// budget seen at 0) waits until x-ratelimit-reset; a secondary one (403/429 with
// retry-after, or a rate-limit message) waits as told, else a minute, doubling.
// Timeouts, dropped connections, 5xx and bodies that are not complete JSON are
// retried with exponential backoff and jitter, up to a limit, then reported.
// A body is handed on only when it parsed whole.
#ifndef AFFIL_COLLECT_GITHUB_H_
#define AFFIL_COLLECT_GITHUB_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace affil::collect {

// The parts of an absolute http(s) URL the token policy looks at.
struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // lowercase; IPv6 without brackets
  int port = 0;        // explicit, else the scheme's default
  std::string rest;    // path and query, starting with '/'

  std::string Origin() const;  // "scheme://host:port"
  bool Loopback() const;       // localhost, 127.0.0.0/8 or ::1
};
std::optional<Url> ParseUrl(const std::string& text);

// The rel="next" URL of a Link header, or "".
std::string NextLink(const std::string& link);

struct ClientOptions {
  std::string api_url = "https://api.github.com";  // REST base; GitHub Enterprise: https://HOST/api/v3
  std::string token;
  double timeout_seconds = 60;    // per request, connecting included
  int retries = 5;                // after the first attempt
  double retry_wait_seconds = 1;  // the first backoff; doubled each time, times 0.5–1.5
};

// What the last response said about a rate-limit resource ("core", "graphql").
struct Budget {
  long long remaining = -1;  // -1: not seen yet
  long long limit = -1;
  long long reset = 0;       // Unix seconds
};

struct Counters {
  long long requests = 0;      // HTTP exchanges, redirects and retries included
  long long not_modified = 0;  // of which 304s (free: they do not count against the budget)
  long long retries = 0;
  long long redirects = 0;
  double waited_seconds = 0;   // on rate limits and backoff
};

// The outcome of one call after redirects, waits and retries.
struct Reply {
  bool ok = false;            // 200 with a whole JSON body, or 304
  long status = 0;            // the final HTTP status, 0 when none arrived
  bool not_modified = false;  // 304: the stored copy is current
  std::string etag, link;
  std::string body;           // raw JSON text (empty on 304)
  nlohmann::json json;        // the body, parsed
  std::string error;          // !ok: what went wrong, fit for the user
  bool fatal = false;         // !ok: the run cannot go on (token rejected, retries spent)
};

class Client {
 public:
  // Null and *error when the API URL is unusable (not https, or http off
  // loopback) or the token cannot be sent in a header.
  static std::unique_ptr<Client> Create(const ClientOptions& options, std::string* error);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const std::string& api_url() const { return api_url_; }
  // <api-url>/graphql, or https://HOST/api/graphql for an Enterprise /api/v3 base.
  const std::string& graphql_url() const { return graphql_url_; }

  // GET an absolute URL, conditional on `etag` when it is not empty.
  Reply Get(const std::string& url, const std::string& etag);
  // POSTs {"query": ...} to graphql_url(). ok when the answer has "data"; any
  // "errors" (e.g. NOT_FOUND for a login) are left in json["errors"].
  Reply GraphQl(const std::string& query);

  const Counters& counters() const { return counters_; }
  const std::map<std::string, Budget>& budgets() const { return budgets_; }

  // Called at the start of every wait (left == total) and each second of it.
  std::function<void(const std::string& reason, double total, double left)> on_wait;
  // Called after every exchange with one line: method, URL, status, size, time.
  std::function<void(const std::string& line)> on_exchange;

 private:
  struct Exchange;
  Client(const ClientOptions& options, Url api, void* curl);
  Reply Call(const std::string& method, const std::string& url, const std::string& etag, const std::string& body,
             const std::string& resource);
  Exchange Send(const std::string& method, const std::string& url, const std::string& etag, const std::string& body);
  Exchange SendFollowing(const std::string& method, const std::string& url, const std::string& etag,
                         const std::string& body);
  void Wait(const std::string& reason, double seconds);

  ClientOptions options_;
  Url api_;
  std::string api_url_, graphql_url_;
  void* curl_;  // CURL*
  Counters counters_;
  std::map<std::string, Budget> budgets_;
};

}  // namespace affil::collect

#endif  // AFFIL_COLLECT_GITHUB_H_
