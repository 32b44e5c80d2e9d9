// persons: identity merge as dense numbers, shared by AssignPersons() and
// ResolveBatch() so that a batch never goes through string-keyed maps.
#ifndef AFFIL_RESOLVE_PERSONS_H_
#define AFFIL_RESOLVE_PERSONS_H_

#include <string>
#include <vector>

#include "affil.h"

namespace affil::internal {

struct Persons {
  std::vector<size_t> of;         // per identity: its person's number
  std::vector<std::string> ids;   // per person number: the stable id (see AssignPersons)
};

// The merge that AssignPersons() describes, with persons numbered 0, 1, ...
// in order of first appearance.
Persons GroupPersons(const std::vector<const Profile*>& identities);

}  // namespace affil::internal

#endif  // AFFIL_RESOLVE_PERSONS_H_
