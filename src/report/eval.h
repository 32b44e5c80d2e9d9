// eval: scores affil against labelled data, for the figures in docs/. Reads
// nothing itself: callers pass the labelled cases.
#ifndef AFFIL_REPORT_EVAL_H_
#define AFFIL_REPORT_EVAL_H_

#include <string>
#include <vector>

#include "affil.h"

namespace affil::eval {

// One labelled location string.
struct LocationCase {
  std::string location;
  std::string expected;  // ISO 3166-1 alpha-2
  bool multi = false;    // the text names several countries: scored by "expected among places"
};

struct Confusion {
  std::string expected;
  std::string got;  // "-" for no answer
  long long count = 0;
  std::vector<std::string> examples;  // up to three location strings
};

struct LocationScore {
  long long single = 0;          // cases with multi = false
  long long answered = 0;        // of those, a country came back
  long long correct = 0;         // of those, the expected one
  long long multi = 0;           // cases with multi = true
  long long multi_found = 0;     // of those, the expected country is among the places
  std::vector<Confusion> errors;  // wrong answers and misses, most frequent first

  double Accuracy() const { return single ? static_cast<double>(correct) / single : 0; }
  double Coverage() const { return single ? static_cast<double>(answered) / single : 0; }
  double Precision() const { return answered ? static_cast<double>(correct) / answered : 0; }
};

// Resolves each location alone (no other field), as self-reported location.
LocationScore ScoreLocations(const KnowledgeBase& kb, const std::vector<LocationCase>& cases, int threads);

// Markdown: the figures, then the `max_errors` most frequent confusions.
std::string RenderLocationScore(const LocationScore& score, size_t max_errors);

// One labelled company field (and e-mail domain).
struct OrgCase {
  std::string company;
  std::string email_domain;  // may be empty
  std::string expected;      // an org id, "-" for "no org", or "nonorg:<category>"
  std::string location;      // may be empty; settles shared abbreviations ("BIT")
};

struct OrgScore {
  long long total = 0;
  long long answered = 0;   // some current org (or non-org category) came back
  long long correct = 0;    // it was the expected one
  long long silent = 0;     // "-" expected and nothing came back
  // "-" expected (no org the knowledge base lists) and an unlisted org came
  // back ("Cloudsure Limited" → unlisted:company): neither right nor wrong by
  // the labels, so counted apart, with examples for a reader to judge.
  long long unlisted = 0;
  std::vector<std::string> unlisted_examples;
  std::vector<Confusion> errors;

  double Coverage() const { return total ? static_cast<double>(answered) / total : 0; }
  double Precision() const { return answered ? static_cast<double>(correct) / answered : 0; }
};

// The answer for a case is the first current org's id, else "nonorg:<category>"
// when the company field names a non-org, else "unlisted:<kind>" for an org the
// knowledge base does not list, else "-".
OrgScore ScoreOrgs(const KnowledgeBase& kb, const std::vector<OrgCase>& cases, int threads);

std::string RenderOrgScore(const OrgScore& score, size_t max_errors);

// The answer ScoreOrgs() compares with `expected`.
std::string OrgAnswer(const Resolution& r);

}  // namespace affil::eval

#endif  // AFFIL_REPORT_EVAL_H_
