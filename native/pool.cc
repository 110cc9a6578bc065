#include "pool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define KOTOBA_PAUSE() _mm_pause()
#else
#define KOTOBA_PAUSE() ((void)0)
#endif

namespace kotoba {
namespace {

thread_local int tWorker = 0;
thread_local bool tInside = false;

struct Job {
  void (*fn)(void*, int64_t, int) = nullptr;
  void* ctx = nullptr;
  int64_t tasks = 0;
};

// Workers spin briefly after a job before sleeping: kernels come in bursts (thousands of small
// calls per training step) and a futex wake-up costs more than a small kernel.
// When the machine is oversubscribed, spinning steals the CPU from the thread we wait for, so
// waits yield after a short spin.
constexpr auto kSpin = std::chrono::microseconds(1000);
constexpr int kSpinsBeforeYield = 1024;

class Pool {
 public:
  ~Pool() { resize(1); }

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  void resize(int n) {
    if (n < 1) n = 1;
    if (n > kMaxThreads) n = kMaxThreads;
    if (n == threads()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
      generation_.fetch_add(1, std::memory_order_release);
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
    stop_ = false;
    // a worker starts from the generation current now, not when its thread gets going: a job
    // posted in between must not be missed
    const uint64_t start = generation_.load(std::memory_order_acquire);
    for (int i = 1; i < n; i++) workers_.emplace_back([this, i, start] { loop(i, start); });
  }

  void run(int64_t tasks, void (*fn)(void*, int64_t, int), void* ctx) {
    if (tasks <= 0) return;
    if (tasks == 1 || workers_.empty() || tInside) {
      bool was = tInside;
      tInside = true;
      for (int64_t t = 0; t < tasks; t++) fn(ctx, t, tWorker);
      tInside = was;
      return;
    }
    job_.fn = fn;
    job_.ctx = ctx;
    job_.tasks = tasks;
    next_.store(0, std::memory_order_relaxed);
    int helpers = static_cast<int>(workers_.size());
    if (tasks - 1 < helpers) helpers = static_cast<int>(tasks - 1);
    helpers_ = helpers;
    busy_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(mu_);
      generation_.fetch_add(1, std::memory_order_release);
    }
    if (sleepers_.load(std::memory_order_acquire) > 0) cv_.notify_all();
    tInside = true;
    work(0);
    tInside = false;
    for (int spins = 0; busy_.load(std::memory_order_acquire) != 0; spins++) {
      if (spins < kSpinsBeforeYield) KOTOBA_PAUSE();
      else std::this_thread::yield();
    }
  }

 private:
  void work(int worker) {
    for (;;) {
      int64_t t = next_.fetch_add(1, std::memory_order_relaxed);
      if (t >= job_.tasks) break;
      job_.fn(job_.ctx, t, worker);
    }
  }

  void loop(int worker, uint64_t seen) {
    tWorker = worker;
    for (;;) {
      // wait for a new generation: spin first, then sleep
      auto start = std::chrono::steady_clock::now();
      int spins = 0;
      while (generation_.load(std::memory_order_acquire) == seen) {
        if (++spins < kSpinsBeforeYield) KOTOBA_PAUSE();
        else std::this_thread::yield();
        if (spins % 256 == 0 && std::chrono::steady_clock::now() - start > kSpin) {
          std::unique_lock<std::mutex> lock(mu_);
          sleepers_.fetch_add(1, std::memory_order_acq_rel);
          cv_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
          sleepers_.fetch_sub(1, std::memory_order_acq_rel);
          break;
        }
      }
      seen = generation_.load(std::memory_order_acquire);
      if (stop_) return;
      if (worker <= helpers_) {
        tInside = true;
        work(worker);
        tInside = false;
      }
      busy_.fetch_sub(1, std::memory_order_acq_rel);
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> sleepers_{0};
  std::atomic<int64_t> next_{0};
  std::atomic<int> busy_{0};
  int helpers_ = 0;
  bool stop_ = false;
  Job job_;
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: workers must not outlive a destroyed pool at exit
  return *p;
}

struct Scratch {
  float* ptr = nullptr;
  size_t floats = 0;
};
Scratch gScratch[kMaxThreads][kScratchSlots];

// KOTOBA_SCRATCH_GUARD=1 (the test runner sets it): each scratch buffer is followed by a guard
// zone of a known bit pattern, checked whenever the buffer is handed out again; a kernel that
// wrote past its scratch memory is then reported (scratchOverflow) instead of corrupting the heap
// in silence.
constexpr size_t kGuardFloats = 4096;  // 16 KB: more than a block padded to whole micro-panels overruns
constexpr uint32_t kGuardBits = 0x7fc0beefu;  // a NaN no kernel computes
const bool gGuard = [] {
  const char* env = std::getenv("KOTOBA_SCRATCH_GUARD");
  return env && env[0] == '1';
}();
std::atomic<int> gOverflowAt{-1};  // worker * kScratchSlots + slot of the first overflow seen

void checkGuard(const Scratch& s, int worker, int slot) {
  if (!s.ptr) return;
  const uint32_t* g = reinterpret_cast<const uint32_t*>(s.ptr + s.floats);
  for (size_t i = 0; i < kGuardFloats; i++) {
    if (g[i] != kGuardBits) {
      int none = -1;
      gOverflowAt.compare_exchange_strong(none, worker * kScratchSlots + slot);
      return;
    }
  }
}

}  // namespace

int poolThreads() { return pool().threads(); }
void poolSetThreads(int n) { pool().resize(n); }
void poolRun(int64_t tasks, void (*fn)(void*, int64_t, int), void* ctx) { pool().run(tasks, fn, ctx); }
int poolWorker() { return tWorker; }

float* scratch(int worker, int slot, size_t floats) {
  Scratch& s = gScratch[worker][slot];
  if (gGuard) checkGuard(s, worker, slot);
  if (s.floats < floats) {
    std::free(s.ptr);
    const size_t guard = gGuard ? kGuardFloats : 0;
    size_t bytes = (((floats + guard) * sizeof(float) + 63) / 64) * 64;
    s.ptr = static_cast<float*>(std::aligned_alloc(64, bytes));
    s.floats = floats;
    uint32_t* g = reinterpret_cast<uint32_t*>(s.ptr + floats);
    for (size_t i = 0; i < guard; i++) g[i] = kGuardBits;
  }
  return s.ptr;
}

int scratchOverflow() { return gOverflowAt.load(std::memory_order_relaxed); }

}  // namespace kotoba
