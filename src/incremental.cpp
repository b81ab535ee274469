#include "incremental.hpp"

namespace tandem {

// For now every rebuild is a full one; the dependency record comes with issue 5/6 work.
struct incremental_builder::state {
  std::filesystem::path site_dir;
  site_run last;
};

incremental_builder::incremental_builder(std::filesystem::path site_dir)
    : self_(std::make_unique<state>()) {
  self_->site_dir = std::move(site_dir);
}

incremental_builder::~incremental_builder() = default;

const site_run& incremental_builder::build() {
  self_->last = load_and_render(self_->site_dir);
  return self_->last;
}

const site_run& incremental_builder::rebuild(const std::vector<std::string>&) { return build(); }

const site_run& incremental_builder::current() const { return self_->last; }

}  // namespace tandem
