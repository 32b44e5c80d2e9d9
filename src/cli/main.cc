// affil: the command-line shell over the library. Parses arguments, opens
// files, and hands records to the library; every decision is the library's.
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "affil.h"
#include "collect/collect.h"
#include "io/records.h"
#include "kb/kb.h"
#include "report/diff.h"
#include "report/eval.h"
#include "report/report.h"
#include "store/store.h"

namespace {

namespace fs = std::filesystem;

constexpr const char* kVersion = "0.1.0";

constexpr const char* kUsage = R"(affil — who are the contributors: organizations and countries, with evidence

Usage:
  affil resolve [FILE|-]      one resolved NDJSON line per input record, in input order
  affil report  [FILE|-]      the breakdowns: countries, organizations, kinds, repositories
  affil explain [FILE|-]      every step behind each record's answer (or use --company etc.)
  affil collect REPO... --db FILE   merged-PR contributors of GitHub repositories into a study database
  affil rules check           lint rules/ and gazetteer/, run the examples written next to rules
  affil rules diff --base REV FILE   what an edit to rules/ or gazetteer/ moves on FILE's records
  affil eval locations FILE   score place resolution on a labelled TSV (location, country)
  affil eval orgs FILE        score organization resolution on a labelled TSV (company, email_domain, expected)
  affil help COMMAND          more on one command
  affil --version

Input: NDJSON, one GitHub REST user object per line (login, name, company,
location, email, bio, blog, twitter_username, type), optionally with "repo",
"merged_prs", "commit_emails", "commit_timezones" (["+0800"]) and
"company_accounts" (the GitHub accounts the company field's @handles name, as
affil collect stores them); or CSV with a header row (FILE ending .csv, or
--input-format csv). FILE defaults to standard input.

Common options:
  --db FILE            read the records of a study database (affil collect) instead of FILE
  --rules DIR          organization rules (default: ./rules, else next to the binary)
  --gazetteer DIR      place gazetteer (default: ./gazetteer, else next to the binary)
  --input-format F     ndjson | csv (default: from the file name; ndjson for stdin)
  --threads N          resolver threads (default: all cores)

Exit status: 0 all records read; 1 some input records were malformed (each got an
error line, nothing was dropped); 2 usage error or a broken knowledge base.

Examples:
  affil report fixtures/deepseek-oss-week/contributors.ndjson
  GITHUB_TOKEN=... affil collect deepseek-ai/FlashMLA deepseek-ai/DeepEP --db study.db
  affil report --db study.db
)";

constexpr const char* kResolveHelp = R"(affil resolve [FILE|-] [options]

Writes one JSON line per input record, in input order:
  {"line": 3, "login": "...", "person": "gh:...",
   "country": {"code","name","basis","confidence","subdivision","city","evidence"} | null,
   "places": [{"code","name","subdivision","city"}...],
   "orgs": [{"id","name","kind","group","group_name","current","evidence"}...],
   "flags": [...], "notes": [...], "input": {the input record, unchanged}}
A malformed record yields {"line": N, "error": "why", "raw": "the text"} and the run
goes on; the exit status is then 1.

Rows with the same login, and identities sharing a non-noreply e-mail, are one
person: they share "person" and are resolved together.

Options: --rules DIR, --gazetteer DIR, --input-format ndjson|csv, --threads N
)";

constexpr const char* kReportHelp = R"(affil report [FILE|-] [options]

Resolves the records, then prints the breakdowns: countries by rows and by unique
people (self-reported location, and with inferred evidence), organizations and
their groups, kinds (e.g. universities), per-repository concentration, and people
in several repositories.

Options:
  --format markdown|json|csv   (default markdown)
  --include-bots               count bots like people (default: left out, and counted)
  --rules DIR, --gazetteer DIR, --input-format ndjson|csv, --threads N
)";

constexpr const char* kExplainHelp = R"(affil explain [FILE|-] [--login LOGIN] [options]
affil explain --company TEXT --location TEXT --bio TEXT --email ADDR --blog URL

Shows each step behind an answer: the folded text, every rule that matched
(file:line), and the decisions. With FILE, explains every record (or only
--login LOGIN); with the text options, explains that one made-up profile.
)";

constexpr const char* kEvalHelp = R"(affil eval locations FILE.tsv [--errors N]
affil eval orgs FILE.tsv [--errors N]

Scores affil on labelled data (tab-separated, header row, extra columns ignored)
and prints the figures as Markdown, then the N most frequent errors (default 20).

locations: columns `location` and `country` (or `country_label`), optional `multi`
  (1: the string names several countries; scored by "the label is among the
  places found"). Each location is resolved alone. Prints accuracy (correct / all),
  coverage (answered / all) and precision (correct / answered) on the rest.
orgs: columns `company`, `email_domain` (may be empty) and `expected` (an org id,
  `-` for no org, or `nonorg:<category>`), optional `location` (it settles shared
  abbreviations). Prints coverage and precision.
)";

constexpr const char* kRulesHelp = R"(affil rules check [--rules DIR] [--gazetteer DIR]
affil rules diff --base REV FILE [--rules DIR] [--gazetteer DIR]

check: loads the knowledge base and reports every problem as path:line: message
  (syntax, unknown keys, duplicate ids, a name or domain claimed by two orgs,
  unknown parents, parent cycles, bad country codes, patterns RE2 rejects), then
  runs every `example` line written next to a rule. Exits 1 on any failure.

diff: resolves the records of FILE with the knowledge base as it was at git
  revision REV (e.g. HEAD, main, HEAD~3) and as it is now in the working tree,
  and prints every record whose answer moves: the blast radius of an edit,
  before it is committed. Needs git and tar.
)";

struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
  std::vector<std::string> flags;

  bool Has(const std::string& flag) const {
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
  }
  std::string Get(const std::string& key, const std::string& fallback = "") const {
    auto it = options.find(key);
    return it == options.end() ? fallback : it->second;
  }
};

const std::vector<std::string> kValueOptions = {"--rules", "--gazetteer", "--input-format", "--threads",
                                                "--format", "--login", "--company", "--location",
                                                "--bio", "--email", "--blog", "--errors", "--base", "--db"};
const std::vector<std::string> kFlagOptions = {"--include-bots", "--help", "-h", "--version"};

bool ParseArgs(int argc, char** argv, Args* args, std::string* error) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) == 0 && a.find('=') != std::string::npos) {
      std::string key = a.substr(0, a.find('='));
      if (std::find(kValueOptions.begin(), kValueOptions.end(), key) == kValueOptions.end()) {
        *error = "unknown option " + key;
        return false;
      }
      args->options[key] = a.substr(a.find('=') + 1);
    } else if (std::find(kValueOptions.begin(), kValueOptions.end(), a) != kValueOptions.end()) {
      if (i + 1 >= argc) {
        *error = a + " needs a value";
        return false;
      }
      args->options[a] = argv[++i];
    } else if (std::find(kFlagOptions.begin(), kFlagOptions.end(), a) != kFlagOptions.end()) {
      args->flags.push_back(a);
    } else if (a.size() > 1 && a[0] == '-') {
      *error = "unknown option " + a;
      return false;
    } else if (args->command.empty()) {
      args->command = a;
    } else {
      args->positional.push_back(a);
    }
  }
  return true;
}

// A knowledge-base folder: the option, else ./NAME, else NAME next to the binary's folder.
std::string FindDir(const Args& args, const std::string& option, const std::string& name) {
  std::string given = args.Get(option);
  if (!given.empty()) return given;
  if (fs::is_directory(name)) return name;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
      if (fs::is_directory(dir / name) && fs::is_directory(dir / "src")) return (dir / name).string();
    }
  }
  return name;
}

std::unique_ptr<const affil::KnowledgeBase> LoadKb(const Args& args) {
  affil::LoadOptions options;
  options.rules_dir = FindDir(args, "--rules", "rules");
  options.gazetteer_dir = FindDir(args, "--gazetteer", "gazetteer");
  std::string error;
  auto kb = affil::KnowledgeBase::Load(options, &error);
  if (!kb) std::cerr << "affil: the knowledge base does not load:\n" << error;
  return kb;
}

int Threads(const Args& args) {
  std::string t = args.Get("--threads");
  if (!t.empty()) return std::max(1, std::atoi(t.c_str()));
  return std::max(1u, std::thread::hardware_concurrency());
}

// Reads every record of the input: the study database of --db, or the file
// named by the first positional argument (standard input by default).
bool ReadInput(const Args& args, std::vector<affil::io::InputRecord>* records) {
  std::string db = args.Get("--db");
  if (!db.empty()) {
    std::string error;
    if (affil::store::ReadRecords(db, records, &error)) return true;
    std::cerr << "affil: " << db << ": " << error << "\n";
    return false;
  }
  std::string path = args.positional.empty() ? "-" : args.positional[0];
  std::string format = args.Get("--input-format");
  affil::io::RecordReader::Format f = affil::io::FormatForPath(path);
  if (format == "csv") f = affil::io::RecordReader::Format::kCsv;
  else if (format == "ndjson") f = affil::io::RecordReader::Format::kNdjson;
  else if (!format.empty()) {
    std::cerr << "affil: --input-format must be ndjson or csv\n";
    return false;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      std::cerr << "affil: cannot open " << path << ": " << std::strerror(errno) << "\n";
      return false;
    }
    in = &file;
  }
  *records = affil::io::ReadAll(*in, f, Threads(args));
  return true;
}

struct Resolved {
  std::vector<affil::io::InputRecord> records;
  std::vector<size_t> identity_of;  // record → identity index, or SIZE_MAX for error records
  affil::Batch batch;
  size_t errors = 0;
};

bool ResolveInput(const Args& args, const affil::KnowledgeBase& kb, Resolved* out) {
  if (!ReadInput(args, &out->records)) return false;
  std::vector<const affil::Profile*> identities;
  out->identity_of.assign(out->records.size(), SIZE_MAX);
  for (size_t i = 0; i < out->records.size(); ++i) {
    if (!out->records[i].ok()) {
      ++out->errors;
      continue;
    }
    out->identity_of[i] = identities.size();
    identities.push_back(&out->records[i].profile);
  }
  out->batch = affil::ResolveBatch(kb, identities, Threads(args));
  return true;
}

int RunResolve(const Args& args) {
  auto kb = LoadKb(args);
  if (!kb) return 2;
  Resolved r;
  if (!ResolveInput(args, *kb, &r)) return 2;
  // Serialize blocks of records on every thread, write them in order.
  constexpr size_t kBlock = 4096;
  size_t blocks = (r.records.size() + kBlock - 1) / kBlock;
  int threads = Threads(args);
  for (size_t first = 0; first < blocks; first += threads) {
    std::vector<std::string> out(std::min<size_t>(threads, blocks - first));
    auto serialize = [&](size_t k) {
      size_t begin = (first + k) * kBlock, end = std::min(begin + kBlock, r.records.size());
      for (size_t i = begin; i < end; ++i) {
        size_t id = r.identity_of[i];
        if (id == SIZE_MAX) affil::io::AppendOutputLine(&out[k], r.records[i], "", nullptr);
        else affil::io::AppendOutputLine(&out[k], r.records[i], r.batch.person[id], &r.batch.resolutions[r.batch.resolution[id]]);
      }
    };
    std::vector<std::thread> pool;
    for (size_t k = 1; k < out.size(); ++k) pool.emplace_back(serialize, k);
    serialize(0);
    for (std::thread& t : pool) t.join();
    for (const std::string& o : out) std::cout.write(o.data(), o.size());
  }
  std::cout.flush();
  if (r.errors) std::cerr << "affil: " << r.errors << " of " << r.records.size() << " records were malformed (see their error lines)\n";
  return r.errors ? 1 : 0;
}

int RunReport(const Args& args) {
  std::string format = args.Get("--format", "markdown");
  if (format != "markdown" && format != "json" && format != "csv") {
    std::cerr << "affil: --format must be markdown, json or csv\n";
    return 2;
  }
  auto kb = LoadKb(args);
  if (!kb) return 2;
  Resolved r;
  if (!ResolveInput(args, *kb, &r)) return 2;
  std::vector<affil::report::Row> rows;
  for (size_t i = 0; i < r.records.size(); ++i) {
    affil::report::Row row;
    row.error = r.identity_of[i] == SIZE_MAX;
    if (!row.error) {
      size_t id = r.identity_of[i];
      row.login = r.records[i].profile.login;
      row.repo = r.records[i].repo;
      row.merged_prs = r.records[i].merged_prs;
      row.person = r.batch.person[id];
      row.resolution = &r.batch.resolutions[r.batch.resolution[id]];
    }
    rows.push_back(std::move(row));
  }
  affil::report::Options options;
  options.include_bots = args.Has("--include-bots");
  affil::report::Report report = affil::report::Compute(rows, options);
  if (format == "json") std::cout << affil::report::RenderJson(report);
  else if (format == "csv") std::cout << affil::report::RenderCsv(report);
  else std::cout << affil::report::RenderMarkdown(report);
  if (r.errors) std::cerr << "affil: " << r.errors << " of " << r.records.size() << " records were malformed and are counted as errors\n";
  return r.errors ? 1 : 0;
}

void PrintExplanation(const affil::KnowledgeBase& kb, const std::vector<const affil::Profile*>& identities) {
  std::vector<std::string> trace;
  affil::Resolution r = affil::Resolve(kb, identities, &trace);
  for (const std::string& line : trace) std::cout << "  " << line << "\n";
  std::cout << "  result: " << affil::io::ResolutionJson(r) << "\n";
}

int RunExplain(const Args& args) {
  auto kb = LoadKb(args);
  if (!kb) return 2;
  bool text_mode = false;
  affil::Profile p;
  for (auto [option, field] : std::vector<std::pair<std::string, std::string*>>{
           {"--company", &p.company}, {"--location", &p.location}, {"--bio", &p.bio},
           {"--email", &p.email}, {"--blog", &p.blog}}) {
    if (args.options.count(option)) {
      *field = args.Get(option);
      text_mode = true;
    }
  }
  if (text_mode) {
    p.login = args.Get("--login");
    PrintExplanation(*kb, {&p});
    return 0;
  }
  std::vector<affil::io::InputRecord> records;
  if (!ReadInput(args, &records)) return 2;
  std::string only = args.Get("--login");
  int errors = 0;
  std::vector<std::string> seen;
  for (const affil::io::InputRecord& record : records) {
    if (!record.ok()) {
      std::cout << "line " << record.line << ": error: " << record.error << "\n";
      ++errors;
      continue;
    }
    const std::string& login = record.profile.login;
    if (!only.empty() && login != only) continue;
    if (std::find(seen.begin(), seen.end(), login) != seen.end()) continue;
    seen.push_back(login);
    std::cout << "line " << record.line << ": " << login << "\n";
    PrintExplanation(*kb, {&record.profile});
  }
  return errors ? 1 : 0;
}

int RunEval(const Args& args) {
  if (args.positional.size() != 2 || (args.positional[0] != "locations" && args.positional[0] != "orgs")) {
    std::cerr << kEvalHelp;
    return 2;
  }
  std::ifstream in(args.positional[1]);
  if (!in) {
    std::cerr << "affil: cannot open " << args.positional[1] << ": " << std::strerror(errno) << "\n";
    return 2;
  }
  affil::io::Table table;
  std::string error;
  if (!affil::io::ReadTsv(in, &table, &error)) {
    std::cerr << "affil: " << args.positional[1] << ": " << error << "\n";
    return 2;
  }
  auto kb = LoadKb(args);
  if (!kb) return 2;
  size_t max_errors = std::stoul(args.Get("--errors", "20"));
  auto need = [&](std::initializer_list<const char*> names) {
    for (const char* name : names) {
      if (table.Column(name) >= 0) return table.Column(name);
    }
    std::cerr << "affil: " << args.positional[1] << ": no column " << *names.begin() << "\n";
    return -1;
  };
  if (args.positional[0] == "locations") {
    int location = need({"location"}), country = need({"country", "country_label"}), multi = table.Column("multi");
    if (location < 0 || country < 0) return 2;
    std::vector<affil::eval::LocationCase> cases;
    for (const auto& row : table.rows) {
      if (row[location].empty()) continue;  // nothing to resolve: not a case
      cases.push_back({row[location], row[country], multi >= 0 && row[multi] == "1"});
    }
    std::cout << affil::eval::RenderLocationScore(affil::eval::ScoreLocations(*kb, cases, Threads(args)), max_errors);
  } else {
    int company = need({"company"}), expected = need({"expected"}), domain = table.Column("email_domain"),
        location = table.Column("location");
    if (company < 0 || expected < 0) return 2;
    std::vector<affil::eval::OrgCase> cases;
    for (const auto& row : table.rows) {
      cases.push_back({row[company], domain >= 0 ? row[domain] : "", row[expected], location >= 0 ? row[location] : ""});
    }
    std::cout << affil::eval::RenderOrgScore(affil::eval::ScoreOrgs(*kb, cases, Threads(args)), max_errors);
  }
  return 0;
}

// Extracts `dir` as it was at git revision `rev` into `into`; false on failure.
bool ExtractAtRevision(const std::string& dir, const std::string& rev, const fs::path& into) {
  fs::create_directories(into);
  auto quote = [](const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  };
  std::string command = "git -C " + quote(dir) + " archive --format=tar " + quote(rev) + " . | tar -x -C " +
                        quote(into.string());
  return std::system(command.c_str()) == 0;
}

int RunRulesDiff(const Args& args) {
  std::string base = args.Get("--base");
  if (base.empty() || args.positional.size() != 1) {
    std::cerr << kRulesHelp;
    return 2;
  }
  std::string rules_dir = FindDir(args, "--rules", "rules");
  std::string gazetteer_dir = FindDir(args, "--gazetteer", "gazetteer");
  fs::path tmp = fs::temp_directory_path() / ("affil-rules-diff-" + std::to_string(getpid()));
  struct Cleanup {
    fs::path path;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  } cleanup{tmp};
  if (!ExtractAtRevision(rules_dir, base, tmp / "rules") || !ExtractAtRevision(gazetteer_dir, base, tmp / "gazetteer")) {
    std::cerr << "affil: cannot read rules/ and gazetteer/ at revision '" << base << "' (is this a git checkout?)\n";
    return 2;
  }
  std::string error;
  auto before = affil::KnowledgeBase::Load({.rules_dir = (tmp / "rules").string(), .gazetteer_dir = (tmp / "gazetteer").string()}, &error);
  if (!before) {
    std::cerr << "affil: the knowledge base at " << base << " does not load:\n" << error;
    return 2;
  }
  auto after = LoadKb(args);
  if (!after) return 2;
  std::vector<affil::io::InputRecord> records;
  if (!ReadInput(args, &records)) return 2;
  std::vector<const affil::Profile*> identities;
  std::vector<size_t> record_of;
  for (size_t i = 0; i < records.size(); ++i) {
    if (!records[i].ok()) continue;
    identities.push_back(&records[i].profile);
    record_of.push_back(i);
  }
  affil::Batch old_batch = affil::ResolveBatch(*before, identities, Threads(args));
  affil::Batch new_batch = affil::ResolveBatch(*after, identities, Threads(args));
  size_t changed = 0;
  for (size_t i = 0; i < identities.size(); ++i) {
    std::string change = affil::diff::DescribeChange(old_batch.resolutions[old_batch.resolution[i]],
                                                     new_batch.resolutions[new_batch.resolution[i]]);
    if (change.empty()) continue;
    ++changed;
    std::cout << "line " << records[record_of[i]].line << " " << identities[i]->login << ": " << change << "\n";
  }
  std::cout << changed << " of " << identities.size() << " records change between " << base << " and the working tree\n";
  return 0;
}

int RunRulesCheck(const Args& args) {
  auto kb = LoadKb(args);
  if (!kb) return 1;
  const affil::kb::OrgKb& orgs = kb->impl().orgs;
  int failures = 0;
  for (const affil::kb::Example& example : orgs.examples) {
    affil::Profile p;
    if (example.field == "company") p.company = example.text;
    else if (example.field == "bio") p.bio = example.text;
    else if (example.field == "email") p.email = example.text;
    else if (example.field == "blog") p.blog = example.text;
    else if (example.field == "location") p.location = example.text;
    else {
      std::cout << kb->impl().files.Where(example.loc) << ": example field '" << example.field << "' is not one of company, bio, email, blog, location\n";
      ++failures;
      continue;
    }
    affil::Resolution r = affil::Resolve(*kb, {&p});
    bool ok;
    std::string got;
    for (const affil::OrgAffiliation& o : r.orgs) {
      if (o.current) got += (got.empty() ? "" : ", ") + o.id;
    }
    if (example.expected == "-") {
      ok = got.empty();
    } else if (example.expected.rfind("unlisted:", 0) == 0) {
      ok = std::any_of(r.orgs.begin(), r.orgs.end(), [&](const affil::OrgAffiliation& o) {
        return o.current && !o.listed && "unlisted:" + o.kind == example.expected;
      });
    } else if (example.expected.rfind("nonorg:", 0) == 0) {
      ok = got.empty() && "nonorg:" + r.non_org == example.expected;
      if (got.empty()) got = r.non_org.empty() ? "-" : "nonorg:" + r.non_org;
    } else {
      ok = std::any_of(r.orgs.begin(), r.orgs.end(), [&](const affil::OrgAffiliation& o) {
        return o.current && o.id == example.expected;
      });
    }
    if (!ok) {
      std::cout << kb->impl().files.Where(example.loc) << ": example failed: " << example.field << ": "
                << example.text << " => expected " << example.expected << ", got " << (got.empty() ? "-" : got) << "\n";
      ++failures;
    }
  }
  std::cout << "rules check: " << orgs.orgs.size() << " orgs, " << kb->impl().places.places.size() << " places, "
            << orgs.examples.size() << " examples, " << failures << " failed\n";
  return failures ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  // The collector parses its own options (it has many of its own).
  if (argc >= 2 && std::string(argv[1]) == "collect") {
    return affil::collect::Main(std::vector<std::string>(argv + 2, argv + argc), std::cout, std::cerr);
  }
  Args args;
  std::string error;
  if (!ParseArgs(argc, argv, &args, &error)) {
    std::cerr << "affil: " << error << "\n\n" << kUsage;
    return 2;
  }
  const std::string& c = args.command;
  bool help = args.Has("--help") || args.Has("-h");
  if (c == "help" || (c.empty() && help)) {
    std::string topic = args.positional.empty() ? "" : args.positional[0];
    if (topic == "collect") return affil::collect::Main({"--help"}, std::cout, std::cerr);
    std::cout << (topic == "resolve" ? kResolveHelp : topic == "report" ? kReportHelp
                  : topic == "explain" ? kExplainHelp : topic == "rules" ? kRulesHelp
                  : topic == "eval" ? kEvalHelp : kUsage);
    return 0;
  }
  if (c == "version" || (c.empty() && args.Has("--version"))) {
    std::cout << "affil " << kVersion << "\n";
    return 0;
  }
  if (c == "resolve") return help ? (std::cout << kResolveHelp, 0) : RunResolve(args);
  if (c == "report") return help ? (std::cout << kReportHelp, 0) : RunReport(args);
  if (c == "explain") return help ? (std::cout << kExplainHelp, 0) : RunExplain(args);
  if (c == "eval") return help ? (std::cout << kEvalHelp, 0) : RunEval(args);
  if (c == "rules") {
    std::string verb = args.positional.empty() ? "" : args.positional[0];
    if (help || (verb != "check" && verb != "diff")) {
      std::cout << kRulesHelp;
      return help ? 0 : 2;
    }
    args.positional.erase(args.positional.begin());
    return verb == "check" ? RunRulesCheck(args) : RunRulesDiff(args);
  }
  std::cerr << (c.empty() ? "affil: no command given" : "affil: unknown command '" + c + "'") << "\n\n" << kUsage;
  return 2;
}
