// The README's library example, compiled and run as written.
#include <doctest/doctest.h>

#include <thread>

#include "affil.h"
#include "test_kb.h"

TEST_CASE("README: load once, resolve a profile") {
  std::string error;
  auto kb = affil::KnowledgeBase::Load({.rules_dir = std::string(AFFIL_SOURCE_DIR) + "/rules",
                                        .gazetteer_dir = std::string(AFFIL_SOURCE_DIR) + "/gazetteer"},
                                       &error);
  REQUIRE_MESSAGE(kb, error);
  affil::Profile p;
  p.login = "GuangguanWang";
  p.company = "Alibaba";
  p.location = "Hangzhou";
  p.email = "guangguan.wang@linux.alibaba.com";
  affil::Resolution r = affil::Resolve(*kb, {&p});
  REQUIRE(r.country);
  CHECK(r.country->code == "CN");
  REQUIRE_FALSE(r.orgs.empty());
  CHECK(r.orgs[0].group == "alibaba");
}

TEST_CASE("a missing knowledge-base folder is an error, not a crash") {
  std::string error;
  auto kb = affil::KnowledgeBase::Load({.rules_dir = "/no/such/rules", .gazetteer_dir = "/no/such/gazetteer"}, &error);
  CHECK_FALSE(kb);
  CHECK(error.find("/no/such/gazetteer: not a directory") != std::string::npos);
}

TEST_CASE("one knowledge base, many threads, the same answers") {
  const affil::KnowledgeBase& kb = affil::testing::RealKb();
  affil::Profile p;
  p.company = "Alibaba Cloud @aliyun ACK team @kubernetes";
  p.location = "中国，浙江省，杭州市";
  p.bio = "Previously at NVIDIA";
  affil::Resolution expected = affil::Resolve(kb, {&p});
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        affil::Resolution r = affil::Resolve(kb, {&p});
        if (r.orgs.size() != expected.orgs.size() || r.country->city != expected.country->city) ++mismatches[t];
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(mismatches == std::vector<int>(4, 0));
}

TEST_CASE("ResolveBatch gives the same result on one thread and on several") {
  std::vector<affil::Profile> profiles(50);
  for (size_t i = 0; i < profiles.size(); ++i) {
    profiles[i].login = "user" + std::to_string(i % 40);  // 10 logins appear twice
    profiles[i].location = i % 2 ? "Beijing" : "Melo Park";
    profiles[i].company = i % 3 ? "NVIDIA" : "蚂蚁";
  }
  std::vector<const affil::Profile*> ptrs;
  for (const auto& p : profiles) ptrs.push_back(&p);
  affil::Batch one = affil::ResolveBatch(affil::testing::RealKb(), ptrs, 1);
  affil::Batch four = affil::ResolveBatch(affil::testing::RealKb(), ptrs, 4);
  CHECK(one.person == four.person);
  CHECK(one.resolution == four.resolution);
  CHECK(one.resolutions.size() == 40);
  for (size_t i = 0; i < one.resolutions.size(); ++i) {
    CHECK(one.resolutions[i].country->code == four.resolutions[i].country->code);
    CHECK(one.resolutions[i].orgs[0].id == four.resolutions[i].orgs[0].id);
  }
}
