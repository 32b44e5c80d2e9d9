#include "report/eval.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace affil::eval {
namespace {

using ConfusionMap = std::map<std::pair<std::string, std::string>, Confusion>;

void Count(ConfusionMap* map, const std::string& expected, const std::string& got, const std::string& example) {
  Confusion& c = (*map)[{expected, got}];
  c.expected = expected;
  c.got = got;
  ++c.count;
  if (c.examples.size() < 3) c.examples.push_back(example);
}

std::vector<Confusion> Sorted(ConfusionMap map) {
  std::vector<Confusion> out;
  for (auto& [key, c] : map) out.push_back(std::move(c));
  std::stable_sort(out.begin(), out.end(), [](const Confusion& a, const Confusion& b) { return a.count > b.count; });
  return out;
}

std::string Percent(double x) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * x);
  return buf;
}

std::string Cell(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

void RenderErrors(std::string* out, const std::vector<Confusion>& errors, size_t max_errors) {
  *out += "| expected | got | count | examples |\n|---|---|---:|---|\n";
  for (size_t i = 0; i < errors.size() && i < max_errors; ++i) {
    const Confusion& c = errors[i];
    std::string examples;
    for (const std::string& e : c.examples) examples += (examples.empty() ? "" : " · ") + Cell(e);
    *out += "| " + c.expected + " | " + c.got + " | " + std::to_string(c.count) + " | " + examples + " |\n";
  }
}

std::vector<Resolution> ResolveEach(const KnowledgeBase& kb, const std::vector<Profile>& profiles, int threads) {
  std::vector<const Profile*> ptrs;
  for (const Profile& p : profiles) ptrs.push_back(&p);
  // Every case is its own person: identity merge must not join two test rows.
  Batch batch = ResolveBatch(kb, ptrs, threads);
  std::vector<Resolution> out;
  out.reserve(profiles.size());
  for (size_t i = 0; i < profiles.size(); ++i) out.push_back(batch.resolutions[batch.resolution[i]]);
  return out;
}

}  // namespace

LocationScore ScoreLocations(const KnowledgeBase& kb, const std::vector<LocationCase>& cases, int threads) {
  std::vector<Profile> profiles(cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    profiles[i].login = "case" + std::to_string(i);
    profiles[i].location = cases[i].location;
  }
  std::vector<Resolution> results = ResolveEach(kb, profiles, threads);
  LocationScore score;
  ConfusionMap errors;
  for (size_t i = 0; i < cases.size(); ++i) {
    const LocationCase& c = cases[i];
    const Resolution& r = results[i];
    if (c.multi) {
      ++score.multi;
      bool found = std::any_of(r.places.begin(), r.places.end(), [&](const Place& p) { return p.code == c.expected; });
      score.multi_found += found;
      continue;
    }
    ++score.single;
    std::string got = r.country ? r.country->code : "-";
    if (r.country) ++score.answered;
    if (got == c.expected) ++score.correct;
    else Count(&errors, c.expected, got, c.location);
  }
  score.errors = Sorted(std::move(errors));
  return score;
}

std::string RenderLocationScore(const LocationScore& s, size_t max_errors) {
  std::string out = "| measure | value |\n|---|---:|\n";
  out += "| single-country strings | " + std::to_string(s.single) + " |\n";
  out += "| accuracy (correct / all) | " + Percent(s.Accuracy()) + " |\n";
  out += "| coverage (answered / all) | " + Percent(s.Coverage()) + " |\n";
  out += "| precision (correct / answered) | " + Percent(s.Precision()) + " |\n";
  out += "| several-country strings | " + std::to_string(s.multi) + " |\n";
  out += "| label among the places found | " +
         Percent(s.multi ? static_cast<double>(s.multi_found) / s.multi : 0) + " |\n\n";
  RenderErrors(&out, s.errors, max_errors);
  return out;
}

std::string OrgAnswer(const Resolution& r) {
  for (const OrgAffiliation& o : r.orgs) {
    if (o.current && o.listed) return o.id;
  }
  if (!r.non_org.empty()) return "nonorg:" + r.non_org;
  for (const OrgAffiliation& o : r.orgs) {
    if (o.current) return "unlisted:" + o.kind;
  }
  return "-";
}

OrgScore ScoreOrgs(const KnowledgeBase& kb, const std::vector<OrgCase>& cases, int threads) {
  std::vector<Profile> profiles(cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    profiles[i].login = "case" + std::to_string(i);
    profiles[i].company = cases[i].company;
    if (!cases[i].email_domain.empty()) profiles[i].email = "someone@" + cases[i].email_domain;
    profiles[i].location = cases[i].location;
  }
  std::vector<Resolution> results = ResolveEach(kb, profiles, threads);
  OrgScore score;
  ConfusionMap errors;
  for (size_t i = 0; i < cases.size(); ++i) {
    ++score.total;
    std::string got = OrgAnswer(results[i]);
    if (cases[i].expected == "-" && got.rfind("unlisted:", 0) == 0) {
      ++score.unlisted;
      if (score.unlisted_examples.size() < 20) score.unlisted_examples.push_back(cases[i].company);
      continue;
    }
    if (got != "-") ++score.answered;
    if (got == cases[i].expected) {
      score.correct += got != "-";
      score.silent += got == "-";
    } else {
      Count(&errors, cases[i].expected, got, cases[i].company);
    }
  }
  score.errors = Sorted(std::move(errors));
  return score;
}

std::string RenderOrgScore(const OrgScore& s, size_t max_errors) {
  std::string out = "| measure | value |\n|---|---:|\n";
  out += "| cases | " + std::to_string(s.total) + " |\n";
  out += "| coverage (answered / all) | " + Percent(s.Coverage()) + " |\n";
  out += "| precision (correct / answered) | " + Percent(s.Precision()) + " |\n";
  out += "| rightly silent (expected and got no org) | " + std::to_string(s.silent) + " |\n";
  out += "| an unlisted org where no listed org is expected | " + std::to_string(s.unlisted) + " |\n\n";
  if (!s.unlisted_examples.empty()) {
    out += "Unlisted orgs found where the labels expect none (first " + std::to_string(s.unlisted_examples.size()) + "): ";
    for (size_t i = 0; i < s.unlisted_examples.size(); ++i) out += (i ? " · " : "") + Cell(s.unlisted_examples[i]);
    out += "\n\n";
  }
  RenderErrors(&out, s.errors, max_errors);
  return out;
}

}  // namespace affil::eval
