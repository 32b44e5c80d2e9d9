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
  for (size_t i = 0; i < identities.size(); ++i) batch.person[i] = persons.ids[persons.of[i]];
  // Every person's identities in one list ordered by person (a stable counting
  // sort), not a list per person: a million people cost a few allocations.
  size_t people = persons.ids.size();
  std::vector<size_t> first(people + 1, 0);
  for (size_t person : persons.of) ++first[person + 1];
  for (size_t p = 0; p < people; ++p) first[p + 1] += first[p];
  std::vector<const Profile*> by_person(identities.size());
  std::vector<size_t> fill(first.begin(), first.end() - 1);
  for (size_t i = 0; i < identities.size(); ++i) by_person[fill[persons.of[i]]++] = identities[i];
  batch.resolutions.resize(people);
  std::atomic<size_t> next{0};
  auto work = [&] {
    std::vector<const Profile*> members;
    for (size_t p = next++; p < people; p = next++) {
      members.clear();
      for (size_t k = first[p]; k < first[p + 1]; ++k) {
        // Rows of the same login describe one identity: read it once.
        const std::string& login = by_person[k]->login;
        if (login.empty() || std::none_of(members.begin(), members.end(), [&](const Profile* m) { return m->login == login; })) {
          members.push_back(by_person[k]);
        }
      }
      batch.resolutions[p] = Resolve(kb, members);
    }
  };
  int n = std::max(1, threads);
  std::vector<std::thread> pool;
  for (int t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  return batch;
}

}  // namespace affil
