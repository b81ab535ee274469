// The checks of SPEC 8 that look at the whole site rather than one file as it loads: figures
// typed as numbers, breakdown sums, stale data, readability, acronyms and words to avoid.
#pragma once

#include <iosfwd>

#include "diag.hpp"
#include "model.hpp"

namespace tandem {

/// Runs every site-wide check over the loaded model and adds what it finds to `diags`.
void run_checks(const site_model& model, diagnostics& diags);

/// `tandem check --report`: for every page and edition, its reading grade, its longest sentence
/// and how many of each warning it has, so an editor sees where to work first.
void print_check_report(std::ostream& out, const site_model& model, const diagnostics& diags);

}  // namespace tandem
