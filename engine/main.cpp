#include "engine/cli.hpp"

int main(int argc, char** argv) { return hb::cli_main(argc, argv); }
