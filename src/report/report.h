// affil::report: aggregates resolved contributor rows into counts and renders
// them as Markdown, JSON or CSV. No file I/O: callers pass rows in and write
// the returned strings wherever they like.
//
//   std::vector<affil::report::Row> rows = ...;  // one per input record
//   affil::report::Report r = affil::report::Compute(rows, {});
//   std::cout << affil::report::RenderMarkdown(r);
//
// Counting rules, used throughout:
//   * A *row* is one input record (typically one contributor in one repo);
//     a *person* is a distinct Row::person. One person may have many rows.
//   * Error rows are counted in Summary::error_rows and nowhere else.
//   * Bots (people whose resolution has the "bot" flag) are left out of every
//     count except Summary::bots_excluded / bot_rows_excluded, unless
//     Options::include_bots. So input_rows == error_rows + rows + bot_rows_excluded.
//   * "Self-reported" country: Resolution::country has basis "location"; such a
//     person counts under EVERY country named by Resolution::places (and the
//     primary country), so "Champaign; Hangzhou" counts under both US and CN.
//   * Organizations are current ones only (OrgAffiliation::current); a person
//     counts at most once per org, per group and per kind.
// Every list has a documented, deterministic order.
#ifndef AFFIL_REPORT_REPORT_H_
#define AFFIL_REPORT_REPORT_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "affil.h"

namespace affil::report {

// One input record (a contributor-repo row).
struct Row {
  std::string login;
  std::string repo;                // empty when the input has no repo
  long long merged_prs = 0;
  std::string person;              // person id from affil::AssignPersons; if empty, login is used
  const affil::Resolution* resolution = nullptr;  // the person's resolution (shared by their rows);
                                                  // null counts as "nothing known". The first
                                                  // non-null one seen for a person is used.
  bool error = false;              // the input line was malformed: counted, never silently dropped
};

struct Options {
  bool include_bots = false;       // count bots like everyone else
  std::size_t top_countries = 3;   // RepoLine::top_countries keeps at most this many
};

// Totals. Only `input_rows`, `error_rows`, `bots_excluded` and
// `bot_rows_excluded` see excluded rows; everything else counts included rows.
struct Summary {
  long long input_rows = 0;        // every Row passed in
  long long error_rows = 0;        // rows with Row::error
  long long rows = 0;              // rows counted (not error, not an excluded bot)
  long long people = 0;            // distinct people among counted rows
  long long bots_excluded = 0;     // bot people left out (0 with include_bots)
  long long bot_rows_excluded = 0; // their rows
  long long people_self_reported_country = 0;  // country basis "location"
  long long people_with_country = 0;           // any basis (self-reported or inferred)
  long long people_with_current_org = 0;       // >= 1 current organization
};

// One country. Sorted by people desc, rows desc, code asc. Only countries with
// a nonzero count appear.
struct CountryLine {
  std::string code;                // ISO 3166-1 alpha-2
  std::string name;                // display name from the resolutions
  long long rows = 0;              // rows whose person's self-reported location names it
  long long people = 0;            // people whose self-reported location names it
  long long people_incl_inferred = 0;  // `people` plus people whose country was inferred
                                       // (basis other than "location") as this code
};

// One current organization. Sorted by people desc, id asc.
struct OrgLine {
  std::string id;
  std::string name;
  std::string kind;
  std::string group;               // group id (the org's own id when it has no parent)
  std::string group_name;
  long long people = 0;            // people currently at this org, by any evidence
  long long rows = 0;              // all counted rows of those people
  long long people_declared = 0;   // of `people`, those whose profile (company, bio) or an override says so
};

// One organization group (top of the parent chain; Alibaba Cloud rolls up into
// Alibaba Group). Sorted by people desc, id asc.
struct GroupLine {
  std::string id;
  std::string name;
  long long people = 0;            // people with >= 1 current org in the group
  long long rows = 0;              // all counted rows of those people
  long long people_declared = 0;   // of `people`, those with such an org declared (see OrgLine)
};

// People with >= 1 current org of a kind ("university": a person at two
// universities counts once). Sorted by people desc, kind asc. An empty
// OrgAffiliation::kind is reported as "unknown".
struct KindLine {
  std::string kind;
  long long people = 0;            // people with >= 1 current org of this kind, by any evidence
  long long people_declared = 0;   // of `people`, those with such an org declared (see OrgLine)
};

// An org group with >= 2 people in one repository ("NVIDIA 3 in DeepGEMM").
struct Concentration {
  std::string group;               // group id
  std::string name;                // group display name
  long long people = 0;
};

// One repository (rows with an empty Row::repo are not listed). Sorted by
// people desc, rows desc, repo asc.
struct RepoLine {
  std::string repo;
  long long rows = 0;              // rows; equals people unless a person has two rows here
  long long people = 0;
  long long merged_prs = 0;        // sum of Row::merged_prs
  long long people_with_country = 0;  // any basis
  // At most Options::top_countries (code, people) pairs, people desc then code
  // asc. A person counts under each country of CountryLine::people_incl_inferred.
  std::vector<std::pair<std::string, long long>> top_countries;
  std::vector<Concentration> concentration;  // people desc, group asc
};

// A person with rows in >= 2 repositories. Sorted by repos.size() desc, person asc.
struct Overlap {
  std::string person;
  std::vector<std::string> logins;  // sorted, unique
  std::vector<std::string> repos;   // sorted, unique
};

// Two repositories sharing contributors, a < b. Sorted by people desc, a, b.
struct RepoPair {
  std::string a;
  std::string b;
  long long people = 0;
};

struct Report {
  Summary summary;
  std::vector<CountryLine> countries;
  std::vector<OrgLine> organizations;
  std::vector<GroupLine> groups;
  std::vector<KindLine> kinds;
  std::vector<RepoLine> repositories;
  std::vector<Overlap> overlaps;
  std::vector<RepoPair> repo_pairs;
};

// Aggregates `rows`. The result does not depend on row order, except which
// Resolution is used when one person's rows point to different ones. The
// Resolutions pointed to are only read during the call.
Report Compute(const std::vector<Row>& rows, const Options& options = {});

// Markdown: "# Contributor affiliations" and one "##" section per table; "|"
// in cells is escaped and line breaks become spaces. Ends with a newline.
std::string RenderMarkdown(const Report& report);

// Pretty-printed JSON object (2-space indent, trailing newline) with keys, in
// this order: summary, countries, organizations, groups, kinds, repositories,
// overlaps, repo_pairs. Field names are the struct member names; top_countries
// items are {"code", "people"}. Invalid UTF-8 is replaced by U+FFFD.
std::string RenderJson(const Report& report);

// One RFC 4180 CSV (CRLF line ends; fields with , " CR or LF are quoted and "
// doubled) with the header
//   table,key,key2,name,kind,group,value,rows,people,people_incl_inferred,
//   people_declared,merged_prs,people_with_country,logins,repos
// Each table fills the columns it has and leaves the rest empty:
//   summary               key=field name, value
//   countries             key=code, name, rows, people, people_incl_inferred
//   organizations         key=id, name, kind, group, people, people_declared, rows
//   groups                key=id, name, people, people_declared, rows
//   kinds                 key=kind, people, people_declared
//   repositories          key=repo, rows, people, merged_prs, people_with_country
//   repository_countries  key=repo, key2=code, people   (the top countries)
//   concentration         key=repo, key2=group id, name, people
//   overlaps              key=person, logins, repos    (lists joined by ";")
//   repo_pairs            key=repo a, key2=repo b, people
std::string RenderCsv(const Report& report);

}  // namespace affil::report

#endif  // AFFIL_REPORT_REPORT_H_
