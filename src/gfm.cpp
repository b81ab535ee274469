#include "cmark_lock.hpp"

namespace tandem {

std::mutex& cmark_parse_mutex() {
  static std::mutex lock;
  return lock;
}

}  // namespace tandem
