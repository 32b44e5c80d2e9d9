// Compiles RE2 patterns for tools/rules/lint.py, exactly as affil will.
// stdin: one "<tag>\t<pattern>" a line; stdout: "<tag>\t<error>" for each pattern that fails.
// Build: g++ -std=c++17 -O1 re2check.cc -o re2check $(pkg-config --cflags --libs re2)
#include <re2/re2.h>

#include <iostream>
#include <string>

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    RE2::Options options;
    options.set_log_errors(false);
    RE2 re(line.substr(tab + 1), options);
    if (!re.ok()) std::cout << line.substr(0, tab) << '\t' << re.error() << '\n';
  }
  return 0;
}
