#include "parallel_chunks.h"

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

namespace dropout_lab {

int64_t default_training_threads() {
  return std::max<int64_t>(1, std::thread::hardware_concurrency());
}

void parallel_chunks(
    int64_t begin,
    int64_t end,
    int64_t threads,
    const std::function<void(int64_t, int64_t)>& work) {
  const int64_t count = end - begin;
  if (count <= 0) {
    return;
  }
  const int64_t chunks = std::clamp<int64_t>(threads, 1, count);
  if (chunks == 1) {
    work(begin, end);
    return;
  }

  // Chunk c covers [begin + c * count / chunks, begin + (c + 1) * count /
  // chunks); the calling thread takes the last one.
  auto bound = [&](int64_t c) {
    return begin + c * count / chunks;
  };
  std::vector<std::exception_ptr> errors(chunks);
  std::vector<std::thread> workers;
  for (int64_t c = 0; c + 1 < chunks; ++c) {
    workers.emplace_back([&, c] {
      try {
        work(bound(c), bound(c + 1));
      } catch (...) {
        errors[c] = std::current_exception();
      }
    });
  }
  try {
    work(bound(chunks - 1), end);
  } catch (...) {
    errors[chunks - 1] = std::current_exception();
  }
  for (auto& worker : workers) {
    worker.join();
  }
  for (const auto& error : errors) {
    if (error) {
      std::rethrow_exception(error);
    }
  }
}

}  // namespace dropout_lab
