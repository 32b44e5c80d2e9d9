#include "io/records.h"

#include <algorithm>

#include "text/text.h"

namespace affil::io {
namespace {

using json = nlohmann::ordered_json;

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
  if (auto it = object.find("commit_emails"); it != object.end() && !it->is_null()) {
    if (it->is_string()) {  // CSV: one cell, addresses separated by ';' or whitespace
      std::string cell = it->get<std::string>();
      size_t start = 0;
      while (start < cell.size()) {
        size_t end = cell.find_first_of("; ,", start);
        if (end == std::string::npos) end = cell.size();
        if (end > start) p.commit_emails.push_back(cell.substr(start, end - start));
        start = end + 1;
      }
    } else if (it->is_array()) {
      for (const json& e : *it) {
        if (!e.is_string()) {
          error = "field 'commit_emails' must be a list of strings";
          return false;
        }
        p.commit_emails.push_back(e.get<std::string>());
      }
    } else {
      error = "field 'commit_emails' must be a list of strings";
      return false;
    }
  }
  record->fields = object;
  return true;
}

json EvidenceJson(const std::vector<Evidence>& evidence) {
  json list = json::array();
  for (const Evidence& e : evidence) list.push_back({{"field", e.field}, {"text", e.text}, {"rule", e.rule}});
  return list;
}

json PlaceJson(const Place& p) {
  json j = {{"code", p.code}, {"name", p.name}};
  if (!p.subdivision.empty()) j["subdivision"] = p.subdivision;
  if (!p.city.empty()) j["city"] = p.city;
  return j;
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
  record.raw_text = text;
  json object = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) {
    try {
      json ignored = json::parse(text);
      record.error = "invalid JSON";
    } catch (const json::parse_error& e) {
      // e.what() reads "[json.exception.parse_error.101] parse error at line 1, column 7: ..."
      std::string what = e.what();
      size_t at = what.find("] ");
      record.error = "invalid JSON: " + (at == std::string::npos ? what : what.substr(at + 2));
    }
    return record;
  }
  FillRecord(object, &record);
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
  record.raw_text = raw;
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
  for (size_t i = 0; i < cells.size(); ++i) {
    // An empty cell is an unset field, as GitHub's null.
    object[header_[i]] = cells[i].empty() ? json(nullptr) : json(cells[i]);
  }
  FillRecord(object, &record);
  return record;
}

json ToJson(const Resolution& r) {
  json j;
  if (r.country) {
    const Country& c = *r.country;
    j["country"] = {{"code", c.code}, {"name", c.name}, {"basis", c.basis}, {"confidence", c.confidence}};
    if (!c.subdivision.empty()) j["country"]["subdivision"] = c.subdivision;
    if (!c.city.empty()) j["country"]["city"] = c.city;
    j["country"]["evidence"] = EvidenceJson(c.evidence);
  } else {
    j["country"] = nullptr;
  }
  j["places"] = json::array();
  for (const Place& p : r.places) j["places"].push_back(PlaceJson(p));
  j["orgs"] = json::array();
  for (const OrgAffiliation& o : r.orgs) {
    j["orgs"].push_back({{"id", o.id}, {"name", o.name}, {"kind", o.kind}, {"group", o.group},
                         {"group_name", o.group_name}, {"current", o.current}, {"evidence", EvidenceJson(o.evidence)}});
  }
  j["flags"] = r.flags;
  j["notes"] = EvidenceJson(r.notes);
  return j;
}

json OutputRecord(const InputRecord& record, const std::string& person, const Resolution* r) {
  json out = json::object();
  out["line"] = record.line;
  if (!record.ok() || !r) {
    out["error"] = record.error;
    out["raw"] = record.raw_text;
    if (!record.warnings.empty()) out["warnings"] = record.warnings;
    return out;
  }
  out["login"] = record.profile.login;
  out["person"] = person;
  json resolved = ToJson(*r);
  for (auto& [key, value] : resolved.items()) out[key] = std::move(value);
  if (!record.warnings.empty()) out["warnings"] = record.warnings;
  out["input"] = record.fields;
  return out;
}

}  // namespace affil::io
