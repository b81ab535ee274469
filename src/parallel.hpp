// Running independent jobs on several threads: what rendering and the checks share.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace tandem {

/// How many threads a build uses: TANDEM_THREADS (1 to 1024) if set, else one per core.
inline unsigned thread_count() {
  if (const char* env = std::getenv("TANDEM_THREADS")) {
    char* end = nullptr;
    long n = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && n >= 1 && n <= 1024) return static_cast<unsigned>(n);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

/// Calls `job(i)` once for every i below `count`, on up to `threads` threads (this one
/// included), with at least `least_per_thread` jobs per thread (a thread costs more than a small
/// job). Each job must touch only what is its own. The first exception a job throws is thrown
/// again here, after every thread has stopped.
template <typename Job>
void for_each_at_once(std::size_t count, unsigned threads, const Job& job,
                      std::size_t least_per_thread = 1) {
  std::size_t workers =
      std::min<std::size_t>(threads, count / std::max<std::size_t>(1, least_per_thread));
  if (workers <= 1) {
    for (std::size_t i = 0; i < count; ++i) job(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    try {
      for (std::size_t i = next++; i < count; i = next++) job(i);
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = count;
    }
  };
  {
    std::vector<std::jthread> pool;
    pool.reserve(workers - 1);
    for (std::size_t t = 1; t < workers; ++t) pool.emplace_back(work);
    work();
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace tandem
