// Shared by the binding files: reading typed-array arguments (in place: the data pointer
// N-API gives, never a copy), checking their lengths, and the per-thread parameter block.
#pragma once
#include <napi.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <utility>

#include "kernels.h"
#include "pool.h"

namespace kotoba {
namespace binding {

constexpr size_t kParamCount = 128;  // doubles in the parameter block

// Per JS thread (the main thread and each worker_threads Worker load the addon into their own
// environment and call init): the kernel table and the parameter block's memory. The block is
// kept alive by a reference owned by the environment's instance data.
extern thread_local const KernelTable* gTable;
extern thread_local const double* gParams;
// The pool and scratch memory are per process: calls from several JS threads (worker_threads) take turns.
extern std::mutex gCallMutex;

/** Throws unless init() ran on this thread. */
inline bool ready(const Napi::CallbackInfo& info) {
  if (const int at = scratchOverflow(); at >= 0) {  // only with KOTOBA_SCRATCH_GUARD=1 (tests)
    const std::string msg = "kotoba native: a kernel wrote past its scratch memory (worker " + std::to_string(at / kScratchSlots) +
                            ", slot " + std::to_string(at % kScratchSlots) + ")";
    napi_throw_error(info.Env(), nullptr, msg.c_str());
    return false;
  }
  if (gParams && gTable) return true;
  napi_throw_error(info.Env(), nullptr, "kotoba native: init() was not called on this thread");
  return false;
}

template <class T>
struct Arr {
  T* p = nullptr;
  size_t len = 0;
};

inline napi_typedarray_type typeOf(float*) { return napi_float32_array; }
inline napi_typedarray_type typeOf(const float*) { return napi_float32_array; }
inline napi_typedarray_type typeOf(int32_t*) { return napi_int32_array; }
inline napi_typedarray_type typeOf(const int32_t*) { return napi_int32_array; }
inline napi_typedarray_type typeOf(uint32_t*) { return napi_uint32_array; }

/** Argument i as a typed array of T, or {null, 0} for null/undefined when optional. Throws on a wrong type. */
template <class T>
bool arg(const Napi::CallbackInfo& info, size_t i, Arr<T>* out, bool optional = false) {
  napi_env env = info.Env();
  napi_value v = info[i];
  napi_valuetype vt;
  napi_typeof(env, v, &vt);
  if (optional && (vt == napi_null || vt == napi_undefined)) return true;
  napi_typedarray_type type;
  void* data = nullptr;
  size_t length = 0;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok || type != typeOf(out->p)) {
    napi_throw_type_error(env, nullptr, ("kotoba native: argument " + std::to_string(i) + " has the wrong array type").c_str());
    return false;
  }
  out->p = static_cast<T*>(data);  // already adjusted by the view's byte offset
  out->len = length;
  return true;
}

/** Throws a RangeError unless `need` elements fit in the array. */
template <class T>
bool fits(const Napi::CallbackInfo& info, const Arr<T>& a, double need, const char* what) {
  if (need <= static_cast<double>(a.len)) return true;
  napi_throw_range_error(info.Env(), nullptr,
                         (std::string("kotoba native: ") + what + " needs " + std::to_string(static_cast<int64_t>(need)) +
                          " elements but the array has " + std::to_string(a.len)).c_str());
  return false;
}

inline double P(int i) { return gParams[i]; }
inline int64_t I(int i) { return static_cast<int64_t>(gParams[i]); }

/** One past the last element a strided block touches: offset + sum (extent_d - 1) * stride_d + 1 (0 if empty). */
inline double extent(double offset, std::initializer_list<std::pair<int64_t, int64_t>> dims) {
  double last = offset;
  for (auto [n, s] : dims) {
    if (n <= 0) return 0;
    last += static_cast<double>(n - 1) * static_cast<double>(s < 0 ? 0 : s);
  }
  return last + 1;
}

/** Operand i as 4-byte elements: a Float32Array, or an Int32Array when allowInt (sets *isInt). */
inline bool rawArg(const Napi::CallbackInfo& info, size_t i, bool allowInt, Arr<const float>* out, bool* isInt) {
  napi_typedarray_type type;
  void* data = nullptr;
  size_t length = 0;
  if (napi_get_typedarray_info(info.Env(), info[i], &type, &length, &data, nullptr, nullptr) != napi_ok ||
      !(type == napi_float32_array || (allowInt && type == napi_int32_array))) {
    napi_throw_type_error(info.Env(), nullptr, ("kotoba native: argument " + std::to_string(i) + " has the wrong array type").c_str());
    return false;
  }
  out->p = static_cast<const float*>(data);
  out->len = length;
  if (isInt) *isInt = type == napi_int32_array;
  return true;
}

/** The output array (argument i) as raw 4-byte elements: float32 or int32. */
inline bool outArg(const Napi::CallbackInfo& info, size_t i, float** p, size_t* len) {
  napi_typedarray_type type;
  void* data = nullptr;
  if (napi_get_typedarray_info(info.Env(), info[i], &type, len, &data, nullptr, nullptr) != napi_ok ||
      (type != napi_float32_array && type != napi_int32_array)) {
    napi_throw_type_error(info.Env(), nullptr, "kotoba native: the output must be a Float32Array or Int32Array");
    return false;
  }
  *p = static_cast<float*>(data);
  return true;
}

}  // namespace binding
}  // namespace kotoba
