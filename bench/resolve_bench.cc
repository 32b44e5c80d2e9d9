// affil_bench: measures knowledge-base load time, resolution throughput on one
// and more threads, and peak memory. Records are real profiles (the article's
// fixture and, when present, ../shared/data/eval/profiles-dev.tsv) repeated
// with varied logins so that every record is a distinct person.
//
//   build/affil_bench [--records N] [--threads 1,2] [--tsv PATH] [--write FILE.ndjson]
//                     [--fields all|location|parser]
//
// --fields location keeps only the location field (resolved as a whole record);
// --fields parser calls the place parser (resolve::ResolveLocation) directly.
//
// See bench/README.md for the figures and how they were taken.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <fstream>
#include <iostream>
#include <sstream>

#include "affil.h"
#include "io/records.h"
#include "kb/kb.h"
#include "resolve/place.h"

#include <nlohmann/json.hpp>

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Profiles from the fixture and the dev TSV (location and company columns).
std::vector<affil::Profile> Seeds(const std::string& fixture, const std::string& tsv) {
  std::vector<affil::Profile> seeds;
  std::ifstream in(fixture);
  affil::io::RecordReader reader(in, affil::io::RecordReader::Format::kNdjson);
  while (auto r = reader.Next()) {
    if (r->ok()) seeds.push_back(r->profile);
  }
  std::ifstream t(tsv);
  std::string line;
  std::getline(t, line);  // header: login country_label multi location company
  while (std::getline(t, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) f.push_back(cell);
    if (f.size() < 4) continue;
    affil::Profile p;
    p.login = f[0];
    p.location = f[3];
    if (f.size() > 4) p.company = f[4];
    seeds.push_back(std::move(p));
  }
  return seeds;
}

}  // namespace

int main(int argc, char** argv) {
  size_t records = 1000000;
  std::vector<int> thread_counts = {1, 2};
  std::string source = AFFIL_SOURCE_DIR;
  std::string tsv = source + "/../shared/data/eval/profiles-dev.tsv";
  std::string write;
  std::string fields = "all";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--records") records = std::stoul(argv[i + 1]);
    else if (a == "--tsv") tsv = argv[i + 1];
    else if (a == "--write") write = argv[i + 1];
    else if (a == "--fields") fields = argv[i + 1];
    else if (a == "--threads") {
      thread_counts.clear();
      std::stringstream ss(argv[i + 1]);
      std::string n;
      while (std::getline(ss, n, ',')) thread_counts.push_back(std::stoi(n));
    } else {
      std::cerr << "usage: affil_bench [--records N] [--threads 1,2] [--tsv PATH] [--write FILE] [--fields all|location]\n";
      return 2;
    }
  }

  auto start = Clock::now();
  affil::LoadOptions options;
  options.rules_dir = source + "/rules";
  options.gazetteer_dir = source + "/gazetteer";
  std::string error;
  auto kb = affil::KnowledgeBase::Load(options, &error);
  if (!kb) {
    std::cerr << error;
    return 1;
  }
  double load = Seconds(start);
  long rss_after_load = PeakRssKb();

  std::vector<affil::Profile> seeds = Seeds(source + "/fixtures/deepseek-oss-week/contributors.ndjson", tsv);
  std::cout << "seed profiles: " << seeds.size() << ", records: " << records << "\n";
  std::cout << "knowledge base load: " << load << " s (peak RSS " << rss_after_load / 1024 << " MB)\n";
  if (fields == "parser") {  // only the location strings are kept: the parser's own memory
    std::vector<std::string> locations;
    locations.reserve(records);
    for (size_t i = 0; i < records; ++i) locations.push_back(seeds[i % seeds.size()].location);
    std::vector<std::string> none;
    for (int threads : thread_counts) {
      std::atomic<size_t> next{0}, places{0};
      auto t0 = Clock::now();
      constexpr size_t kChunk = 4096;  // one atomic step per chunk, not per location
      auto work = [&] {
        size_t found = 0;
        for (size_t begin = next.fetch_add(kChunk); begin < locations.size(); begin = next.fetch_add(kChunk)) {
          for (size_t i = begin; i < std::min(begin + kChunk, locations.size()); ++i) {
            found += !affil::resolve::ResolveLocation(kb->impl(), locations[i], none, nullptr).places.empty();
          }
        }
        places += found;
      };
      std::vector<std::thread> pool;
      for (int t = 1; t < threads; ++t) pool.emplace_back(work);
      work();
      for (std::thread& t : pool) t.join();
      double s = Seconds(t0);
      std::cout << "parser, threads " << threads << ": " << s << " s, " << static_cast<long>(records / s)
                << " locations/s (" << places << " with a place)\n";
    }
    std::cout << "peak RSS: " << PeakRssKb() / 1024 << " MB\n";
    return 0;
  }
  std::vector<affil::Profile> profiles;
  profiles.reserve(records);
  for (size_t i = 0; i < records; ++i) {
    affil::Profile p = seeds[i % seeds.size()];
    p.login += "-" + std::to_string(i / seeds.size());
    if (fields == "location" || fields == "parser") {
      affil::Profile only;
      only.login = std::move(p.login);
      only.location = std::move(p.location);
      p = std::move(only);
    }
    profiles.push_back(std::move(p));
  }
  if (!write.empty()) {
    std::ofstream out(write);
    for (const affil::Profile& p : profiles) {
      nlohmann::ordered_json j = {{"login", p.login}, {"company", p.company}, {"location", p.location},
                                  {"email", p.email}, {"bio", p.bio}};
      out << j.dump() << "\n";
    }
  }
  std::vector<const affil::Profile*> ptrs;
  for (const affil::Profile& p : profiles) ptrs.push_back(&p);

  for (int threads : thread_counts) {
    auto t0 = Clock::now();
    affil::Batch batch = affil::ResolveBatch(*kb, ptrs, threads);
    double s = Seconds(t0);
    size_t with_country = 0;
    for (const affil::Resolution& r : batch.resolutions) with_country += r.country.has_value();
    std::cout << "threads " << threads << ": " << s << " s, " << static_cast<long>(records / s)
              << " records/s (" << batch.resolutions.size() << " people, " << with_country
              << " with a country)\n";
  }
  std::cout << "peak RSS: " << PeakRssKb() / 1024 << " MB\n";
  return 0;
}
