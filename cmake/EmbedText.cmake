# Turns a text file into a C++ source defining `std::string_view moescope::embedded::demoCorpus()`.
file(READ ${INPUT} content HEX)
string(LENGTH "${content}" hex_length)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUTPUT}
  "// Generated from resources/demo/corpus.txt; do not edit.\n"
  "#include <string_view>\n"
  "namespace moescope::embedded {\n"
  "static const unsigned char kDemoCorpus[] = {${bytes} 0};\n"
  "std::string_view demoCorpus() {\n"
  "  return {reinterpret_cast<const char*>(kDemoCorpus), sizeof(kDemoCorpus) - 1};\n"
  "}\n"
  "}  // namespace moescope::embedded\n")
