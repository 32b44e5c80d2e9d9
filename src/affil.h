// affil: contributor identity and affiliation resolver — the public C++ API.
//
// Load a KnowledgeBase once (rules/ + gazetteer/), then call Resolve() from any
// number of threads: the knowledge base is immutable after Load() and Resolve()
// is a pure function of (knowledge base, person).
//
//   std::string error;
//   auto kb = affil::KnowledgeBase::Load("rules", "gazetteer", &error);
//   if (!kb) { std::cerr << error; return 1; }
//   affil::Profile p;
//   p.login = "GuangguanWang";
//   p.company = "Alibaba";
//   p.location = "Hangzhou";
//   p.email = "guangguan.wang@linux.alibaba.com";
//   affil::Resolution r = affil::Resolve(*kb, {&p});
//   // r.country->code == "CN", r.orgs[0].group == "alibaba"
#ifndef AFFIL_AFFIL_H_
#define AFFIL_AFFIL_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace affil {

// One GitHub identity as the REST API describes a user, plus what commits tell.
// Empty strings mean "absent".
// A GitHub account that an @handle of the company field names, as the
// collector found it ("@ppl-ai" → the organization "Perplexity", blog
// https://perplexity.ai). Input, not knowledge: it tells who the handle is
// when the knowledge base does not know it.
struct Account {
  std::string login;
  std::string type;  // "Organization" or "User"
  std::string name;
  std::string blog;
  std::string location;
  std::string description;
};

struct Profile {
  std::string login;
  std::string name;
  std::string company;
  std::string location;
  std::string email;
  std::string bio;
  std::string blog;
  std::string twitter_username;
  std::string type;                        // "User", "Bot", "Organization" or empty
  std::vector<std::string> commit_emails;  // author e-mails seen in commits
  std::vector<int> commit_offsets;         // UTC offsets of commit times, in minutes (+0800 → 480)
  std::vector<Account> company_accounts;   // the accounts the company field's @handles name
};

// Why a conclusion was drawn: which input field, which span of its text, and
// which knowledge-base line ("rules/orgs/curated.rules:12") made the match.
struct Evidence {
  std::string field;  // "company", "bio", "email", "commit_email", "blog", "location", "override", ...
  std::string text;   // the matched span as written in the input
  std::string rule;   // "path:line" relative to the knowledge-base root
};

// An organization a person belongs (or belonged) to.
struct OrgAffiliation {
  std::string id;     // stable lowercase slug, e.g. "alibaba-cloud"
  std::string name;   // display name, e.g. "Alibaba Cloud"
  std::string kind;   // company | university | institute | government | nonprofit | community
  std::string group;       // id of the top of the parent chain, e.g. "alibaba"
  std::string group_name;  // display name of that org, e.g. "Alibaba Group"
  bool current = true;  // false for history ("previously at NVIDIA")
  // false: an organization the knowledge base does not list, known by what the
  // profile says of it: "github:<login>" (a GitHub organization account) or
  // "name:<key>" (a name ending in a legal form or an org-type word).
  bool listed = true;
  std::vector<Evidence> evidence;
};

// One place named by the input.
struct Place {
  std::string code;         // ISO 3166-1 alpha-2
  std::string name;         // country display name
  std::string subdivision;  // ISO 3166-2, or empty
  std::string city;         // city display name, or empty
};

// The person's country with how it was known.
struct Country {
  std::string code;         // ISO 3166-1 alpha-2
  std::string name;
  std::string basis;        // "location" (self-reported) | "email" | "institution" | "timezone"
  double confidence = 0;    // 0..1; inferred bases are lower than "location"
  std::string subdivision;  // ISO 3166-2, or empty
  std::string city;         // or empty
  std::vector<Evidence> evidence;
};

// Everything affil concludes about one person.
struct Resolution {
  std::optional<Country> country;     // primary country, if any evidence names one
  std::vector<Place> places;          // every place the location names, primary first
  std::vector<OrgAffiliation> orgs;   // current first, then past; strongest evidence first
  std::vector<std::string> flags;     // sorted: ambiguous_org, ambiguous_place, bot, conflict,
                                      // free_mail, non_org, non_place, override, several_places
  std::string non_org;                // with the non_org flag: what the company field says instead
                                      // (self_employed, student, unemployed, job_title, place,
                                      // joke, placeholder)
  std::vector<Evidence> notes;        // evidence behind flags (non-place text, non-org category, ...)
};

class KnowledgeBase;

// Loads and compiles rules/ and gazetteer/. Returns null and sets *error to
// "path:line: message" lines when a file is malformed.
struct LoadOptions {
  std::string rules_dir = "rules";
  std::string gazetteer_dir = "gazetteer";
};

// The compiled, immutable knowledge base. Thread-safe for concurrent reads.
class KnowledgeBase {
 public:
  static std::unique_ptr<const KnowledgeBase> Load(const LoadOptions& options, std::string* error);
  ~KnowledgeBase();
  KnowledgeBase(const KnowledgeBase&) = delete;
  KnowledgeBase& operator=(const KnowledgeBase&) = delete;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit KnowledgeBase(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Resolves one person, given all the identities merged into them (at least one).
// Pure: no I/O, no global state. When `trace` is given, each step (folded text,
// rules that matched with file:line, decisions) is appended to it as a line of
// prose; that is what `affil explain` prints.
Resolution Resolve(const KnowledgeBase& kb, const std::vector<const Profile*>& identities,
                   std::vector<std::string>* trace = nullptr);

// Groups identities into people. Identities with the same login (case-insensitive)
// or a shared non-noreply e-mail are one person; "<id>+<login>@users.noreply.github.com"
// names <login>. Generic addresses (noreply@, shared by many logins) never merge.
// Returns, for each input, a stable person id ("gh:<lowercase login>" of the
// person's lexicographically first login).
std::vector<std::string> AssignPersons(const std::vector<const Profile*>& identities);

// A batch resolved person by person: identities merged (AssignPersons), each
// person resolved once from all their identities.
struct Batch {
  std::vector<std::string> person;      // per identity: its person id
  std::vector<size_t> resolution;       // per identity: index into `resolutions`
  std::vector<Resolution> resolutions;  // one per person, in order of first appearance
};

// Resolves `identities` on `threads` threads (at least 1). Deterministic: the
// result does not depend on the thread count.
Batch ResolveBatch(const KnowledgeBase& kb, const std::vector<const Profile*>& identities,
                   int threads = 1);

}  // namespace affil

#endif  // AFFIL_AFFIL_H_
