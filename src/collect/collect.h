// collect: from repository names to a study database, through the GitHub API.
//
// Per repository: the merged pull requests (REST list, Link pagination), their
// authors' profiles (GraphQL, 50 logins a query through aliases), the accounts
// their company fields name as @handles (GraphQL, likewise), and the Git author
// names and e-mails of the merged pulls' commits (REST). Everything goes into
// the store (store/store.h), one transaction per page, so an interrupted run
// resumes where it stopped; stored lists are revalidated with their ETags (a 304
// costs no rate limit), stored commits, profiles and accounts are not fetched
// again unless --refresh-older-than says so. docs/collect.md has the details and the
// measured request counts.
#ifndef AFFIL_COLLECT_COLLECT_H_
#define AFFIL_COLLECT_COLLECT_H_

#include <ostream>
#include <string>
#include <vector>

namespace affil::collect {

// Runs `affil collect REPO... --db FILE [options]`; `args` are the words after "collect".
// Writes progress to `err` (only when it is a terminal, or with --progress), the final
// summary (request count, 304s, rows) to `out`. Returns the exit status (0 ok, 1 partial
// failure with a clear message, 2 usage error). Prints its own --help.
int Main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace affil::collect

#endif  // AFFIL_COLLECT_COLLECT_H_
