#include "scaffold.hpp"

#include <ostream>

#include "diag.hpp"

namespace tandem {

// Placeholder until scaffolding lands (issue 5).
int run_new(const std::filesystem::path&, const std::string&, const std::string&, std::ostream&,
            std::ostream& err) {
  err << "tandem: error: 'tandem new' is not available yet\n";
  return exit_usage;
}

}  // namespace tandem
