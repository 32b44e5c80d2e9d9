// Reading records: nothing is lost, every failure says where and why.
#include <doctest/doctest.h>

#include <sstream>

#include "io/records.h"

#include <nlohmann/json.hpp>

using affil::io::InputRecord;
using affil::io::ParseJsonLine;
using affil::io::RecordReader;

TEST_CASE("a GitHub user object becomes a profile; extra fields are kept") {
  InputRecord r = ParseJsonLine(
      R"({"login":"LyricZhao","company":"DeepSeek AI","location":"Hangzhou, China","email":null,)"
      R"("bio":"x","repo":"deepseek-ai/DeepEP","merged_prs":12,"commit_emails":["a@b.com"],"id":123})",
      7);
  REQUIRE(r.ok());
  CHECK(r.line == 7);
  CHECK(r.profile.login == "LyricZhao");
  CHECK(r.profile.email.empty());
  CHECK(r.repo == "deepseek-ai/DeepEP");
  CHECK(r.merged_prs == 12);
  CHECK(r.profile.commit_emails == std::vector<std::string>{"a@b.com"});
  CHECK(r.json == r.text);  // the input object is carried out unchanged
}

TEST_CASE("malformed lines become error records with the reason") {
  InputRecord truncated = ParseJsonLine(R"({"login":"x","company":"Ali)", 3);
  CHECK_FALSE(truncated.ok());
  CHECK(truncated.error.find("invalid JSON") == 0);
  CHECK(truncated.text == R"({"login":"x","company":"Ali)");
  CHECK(ParseJsonLine("[1,2]", 1).error == "a record must be a JSON object, not array");
  CHECK(ParseJsonLine(R"({"login":5})", 1).error == "field 'login' must be a string or null, not number");
  CHECK(ParseJsonLine(R"({"login":"x","merged_prs":"lots"})", 1).error == "field 'merged_prs' must be a whole number");
  CHECK(ParseJsonLine(R"({"login":"x","commit_emails":[1]})", 1).error == "field 'commit_emails' must be a list of strings");
}

TEST_CASE("invalid UTF-8 inside a record is replaced, with a warning, not rejected") {
  InputRecord r = ParseJsonLine("{\"login\":\"x\",\"location\":\"Bei\xFFjing\"}", 1);
  REQUIRE(r.ok());
  CHECK(r.profile.location == "Bei\xEF\xBF\xBDjing");
  CHECK(r.warnings.size() == 1);
}

TEST_CASE("a 100 KB bio is read whole") {
  std::string bio(100 * 1024, 'a');
  InputRecord r = ParseJsonLine(R"({"login":"x","bio":")" + bio + R"("})", 1);
  REQUIRE(r.ok());
  CHECK(r.profile.bio.size() == bio.size());
}

TEST_CASE("NDJSON reader: blank lines skipped, line numbers kept, errors in place") {
  std::istringstream in("{\"login\":\"a\"}\n\n{broken\r\n{\"login\":\"c\"}");
  RecordReader reader(in, RecordReader::Format::kNdjson);
  std::vector<InputRecord> records;
  while (auto r = reader.Next()) records.push_back(*r);
  REQUIRE(records.size() == 3);
  CHECK(records[0].line == 1);
  CHECK_FALSE(records[1].ok());
  CHECK(records[1].line == 3);
  CHECK(records[2].profile.login == "c");
  CHECK(records[2].line == 4);
}

TEST_CASE("CSV reader: header, quotes, embedded newlines, wrong field counts") {
  std::istringstream in(
      "login,company,location,bio,merged_prs\r\n"
      "a,\"Johnson & Johnson, Inc.\",\"Beijing, China\",\"line one\nline two\",3\r\n"
      "b,,\"say \"\"hi\"\"\",,\r\n"
      "c,only two\r\n"
      "d,x,y,\"never closed\n");
  RecordReader reader(in, RecordReader::Format::kCsv);
  std::vector<InputRecord> records;
  while (auto r = reader.Next()) records.push_back(*r);
  REQUIRE(records.size() == 4);
  CHECK(records[0].profile.company == "Johnson & Johnson, Inc.");
  CHECK(records[0].profile.bio == "line one\nline two");
  CHECK(records[0].merged_prs == 3);
  CHECK(records[0].line == 2);
  CHECK(records[1].profile.location == "say \"hi\"");
  CHECK(records[1].profile.company.empty());
  CHECK(records[1].line == 4);
  CHECK(records[2].error == "expected 5 CSV fields (as in the header), found 2");
  CHECK(records[2].line == 5);
  CHECK(records[3].error == "unterminated quoted field");
}

TEST_CASE("output lines: error records keep the raw text; good ones keep the input") {
  InputRecord bad = ParseJsonLine("{oops", 9);
  std::string line;
  affil::io::AppendOutputLine(&line, bad, "", nullptr);
  CHECK(line.back() == '\n');
  auto e = nlohmann::json::parse(line);
  CHECK(e["line"] == 9);
  CHECK(e["raw"] == "{oops");
  CHECK(e.contains("error"));
  InputRecord good = ParseJsonLine(R"({"login":"x","company":"Y \"quoted\"\n","id":1})", 1);
  affil::Resolution r;
  r.notes.push_back({"company", "tab\there \x01", "rules/x.rules:1"});
  std::string out;
  affil::io::AppendOutputLine(&out, good, "gh:x", &r);
  auto o = nlohmann::json::parse(out);
  CHECK(o["person"] == "gh:x");
  CHECK(o["country"].is_null());
  CHECK(o["input"]["company"] == "Y \"quoted\"\n");
  CHECK(o["input"]["id"] == 1);
  CHECK(o["notes"][0]["text"] == "tab\there \x01");
}

TEST_CASE("CSV records are carried out as JSON objects") {
  std::istringstream in("login,company\nx,\"A, B\"\n");
  auto records = affil::io::ReadAll(in, RecordReader::Format::kCsv, 1);
  REQUIRE(records.size() == 1);
  auto j = nlohmann::json::parse(records[0].json);
  CHECK(j["company"] == "A, B");
}

TEST_CASE("ReadAll parses NDJSON on several threads, keeping order and line numbers") {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += i % 1000 == 7 ? "{bad\n" : "{\"login\":\"u" + std::to_string(i) + "\"}\n";
  std::istringstream in(text);
  auto records = affil::io::ReadAll(in, RecordReader::Format::kNdjson, 3);
  REQUIRE(records.size() == 5000);
  CHECK(records[4999].profile.login == "u4999");
  CHECK(records[4999].line == 5000);
  CHECK_FALSE(records[1007].ok());
  CHECK(records[1008].profile.login == "u1008");
}

TEST_CASE("commit time zones are read as UTC offsets; anything else is an error") {
  InputRecord r = ParseJsonLine(R"({"login":"x","commit_timezones":["+0800","-07:00","Z","+0545"]})", 1);
  REQUIRE(r.ok());
  CHECK(r.profile.commit_offsets == std::vector<int>{480, -420, 0, 345});
  CHECK(ParseJsonLine(R"({"login":"x","commit_timezones":["8am"]})", 1).error.find("is not a UTC offset") != std::string::npos);
  CHECK(ParseJsonLine(R"({"login":"x","commit_timezones":["+2500"]})", 1).error.find("is not a UTC offset") != std::string::npos);
  CHECK(ParseJsonLine(R"({"login":"x","commit_timezones":[8]})", 1).error == "field 'commit_timezones' must be a list of strings");
}

TEST_CASE("company accounts are read as the collector writes them; other shapes are errors") {
  InputRecord r = ParseJsonLine(
      R"({"login":"x","company":"@ppl-ai","company_accounts":[{"login":"ppl-ai","type":"Organization","name":"Perplexity","blog":"https://perplexity.ai","location":null,"email":null,"description":"x"}]})", 1);
  REQUIRE(r.ok());
  REQUIRE(r.profile.company_accounts.size() == 1);
  CHECK(r.profile.company_accounts[0].login == "ppl-ai");
  CHECK(r.profile.company_accounts[0].type == "Organization");
  CHECK(r.profile.company_accounts[0].name == "Perplexity");
  CHECK(r.profile.company_accounts[0].blog == "https://perplexity.ai");
  CHECK(r.profile.company_accounts[0].location.empty());
  const std::string shape = "field 'company_accounts' must be a list of objects with a 'login' and a 'type'";
  CHECK(ParseJsonLine(R"({"login":"x","company_accounts":{"login":"a"}})", 1).error == shape);
  CHECK(ParseJsonLine(R"({"login":"x","company_accounts":["ppl-ai"]})", 1).error == shape);
  CHECK(ParseJsonLine(R"({"login":"x","company_accounts":[{"login":"a"}]})", 1).error == shape);
  CHECK(ParseJsonLine(R"({"login":"x","company_accounts":[{"login":"a","type":"Organization","name":3}]})", 1).error ==
        "field 'company_accounts': field 'name' must be a string or null, not number");
}
