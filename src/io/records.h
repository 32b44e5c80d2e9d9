// io: reading input records (NDJSON or CSV) and writing resolved records
// (NDJSON). The only stage besides the CLI that touches bytes from outside;
// everything it hands on is a Profile plus the row's contribution fields.
//
// Input is one GitHub REST user object per record (`login`, `name`, `company`,
// `location`, `email`, `bio`, `blog`, `twitter_username`, `type`; other fields
// are kept but ignored), optionally with `repo`, `merged_prs`, `commit_emails`
// (a list of strings) and `commit_timezones` (UTC offsets of the person's
// commits as git records them: "+0800", "-07:00"). A record that cannot be read becomes an
// error record carrying its line number, the reason and the raw text: no input
// is ever dropped.
#ifndef AFFIL_IO_RECORDS_H_
#define AFFIL_IO_RECORDS_H_

#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "affil.h"

namespace affil::io {

struct InputRecord {
  size_t line = 0;           // 1-based line where the record starts
  std::string error;         // non-empty: the record could not be read, and why
  // The record as read: the NDJSON line (invalid UTF-8 replaced), or a CSV
  // record's raw text. For a good record, `json` is the input object as JSON
  // text: the line itself for NDJSON, so it is copied out unchanged.
  std::string text;
  std::string json;
  Profile profile;
  std::string repo;
  long long merged_prs = 0;
  std::vector<std::string> warnings;  // e.g. invalid UTF-8 replaced

  bool ok() const { return error.empty(); }
};

// Reads one NDJSON line. Invalid UTF-8 is replaced by U+FFFD (with a warning)
// rather than rejected, so a stray byte never costs a whole profile.
InputRecord ParseJsonLine(std::string_view line, size_t line_number);

// Reads records one at a time from NDJSON or CSV (RFC 4180, header row,
// quoted fields may span lines).
class RecordReader {
 public:
  enum class Format { kNdjson, kCsv };
  RecordReader(std::istream& in, Format format) : in_(in), format_(format) {}

  // The next record, or nullopt at the end of input. Blank NDJSON lines are
  // skipped (they are not records).
  std::optional<InputRecord> Next();

 private:
  std::optional<InputRecord> NextCsv();
  bool ReadCsvRow(std::vector<std::string>* cells, std::string* raw, size_t* start_line, std::string* error);

  std::istream& in_;
  Format format_;
  size_t line_ = 0;
  bool header_read_ = false;
  std::vector<std::string> header_;
};

// The format implied by a path: ".csv" (any case) is CSV, anything else NDJSON.
RecordReader::Format FormatForPath(const std::string& path);

// Every record of `in`, in order. NDJSON lines are parsed on `threads`
// threads; CSV (whose records may span lines) on one.
std::vector<InputRecord> ReadAll(std::istream& in, RecordReader::Format format, int threads);

// A tab-separated table with a header row (fields contain no tabs).
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int Column(const std::string& name) const;  // -1 when absent
};

// Reads a TSV table; false with "line N: ..." in *error when a row's field
// count differs from the header's.
bool ReadTsv(std::istream& in, Table* table, std::string* error);

// A resolution as a JSON object: {"country", "places", "orgs", "flags", "notes"}.
std::string ResolutionJson(const Resolution& r);

// Appends the output line for a record, newline included: {"line", "login",
// "person", "country", "places", "orgs", "flags", "notes", ["warnings",]
// "input"} — or, for an error record, {"line", "error", "raw"[, "warnings"]}.
// Written by hand rather than through a JSON tree: this runs once per record.
void AppendOutputLine(std::string* out, const InputRecord& record, const std::string& person,
                      const Resolution* r);

}  // namespace affil::io

#endif  // AFFIL_IO_RECORDS_H_
