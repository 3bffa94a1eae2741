// The measured consumer: only the umbrella include.
#include <offroi/offroi.hpp>

int main() {}
