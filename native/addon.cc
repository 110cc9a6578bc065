// The addon's entry: registers the kernel bindings (binding/bind_*.cc), and init (choose the
// ISA, adopt the caller's parameter block), setNumThreads and fmaPeak. Each kernel binding takes
// the typed arrays it works on (used in place, never copied) and reads its numbers from a shared
// Float64Array parameter block that src/backend/native.ts fills before the call: passing numbers
// that way keeps the per-call cost of small kernels low.
#include <napi.h>

#include <cstdlib>
#include <mutex>
#if defined(__unix__) || defined(__APPLE__)
#include <dlfcn.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <string>
#include <thread>

#include "binding/args.h"
#include "binding/bindings.h"
#include "cpu.h"
#include "kernels.h"
#include "pool.h"

namespace kotoba {
namespace binding {

thread_local const KernelTable* gTable = nullptr;
thread_local const double* gParams = nullptr;
std::mutex gCallMutex;

namespace {

struct EnvState {
  Napi::Reference<Napi::Float64Array> params;
};

Napi::Value Init(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsTypedArray() || !info[1].IsString()) {
    Napi::TypeError::New(env, "init(params: Float64Array, isa: string)").ThrowAsJavaScriptException();
    return env.Null();
  }
  auto params = info[0].As<Napi::Float64Array>();
  if (params.ElementLength() < kParamCount) {
    Napi::RangeError::New(env, "init: the parameter block is too small").ThrowAsJavaScriptException();
    return env.Null();
  }
  std::string error;
  const KernelTable* t = chooseTable(info[1].As<Napi::String>().Utf8Value(), &error);
  if (!t) {
    Napi::Error::New(env, error).ThrowAsJavaScriptException();
    return env.Null();
  }
  auto* state = env.GetInstanceData<EnvState>();
  if (!state) {
    state = new EnvState();
    env.SetInstanceData(state);  // deleted with the environment
  }
  state->params = Napi::Persistent(params);  // keeps the block (and so gParams) alive
  gTable = t;
  gParams = params.Data();
  Napi::Object r = Napi::Object::New(env);
  r.Set("isa", t->isa);
  r.Set("threads", poolThreads());
  return r;
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  std::lock_guard<std::mutex> lock(gCallMutex);
  const int n = info[0].As<Napi::Number>().Int32Value();
  if (n > 0) poolSetThreads(n);  // 0 only asks for the count
  return Napi::Number::New(info.Env(), poolThreads());
}

/** Runs the FMA-peak loop on every thread at once; returns the FLOPs done in total. */
Napi::Value FmaPeak(const Napi::CallbackInfo& info) {
  if (!ready(info)) return Napi::Value();
  std::lock_guard<std::mutex> lock(gCallMutex);
  const int64_t iters = static_cast<int64_t>(info[0].As<Napi::Number>().DoubleValue());
  const int threads = poolThreads();
  double flops[kMaxThreads] = {};
  const KernelTable* table = gTable;  // thread-local: read it here, not on the workers
  auto body = [&](int64_t t, int) { flops[t] = table->fmaPeak(iters); };
  parallelFor(threads, body);
  double total = 0;
  for (int i = 0; i < threads; i++) total += flops[i];
  return Napi::Number::New(info.Env(), total);
}

/**
 * Keeps this library loaded for the life of the process. Node unloads an addon when the last
 * environment that loaded it (e.g. a worker thread) goes away, but the thread pool's threads run
 * this library's code until the process ends: unloading it under them crashes them.
 */
void pinLibrary() {
#if defined(__unix__) || defined(__APPLE__)
  static std::once_flag once;
  std::call_once(once, [] {
    Dl_info info;
    if (dladdr(reinterpret_cast<void*>(&pinLibrary), &info) && info.dli_fname) dlopen(info.dli_fname, RTLD_NOW | RTLD_NODELETE);
  });
#endif
}

/**
 * Keeps memory that tensors free inside the process for the next tensors, as a caching allocator
 * does (PyTorch's CPU tuning guide suggests jemalloc or tcmalloc for the same reason). Tensors are
 * ArrayBuffers, which Node allocates with malloc; glibc serves the large ones with mmap and hands
 * them back to the OS when freed, so every training step faulted its activations and gradients
 * in again, a page at a time, the kernel zeroing each page: GPT-2 small, 4 x 128, 2 threads,
 * ~100k page faults and ~0.6 s of system time per 3.3 s step. From the heap instead (no mmap, no
 * trimming) a step reuses the previous step's memory: ~1k faults. Reused memory is not zero, so
 * this pays off together with outputs that are not zeroed (allocateUninitialized in
 * src/tensor/tensor.ts): both, ~5-7 % faster steps. The cost: the process keeps its peak heap
 * (glibc reuses it, the OS does not get it back).
 * KOTOBA_KEEP_FREED_MEMORY=0 leaves glibc's defaults.
 */
void keepFreedMemory() {
#if defined(__GLIBC__)
  static std::once_flag once;
  std::call_once(once, [] {
    const char* env = std::getenv("KOTOBA_KEEP_FREED_MEMORY");
    if (env && std::string(env) == "0") return;
    mallopt(M_MMAP_MAX, 0);                    // large blocks from the heap too, not from mmap
    mallopt(M_TRIM_THRESHOLD, 0x7fffffff);     // and the heap's free top is not given back
  });
#endif
}

Napi::Object Module(Napi::Env env, Napi::Object exports) {
  pinLibrary();
  keepFreedMemory();
  auto def = [&](const char* name, Napi::Function::Callback fn) { exports.Set(name, Napi::Function::New(env, fn, name)); };
  def("init", Init);
  def("setNumThreads", SetNumThreads);
  def("fmaPeak", FmaPeak);
  def("gemm", [](const Napi::CallbackInfo& i) -> Napi::Value { Gemm(i); return Napi::Value(); });
  def("packedBSize", PackedBSize);
  def("packB", [](const Napi::CallbackInfo& i) -> Napi::Value { PackB(i); return Napi::Value(); });
  def("attention", [](const Napi::CallbackInfo& i) -> Napi::Value { Attention(i); return Napi::Value(); });
  def("attentionBackward", [](const Napi::CallbackInfo& i) -> Napi::Value { AttentionBackward(i); return Napi::Value(); });
  def("softmax", [](const Napi::CallbackInfo& i) -> Napi::Value { Softmax(i); return Napi::Value(); });
  def("softmaxBackward", [](const Napi::CallbackInfo& i) -> Napi::Value { SoftmaxBackward(i); return Napi::Value(); });
  def("layerNorm", [](const Napi::CallbackInfo& i) -> Napi::Value { LayerNorm(i); return Napi::Value(); });
  def("layerNormBackward", [](const Napi::CallbackInfo& i) -> Napi::Value { LayerNormBackward(i); return Napi::Value(); });
  def("rmsNorm", [](const Napi::CallbackInfo& i) -> Napi::Value { RmsNorm(i); return Napi::Value(); });
  def("rmsNormBackward", [](const Napi::CallbackInfo& i) -> Napi::Value { RmsNormBackward(i); return Napi::Value(); });
  def("activation", [](const Napi::CallbackInfo& i) -> Napi::Value { Activation(i); return Napi::Value(); });
  def("activationBackward", [](const Napi::CallbackInfo& i) -> Napi::Value { ActivationBackward(i); return Napi::Value(); });
  def("crossEntropy", CrossEntropy);
  def("crossEntropyBackward", [](const Napi::CallbackInfo& i) -> Napi::Value { CrossEntropyBackward(i); return Napi::Value(); });
  def("adamw", [](const Napi::CallbackInfo& i) -> Napi::Value { AdamW(i); return Napi::Value(); });
  def("embedding", Embedding);
  def("binary", [](const Napi::CallbackInfo& i) -> Napi::Value { Binary(i); return Napi::Value(); });
  def("unary", [](const Napi::CallbackInfo& i) -> Napi::Value { Unary(i); return Napi::Value(); });
  def("where", [](const Napi::CallbackInfo& i) -> Napi::Value { Where(i); return Napi::Value(); });
  def("copy", [](const Napi::CallbackInfo& i) -> Napi::Value { Copy(i); return Napi::Value(); });
  def("reduce", Reduce);
  def("embeddingBackward", [](const Napi::CallbackInfo& i) -> Napi::Value { EmbeddingBackward(i); return Napi::Value(); });
  def("dropoutMask", [](const Napi::CallbackInfo& i) -> Napi::Value { DropoutMask(i); return Napi::Value(); });
  def("normalFill", NormalFill);
  // the default thread count is the machine's core count; KOTOBA_NUM_THREADS overrides it
  int threads = static_cast<int>(std::thread::hardware_concurrency());
  if (const char* env = std::getenv("KOTOBA_NUM_THREADS")) threads = std::atoi(env);
  poolSetThreads(threads > 0 ? threads : 1);
  return exports;
}

}  // namespace
}  // namespace binding
}  // namespace kotoba

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return kotoba::binding::Module(env, exports); }

NODE_API_MODULE(kotoba_native, InitModule)
