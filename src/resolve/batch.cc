// ResolveBatch(): people first (AssignPersons), then one Resolve() per person,
// spread over threads by an atomic cursor. Each person's slot is written by
// exactly one thread, so the result is the same for any thread count.
#include <algorithm>
#include <atomic>
#include <thread>
#include <unordered_map>

#include "affil.h"

namespace affil {

Batch ResolveBatch(const KnowledgeBase& kb, const std::vector<const Profile*>& identities, int threads) {
  Batch batch;
  batch.person = AssignPersons(identities);
  batch.resolution.resize(identities.size());
  std::unordered_map<std::string, size_t> index_of;
  std::vector<std::vector<const Profile*>> members;
  std::vector<std::vector<std::string>> member_logins;
  for (size_t i = 0; i < identities.size(); ++i) {
    auto [it, inserted] = index_of.emplace(batch.person[i], members.size());
    if (inserted) {
      members.emplace_back();
      member_logins.emplace_back();
    }
    batch.resolution[i] = it->second;
    // Rows of the same login describe one identity: read it once.
    std::vector<std::string>& logins = member_logins[it->second];
    const std::string& login = identities[i]->login;
    if (login.empty() || std::find(logins.begin(), logins.end(), login) == logins.end()) {
      logins.push_back(login);
      members[it->second].push_back(identities[i]);
    }
  }
  batch.resolutions.resize(members.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < members.size(); i = next++) batch.resolutions[i] = Resolve(kb, members[i]);
  };
  int n = std::max(1, threads);
  std::vector<std::thread> pool;
  for (int t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  return batch;
}

}  // namespace affil
