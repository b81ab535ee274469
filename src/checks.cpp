#include "checks.hpp"

#include <ostream>

namespace tandem {

// Placeholder until the plain-language checks land (issue 4).
void run_checks(const site_model&, diagnostics&) {}

void print_check_report(std::ostream& out, const site_model&, const diagnostics&) {
  out << "The readability report is not available yet.\n";
}

}  // namespace tandem
