#include "report/diff.h"

#include <algorithm>
#include <set>

namespace affil::diff {
namespace {

std::set<std::string> Orgs(const Resolution& r) {
  std::set<std::string> ids;
  for (const OrgAffiliation& o : r.orgs) ids.insert((o.current ? "" : "~") + o.id);
  return ids;
}

std::string Country(const Resolution& r) {
  return r.country ? r.country->code + " (" + r.country->basis + ")" : "-";
}

// "-a +b" for what left and what came.
std::string SetChange(const std::set<std::string>& before, const std::set<std::string>& after) {
  std::string out;
  for (const std::string& x : before) {
    if (!after.count(x)) out += (out.empty() ? "-" : " -") + x;
  }
  for (const std::string& x : after) {
    if (!before.count(x)) out += (out.empty() ? "+" : " +") + x;
  }
  return out;
}

}  // namespace

std::string DescribeChange(const Resolution& before, const Resolution& after) {
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? "" : "; ") + part; };
  std::string orgs = SetChange(Orgs(before), Orgs(after));
  if (!orgs.empty()) add("orgs: " + orgs);
  if (Country(before) != Country(after)) add("country: " + Country(before) + " → " + Country(after));
  std::string flags = SetChange({before.flags.begin(), before.flags.end()}, {after.flags.begin(), after.flags.end()});
  if (!flags.empty()) add("flags: " + flags);
  return out;
}

}  // namespace affil::diff
