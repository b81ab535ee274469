// libFuzzer harness: the JSON reader and the stats loader (parse_json, then load_stats on the
// same bytes written as content/data/stats.json of a scratch site).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_common.hpp"
#include "json.hpp"
#include "stats.hpp"

using namespace tandem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  {
    diagnostics diags;
    auto value = parse_json(text, stats_file, "stats", diags);
    fuzz::require_sound(diags);
    fuzz::require(value.has_value() || diags.has_errors(), "JSON refused without saying why");
  }
  const auto site = fuzz::scratch_dir() / "stats-site";
  fuzz::write_file(site / stats_file, text);
  diagnostics diags;
  auto stats = load_stats(site, diags);
  fuzz::require_sound(diags);
  if (stats && !diags.has_errors()) {
    for (const auto& [key, f] : stats->figures) {
      fuzz::require(std::isfinite(f.value), "a figure that is not a finite number");
      if (f.unit == figure_unit::percent)
        fuzz::require(f.value >= 0 && f.value <= 100, "a percentage outside 0 to 100");
      if (f.unit == figure_unit::count)
        fuzz::require(f.value == std::floor(f.value), "a count that is not whole");
      for (figure_format format :
           {figure_format::plain, figure_format::about, figure_format::in_ten, figure_format::words,
            figure_format::label})
        (void)format_figure(f, format);
    }
  }
  return 0;
}
