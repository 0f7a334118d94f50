#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace dropout_lab {

/// A one-line progress bar on stderr with rate and ETA, for long work:
///
///   depth  [########..........]  42%  420/1000  1.3k/s  ETA 0:07
///
/// It draws nothing unless enabled; `progress_wanted()` gives the usual
/// rule (stderr is a terminal and --quiet was not given). Redraws at most
/// ten times a second so that it costs nothing in tight loops.
class ProgressBar {
 public:
  ProgressBar(std::string label, int64_t total, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void advance(int64_t amount = 1);
  /// Draws the final state and ends the line; later calls do nothing.
  void finish();

 private:
  void draw(bool force);

  std::string label_;
  int64_t total_;
  int64_t done_ = 0;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

/// True when stderr is a terminal and the user did not ask for quiet.
bool progress_wanted(bool quiet);

/// Seconds as h:mm:ss or m:ss.
std::string format_duration(double seconds);

}  // namespace dropout_lab
