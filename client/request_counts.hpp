#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "client/pipeline_window.hpp"
#include "client/rate_scheduler.hpp"
#include "client/stats.hpp"
#include "client/time_series.hpp"

namespace corobench {

// Where a connection counts what becomes of its requests: the thread's stats
// (the total and, with a mix, the request's line) and the live counters the
// progress line reads. Every counted request ends as exactly one response or
// one error; a warmup batch is counted only in the second-by-second series,
// where its seconds are marked as warmup.
class RequestCounts {
 public:
  RequestCounts(ThreadStats& stats, LiveCounters& live, TimeSeries& series)
      : stats_(stats), live_(live), series_(series) {}

  void connected(const PipelineWindow& w) {
    if (!open_) series_.opened(Clock::now());
    open_ = true;
    if (w.measured()) ++stats_.connections_opened;
  }

  // The connection's socket was closed (or never opened: then nothing).
  void closed() {
    if (open_) series_.closed(Clock::now());
    open_ = false;
  }

  // The whole batch was handed to the socket.
  void sent(const PipelineWindow& w) {
    if (!w.measured()) return;
    for (std::size_t i = 0; i < w.size(); ++i) add_request(w, i, w.request(i).wire.size());
  }

  // An open-loop batch that left more than 1 ms after it was due is late
  // (in a closed loop every send is due when it leaves).
  void issued(const PipelineWindow& w, const SendTiming& t) {
    if (w.measured() && t.sent - t.scheduled > std::chrono::milliseconds(1)) {
      stats_.late_sends += w.size();
    }
  }

  // Open loop: `n` requests were due before the end of the run and never
  // sent (their connection was still stuck behind earlier answers).
  void dropped(std::uint64_t n) { stats_.dropped_sends += n; }

  // The batch never left: its connection could not be opened, `lat_ns`
  // after the batch was due.
  void unsent(const PipelineWindow& w, ErrorKind why, std::int64_t lat_ns) {
    if (w.measured()) {
      for (std::size_t i = 0; i < w.size(); ++i) add_request(w, i, 0);
    }
    failed(w, 0, why, lat_ns);
  }

  // Request i was answered, `lat_ns` after it was due.
  void answered(const PipelineWindow& w, std::size_t i, unsigned status, std::size_t bytes,
                std::int64_t lat_ns, Clock::time_point done) {
    series_.answered(done, w.measured(), status, lat_ns);
    if (!w.measured()) return;
    const unsigned code = std::min(status, 999u);
    auto add = [&](LineStats& l) {
      ++l.responses;
      ++l.status[code];
      l.bytes_received += bytes;
      l.record_answer(code, lat_ns);
    };
    add(stats_.total);
    if (!stats_.per_line.empty()) add(stats_.per_line[w.line(i)]);
    LiveCounters::bump(live_.responses);
    stats_.last_done = done;
  }

  // Where a connection opened for the batch records its connect and
  // handshake times; nothing for a warmup batch.
  PhaseStats* phases(const PipelineWindow& w) { return w.measured() ? &stats_.phases : nullptr; }

  // The first answer of the batch began to arrive at `first_read`, for a
  // batch written at `written` (nothing when it was already buffered).
  void first_byte(const PipelineWindow& w, Clock::time_point written,
                  Clock::time_point first_read) {
    if (!w.measured() || first_read == Clock::time_point{}) return;
    stats_.phases.first_byte.record(
        std::chrono::duration_cast<std::chrono::nanoseconds>(first_read - written).count());
  }

  // Requests `from` to the end of the batch failed with `kind`, `lat_ns`
  // after they were due.
  void failed(const PipelineWindow& w, std::size_t from, ErrorKind kind, std::int64_t lat_ns) {
    const Clock::time_point now = Clock::now();
    series_.failed(now, w.measured(), kind, w.size() - from);
    if (!w.measured()) return;
    const auto k = static_cast<std::size_t>(kind);
    auto add = [&](LineStats& l) {
      ++l.errors[k];
      l.error_latency.record(lat_ns);
    };
    for (std::size_t i = from; i < w.size(); ++i) {
      add(stats_.total);
      if (!stats_.per_line.empty()) add(stats_.per_line[w.line(i)]);
    }
    stats_.last_done = now;
    LiveCounters::bump(live_.errors, w.size() - from);
  }

 private:
  void add_request(const PipelineWindow& w, std::size_t i, std::size_t bytes) {
    ++stats_.total.requests;
    stats_.total.bytes_sent += bytes;
    if (!stats_.per_line.empty()) {
      ++stats_.per_line[w.line(i)].requests;
      stats_.per_line[w.line(i)].bytes_sent += bytes;
    }
  }

  ThreadStats& stats_;
  LiveCounters& live_;
  TimeSeries& series_;
  bool open_ = false;
};

}  // namespace corobench
