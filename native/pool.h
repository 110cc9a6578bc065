// A persistent thread pool shared by every kernel, and per-worker scratch memory.
#pragma once
#include <cstddef>
#include <cstdint>

namespace kotoba {

/** Number of threads kernels use (the calling thread included). */
int poolThreads();
/** Sets the thread count (>= 1); starts or stops workers as needed. */
void poolSetThreads(int n);

/**
 * Runs fn(ctx, task, worker) for every task in [0, tasks), spread over the pool; the calling
 * thread takes part as worker 0 and the call returns when every task is done. worker is in
 * [0, poolThreads()) and unique among concurrently running tasks (index scratch memory with it).
 * Called from inside a task, it runs the tasks inline on the current worker.
 */
void poolRun(int64_t tasks, void (*fn)(void* ctx, int64_t task, int worker), void* ctx);

/** The worker index of the calling thread inside poolRun (0 outside). */
int poolWorker();

/**
 * 64-byte aligned scratch floats for (worker, slot), at least `floats` long. Kept and reused
 * between calls (it only grows), so kernels allocate nothing in steady state.
 */
float* scratch(int worker, int slot, size_t floats);

constexpr int kScratchSlots = 6;

/**
 * With KOTOBA_SCRATCH_GUARD=1: worker * kScratchSlots + slot of the first scratch buffer found
 * written past its end, else -1 (always -1 without the guard).
 */
int scratchOverflow();

/** Below this many FLOPs a kernel runs on the calling thread: waking a worker costs more. */
constexpr double kParallelFlops = 2e6;
constexpr int kMaxThreads = 256;

template <class F>
inline void parallelFor(int64_t tasks, F& body) {
  poolRun(tasks, [](void* c, int64_t t, int w) { (*static_cast<F*>(c))(t, w); }, &body);
}

}  // namespace kotoba
