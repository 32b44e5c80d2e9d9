// AssignPersons(): merges identities into people (affil.h). Union-find over
// logins and e-mail addresses, with the addresses that say nothing about a
// person (noreply, shared by many logins) left out.
#include <algorithm>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "affil.h"
#include "resolve/persons.h"
#include "text/text.h"

namespace affil {
namespace {

// More distinct logins than this on one address make it a team or tool
// address, not a person's.
constexpr size_t kMaxLoginsPerAddress = 3;

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  size_t Find(size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void Union(size_t a, size_t b) { parent_[Find(a)] = Find(b); }

 private:
  std::vector<size_t> parent_;
};

// "<id>+<login>@users.noreply.github.com" or "<login>@users.noreply.github.com"
// → the login; empty for any other address.
std::string NoreplyLogin(const std::string& email) {
  const std::string suffix = "@users.noreply.github.com";
  if (email.size() <= suffix.size() || email.compare(email.size() - suffix.size(), suffix.size(), suffix) != 0) return "";
  std::string local = email.substr(0, email.size() - suffix.size());
  size_t plus = local.find('+');
  return plus == std::string::npos ? local : local.substr(plus + 1);
}

bool IsGenericAddress(const std::string& email) {
  std::string local = email.substr(0, email.find('@'));
  return local == "noreply" || local == "no-reply" || local == "no_reply" || local == "donotreply" ||
         local == "do-not-reply" || local == "root" || local == "admin" || local == "git";
}

}  // namespace

namespace internal {

// See persons.h.
Persons GroupPersons(const std::vector<const Profile*>& identities) {
  size_t n = identities.size();
  UnionFind sets(n);
  std::unordered_map<std::string, size_t> first_with_login;
  std::unordered_map<std::string, std::vector<size_t>> by_email;
  std::unordered_map<std::string, std::unordered_set<std::string>> logins_of_email;
  for (size_t i = 0; i < n; ++i) {
    const Profile& p = *identities[i];
    std::string login = text::AsciiLower(p.login);
    if (!login.empty()) {
      auto [it, inserted] = first_with_login.emplace(login, i);
      if (!inserted) sets.Union(i, it->second);
    }
    std::vector<std::string> emails;
    if (!p.email.empty()) emails.push_back(text::AsciiLower(p.email));
    for (const std::string& e : p.commit_emails) emails.push_back(text::AsciiLower(e));
    for (const std::string& email : emails) {
      if (email.find('@') == std::string::npos) continue;
      std::string named = NoreplyLogin(email);
      if (!named.empty()) {
        // The address names a login: it joins that login, if present.
        by_email["login:" + named].push_back(i);
        continue;
      }
      if (IsGenericAddress(email)) continue;
      by_email[email].push_back(i);
      if (!login.empty()) logins_of_email[email].insert(login);
    }
  }
  for (auto& [email, members] : by_email) {
    if (email.rfind("login:", 0) == 0) {
      auto it = first_with_login.find(email.substr(6));
      if (it != first_with_login.end()) {
        for (size_t m : members) sets.Union(m, it->second);
      }
      continue;
    }
    if (logins_of_email[email].size() > kMaxLoginsPerAddress) continue;
    for (size_t m : members) sets.Union(m, members.front());
  }
  // Dense person numbers in order of first appearance. A person's id: the
  // lexicographically first login among its identities; failing any login,
  // the first address; failing that, the row.
  Persons persons;
  persons.of.resize(n);
  std::vector<size_t> number_of_root(n, SIZE_MAX);
  std::vector<int> rank;
  for (size_t i = 0; i < n; ++i) {
    size_t& number = number_of_root[sets.Find(i)];
    const Profile& p = *identities[i];
    std::pair<int, std::string> name = !p.login.empty() ? std::pair(0, "gh:" + text::AsciiLower(p.login))
                                       : !p.email.empty() ? std::pair(1, "email:" + text::AsciiLower(p.email))
                                                          : std::pair(2, "row:" + std::to_string(i + 1));
    if (number == SIZE_MAX) {
      number = persons.ids.size();
      persons.ids.push_back(std::move(name.second));
      rank.push_back(name.first);
    } else if (std::pair(name.first, std::string_view(name.second)) <
               std::pair(rank[number], std::string_view(persons.ids[number]))) {
      persons.ids[number] = std::move(name.second);
      rank[number] = name.first;
    }
    persons.of[i] = number;
  }
  return persons;
}

}  // namespace internal

std::vector<std::string> AssignPersons(const std::vector<const Profile*>& identities) {
  internal::Persons persons = internal::GroupPersons(identities);
  std::vector<std::string> ids(identities.size());
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = persons.ids[persons.of[i]];
  return ids;
}

}  // namespace affil
