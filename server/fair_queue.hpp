#pragma once
// The worker pool's queue of CPU parts, fair between clients: clients take
// turns, one part a turn, so a request split into 64 parts is 64 turns of
// work and a client with 64 connections gets one client's share, not the
// pool. Within a client its parts run oldest first, or newest first while
// the pool sheds load (adaptive LIFO: under overload the newest request is
// the one whose client is still waiting for it).
//
// The table of clients holds only clients with parts waiting, and at most
// `max_clients` of them: past that, new keys share one bucket, so memory
// stays bounded whatever keys clients send.
//
// Not thread-safe: the worker pool holds its mutex around every call.
#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace coroserve {

template <class T>
class FairQueue {
 public:
  explicit FairQueue(std::size_t max_clients) : max_clients_(max_clients) {}

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Clients with parts waiting (the shared bucket counts as one).
  std::size_t clients() const { return turns_.size(); }

  // Parts waiting in the bucket that `key`'s next part would join.
  std::size_t queued(std::string_view key) const {
    const Bucket* b = find(key);
    return b == nullptr ? 0 : b->items.size();
  }

  // Parts that would run before a new part of `key`, taking turns: its own
  // backlog, and from every other client as many as it gets meanwhile.
  std::size_t ahead_of(std::string_view key) const {
    const Bucket* mine = find(key);
    const std::size_t own = mine == nullptr ? 0 : mine->items.size();
    std::size_t ahead = own;
    for (const Bucket* b : turns_) {
      if (b != mine) ahead += std::min(b->items.size(), own + 1);
    }
    return ahead;
  }

  void push(std::string_view key, T item) {
    Bucket& b = bucket(key);
    if (b.items.empty()) turns_.push_back(&b);  // joins the turns at the back
    b.items.push_back(std::move(item));
    ++size_;
  }

  // The next part: from the client whose turn it is, its oldest, or its
  // newest when `newest_first`. Precondition: !empty().
  T pop(bool newest_first) {
    return pop(newest_first, [](const T&) { return false; });
  }

  // The same, but newest first only while the client's oldest part is not
  // `overdue`: newest first serves the requests whose clients are surely
  // still waiting, and passes over the older ones; the bound keeps a part so
  // passed over from waiting without end while new parts keep arriving.
  template <class Overdue>
  T pop(bool newest_first, Overdue&& overdue) {
    Bucket* b = turns_.front();
    turns_.pop_front();
    T item = take(b->items, newest_first && !overdue(b->items.front()));
    --size_;
    if (b->items.empty()) {
      forget(*b);
    } else {
      turns_.push_back(b);  // its next part waits for the others' turns
    }
    return item;
  }

  // Empties the queue, oldest first within each client.
  std::vector<T> take_all() {
    std::vector<T> all;
    all.reserve(size_);
    while (!empty()) all.push_back(pop(false));
    return all;
  }

 private:
  struct Bucket {
    std::string_view key;  // the table's own copy of it; empty for the shared bucket
    std::deque<T> items;
  };

  static T take(std::deque<T>& items, bool newest_first) {
    T item = std::move(newest_first ? items.back() : items.front());
    if (newest_first) {
      items.pop_back();
    } else {
      items.pop_front();
    }
    return item;
  }

  // The bucket `key` uses: its own, or the shared one when the table is full.
  const Bucket* find(std::string_view key) const {
    if (auto it = table_.find(key); it != table_.end()) return &it->second;
    return table_.size() < max_clients_ ? nullptr : &shared_;
  }

  Bucket& bucket(std::string_view key) {
    if (auto it = table_.find(key); it != table_.end()) return it->second;
    if (table_.size() >= max_clients_) return shared_;
    auto it = table_.emplace(std::string(key), Bucket{}).first;
    it->second.key = it->first;  // a node's key never moves
    return it->second;
  }

  // A client with nothing waiting leaves the table.
  void forget(const Bucket& b) {
    if (&b != &shared_) table_.erase(table_.find(b.key));
  }

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::size_t max_clients_;
  std::unordered_map<std::string, Bucket, Hash, std::equal_to<>> table_;
  Bucket shared_;              // keys past max_clients_ share it
  std::deque<Bucket*> turns_;  // clients with parts waiting, in turn order
  std::size_t size_ = 0;
};

}  // namespace coroserve
