#include "progress_bar.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unistd.h>

#include <fmt/format.h>

namespace dropout_lab {
namespace {

constexpr int kBarWidth = 20;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

std::string format_rate(double per_second) {
  if (per_second >= 1e9) {
    return fmt::format("{:.1f}G/s", per_second / 1e9);
  }
  if (per_second >= 1e6) {
    return fmt::format("{:.1f}M/s", per_second / 1e6);
  }
  if (per_second >= 1e3) {
    return fmt::format("{:.1f}k/s", per_second / 1e3);
  }
  return fmt::format("{:.1f}/s", per_second);
}

}  // namespace

ProgressBar::ProgressBar(std::string label, int64_t total, bool enabled)
    : label_(std::move(label)),
      total_(std::max<int64_t>(total, 1)),
      enabled_(enabled),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {
  draw(true);
}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::advance(int64_t amount) {
  done_ = std::min(total_, done_ + amount);
  draw(false);
}

void ProgressBar::finish() {
  if (finished_) {
    return;
  }
  draw(true);
  if (enabled_) {
    std::fputs("\n", stderr);
  }
  finished_ = true;
}

void ProgressBar::draw(bool force) {
  if (!enabled_ || finished_) {
    return;
  }
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < kRedrawInterval) {
    return;
  }
  last_draw_ = now;

  const double fraction = static_cast<double>(done_) / total_;
  const int filled = static_cast<int>(fraction * kBarWidth);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? done_ / elapsed : 0.0;
  const std::string eta = rate > 0 ? format_duration((total_ - done_) / rate)
                                   : std::string("--:--");

  auto line = fmt::format(
      "\r{}  [{}{}] {:3.0f}%  {}/{}  {}  ETA {}\x1b[K",
      label_,
      std::string(filled, '#'),
      std::string(kBarWidth - filled, '.'),
      100.0 * fraction,
      done_,
      total_,
      format_rate(rate),
      eta);
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

bool progress_wanted(bool quiet) {
  return !quiet && isatty(STDERR_FILENO) == 1;
}

std::string format_duration(double seconds) {
  auto total = static_cast<int64_t>(std::llround(std::max(seconds, 0.0)));
  const int64_t hours = total / 3600;
  const int64_t minutes = (total / 60) % 60;
  const int64_t secs = total % 60;
  if (hours > 0) {
    return fmt::format("{}:{:02}:{:02}", hours, minutes, secs);
  }
  return fmt::format("{}:{:02}", minutes, secs);
}

}  // namespace dropout_lab
