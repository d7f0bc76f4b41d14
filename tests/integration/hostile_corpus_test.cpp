// The hostile-request corpus (tests/corpus/, made by make_corpus.py) sent to
// a real in-process server: every malformed or ambiguous request gets the
// answer its MANIFEST line expects, nothing hidden behind an ambiguous
// request is ever served (no smuggling), and the server keeps serving.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/raw_client.hpp"
#include "tests/support/test_server.hpp"

namespace coroserve::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

struct CorpusCase {
  std::string file;      // "012-rl-foo.http"
  std::string expect;    // "400/close", "100,200/open", "close"
  std::string category;  // for messages
  std::string note;
  std::string bug;    // non-empty: a known server bug, the case is DISABLED_
  std::string bytes;  // exactly what goes on the wire
};

// Failure messages name the case, not a byte dump of the struct.
void PrintTo(const CorpusCase& c, std::ostream* os) {
  *os << c.file;
}

// The corpus sits next to this file's directory; COROSERVE_CORPUS_DIR can
// point elsewhere (a copy of the tree, an extended corpus).
std::filesystem::path corpus_dir() {
  if (const char* dir = std::getenv("COROSERVE_CORPUS_DIR")) return dir;
  return std::filesystem::path(COROSERVE_SOURCE_DIR) / "tests" / "corpus";
}

std::string read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::vector<CorpusCase> load_corpus() {
  std::vector<CorpusCase> cases;
  std::ifstream manifest(corpus_dir() / "MANIFEST");
  std::string line;
  while (std::getline(manifest, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto f = split(line, '\t');
    if (f.size() < 4) continue;
    CorpusCase c{f[0], f[1], f[2], f[3], f.size() > 4 ? f[4] : "", ""};
    c.bytes = read_bytes(corpus_dir() / "cases" / c.file);
    cases.push_back(std::move(c));
  }
  return cases;
}

struct Expectation {
  std::vector<std::string> statuses;  // "400", or "4xx" for any client error
  bool close = false;                 // the server closes after them
};

Expectation parse_expectation(const std::string& e) {
  Expectation out;
  const auto slash = e.rfind('/');
  const std::string tail = slash == std::string::npos ? e : e.substr(slash + 1);
  out.close = tail == "close";
  if (slash != std::string::npos) out.statuses = split(e.substr(0, slash), ',');
  return out;
}

bool status_matches(const std::string& want, unsigned got) {
  if (want.size() == 3 && want.substr(1) == "xx") {
    return static_cast<unsigned>(want[0] - '0') == got / 100;
  }
  return std::to_string(got) == want;
}

// Short timeouts so the incomplete cases end quickly; the idle timeout is
// longer than any wait below, so a close we see is the server's verdict on
// the request, not an idle connection being reaped.
Config corpus_config() {
  Config c = test_config();
  c.header_timeout = 500ms;
  c.body_timeout = 500ms;
  c.idle_timeout = 3000ms;
  return c;
}

constexpr std::string_view kSentinel =
    "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";

// Sends one case and checks everything the MANIFEST promises. Uses EXPECT/
// ADD_FAILURE (not ASSERT) so it can run from helper threads too.
void check_case(std::uint16_t port, const CorpusCase& c) {
  SCOPED_TRACE(c.file + " (" + c.category + ": " + c.note + ")");
  const auto want = parse_expectation(c.expect);
  RawClient client(port);
  try {
    client.send(c.bytes);
  } catch (const std::exception&) {
    // The server may refuse early and reset; what it answered still counts.
  }
  bool saw_error = false;
  for (const auto& status : want.statuses) {
    std::optional<TestResponse> r;
    try {
      r = client.read_response(5s);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "unparseable response: " << e.what();
      return;
    }
    if (!r) {
      ADD_FAILURE() << "no response where " << status << " was expected";
      return;
    }
    const unsigned got = r->result_int();
    EXPECT_TRUE(status_matches(status, got)) << "expected " << status << ", got " << got << "\n"
                                             << r->body();
    // The smuggling rule, stated on its own: once framing was refused,
    // nothing else on that connection may succeed.
    if (saw_error) {
      EXPECT_FALSE(got >= 200 && got < 300) << "a 2xx after an error: smuggled";
    }
    if (got >= 400) {
      saw_error = true;
      EXPECT_EQ((*r)[http::field::content_type], "application/json");
      boost::system::error_code ec;
      auto body = boost::json::parse(r->body(), ec);
      EXPECT_FALSE(ec) << r->body();
      if (!ec && body.is_object() && body.as_object().contains("status")) {
        EXPECT_EQ(body.at("status").as_int64(), got);
      }
    }
  }
  if (want.close) {
    // Promptly closed, and nothing more on the wire: no answer to whatever
    // hid behind the request. With no answer expected at all, the idle
    // timeout is what closes it.
    const auto wait = want.statuses.empty() ? 6s : 1s;
    std::optional<TestResponse> extra;
    try {
      extra = client.read_response(wait);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "garbage after the expected answers: " << e.what();
    }
    EXPECT_FALSE(extra) << "an extra response " << extra->result_int() << " was served";
    EXPECT_TRUE(client.closed_by_server(100ms)) << "the connection was not closed";
  } else {
    // In step: the next request on this connection gets the next answer. A
    // smuggled request's answer would arrive here instead.
    try {
      client.send(kSentinel);
      auto r = client.read_response(5s);
      if (!r) {
        ADD_FAILURE() << "the connection did not answer a request sent after the case";
      } else {
        EXPECT_EQ(r->result_int(), 200u);
        EXPECT_EQ(r->body(), "{\"status\":\"ok\"}\n") << "not the sentinel's answer";
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << "sentinel: " << e.what();
    }
  }
}

void check_still_serving(std::uint16_t port) {
  auto r = http_get(port, "/plaintext");
  EXPECT_EQ(r.result(), http::status::ok);
  EXPECT_EQ(r.body(), "Hello, World!");
}

class HostileCorpus : public ::testing::TestWithParam<CorpusCase> {
 protected:
  TestServer server{corpus_config()};
};

TEST_P(HostileCorpus, GetsTheExpectedAnswerAndTheServerKeepsServing) {
  check_case(server.port(), GetParam());
  check_still_serving(server.port());
}

// gtest names: letters, digits and '_' only. A known bug's case is DISABLED_,
// so it stays listed (and runnable with --gtest_also_run_disabled_tests).
std::string case_name(const ::testing::TestParamInfo<CorpusCase>& info) {
  std::string name = info.param.bug.empty() ? "c" : "DISABLED_c";
  for (char ch : info.param.file.substr(0, info.param.file.rfind('.'))) {
    name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, HostileCorpus, ::testing::ValuesIn(load_corpus()), case_name);

TEST(HostileCorpusFile, HasAtLeastSixtyCasesInEveryCategory) {
  const auto cases = load_corpus();
  ASSERT_GE(cases.size(), 60u) << "corpus not found in " << corpus_dir();
  std::map<std::string, int> per_category;
  for (const auto& c : cases) {
    ++per_category[c.category];
    EXPECT_FALSE(c.bytes.empty() && c.expect != "close") << c.file << " is empty";
  }
  for (const char* cat : {"request-line", "version", "header-syntax", "control-bytes",
                          "content-length", "transfer-encoding", "chunked", "trailers",
                          "size-limits", "target-form", "expect", "smuggling", "incomplete"}) {
    EXPECT_GE(per_category[cat], 1) << "no case for " << cat;
  }
}

// The whole corpus, one case after another, against one server: no case
// leaves state behind that changes how the next is handled.
TEST(HostileCorpusOneServer, EveryCaseInTurnThenTheServerStillServes) {
  TestServer server{corpus_config()};
  for (const auto& c : load_corpus()) {
    if (!c.bug.empty()) continue;
    check_case(server.port(), c);
  }
  check_still_serving(server.port());
  const auto stats = server.server().pool_stats();
  EXPECT_EQ(stats.failed, 0u);
}

// Hostile clients and an honest one at the same time: every answer the honest
// keep-alive client gets is right, however the others misbehave.
TEST(HostileCorpusOneServer, AnHonestClientIsUndisturbedByConcurrentHostileOnes) {
  TestServer server{corpus_config()};
  std::vector<CorpusCase> cases;
  for (auto& c : load_corpus()) {
    // The waits of the incomplete cases only slow this test down.
    if (c.bug.empty() && c.category != "incomplete") cases.push_back(std::move(c));
  }
  std::atomic<bool> done{false};
  constexpr int kThreads = 4;
  std::vector<std::thread> hostile;
  for (int t = 0; t < kThreads; ++t) {
    hostile.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < cases.size(); i += kThreads) {
        check_case(server.port(), cases[i]);
      }
    });
  }
  std::thread watcher([&] {
    for (auto& h : hostile) h.join();
    done = true;
  });
  int served = 0;
  {
    RawClient honest(server.port());
    // No ASSERT in this loop: returning early would leave threads joinable.
    while (!done) {
      honest.send(get_request("/plaintext"));
      auto r = honest.read_response(5s);
      if (!r || r->body() != "Hello, World!") {
        ADD_FAILURE() << "the honest client's request " << served << " went wrong";
        break;
      }
      ++served;
    }
  }
  watcher.join();
  EXPECT_GT(served, 0);
  check_still_serving(server.port());
}

// Error details quote what the client sent, percent-decoded. Regression
// tests for two bugs this work found: raw decoded bytes made "?%ff=1" answer
// a body that is not valid UTF-8 (strict JSON parsers refuse it), and the
// detail, kept only in std::runtime_error::what(), was cut at a NUL.
TEST(HostileErrors, ErrorBodiesAreValidUtf8JsonWhateverTheQueryHolds) {
  TestServer server;
  for (const char* target : {"/cpu/primes?%ff=1", "/cpu/primes?n=%ff", "/cpu/primes?where=%c3"}) {
    auto r = http_get(server.port(), target);
    EXPECT_EQ(r.result_int(), 400u) << target;
    boost::system::error_code ec;
    boost::json::parse(r.body(), ec);  // validates UTF-8
    EXPECT_FALSE(ec) << target << ": " << r.body();
  }
}

TEST(HostileErrors, ErrorDetailIsNotCutAtANul) {
  TestServer server;
  auto r = http_get(server.port(), "/cpu/primes?n=%00");
  EXPECT_EQ(r.result_int(), 400u);
  auto detail = boost::json::parse(r.body()).at("detail").as_string();
  EXPECT_NE(std::string_view(detail).find("allowed: 0..2000000000"), std::string_view::npos)
      << r.body();
}

}  // namespace
}  // namespace coroserve::test
