#include "collect/github.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <random>
#include <thread>

namespace affil::collect {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxBody = 256u << 20;  // no API page comes near this
constexpr int kMaxRedirects = 5;
constexpr int kMaxRateWaits = 10;        // per call: a limit that never lifts is reported

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

long long UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() + size * n > kMaxBody) return 0;  // makes libcurl fail the transfer
  body->append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();  // a new response (after 100 Continue)
  } else if (size_t colon = line.find(':'); colon != std::string::npos) {
    std::string& value = (*headers)[Lower(Trim(line.substr(0, colon)))];
    value += (value.empty() ? "" : ", ") + Trim(line.substr(colon + 1));
  }
  return size * n;
}

// The server's "message" when the body is GitHub's JSON error object.
std::string ServerMessage(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("message") && j["message"].is_string()) return j["message"];
  return "";
}

long long HeaderNumber(const std::map<std::string, std::string>& headers, const std::string& name, long long fallback) {
  auto it = headers.find(name);
  if (it == headers.end() || it->second.empty()) return fallback;
  char* end = nullptr;
  long long v = std::strtoll(it->second.c_str(), &end, 10);
  return *end == '\0' ? v : fallback;
}

}  // namespace

std::string Url::Origin() const {
  return scheme + "://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool Url::Loopback() const {
  if (host == "localhost" || host == "::1") return true;
  if (host.rfind("127.", 0) != 0) return false;
  return std::all_of(host.begin(), host.end(), [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
}

std::optional<Url> ParseUrl(const std::string& text) {
  size_t colon = text.find("://");
  if (colon == std::string::npos) return std::nullopt;
  Url u;
  u.scheme = Lower(text.substr(0, colon));
  if (u.scheme != "http" && u.scheme != "https") return std::nullopt;
  size_t start = colon + 3, end = text.find_first_of("/?#", start);
  std::string authority = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  u.rest = end == std::string::npos ? "/" : text.substr(end);
  if (u.rest[0] != '/') u.rest = "/" + u.rest;
  if (authority.empty() || authority.find('@') != std::string::npos) return std::nullopt;  // no credentials in URLs
  std::string port;
  if (authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    u.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      port = authority.substr(close + 2);
    }
  } else {
    size_t p = authority.find(':');
    u.host = authority.substr(0, p);
    if (p != std::string::npos) port = authority.substr(p + 1);
  }
  u.host = Lower(u.host);
  if (u.host.empty() || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      port.size() > 5) {
    return std::nullopt;
  }
  u.port = port.empty() ? (u.scheme == "https" ? 443 : 80) : std::stoi(port);
  return u;
}

std::string NextLink(const std::string& link) {
  // <url>; rel="next", <url>; rel="last"   (URLs hold no '>' and params no '<')
  for (size_t open = link.find('<'); open != std::string::npos;) {
    size_t close = link.find('>', open);
    if (close == std::string::npos) break;
    size_t next = link.find('<', close);
    std::string params = link.substr(close + 1, next == std::string::npos ? std::string::npos : next - close - 1);
    if (params.find("rel=\"next\"") != std::string::npos || params.find("rel=next") != std::string::npos) {
      return link.substr(open + 1, close - open - 1);
    }
    open = next;
  }
  return "";
}

struct Client::Exchange {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  std::string error;  // transport failure (timeout, reset, cut short), or a refused redirect
  bool transient = false;
};

std::unique_ptr<Client> Client::Create(const ClientOptions& options, std::string* error) {
  std::string base = options.api_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::optional<Url> api = ParseUrl(base);
  if (!api || api->rest.find_first_of("?#") != std::string::npos) {
    *error = "the API URL must look like https://api.github.com: " + options.api_url;
    return nullptr;
  }
  if (api->scheme != "https" && !api->Loopback()) {
    *error = "the API URL must be https:// (plain http:// only on a loopback address such as 127.0.0.1): " +
             options.api_url;
    return nullptr;
  }
  if (options.token.empty() || !std::all_of(options.token.begin(), options.token.end(),
                                            [](unsigned char c) { return c > 0x20 && c < 0x7f; })) {
    *error = options.token.empty() ? "the token is empty"
                                   : "the token holds spaces or control characters (is the token file right?)";
    return nullptr;
  }
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (!curl) {
    *error = "libcurl failed to start";
    return nullptr;
  }
  ClientOptions o = options;
  o.api_url = base;
  return std::unique_ptr<Client>(new Client(o, *api, curl));
}

Client::Client(const ClientOptions& options, Url api, void* curl)
    : options_(options), api_(std::move(api)), api_url_(options.api_url), curl_(curl) {
  const std::string enterprise = "/api/v3";
  if (api_url_.size() > enterprise.size() && api_url_.ends_with(enterprise)) {
    graphql_url_ = api_url_.substr(0, api_url_.size() - enterprise.size()) + "/api/graphql";
  } else {
    graphql_url_ = api_url_ + "/graphql";
  }
}

Client::~Client() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

Client::Exchange Client::Send(const std::string& method, const std::string& url, const std::string& etag,
                              const std::string& body) {
  Exchange x;
  std::optional<Url> target = ParseUrl(url);
  if (!target) {
    x.error = "not an http(s) URL: " + url;
    return x;
  }
  // The whole policy: the token goes to the API's own origin, nowhere else.
  bool with_token = target->Origin() == api_.Origin();
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);  // keeps the open connections
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/vnd.github+json");
  headers = curl_slist_append(headers, "X-GitHub-Api-Version: 2022-11-28");
  headers = curl_slist_append(headers, "Expect:");
  if (!etag.empty()) headers = curl_slist_append(headers, ("If-None-Match: " + etag).c_str());
  if (method == "POST") headers = curl_slist_append(headers, "Content-Type: application/json");
  if (with_token) headers = curl_slist_append(headers, ("Authorization: Bearer " + options_.token).c_str());
  char curl_error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "affil-collect/0.1");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // redirects are ours to vet (SendFollowing)
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_seconds * 1000));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(options_.timeout_seconds, 30.0) * 1000));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_error);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &x.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &x.headers);
  if (method == "POST") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  auto start = Clock::now();
  CURLcode rc = curl_easy_perform(c);
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  curl_slist_free_all(headers);
  ++counters_.requests;
  if (rc != CURLE_OK) {
    x.error = std::string(curl_easy_strerror(rc)) + (curl_error[0] ? std::string(" (") + curl_error + ")" : "");
    x.transient = true;
    x.body.clear();
  } else {
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &x.status);
  }
  if (on_exchange) {
    char timing[64];
    std::snprintf(timing, sizeof timing, "%zu bytes, %.0f ms", x.body.size(), ms);
    on_exchange(method + " " + url + " -> " + (x.status ? std::to_string(x.status) : x.error) + " (" + timing +
                (with_token ? "" : ", no token: not the API host") + ")");
  }
  return x;
}

Client::Exchange Client::SendFollowing(const std::string& method, const std::string& url, const std::string& etag,
                                       const std::string& body) {
  std::string current = url;
  for (int hop = 0;; ++hop) {
    Exchange x = Send(method, current, etag, body);
    bool redirect = x.status == 301 || x.status == 302 || x.status == 303 || x.status == 307 || x.status == 308;
    if (!redirect) return x;
    std::string location = x.headers["location"];
    std::optional<Url> from = ParseUrl(current);
    if (location.rfind("//", 0) == 0) location = from->scheme + ":" + location;
    else if (!location.empty() && location[0] == '/') location = from->Origin() + location;
    std::optional<Url> to = ParseUrl(location);
    Exchange refused;
    if (method != "GET") refused.error = "the GraphQL endpoint redirected to " + location + "; not followed";
    else if (!to) refused.error = "redirected to an unusable location: " + location;
    else if (to->scheme != "https" && !to->Loopback()) refused.error = "refused a redirect to plain http: " + location;
    else if (hop >= kMaxRedirects) refused.error = "more than " + std::to_string(kMaxRedirects) + " redirects";
    if (!refused.error.empty()) return refused;
    ++counters_.redirects;
    current = location;
  }
}

void Client::Wait(const std::string& reason, double seconds) {
  counters_.waited_seconds += seconds;
  auto end = Clock::now() + std::chrono::duration<double>(seconds);
  for (double left = seconds; left > 0;) {
    if (on_wait) on_wait(reason, seconds, left);
    std::this_thread::sleep_for(std::chrono::duration<double>(std::min(1.0, left)));
    left = std::chrono::duration<double>(end - Clock::now()).count();
  }
}

Reply Client::Call(const std::string& method, const std::string& url, const std::string& etag,
                   const std::string& body, const std::string& resource) {
  static thread_local std::mt19937 random{std::random_device{}()};
  int attempt = 0, rate_waits = 0, unhinted_waits = 0;
  std::string what = method + " " + url;
  for (;;) {
    Budget& known = budgets_[resource];
    if (known.remaining == 0 && known.reset > UnixNow()) {
      Wait("rate limit (" + resource + "): 0 of " + std::to_string(known.limit) + " requests left until the reset",
           static_cast<double>(known.reset - UnixNow() + 1));
    }
    Exchange x = SendFollowing(method, url, etag, body);
    std::string limited = x.headers.count("x-ratelimit-resource") ? x.headers["x-ratelimit-resource"] : resource;
    Budget& budget = budgets_[limited];
    budget.remaining = HeaderNumber(x.headers, "x-ratelimit-remaining", budget.remaining);
    budget.limit = HeaderNumber(x.headers, "x-ratelimit-limit", budget.limit);
    budget.reset = HeaderNumber(x.headers, "x-ratelimit-reset", budget.reset);

    Reply r;
    r.status = x.status;
    std::string transient;  // non-empty: worth another attempt
    nlohmann::json parsed;
    if (!x.error.empty() && !x.transient) {
      r.error = what + ": " + x.error;
      return r;
    } else if (!x.error.empty()) {
      transient = x.error;
    } else if (x.status == 304) {
      ++counters_.not_modified;
      r.ok = r.not_modified = true;
      r.etag = etag;
      return r;
    } else if (x.status == 200 && (parsed = nlohmann::json::parse(x.body, nullptr, false)).is_discarded()) {
      transient = "the body is not valid JSON (" + std::to_string(x.body.size()) + " bytes: cut short?)";
    }

    // Rate limits: 403/429 by the REST rules, or GraphQL's RATE_LIMITED error.
    bool graphql_limited = x.status == 200 && parsed.is_object() && parsed.contains("errors") &&
                           parsed["errors"].is_array() &&
                           std::any_of(parsed["errors"].begin(), parsed["errors"].end(), [](const nlohmann::json& e) {
                             return e.is_object() && e.value("type", "") == "RATE_LIMITED";
                           });
    std::string message = ServerMessage(x.body);
    double wait = -1;
    std::string reason;
    if (transient.empty() && (x.status == 403 || x.status == 429 || graphql_limited)) {
      long long retry_after = HeaderNumber(x.headers, "retry-after", -1);
      long long remaining = HeaderNumber(x.headers, "x-ratelimit-remaining", -1);
      if (retry_after >= 0) {
        wait = static_cast<double>(retry_after);
        reason = "secondary rate limit (retry-after: " + std::to_string(retry_after) + ")";
      } else if (remaining == 0 || graphql_limited) {
        long long reset = HeaderNumber(x.headers, "x-ratelimit-reset", UnixNow() + 60);
        wait = static_cast<double>(std::max(1LL, reset - UnixNow() + 1));
        reason = "rate limit (" + limited + "): 0 of " +
                 std::to_string(HeaderNumber(x.headers, "x-ratelimit-limit", -1)) + " requests left until the reset";
      } else if (x.status == 429 || Lower(message).find("rate limit") != std::string::npos) {
        wait = 60.0 * (1 << std::min(unhinted_waits++, 4));
        reason = "secondary rate limit (no retry-after)";
      }
    }
    if (wait >= 0) {
      if (++rate_waits > kMaxRateWaits) {
        r.error = what + ": still rate-limited after " + std::to_string(kMaxRateWaits) + " waits";
        r.fatal = true;
        return r;
      }
      Wait(reason, wait);
      continue;
    }
    if (transient.empty() && x.status >= 500) transient = "HTTP " + std::to_string(x.status);
    if (!transient.empty()) {
      if (attempt >= options_.retries) {
        r.error = what + ": gave up after " + std::to_string(attempt + 1) + " attempts; last: " + transient;
        r.fatal = true;
        return r;
      }
      double backoff = options_.retry_wait_seconds * std::pow(2.0, attempt++) *
                       std::uniform_real_distribution<double>(0.5, 1.5)(random);
      ++counters_.retries;
      Wait("retry " + std::to_string(attempt) + " of " + std::to_string(options_.retries) + " after " + transient,
           backoff);
      continue;
    }
    if (x.status == 200) {
      r.ok = true;
      r.etag = x.headers["etag"];
      r.link = x.headers["link"];
      r.body = std::move(x.body);
      r.json = std::move(parsed);
      return r;
    }
    r.error = what + ": HTTP " + std::to_string(x.status) + (message.empty() ? "" : " (" + message + ")");
    if (x.status == 401) {
      r.error += "; GitHub rejected the token";
      r.fatal = true;
    }
    return r;
  }
}

Reply Client::Get(const std::string& url, const std::string& etag) { return Call("GET", url, etag, "", "core"); }

Reply Client::GraphQl(const std::string& query) {
  Reply r = Call("POST", graphql_url_, "", nlohmann::json{{"query", query}}.dump(), "graphql");
  if (r.ok && (!r.json.is_object() || !r.json.contains("data") || !r.json["data"].is_object())) {
    r.ok = false;
    r.fatal = true;
    std::string first;
    if (r.json.contains("errors") && r.json["errors"].is_array() && !r.json["errors"].empty()) {
      first = r.json["errors"][0].value("message", "");
    }
    r.error = "POST " + graphql_url_ + ": no data in the answer" + (first.empty() ? "" : " (" + first + ")");
  }
  return r;
}

}  // namespace affil::collect
