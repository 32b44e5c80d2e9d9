// org: finds the organizations one identity names — in its e-mail addresses,
// company field, bio and blog — each with its evidence and whether it is
// current. Pure: no I/O.
//
// Company field: `@handle` mentions go through the GitHub-org handle map, and
// failing that through the account the collector found for the handle (its
// name and website, else an unlisted GitHub organization); the rest is matched longest-first against org names and aliases, then against
// hand-written patterns; a field that names no org may name a non-org
// ("Freelancer", "Student"), or be an org's name no rule lists ("… Ltd"). Bio: an org name counts only after a temporal cue
// in the same clause ("at", "@", "previously at"), and is history when the last
// past/now cue before it says so. Abbreviations shared by several orgs ("BIT")
// are settled by the record's countries, or reported as ambiguous.
#ifndef AFFIL_RESOLVE_ORG_H_
#define AFFIL_RESOLVE_ORG_H_

#include <string>
#include <vector>

#include "affil.h"
#include "kb/kb.h"

namespace affil::resolve {

// How much an observation says about employment, strongest first (DESIGN.md).
enum class Strength { kOverride = 0, kEmail = 1, kCompany = 2, kBio = 3, kBlog = 4 };

struct OrgHit {
  uint32_t org = 0;
  bool current = true;
  Strength strength = Strength::kCompany;
  Evidence evidence;
};

// What the e-mail addresses say before anything else is read.
struct EmailFacts {
  std::vector<OrgHit> hits;                 // corporate and academic domains
  std::vector<std::string> countries;       // from ccTLDs ("cn", "de")
  std::vector<Evidence> country_evidence;   // parallel to `countries`
  std::string free_mail_country;            // a free-mail provider's country hint (qq.com → CN)
  Evidence free_mail_evidence;
  bool free_mail = false;                   // the main address is a free-mail one
};

EmailFacts ScanEmails(const KnowledgeBase::Impl& kb, const Profile& profile,
                      std::vector<std::string>* trace);

struct OrgFacts {
  std::vector<OrgHit> hits;
  // Orgs the knowledge base does not list, "listed": false: the GitHub
  // organization a company @handle names (Profile::company_accounts; id
  // "github:<login>", kind empty), or a company field named like an org
  // (rules/orgs/unlisted.rules; id "name:<words>").
  std::vector<OrgAffiliation> unlisted;
  std::string non_org;         // the company field names no org but this category
  bool ambiguous_org = false;  // a shared abbreviation the record could not settle
  std::vector<Evidence> notes;
};

// `countries`: alpha-2 codes the record points to, for settling abbreviations.
OrgFacts ScanOrgs(const KnowledgeBase::Impl& kb, const Profile& profile,
                  const std::vector<std::string>& countries, std::vector<std::string>* trace);

}  // namespace affil::resolve

#endif  // AFFIL_RESOLVE_ORG_H_
