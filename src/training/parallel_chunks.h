#pragma once

#include <cstdint>
#include <functional>

namespace dropout_lab {

/// The number of threads the trainers use when told 0: every hardware
/// thread (at least 1).
int64_t default_training_threads();

/// Splits [begin, end) into at most `threads` contiguous chunks and calls
/// `work(chunk_begin, chunk_end)` for each, on separate threads, returning
/// when all are done. An exception thrown by any chunk is rethrown here.
///
/// LibTorch's at::parallel_for is not used: with its OpenMP backend it runs
/// in parallel only in code compiled with -fopenmp, and Debian's LibTorch
/// also starts with a single OpenMP thread on some machines.
void parallel_chunks(
    int64_t begin,
    int64_t end,
    int64_t threads,
    const std::function<void(int64_t, int64_t)>& work);

}  // namespace dropout_lab
