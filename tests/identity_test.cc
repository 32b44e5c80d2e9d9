#include <doctest/doctest.h>

#include "affil.h"

namespace {

std::vector<std::string> Persons(const std::vector<affil::Profile>& profiles) {
  std::vector<const affil::Profile*> ptrs;
  for (const affil::Profile& p : profiles) ptrs.push_back(&p);
  return affil::AssignPersons(ptrs);
}

affil::Profile Make(std::string login, std::string email = "", std::vector<std::string> commits = {}) {
  affil::Profile p;
  p.login = std::move(login);
  p.email = std::move(email);
  p.commit_emails = std::move(commits);
  return p;
}

}  // namespace

TEST_CASE("rows with the same login are one person, whatever the case") {
  auto persons = Persons({Make("LyricZhao"), Make("sleepcoo"), Make("lyriczhao")});
  CHECK(persons[0] == "gh:lyriczhao");
  CHECK(persons[2] == persons[0]);
  CHECK(persons[1] == "gh:sleepcoo");
}

TEST_CASE("identities sharing a non-noreply e-mail are one person") {
  auto persons = Persons({Make("zed", "Same@Example.com"), Make("alpha", "", {"same@example.com"}), Make("other")});
  CHECK(persons[0] == "gh:alpha");
  CHECK(persons[1] == "gh:alpha");
  CHECK(persons[2] == "gh:other");
}

TEST_CASE("a noreply address names its login") {
  auto persons = Persons({Make("alice"), Make("", "", {"12345+alice@users.noreply.github.com"})});
  CHECK(persons[1] == "gh:alice");
}

TEST_CASE("generic and widely shared addresses never merge people") {
  auto persons = Persons({Make("a", "noreply@example.com"), Make("b", "noreply@example.com")});
  CHECK(persons[0] != persons[1]);
  std::vector<affil::Profile> team;
  for (const char* login : {"p1", "p2", "p3", "p4", "p5"}) team.push_back(Make(login, "team@corp.com"));
  auto shared = Persons(team);
  CHECK(shared[0] != shared[1]);
  CHECK(shared[3] != shared[4]);
}

TEST_CASE("identities with neither login nor e-mail stay apart") {
  auto persons = Persons({Make(""), Make("")});
  CHECK(persons[0] == "row:1");
  CHECK(persons[1] == "row:2");
}
