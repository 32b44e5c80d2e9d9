// KnowledgeBase::Load: reads rules/ and gazetteer/, checks them, and compiles
// the indexes in kb.h. Every problem is reported as "path:line: message"; a
// knowledge base with any problem does not load.
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <thread>
#include <utility>

#include <unicode/gregocal.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>

#include "kb/kb.h"
#include "kb/rules_file.h"
#include "text/text.h"

namespace affil {
namespace kb {
namespace {

namespace fs = std::filesystem;

bool ReadFile(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  uintmax_t size = fs::file_size(path, ec);
  if (!in || ec) return false;
  out->resize(size);
  return static_cast<bool>(in.read(out->data(), static_cast<std::streamsize>(size)));
}

// Files under `root` whose name ends with one of `suffixes`, sorted, with their
// display path "<root's last component>/<relative path>".
std::vector<std::pair<fs::path, std::string>> ListFiles(const fs::path& root,
                                                       const std::vector<std::string>& suffixes) {
  std::vector<std::pair<fs::path, std::string>> files;
  std::error_code ec;
  std::string base = root.lexically_normal().filename().string();
  if (base.empty()) base = root.lexically_normal().parent_path().filename().string();
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string name = it->path().filename().string();
    for (const std::string& suffix : suffixes) {
      if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        files.emplace_back(it->path(), base + "/" + fs::relative(it->path(), root).generic_string());
        break;
      }
    }
  }
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  return files;
}

bool IsSlug(const std::string& id) {
  if (id.empty() || !((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= '0' && id[0] <= '9'))) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

const std::vector<std::string> kOrgKinds = {"company",    "university", "institute",
                                            "government", "nonprofit",  "community"};
const std::vector<std::string> kNonOrgCategories = {"self_employed", "student", "unemployed", "job_title", "place",
                                                    "joke", "placeholder"};

bool OneOf(const std::string& value, const std::vector<std::string>& allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(RE2::Options::EncodingUTF8);
  return options;
}

class Loader {
 public:
  Loader(KnowledgeBase::Impl* kb, std::vector<std::string>* errors) : kb_(*kb), errors_(*errors) {}

  void LoadGazetteer(const fs::path& root);
  // Everything but the checks that need the gazetteer, so that the two can
  // load at the same time; CheckCountries() follows once both are done.
  void LoadRules(const fs::path& root);
  void CheckCountries();
  void IndexTimeZones();

 private:
  void Error(Loc loc, const std::string& message) {
    errors_.push_back(kb_.files.Where(loc) + ": " + message);
  }
  Loc LocOf(const RuleBlock& block, int line) {
    // Blocks come file by file: remember the last file rather than intern (lock
    // and hash) its path again for every field.
    if (block.file != last_file_) {
      last_file_ = block.file;
      last_file_id_ = kb_.files.Intern(block.file);
    }
    return {last_file_id_, static_cast<uint32_t>(line)};
  }

  template <typename Fn>
  void ForEachRow(const std::string& display, std::string_view content,
                  const std::vector<std::string_view>& columns, Fn fn);
  void AddPlaces(const std::string& display, const std::string& text);
  void AddNames(const std::string& display, const std::string& text);
  void AddPhraseList(const std::string& display, const std::string& text, text::PhraseIndex* index,
                     std::vector<Loc>* locs, StringSet* keys);
  void AddTlds(const std::string& display, const std::string& text);

  void CompileOrg(const RuleBlock& block);
  void CompileNonOrg(const RuleBlock& block);
  void AddExample(const std::string& value, Loc loc);
  void CompileCue(const RuleBlock& block);
  void CompileOverride(const RuleBlock& block, std::vector<std::pair<RuleField, Override*>>* pending);
  void CompileMail(const RuleBlock& block);
  void CompileBot(const RuleBlock& block);
  void CompileUnlisted(const RuleBlock& block);
  void AddOrgName(const std::string& name, uint32_t org, Loc loc, bool abbrev);
  void AddOrgKey(std::unordered_map<std::string, OrgRef>* map, const std::string& key, uint32_t org,
                 Loc loc, const char* what);
  void AddPattern(const std::string& pattern, bool non_org, uint32_t target, Loc loc);
  void LinkParents(const std::vector<std::pair<uint32_t, RuleField>>& parents,
                   const std::vector<const RuleBlock*>& org_blocks);
  int OrgIndex(const std::string& id) const {
    auto it = kb_.orgs.by_id.find(id);
    return it == kb_.orgs.by_id.end() ? -1 : static_cast<int>(it->second);
  }

  KnowledgeBase::Impl& kb_;
  std::vector<std::string>& errors_;
  std::vector<std::pair<std::string, Loc>> org_countries_;
  std::string last_file_;
  uint32_t last_file_id_ = 0;
};

// Splits a TSV line into exactly `n` fields; false when the count differs.
bool SplitTsv(std::string_view line, size_t n, std::vector<std::string_view>* fields) {
  fields->clear();
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    fields->push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return fields->size() == n;
}

// Calls fn(line_number, line) for each line that is neither blank nor a comment.
template <typename Fn>
void ForEachLine(std::string_view text, Fn fn) {
  uint32_t number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    fn(number, line);
  }
}

// Calls fn(loc, fields) for each data row of a TSV file whose header starts
// with `first_column`; a row without exactly the header's `columns` fields is
// reported and skipped.
template <typename Fn>
void Loader::ForEachRow(const std::string& display, std::string_view content,
                        const std::vector<std::string_view>& columns, Fn fn) {
  uint32_t file = kb_.files.Intern(display);
  std::string expected = "expected " + std::to_string(columns.size()) + " tab-separated columns (";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) expected.push_back(' ');
    expected.append(columns[i]);
  }
  expected.push_back(')');
  std::string header(columns.front());
  header.push_back('\t');
  std::vector<std::string_view> f;
  bool first = true;
  ForEachLine(content, [&](uint32_t line, std::string_view row) {
    if (first) {
      first = false;
      if (row.rfind(header, 0) == 0) return;
    }
    Loc loc{file, line};
    if (!SplitTsv(row, columns.size(), &f)) return Error(loc, expected);
    fn(loc, f);
  });
}

void Loader::AddPlaces(const std::string& display, const std::string& content) {
  ForEachRow(display, content, {"id", "kind", "country", "subdivision", "name", "population"},
             [&](Loc loc, const std::vector<std::string_view>& f) {
    PlaceRec place;
    place.id = std::string(f[0]);
    if (f[1] == "country") place.kind = PlaceKind::kCountry;
    else if (f[1] == "subdivision") place.kind = PlaceKind::kSubdivision;
    else if (f[1] == "city") place.kind = PlaceKind::kCity;
    else if (f[1] == "region") place.kind = PlaceKind::kRegion;
    else return Error(loc, "unknown place kind '" + std::string(f[1]) + "'");
    place.country = std::string(f[2]);
    place.subdivision = std::string(f[3]);
    place.name = std::string(f[4]);
    auto [ptr, ec] = std::from_chars(f[5].data(), f[5].data() + f[5].size(), place.population);
    if (ec != std::errc() || ptr != f[5].data() + f[5].size()) return Error(loc, "population is not a number");
    place.loc = loc;
    if (place.id.empty() || place.country.size() != 2) return Error(loc, "a place needs an id and a 2-letter country");
    if (!kb_.places.by_id.emplace(place.id, kb_.places.places.size()).second) return Error(loc, "duplicate place id '" + place.id + "'");
    kb_.places.places.push_back(std::move(place));
  });
}

void Loader::AddNames(const std::string& display, const std::string& content) {
  uint32_t file = kb_.files.Intern(display);
  struct Row {
    Loc loc;
    std::string_view id, name, type;
  };
  std::vector<Row> rows;
  rows.reserve(std::count(content.begin(), content.end(), '\n') + 1);
  std::vector<std::string_view> f;
  bool first = true;
  ForEachLine(content, [&](uint32_t line, std::string_view row) {
    if (std::exchange(first, false) && row.rfind("id\t", 0) == 0) return;
    Loc loc{file, line};
    if (!SplitTsv(row, 3, &f)) return Error(loc, "expected 3 tab-separated columns (id name type)");
    rows.push_back({loc, f[0], f[1], f[2]});
  });
  // Folding is the costly part and needs nothing shared: split it over two threads.
  std::vector<std::string> keys(rows.size());
  auto fold = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) keys[i] = text::KeyOf(rows[i].name);
  };
  std::thread helper(fold, rows.size() / 2, rows.size());
  fold(0, rows.size() / 2);
  helper.join();
  kb_.places.names.Reserve(rows.size() + rows.size() / 2);  // names and their proper prefixes
  kb_.places.name_refs.reserve(kb_.places.name_refs.size() + rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    Loc loc = row.loc;
    auto place = kb_.places.by_id.find(row.id);
    if (place == kb_.places.by_id.end()) {
      Error(loc, "unknown place id '" + std::string(row.id) + "'");
      continue;
    }
    NameRef ref{place->second, NameType::kName, loc};
    if (row.type == "name") ref.type = NameType::kName;
    else if (row.type == "alt") ref.type = NameType::kAlt;
    else if (row.type == "code") ref.type = NameType::kCode;
    else if (row.type == "demonym") ref.type = NameType::kDemonym;
    else {
      Error(loc, "unknown name type '" + std::string(row.type) + "'");
      continue;
    }
    if (keys[i].empty()) continue;  // a name of symbols only cannot be matched
    uint32_t index = kb_.places.name_refs.size();
    ++kb_.places.places[ref.place].name_count;
    kb_.places.names.Add(keys[i], index);
    kb_.places.name_refs.push_back(ref);
    if (ref.type == NameType::kName) kb_.places.fuzzy_names.Add(keys[i], index);
  }
}

void Loader::AddPhraseList(const std::string& display, const std::string& content,
                           text::PhraseIndex* index, std::vector<Loc>* locs,
                           StringSet* keys) {
  uint32_t file = kb_.files.Intern(display);
  ForEachLine(content, [&](uint32_t line, std::string_view row) {
    std::string folded = text::FoldString(row);
    std::string key = text::KeyOf(row);
    // Symbol-only phrases ("☁️", "~") are keyed by their folded text itself.
    if (key.empty()) key = folded;
    while (!key.empty() && key.back() == ' ') key.pop_back();
    if (key.empty()) return;
    if (keys) keys->insert(key);
    if (index) {
      index->Add(key, locs->size());
      locs->push_back({file, line});
    }
  });
}

void Loader::AddTlds(const std::string& display, const std::string& content) {
  ForEachRow(display, content, {"tld", "country"}, [&](Loc loc, const std::vector<std::string_view>& f) {
    std::string country = f[1] == "-" ? "" : std::string(f[1]);
    if (!country.empty() && !kb_.places.Country(country)) return Error(loc, "unknown country '" + country + "'");
    kb_.places.tlds[text::AsciiLower(std::string(f[0]))] = {country, loc};
  });
}

void Loader::LoadGazetteer(const fs::path& root) {
  std::string content;
  for (const auto& [path, display] : ListFiles(root, {"places.tsv"})) {
    if (!ReadFile(path, &content)) { errors_.push_back(display + ": cannot read"); continue; }
    AddPlaces(display, content);
  }
  for (const auto& [path, display] : ListFiles(root, {"names.tsv"})) {
    if (!ReadFile(path, &content)) { errors_.push_back(display + ": cannot read"); continue; }
    AddNames(display, content);
  }
  for (const auto& [path, display] : ListFiles(root, {"non_places.txt"})) {
    if (ReadFile(path, &content)) AddPhraseList(display, content, &kb_.places.non_places, &kb_.places.non_place_locs, nullptr);
  }
  for (const auto& [path, display] : ListFiles(root, {"noise_words.txt"})) {
    if (ReadFile(path, &content)) AddPhraseList(display, content, nullptr, nullptr, &kb_.places.noise_words);
  }
  for (const auto& [path, display] : ListFiles(root, {"tlds.tsv"})) {
    if (ReadFile(path, &content)) AddTlds(display, content);
  }
  for (const PlaceRec& place : kb_.places.places) {
    if (!kb_.places.Country(place.country)) Error(place.loc, "unknown country '" + place.country + "'");
  }
  kb_.places.names.Freeze();
  kb_.places.non_places.Freeze();
  IndexTimeZones();
  kb_.places.fuzzy_names.Freeze();
}

void Loader::AddOrgName(const std::string& name, uint32_t org, Loc loc, bool abbrev) {
  std::string key = text::KeyOf(name);
  if (key.empty()) return Error(loc, "name has no letters or digits");
  uint32_t first = kb_.orgs.names.FirstValue(key);
  if (first != text::PhraseIndex::kNoValue) {
    const OrgRef& owner = kb_.orgs.name_refs[first];
    if (owner.org == org) return;  // the same org naming itself twice
    if (!(abbrev && owner.abbrev)) {
      return Error(loc, "'" + name + "' is already claimed by org '" + kb_.orgs.orgs[owner.org].id +
                            "' at " + kb_.files.Where(owner.loc) +
                            (abbrev || owner.abbrev ? " (a shared short form must be an abbrev on every org)" : ""));
    }
  }
  kb_.orgs.names.Add(key, kb_.orgs.name_refs.size());
  if (!abbrev) kb_.orgs.fuzzy_names.Add(key, kb_.orgs.name_refs.size());
  kb_.orgs.name_refs.push_back({org, loc, abbrev});
}

void Loader::AddOrgKey(std::unordered_map<std::string, OrgRef>* map, const std::string& raw,
                       uint32_t org, Loc loc, const char* what) {
  std::string key = text::AsciiLower(raw);
  if (!key.empty() && key[0] == '@') key.erase(0, 1);
  if (key.empty() || key.find(' ') != std::string::npos) return Error(loc, std::string("malformed ") + what + " '" + raw + "'");
  auto [it, inserted] = map->emplace(key, OrgRef{org, loc, false});
  if (!inserted && it->second.org != org) {
    Error(loc, std::string(what) + " '" + raw + "' is already claimed by org '" +
                   kb_.orgs.orgs[it->second.org].id + "' at " + kb_.files.Where(it->second.loc));
  }
}

void Loader::AddPattern(const std::string& pattern, bool non_org, uint32_t target, Loc loc) {
  auto re = std::make_unique<RE2>(pattern, PatternOptions());
  if (!re->ok()) return Error(loc, "bad pattern: " + re->error());
  kb_.orgs.patterns.push_back({non_org, target, loc, std::move(re)});
}

void Loader::CompileOrg(const RuleBlock& block) {
  Loc header = LocOf(block, block.line);
  if (!IsSlug(block.argument)) return Error(header, "org id '" + block.argument + "' must be a lowercase slug [a-z0-9][a-z0-9._-]*");
  if (kb_.orgs.by_id.count(block.argument)) {
    return Error(header, "duplicate org id '" + block.argument + "' (first at " +
                             kb_.files.Where(kb_.orgs.orgs[kb_.orgs.by_id[block.argument]].loc) + ")");
  }
  uint32_t index = kb_.orgs.orgs.size();
  Org org;
  org.id = block.argument;
  org.kind = "company";
  org.loc = header;
  kb_.orgs.by_id[org.id] = index;
  kb_.orgs.orgs.push_back(org);
  for (const RuleField& field : block.fields) {
    Loc loc = LocOf(block, field.line);
    Org& o = kb_.orgs.orgs[index];
    if (field.key == "name") {
      if (o.name.empty()) o.name = field.value;
      AddOrgName(field.value, index, loc, false);
    } else if (field.key == "alias") {
      AddOrgName(field.value, index, loc, false);
    } else if (field.key == "abbrev") {
      AddOrgName(field.value, index, loc, true);
    } else if (field.key == "kind") {
      if (!OneOf(field.value, kOrgKinds)) Error(loc, "unknown kind '" + field.value + "'");
      else o.kind = field.value;
    } else if (field.key == "country") {
      o.country = field.value;
      org_countries_.emplace_back(field.value, loc);
    } else if (field.key == "domain") {
      AddOrgKey(&kb_.orgs.domains, field.value, index, loc, "domain");
    } else if (field.key == "handle") {
      AddOrgKey(&kb_.orgs.handles, field.value, index, loc, "handle");
    } else if (field.key == "pattern") {
      AddPattern(field.value, false, index, loc);
    } else if (field.key == "example") {
      AddExample(field.value, loc);
    } else if (field.key == "parent" || field.key == "note" || field.key == "source") {
      // parent is linked once every org is known; note and source are for people.
    } else {
      Error(loc, "unknown org key '" + field.key + "'");
    }
  }
  if (kb_.orgs.orgs[index].name.empty()) Error(header, "org '" + block.argument + "' has no name");
}

void Loader::AddExample(const std::string& value, Loc loc) {
  size_t colon = value.find(':');
  size_t arrow = value.rfind("=>");
  if (colon == std::string::npos || arrow == std::string::npos || arrow < colon) {
    return Error(loc, "example must read '<field>: <text> => <org-id | nonorg:<category> | unlisted:<kind> | ->'");
  }
  auto trim = [](std::string s) {
    size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  };
  kb_.orgs.examples.push_back({trim(value.substr(0, colon)), trim(value.substr(colon + 1, arrow - colon - 1)),
                               trim(value.substr(arrow + 2)), loc});
}

void Loader::CompileNonOrg(const RuleBlock& block) {
  Loc header = LocOf(block, block.line);
  if (!OneOf(block.argument, kNonOrgCategories)) return Error(header, "unknown non-org category '" + block.argument + "'");
  uint32_t index = kb_.orgs.non_orgs.size();
  kb_.orgs.non_orgs.push_back({block.argument, header});
  for (const RuleField& field : block.fields) {
    Loc loc = LocOf(block, field.line);
    if (field.key == "alias") {
      std::string key = text::KeyOf(field.value);
      if (key.empty()) key = text::FoldString(field.value);
      kb_.orgs.non_org_names.Add(key, index);
    } else if (field.key == "pattern") {
      AddPattern(field.value, true, index, loc);
    } else if (field.key == "example") {
      AddExample(field.value, loc);
    } else if (field.key != "note") {
      Error(loc, "unknown nonorg key '" + field.key + "'");
    }
  }
}

void Loader::CompileCue(const RuleBlock& block) {
  Loc header = LocOf(block, block.line);
  Cue::Kind kind;
  if (block.argument == "past") kind = Cue::kPast;
  else if (block.argument == "now") kind = Cue::kNow;
  else if (block.argument == "link") kind = Cue::kLink;
  else return Error(header, "unknown cue kind '" + block.argument + "' (past, now or link)");
  for (const RuleField& field : block.fields) {
    Loc loc = LocOf(block, field.line);
    if (field.key == "pattern") {
      auto re = std::make_unique<RE2>(field.value, PatternOptions());
      if (!re->ok()) { Error(loc, "bad pattern: " + re->error()); continue; }
      kb_.orgs.cues.push_back({kind, loc, std::move(re)});
    } else if (field.key != "note") {
      Error(loc, "unknown cue key '" + field.key + "'");
    }
  }
}

void Loader::CompileOverride(const RuleBlock& block,
                             std::vector<std::pair<RuleField, Override*>>* pending) {
  Loc header = LocOf(block, block.line);
  std::unordered_map<std::string, Override>* map;
  std::string key;
  if (block.argument.rfind("login:", 0) == 0) {
    map = &kb_.orgs.overrides_by_login;
    key = text::AsciiLower(block.argument.substr(6));
  } else if (block.argument.rfind("email:", 0) == 0) {
    map = &kb_.orgs.overrides_by_email;
    key = text::AsciiLower(block.argument.substr(6));
  } else {
    return Error(header, "override selector must be login:<login> or email:<address>");
  }
  if (key.empty()) return Error(header, "override selector names nobody");
  if (map->count(key)) return Error(header, "a second override for '" + block.argument + "'");
  Override& o = (*map)[key];
  o.loc = header;
  for (const RuleField& field : block.fields) {
    Loc loc = LocOf(block, field.line);
    if (field.key == "org" || field.key == "past") {
      pending->emplace_back(field, &o);
    } else if (field.key == "country") {
      o.country = field.value;
      org_countries_.emplace_back(field.value, loc);
    } else if (field.key == "note") {
      o.note = field.value;
    } else if (field.key == "date") {
      if (!IsDate(field.value)) Error(loc, "date must be YYYY-MM-DD");
      o.date = field.value;
    } else {
      Error(loc, "unknown override key '" + field.key + "'");
    }
  }
  if (o.note.empty()) Error(header, "an override needs a note saying why");
  if (o.date.empty()) Error(header, "an override needs a date");
}

void Loader::CompileMail(const RuleBlock& block) {
  Loc header = LocOf(block, block.line);
  if (block.argument != "free") return Error(header, "unknown mail kind '" + block.argument + "' (free)");
  std::string country;
  for (const RuleField& field : block.fields) {
    if (field.key == "country") {
      country = field.value;
      org_countries_.emplace_back(field.value, LocOf(block, field.line));
    }
  }
  for (const RuleField& field : block.fields) {
    Loc loc = LocOf(block, field.line);
    if (field.key == "domain") {
      std::string domain = text::AsciiLower(field.value);
      auto [it, inserted] = kb_.orgs.free_mail.emplace(domain, FreeMail{country, loc});
      if (!inserted) Error(loc, "free-mail domain '" + domain + "' is already listed at " + kb_.files.Where(it->second.loc));
    } else if (field.key != "country" && field.key != "source" && field.key != "note") {
      Error(loc, "unknown mail key '" + field.key + "'");
    }
  }
}

void Loader::CompileBot(const RuleBlock& block) {
  Loc header = LocOf(block, block.line);
  if (block.argument.empty()) return Error(header, "bot needs a login");
  kb_.orgs.bots.emplace(text::AsciiLower(block.argument), header);
  for (const RuleField& field : block.fields) {
    if (field.key != "source" && field.key != "note") Error(LocOf(block, field.line), "unknown bot key '" + field.key + "'");
  }
}

void Loader::CompileUnlisted(const RuleBlock& block) {
  Loc header = LocOf(block, block.line);
  if (!OneOf(block.argument, kOrgKinds)) return Error(header, "unknown kind '" + block.argument + "'");
  for (const RuleField& field : block.fields) {
    Loc loc = LocOf(block, field.line);
    if (field.key == "form" || field.key == "word" || field.key == "lead") {
      std::string key = text::KeyOf(field.value);
      if (key.empty()) { Error(loc, field.key + " has no letters or digits"); continue; }
      text::PhraseIndex& index = field.key == "lead" ? kb_.orgs.beginnings : kb_.orgs.endings;
      uint32_t first = index.FirstValue(key);
      if (first != text::PhraseIndex::kNoValue) {
        Error(loc, "'" + field.value + "' is already listed at " + kb_.files.Where(kb_.orgs.markers[first].loc));
        continue;
      }
      index.Add(key, kb_.orgs.markers.size());
      kb_.orgs.markers.push_back({block.argument, field.key == "form", loc});
    } else if (field.key == "example") {
      AddExample(field.value, loc);
    } else if (field.key != "note") {
      Error(loc, "unknown unlisted key '" + field.key + "'");
    }
  }
}

void Loader::LinkParents(const std::vector<std::pair<uint32_t, RuleField>>& parents,
                         const std::vector<const RuleBlock*>& org_blocks) {
  for (const auto& [index, field] : parents) {
    Loc loc = LocOf(*org_blocks[index], field.line);
    int parent = OrgIndex(field.value);
    if (parent < 0) Error(loc, "unknown parent '" + field.value + "'");
    else if (parent == static_cast<int>(index)) Error(loc, "an org cannot be its own parent");
    else kb_.orgs.orgs[index].parent = parent;
  }
  std::vector<Org>& orgs = kb_.orgs.orgs;
  for (size_t i = 0; i < orgs.size(); ++i) {
    int at = static_cast<int>(i);
    size_t steps = 0;
    while (orgs[at].parent >= 0 && steps <= orgs.size()) {
      at = orgs[at].parent;
      ++steps;
    }
    if (steps > orgs.size()) {
      Error(orgs[i].loc, "parent chain of '" + orgs[i].id + "' is a cycle");
      orgs[i].group = static_cast<int>(i);
    } else {
      orgs[i].group = at;
    }
  }
}

void Loader::LoadRules(const fs::path& root) {
  std::vector<RuleBlock> blocks;
  std::string content;
  for (const auto& [path, display] : ListFiles(root, {".rules"})) {
    if (!ReadFile(path, &content)) { errors_.push_back(display + ": cannot read"); continue; }
    ParseRules(display, content, &blocks, &errors_);
  }
  std::vector<std::pair<uint32_t, RuleField>> parents;
  std::vector<const RuleBlock*> org_blocks;
  std::vector<std::pair<RuleField, Override*>> override_orgs;
  std::vector<std::pair<RuleField, const RuleBlock*>> override_blocks;
  for (const RuleBlock& block : blocks) {
    if (block.type == "org") {
      size_t before = kb_.orgs.orgs.size();
      CompileOrg(block);
      if (kb_.orgs.orgs.size() > before) {
        org_blocks.push_back(&block);
        for (const RuleField& field : block.fields) {
          if (field.key == "parent") parents.emplace_back(before, field);
        }
      }
    } else if (block.type == "nonorg") {
      CompileNonOrg(block);
    } else if (block.type == "cue") {
      CompileCue(block);
    } else if (block.type == "override") {
      size_t before = override_orgs.size();
      CompileOverride(block, &override_orgs);
      for (size_t i = before; i < override_orgs.size(); ++i) override_blocks.emplace_back(override_orgs[i].first, &block);
    } else if (block.type == "mail") {
      CompileMail(block);
    } else if (block.type == "bot") {
      CompileBot(block);
    } else if (block.type == "unlisted") {
      CompileUnlisted(block);
    } else {
      Error(LocOf(block, block.line), "unknown block type '" + block.type + "' (org, nonorg, cue, override, mail, bot, unlisted)");
    }
  }
  kb_.orgs.names.Freeze();
  kb_.orgs.fuzzy_names.Freeze();
  kb_.orgs.non_org_names.Freeze();
  kb_.orgs.endings.Freeze();
  kb_.orgs.beginnings.Freeze();
  LinkParents(parents, org_blocks);
  for (size_t i = 0; i < override_orgs.size(); ++i) {
    const auto& [field, o] = override_orgs[i];
    int org = OrgIndex(field.value);
    if (org < 0) { Error(LocOf(*override_blocks[i].second, field.line), "unknown org '" + field.value + "'"); continue; }
    (field.key == "org" ? o->orgs : o->past).push_back(org);
  }
  for (const Example& example : kb_.orgs.examples) {
    const std::string& e = example.expected;
    if (e.rfind("nonorg:", 0) == 0) {
      if (!OneOf(e.substr(7), kNonOrgCategories)) Error(example.loc, "example expects unknown non-org category '" + e.substr(7) + "'");
    } else if (e.rfind("unlisted:", 0) == 0) {
      if (!OneOf(e.substr(9), kOrgKinds)) Error(example.loc, "example expects unknown kind '" + e.substr(9) + "'");
    } else if (e != "-" && OrgIndex(e) < 0) {
      Error(example.loc, "example expects unknown org '" + e + "'");
    }
  }
  // One RE2::Set per pattern family lets a single pass say which patterns fire.
  if (!kb_.orgs.patterns.empty()) {
    kb_.orgs.pattern_set = std::make_unique<RE2::Set>(PatternOptions(), RE2::UNANCHORED);
    for (const Pattern& p : kb_.orgs.patterns) kb_.orgs.pattern_set->Add(p.re->pattern(), nullptr);
    if (!kb_.orgs.pattern_set->Compile()) errors_.push_back("rules: the org patterns do not compile together (RE2 memory budget)");
  }
  if (!kb_.orgs.cues.empty()) {
    kb_.orgs.cue_set = std::make_unique<RE2::Set>(PatternOptions(), RE2::UNANCHORED);
    for (const Cue& c : kb_.orgs.cues) kb_.orgs.cue_set->Add(c.re->pattern(), nullptr);
    if (!kb_.orgs.cue_set->Compile()) errors_.push_back("rules: the cue patterns do not compile together");
  }
}

}  // namespace

void Loader::IndexTimeZones() {
  // Offsets in January and July of one fixed year: standard and summer time,
  // the same on every run.
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar calendar(2025, UCAL_JANUARY, 15, status);
  UDate january = calendar.getTime(status);
  calendar.set(2025, UCAL_JULY, 15);
  UDate july = calendar.getTime(status);
  if (U_FAILURE(status)) return;
  // One pass over every zone (asking per country would walk them all each time).
  std::unique_ptr<icu::StringEnumeration> zones(
      icu::TimeZone::createTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL_LOCATION, nullptr, nullptr, status));
  if (U_FAILURE(status) || !zones) return;
  while (const icu::UnicodeString* id = zones->snext(status)) {
    char region[8] = {0};
    icu::TimeZone::getRegion(*id, region, sizeof region, status);
    std::string country(region);
    if (U_FAILURE(status) || !kb_.places.Country(country)) {
      status = U_ZERO_ERROR;
      continue;
    }
    std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(*id));
    for (UDate date : {january, july}) {
      int32_t raw = 0, dst = 0;
      zone->getOffset(date, false, raw, dst, status);
      if (U_FAILURE(status)) break;
      std::vector<std::string>& countries = kb_.places.countries_at_offset[(raw + dst) / 60000];
      if (std::find(countries.begin(), countries.end(), country) == countries.end()) countries.push_back(country);
    }
    status = U_ZERO_ERROR;
  }
  for (auto& [offset, countries] : kb_.places.countries_at_offset) std::sort(countries.begin(), countries.end());
}

void Loader::CheckCountries() {
  for (const auto& [code, loc] : org_countries_) {
    if (!kb_.places.Country(code)) Error(loc, "unknown country code '" + code + "'");
  }
}

uint32_t SourceFiles::Intern(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, inserted] = ids_.emplace(path, paths_.size());
  if (inserted) paths_.push_back(path);
  return it->second;
}

std::string SourceFiles::Where(Loc loc) const {
  if (loc.file >= paths_.size()) return "?";
  // Built in place: one allocation, as every piece of evidence asks for one.
  char line[16];
  auto [end, ec] = std::to_chars(line, line + sizeof line, loc.line);
  std::string where;
  where.reserve(paths_[loc.file].size() + 1 + (end - line));
  where.append(paths_[loc.file]).append(1, ':').append(line, end);
  return where;
}

const PlaceRec* Gazetteer::Country(const std::string& code) const {
  auto it = by_id.find(code);
  if (it == by_id.end() || places[it->second].kind != PlaceKind::kCountry) return nullptr;
  return &places[it->second];
}

}  // namespace kb

KnowledgeBase::KnowledgeBase(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KnowledgeBase::~KnowledgeBase() = default;

std::unique_ptr<const KnowledgeBase> KnowledgeBase::Load(const LoadOptions& options, std::string* error) {
  auto impl = std::make_unique<Impl>();
  std::vector<std::string> errors;
  for (const std::string& dir : {options.gazetteer_dir, options.rules_dir}) {
    if (!std::filesystem::is_directory(dir)) errors.push_back(dir + ": not a directory");
  }
  if (errors.empty()) {
    // The two trees share nothing but the file registry (locked), so they load
    // on two threads; the cross-checks run after both.
    std::vector<std::string> rule_errors;
    kb::Loader places(impl.get(), &errors);
    kb::Loader rules(impl.get(), &rule_errors);
    std::thread rules_thread([&] { rules.LoadRules(options.rules_dir); });
    places.LoadGazetteer(options.gazetteer_dir);
    rules_thread.join();
    rules.CheckCountries();
    errors.insert(errors.end(), rule_errors.begin(), rule_errors.end());
  }
  if (!errors.empty()) {
    if (error) {
      error->clear();
      for (const std::string& e : errors) *error += e + "\n";
    }
    return nullptr;
  }
  return std::unique_ptr<const KnowledgeBase>(new KnowledgeBase(std::move(impl)));
}

}  // namespace affil
