#include "serve.hpp"

#include <ostream>

#include "diag.hpp"

namespace tandem {

// Placeholder until the preview server lands (issue 5).
int run_serve(const serve_options&, std::ostream&, std::ostream& err) {
  err << "tandem: error: 'tandem serve' is not available yet; use 'tandem build' and open "
         "public/index.html\n";
  return exit_usage;
}

}  // namespace tandem
