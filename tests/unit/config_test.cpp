// The server's options: one definition read by the parser, the environment,
// the startup line and the README's table.
#include "server/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace coroserve {
namespace {

std::optional<Config> parse(std::vector<std::string> args, int& exit_code) {
  args.insert(args.begin(), "coroserve");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return parse_config(static_cast<int>(argv.size()), argv.data(), exit_code);
}

TEST(Config, FlagsSetTheFieldsAndDefaultsStay) {
  int code = -1;
  const auto c =
      parse({"--port", "0", "--workers", "3", "--idle-park-ms", "0", "--access-log"}, code);
  ASSERT_TRUE(c);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(c->port, 0);
  EXPECT_EQ(c->workers, 3u);
  EXPECT_EQ(c->idle_park.count(), 0);
  EXPECT_TRUE(c->access_log);
  EXPECT_EQ(c->max_body_bytes, Config{}.max_body_bytes);
}

TEST(Config, EveryOptionAlsoReadsItsEnvironmentVariable) {
  ::setenv("COROSERVE_MAX_URL_BYTES", "777", 1);
  ::setenv("COROSERVE_HEADER_TIMEOUT_MS", "1234", 1);
  int code = -1;
  const auto c = parse({}, code);
  ::unsetenv("COROSERVE_MAX_URL_BYTES");
  ::unsetenv("COROSERVE_HEADER_TIMEOUT_MS");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->max_url_bytes, 777u);
  EXPECT_EQ(c->header_timeout.count(), 1234);
}

TEST(Config, OutOfRangeIsAUsageError) {
  int code = 0;
  EXPECT_FALSE(parse({"--workers", "9999"}, code));
  EXPECT_NE(code, 0);
  EXPECT_FALSE(parse({"--header-timeout-ms", "0"}, code));
  EXPECT_FALSE(parse({"--log-level", "loud"}, code));
}

// The README's table and the startup line name every option with its
// default, from the same definitions the parser uses.
TEST(Config, TheTableAndTheStartupLineShowEveryOptionWithItsDefault) {
  const auto table = options_markdown();
  for (const char* row :
       {"| `--port` | `COROSERVE_PORT` | `8080` |",
        "| `--max-body-bytes` | `COROSERVE_MAX_BODY_BYTES` | `1048576` |",
        "| `--idle-park-ms` | `COROSERVE_IDLE_PARK_MS` | `200` |",
        "| `--cpu-on-loop` | `COROSERVE_CPU_ON_LOOP` | `true` |",
        "| `--access-log, --no-access-log` | `COROSERVE_ACCESS_LOG` | `false` |"}) {
    EXPECT_NE(table.find(row), std::string::npos) << row << "\n" << table;
  }
  Config c;
  c.workers = 0;
  c.max_connections = 42;
  const auto line = describe(c);
  EXPECT_NE(line.find("max-connections=42"), std::string::npos) << line;
  EXPECT_EQ(line.find("workers=0"), std::string::npos) << "shows the effective count: " << line;
}

TEST(Config, AdmissionOptionsAndTheirChecks) {
  int code = -1;
  const auto c = parse({"--queue-target-ms", "7", "--queue-interval-ms", "50",
                        "--max-queued-per-client", "9", "--max-tracked-clients", "3",
                        "--client-key", "header:X-Client-Id", "--worker-sched", "batch"},
                       code);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->queue_target.count(), 7);
  EXPECT_EQ(c->queue_interval.count(), 50);
  EXPECT_EQ(c->max_queued_per_client, 9u);
  EXPECT_EQ(c->max_tracked_clients, 3u);
  EXPECT_EQ(c->client_key, "header:X-Client-Id");
  EXPECT_EQ(c->worker_sched, "batch");
  EXPECT_FALSE(parse({"--client-key", "cookie"}, code));
  EXPECT_NE(code, 0);
  EXPECT_FALSE(parse({"--worker-sched", "fifo"}, code));
  EXPECT_NE(code, 0);
}

// SCHED_IDLE has no nice value: asking for both is refused at start, exit 2.
TEST(Config, IdleWorkersWithANiceValueAreRefused) {
  int code = -1;
  EXPECT_FALSE(parse({"--worker-sched", "idle", "--worker-nice", "5"}, code));
  EXPECT_EQ(code, 2);
  ::setenv("COROSERVE_WORKER_NICE", "5", 1);
  code = -1;
  const auto from_env = parse({"--worker-sched", "idle"}, code);
  ::unsetenv("COROSERVE_WORKER_NICE");
  EXPECT_FALSE(from_env);
  EXPECT_EQ(code, 2);
  code = -1;
  EXPECT_TRUE(parse({"--worker-sched", "idle"}, code));  // the default nice is not asked for
  EXPECT_EQ(code, 0);
  EXPECT_TRUE(parse({"--worker-sched", "batch", "--worker-nice", "5"}, code));
}

}  // namespace
}  // namespace coroserve
