// diff: what a knowledge-base change moves, for `affil rules diff`: the
// curator's view of one record before and after an edit.
#ifndef AFFIL_REPORT_DIFF_H_
#define AFFIL_REPORT_DIFF_H_

#include <string>

#include "affil.h"

namespace affil::diff {

// "" when the answers a study counts are the same (country and its basis,
// current and past orgs, flags); otherwise a short description such as
// "orgs: -alibaba +antgroup; country: CN → -".
std::string DescribeChange(const Resolution& before, const Resolution& after);

}  // namespace affil::diff

#endif  // AFFIL_REPORT_DIFF_H_
