// ResolveBatch(): people first (AssignPersons), then one Resolve() per person,
// spread over threads by an atomic cursor. Each person's slot is written by
// exactly one thread, so the result is the same for any thread count.
#include <algorithm>
#include <atomic>
#include <thread>

#include "affil.h"
#include "resolve/persons.h"

namespace affil {

Batch ResolveBatch(const KnowledgeBase& kb, const std::vector<const Profile*>& identities, int threads) {
  Batch batch;
  internal::Persons persons = internal::GroupPersons(identities);
  batch.person.resize(identities.size());
  batch.resolution = persons.of;
  std::vector<std::vector<const Profile*>> members(persons.ids.size());
  for (size_t i = 0; i < identities.size(); ++i) {
    batch.person[i] = persons.ids[persons.of[i]];
    // Rows of the same login describe one identity: read it once.
    std::vector<const Profile*>& m = members[persons.of[i]];
    const std::string& login = identities[i]->login;
    if (login.empty() || std::none_of(m.begin(), m.end(), [&](const Profile* p) { return p->login == login; })) {
      m.push_back(identities[i]);
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
