// moescope_make_seed_corpus OUT [REFERENCE_CONFIGS]: writes the fuzzers' seed inputs into
// OUT/<target>/ (see fuzz/seeds/seed_corpus.h).
#include <exception>
#include <iostream>

#include "fuzz/seeds/seed_corpus.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: moescope_make_seed_corpus OUT [REFERENCE_CONFIGS]\n";
    return 2;
  }
  try {
    const int written = moescope::fuzz::writeSeedCorpus(argv[1], argc == 3 ? argv[2] : "");
    std::cout << "wrote " << written << " seeds to " << argv[1] << "\n";
  } catch (const std::exception& error) {
    std::cerr << "moescope_make_seed_corpus: " << error.what() << "\n";
    return 2;
  }
  return 0;
}
