// --connect-rate's pacer on made-up times: slots 1/rate apart, shared by
// threads, and no burst saved up while nothing connected.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "client/connect_rate.hpp"

namespace {

using corobench::Clock;
using corobench::ConnectPacer;
using namespace std::chrono_literals;

const Clock::time_point kT0 = Clock::time_point{} + 1000s;

TEST(ClientConnectRate, SlotsAreOneOverTheRateApartFromTheStart) {
  ConnectPacer p(10, kT0);
  // Twenty connections asking at once: 10 a second, the first at the start.
  for (int i = 0; i < 20; ++i) EXPECT_EQ(p.claim(kT0), kT0 + i * 100ms) << i;
}

TEST(ClientConnectRate, IdleTimeIsNotSavedUpForABurst) {
  ConnectPacer p(10, kT0);
  EXPECT_EQ(p.claim(kT0), kT0);
  // Nothing connected for 5 s: the next ones are still 100 ms apart.
  EXPECT_EQ(p.claim(kT0 + 5s), kT0 + 5s);
  EXPECT_EQ(p.claim(kT0 + 5s), kT0 + 5s + 100ms);
  EXPECT_EQ(p.claim(kT0 + 5s), kT0 + 5s + 200ms);
}

TEST(ClientConnectRate, ThreadsShareTheSlotsWithoutTakingOneTwice) {
  ConnectPacer p(1000, kT0);
  std::vector<std::vector<Clock::time_point>> got(4);
  std::vector<std::thread> threads;
  for (auto& g : got) {
    threads.emplace_back([&p, &g] {
      for (int i = 0; i < 500; ++i) g.push_back(p.claim(kT0));
    });
  }
  for (auto& t : threads) t.join();
  std::vector<Clock::time_point> all;
  for (const auto& g : got) all.insert(all.end(), g.begin(), g.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), 2000u);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], kT0 + i * 1ms) << i;
}

}  // namespace
