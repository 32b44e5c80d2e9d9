// The repository's own knowledge base, loaded once for every test that needs it.
#ifndef AFFIL_TESTS_TEST_KB_H_
#define AFFIL_TESTS_TEST_KB_H_

#include <doctest/doctest.h>

#include <string>

#include "affil.h"

namespace affil::testing {

inline const KnowledgeBase& RealKb() {
  static const KnowledgeBase* kb = [] {
    LoadOptions options;
    options.rules_dir = std::string(AFFIL_SOURCE_DIR) + "/rules";
    options.gazetteer_dir = std::string(AFFIL_SOURCE_DIR) + "/gazetteer";
    std::string error;
    auto loaded = KnowledgeBase::Load(options, &error);
    if (!loaded) FAIL("knowledge base does not load: " << error);
    return loaded.release();
  }();
  return *kb;
}

// Resolves a one-identity profile built from the given fields.
inline Resolution ResolveOne(const Profile& p) { return Resolve(RealKb(), {&p}); }

inline bool HasFlag(const Resolution& r, const std::string& flag) {
  for (const std::string& f : r.flags) {
    if (f == flag) return true;
  }
  return false;
}

}  // namespace affil::testing

#endif  // AFFIL_TESTS_TEST_KB_H_
