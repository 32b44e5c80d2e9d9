#include "io/records.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <thread>

#include <nlohmann/json.hpp>

#include "text/text.h"

namespace affil::io {
namespace {

using json = nlohmann::json;

// Appends `s` as a JSON string. Input text is valid UTF-8 by the time it gets
// here (records are scrubbed on reading); anything else is scrubbed again.
void AppendString(std::string* out, std::string_view s) {
  std::string scrubbed;
  if (!text::IsValidUtf8(s)) {
    scrubbed = text::ScrubUtf8(s);
    s = scrubbed;
  }
  out->push_back('"');
  // Copy runs that need no escape in one piece: most strings are one run.
  auto plain = [](char c) { return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20; };
  while (!s.empty()) {
    size_t run = std::find_if_not(s.begin(), s.end(), plain) - s.begin();
    out->append(s.data(), run);
    s.remove_prefix(run);
    if (s.empty()) break;
    char c = s.front();
    s.remove_prefix(1);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default: {  // the other control characters
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
        out->append(buf);
      }
    }
  }
  out->push_back('"');
}


// Copies a string-or-null field; false (with *error set) for any other type.
bool GetString(const json& object, const char* key, std::string* out, std::string* error) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  if (it->is_string()) {
    *out = it->get<std::string>();
    return true;
  }
  *error = std::string("field '") + key + "' must be a string or null, not " + it->type_name();
  return false;
}

// Copies a list-of-strings field; a CSV cell holds the items separated by ';',
// ',' or spaces. False (with *error set) for any other shape.
bool GetStrings(const json& object, const char* key, std::vector<std::string>* out, std::string* error) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  if (it->is_string()) {
    const std::string& cell = it->get_ref<const std::string&>();
    size_t start = 0;
    while (start < cell.size()) {
      size_t end = cell.find_first_of("; ,", start);
      if (end == std::string::npos) end = cell.size();
      if (end > start) out->push_back(cell.substr(start, end - start));
      start = end + 1;
    }
    return true;
  }
  if (it->is_array() && std::all_of(it->begin(), it->end(), [](const json& e) { return e.is_string(); })) {
    for (const json& e : *it) out->push_back(e.get<std::string>());
    return true;
  }
  *error = std::string("field '") + key + "' must be a list of strings";
  return false;
}

// `company_accounts`: a list of objects with `login` and `type` (strings) and
// optionally `name`, `blog`, `location`, `description` (strings or null), as
// `affil collect` stores them; other members are ignored.
bool GetAccounts(const json& object, std::vector<Account>* out, std::string* error) {
  auto it = object.find("company_accounts");
  if (it == object.end() || it->is_null()) return true;
  const char* shape = "field 'company_accounts' must be a list of objects with a 'login' and a 'type'";
  if (!it->is_array()) {
    *error = shape;
    return false;
  }
  for (const json& item : *it) {
    Account a;
    if (!item.is_object() || !GetString(item, "login", &a.login, error) || !GetString(item, "type", &a.type, error) ||
        !GetString(item, "name", &a.name, error) || !GetString(item, "blog", &a.blog, error) ||
        !GetString(item, "location", &a.location, error) || !GetString(item, "description", &a.description, error)) {
      if (error->empty()) *error = shape;
      else *error = "field 'company_accounts': " + *error;
      return false;
    }
    if (a.login.empty() || a.type.empty()) {
      *error = shape;
      return false;
    }
    out->push_back(std::move(a));
  }
  return true;
}

// "+0800", "+08:00", "-0330", "Z" → minutes east of UTC.
bool ParseUtcOffset(const std::string& s, int* minutes) {
  if (s == "Z") {
    *minutes = 0;
    return true;
  }
  std::string digits;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] != ':') digits.push_back(s[i]);
  }
  if (s.empty() || (s[0] != '+' && s[0] != '-') || digits.size() != 4 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  int hours = std::stoi(digits.substr(0, 2)), mins = std::stoi(digits.substr(2));
  if (hours > 14 || mins > 59) return false;
  *minutes = (s[0] == '-' ? -1 : 1) * (hours * 60 + mins);
  return true;
}

bool FillRecord(const json& object, InputRecord* record) {
  std::string& error = record->error;
  if (!object.is_object()) {
    error = std::string("a record must be a JSON object, not ") + object.type_name();
    return false;
  }
  Profile& p = record->profile;
  if (!GetString(object, "login", &p.login, &error) || !GetString(object, "name", &p.name, &error) ||
      !GetString(object, "company", &p.company, &error) || !GetString(object, "location", &p.location, &error) ||
      !GetString(object, "email", &p.email, &error) || !GetString(object, "bio", &p.bio, &error) ||
      !GetString(object, "blog", &p.blog, &error) ||
      !GetString(object, "twitter_username", &p.twitter_username, &error) ||
      !GetString(object, "type", &p.type, &error) || !GetString(object, "repo", &record->repo, &error)) {
    return false;
  }
  if (auto it = object.find("merged_prs"); it != object.end() && !it->is_null()) {
    if (it->is_number_integer()) {
      record->merged_prs = it->get<long long>();
    } else if (it->is_string() && !it->get<std::string>().empty()) {
      const std::string& s = it->get_ref<const std::string&>();
      if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) || s.size() > 18) {
        error = "field 'merged_prs' must be a whole number";
        return false;
      }
      record->merged_prs = std::stoll(s);
    } else if (!it->is_string()) {
      error = "field 'merged_prs' must be a whole number";
      return false;
    }
  }
  if (!GetStrings(object, "commit_emails", &p.commit_emails, &error)) return false;
  if (!GetAccounts(object, &p.company_accounts, &error)) return false;
  std::vector<std::string> zones;
  if (!GetStrings(object, "commit_timezones", &zones, &error)) return false;
  for (const std::string& zone : zones) {
    int minutes;
    if (!ParseUtcOffset(zone, &minutes)) {
      error = "field 'commit_timezones': '" + zone + "' is not a UTC offset such as +0800 or -07:00";
      return false;
    }
    p.commit_offsets.push_back(minutes);
  }
  return true;
}

}  // namespace

InputRecord ParseJsonLine(std::string_view line, size_t line_number) {
  InputRecord record;
  record.line = line_number;
  std::string text(line);
  if (!text::IsValidUtf8(text)) {
    text = text::ScrubUtf8(text);
    record.warnings.push_back("invalid UTF-8 replaced with U+FFFD");
  }
  json object = json::parse(text, nullptr, /*allow_exceptions=*/false);
  record.text = std::move(text);
  if (object.is_discarded()) {
    try {
      json ignored = json::parse(record.text);
      record.error = "invalid JSON";
    } catch (const json::parse_error& e) {
      // e.what() reads "[json.exception.parse_error.101] parse error at line 1, column 7: ..."
      std::string what = e.what();
      size_t at = what.find("] ");
      record.error = "invalid JSON: " + (at == std::string::npos ? what : what.substr(at + 2));
    }
    return record;
  }
  if (FillRecord(object, &record)) record.json = record.text;
  return record;
}

RecordReader::Format FormatForPath(const std::string& path) {
  if (path.size() >= 4) {
    std::string ext = path.substr(path.size() - 4);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".csv") return RecordReader::Format::kCsv;
  }
  return RecordReader::Format::kNdjson;
}

std::optional<InputRecord> RecordReader::Next() {
  if (format_ == Format::kCsv) return NextCsv();
  std::string line;
  while (std::getline(in_, line)) {
    ++line_;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    return ParseJsonLine(line, line_);
  }
  return std::nullopt;
}

bool RecordReader::ReadCsvRow(std::vector<std::string>* cells, std::string* raw, size_t* start_line,
                              std::string* error) {
  cells->clear();
  raw->clear();
  std::string line;
  do {
    if (!std::getline(in_, line)) return false;
    ++line_;
  } while (line.find_first_not_of(" \t\r") == std::string::npos);
  *start_line = line_;
  std::string cell;
  bool quoted = false, was_quoted = false;
  while (true) {
    *raw += line;
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (quoted) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.push_back(c);
        }
      } else if (c == '"' && cell.empty() && !was_quoted) {
        quoted = was_quoted = true;
      } else if (c == ',') {
        cells->push_back(std::move(cell));
        cell.clear();
        was_quoted = false;
      } else if (c == '\r' && i + 1 == line.size()) {
        // CRLF line ending
      } else {
        cell.push_back(c);
      }
    }
    if (!quoted) break;
    if (!std::getline(in_, line)) {
      *error = "unterminated quoted field";
      break;
    }
    ++line_;
    cell.push_back('\n');
    *raw += "\n";
  }
  cells->push_back(std::move(cell));
  return true;
}

std::optional<InputRecord> RecordReader::NextCsv() {
  std::vector<std::string> cells;
  std::string raw, error;
  size_t start = 0;
  if (!header_read_) {
    header_read_ = true;
    if (!ReadCsvRow(&header_, &raw, &start, &error)) return std::nullopt;
    if (!header_.empty() && header_[0].rfind("\xEF\xBB\xBF", 0) == 0) header_[0].erase(0, 3);
  }
  if (!ReadCsvRow(&cells, &raw, &start, &error)) return std::nullopt;
  InputRecord record;
  record.line = start;
  if (!text::IsValidUtf8(raw)) {
    raw = text::ScrubUtf8(raw);
    for (std::string& c : cells) c = text::ScrubUtf8(c);
    record.warnings.push_back("invalid UTF-8 replaced with U+FFFD");
  }
  record.text = raw;
  if (!error.empty()) {
    record.error = error;
    return record;
  }
  if (cells.size() != header_.size()) {
    record.error = "expected " + std::to_string(header_.size()) + " CSV fields (as in the header), found " +
                   std::to_string(cells.size());
    return record;
  }
  json object = json::object();
  std::string text = "{";  // the same object, in the header's order
  for (size_t i = 0; i < cells.size(); ++i) {
    // An empty cell is an unset field, as GitHub's null.
    object[header_[i]] = cells[i].empty() ? json(nullptr) : json(cells[i]);
    if (i) text.push_back(',');
    AppendString(&text, header_[i]);
    text.push_back(':');
    if (cells[i].empty()) text.append("null");
    else AppendString(&text, cells[i]);
  }
  text.push_back('}');
  if (FillRecord(object, &record)) record.json = std::move(text);
  return record;
}

namespace {

void AppendKey(std::string* out, const char* key) {
  out->push_back('"');
  out->append(key);
  out->append("\":");
}

// ,"key":"value" — a string member after the first.
void AppendMember(std::string* out, const char* key, std::string_view value) {
  out->push_back(',');
  AppendKey(out, key);
  AppendString(out, value);
}

// The same, left out when the value is empty (an optional member).
void AppendOptional(std::string* out, const char* key, std::string_view value) {
  if (!value.empty()) AppendMember(out, key, value);
}

void AppendNumber(std::string* out, double value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out->append(buf, ec == std::errc() ? end - buf : 0);
}

void AppendEvidence(std::string* out, const std::vector<Evidence>& evidence) {
  out->push_back('[');
  for (size_t i = 0; i < evidence.size(); ++i) {
    if (i) out->push_back(',');
    out->append("{\"field\":");
    AppendString(out, evidence[i].field);
    AppendMember(out, "text", evidence[i].text);
    AppendMember(out, "rule", evidence[i].rule);
    out->push_back('}');
  }
  out->push_back(']');
}

void AppendStrings(std::string* out, const std::vector<std::string>& list) {
  out->push_back('[');
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) out->push_back(',');
    AppendString(out, list[i]);
  }
  out->push_back(']');
}

// The members "country" … "notes", without braces.
void AppendResolutionMembers(std::string* out, const Resolution& r) {
  AppendKey(out, "country");
  if (r.country) {
    const Country& c = *r.country;
    out->append("{\"code\":");
    AppendString(out, c.code);
    AppendMember(out, "name", c.name);
    AppendMember(out, "basis", c.basis);
    out->append(",\"confidence\":");
    AppendNumber(out, c.confidence);
    AppendOptional(out, "subdivision", c.subdivision);
    AppendOptional(out, "city", c.city);
    out->append(",\"evidence\":");
    AppendEvidence(out, c.evidence);
    out->push_back('}');
  } else {
    out->append("null");
  }
  out->append(",\"places\":[");
  for (size_t i = 0; i < r.places.size(); ++i) {
    const Place& p = r.places[i];
    if (i) out->push_back(',');
    out->append("{\"code\":");
    AppendString(out, p.code);
    AppendMember(out, "name", p.name);
    AppendOptional(out, "subdivision", p.subdivision);
    AppendOptional(out, "city", p.city);
    out->push_back('}');
  }
  out->append("],\"orgs\":[");
  for (size_t i = 0; i < r.orgs.size(); ++i) {
    const OrgAffiliation& o = r.orgs[i];
    if (i) out->push_back(',');
    out->append("{\"id\":");
    AppendString(out, o.id);
    AppendMember(out, "name", o.name);
    AppendMember(out, "kind", o.kind);
    AppendMember(out, "group", o.group);
    AppendMember(out, "group_name", o.group_name);
    out->append(o.current ? ",\"current\":true" : ",\"current\":false");
    if (!o.listed) out->append(",\"listed\":false");
    out->append(",\"evidence\":");
    AppendEvidence(out, o.evidence);
    out->push_back('}');
  }
  out->append("],\"flags\":");
  AppendStrings(out, r.flags);
  AppendOptional(out, "non_org", r.non_org);
  out->append(",\"notes\":");
  AppendEvidence(out, r.notes);
}

}  // namespace

std::string ResolutionJson(const Resolution& r) {
  std::string out = "{";
  AppendResolutionMembers(&out, r);
  out.push_back('}');
  return out;
}

void AppendOutputLine(std::string* out, const InputRecord& record, const std::string& person,
                      const Resolution* r) {
  out->append("{\"line\":");
  out->append(std::to_string(record.line));
  if (!record.ok() || !r) {
    AppendMember(out, "error", record.error);
    AppendMember(out, "raw", record.text);
  } else {
    AppendMember(out, "login", record.profile.login);
    AppendMember(out, "person", person);
    out->push_back(',');
    AppendResolutionMembers(out, *r);
  }
  if (!record.warnings.empty()) {
    out->append(",\"warnings\":");
    AppendStrings(out, record.warnings);
  }
  if (record.ok() && r) {
    out->append(",\"input\":");
    out->append(record.json);
  }
  out->append("}\n");
}

bool ReadTsv(std::istream& in, Table* table, std::string* error) {
  std::string line;
  size_t number = 0;
  auto split = [](const std::string& s) {
    std::vector<std::string> cells;
    size_t start = 0;
    while (true) {
      size_t tab = s.find('\t', start);
      cells.push_back(s.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) return cells;
      start = tab + 1;
    }
  };
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (table->header.empty()) {
      table->header = split(line);
      continue;
    }
    if (line.empty()) continue;
    std::vector<std::string> cells = split(line);
    if (cells.size() != table->header.size()) {
      *error = "line " + std::to_string(number) + ": expected " + std::to_string(table->header.size()) +
               " tab-separated fields, found " + std::to_string(cells.size());
      return false;
    }
    table->rows.push_back(std::move(cells));
  }
  if (table->header.empty()) {
    *error = "no header row";
    return false;
  }
  return true;
}

int Table::Column(const std::string& name) const {
  auto it = std::find(header.begin(), header.end(), name);
  return it == header.end() ? -1 : static_cast<int>(it - header.begin());
}

std::vector<InputRecord> ReadAll(std::istream& in, RecordReader::Format format, int threads) {
  std::vector<InputRecord> records;
  if (format == RecordReader::Format::kCsv) {
    RecordReader reader(in, format);
    while (auto r = reader.Next()) records.push_back(std::move(*r));
    return records;
  }
  std::vector<std::pair<size_t, std::string>> lines;
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    lines.emplace_back(number, std::move(line));
  }
  records.resize(lines.size());
  std::atomic<size_t> next{0};
  constexpr size_t kChunk = 1024;
  auto work = [&] {
    for (size_t begin = next.fetch_add(kChunk); begin < lines.size(); begin = next.fetch_add(kChunk)) {
      for (size_t i = begin; i < std::min(begin + kChunk, lines.size()); ++i) {
        records[i] = ParseJsonLine(lines[i].second, lines[i].first);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  return records;
}

}  // namespace affil::io
