// Bindings of the strided elementwise kernels (strided.h): binary ops, unary math, where,
// copy, reductions. Parameter block: op, nd, shape[8] at 2, p0/dstOffset at 10, p1 at 11,
// kept dims at 12, then for operand o an offset and 8 strides at 16 + 9 o.
#include "binding/args.h"
#include "binding/bindings.h"
#include "strided.h"

namespace kotoba {
namespace binding {

constexpr int kStridedBase = 16;

static /** Reads the shape and the operands (arguments 0..nops-1; the first may be int32 when firstInt is given). */
bool stridedArgs(const Napi::CallbackInfo& info, int nops, StridedShape* s, Operand* ops, size_t outLen, bool* firstInt = nullptr) {
  s->nd = static_cast<int>(I(1));
  if (s->nd < 0 || s->nd > kMaxDims) {
    napi_throw_range_error(info.Env(), nullptr, "kotoba native: too many dims for a strided kernel");
    return false;
  }
  double n = 1;
  for (int d = 0; d < s->nd; d++) { s->shape[d] = I(2 + d); n *= static_cast<double>(s->shape[d]); }
  for (int o = 0; o < nops; o++) {
    Arr<const float> a;
    if (!rawArg(info, o, o == 0 && firstInt, &a, o == 0 ? firstInt : nullptr)) return false;
    const int at = kStridedBase + 9 * o;
    double last = P(at);
    for (int d = 0; d < s->nd; d++) {
      ops[o].strides[d] = I(at + 1 + d);
      if (s->shape[d] > 0) last += static_cast<double>(s->shape[d] - 1) * static_cast<double>(ops[o].strides[d]);
    }
    if (n > 0 && !fits(info, a, last + 1, "strided operand")) return false;
    ops[o].p = a.p + I(at);
  }
  if (n > static_cast<double>(outLen)) {
    napi_throw_range_error(info.Env(), nullptr, "kotoba native: the output of a strided kernel is too short");
    return false;
  }
  return true;
}

// binary(a, b, out): out is a Float32Array, or an Int32Array for comparisons (0/1 masks)
void Binary(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  StridedShape s; Operand ops[2]; float* out; size_t len;
  if (!outArg(info, 2, &out, &len) || !stridedArgs(info, 2, &s, ops, len)) return;
  napi_typedarray_type type;
  napi_get_typedarray_info(info.Env(), info[2], &type, nullptr, nullptr, nullptr, nullptr);
  const int op = static_cast<int>(P(0));
  const bool intOut = type == napi_int32_array;
  if (intOut && op < B_EQ) {
    napi_throw_type_error(info.Env(), nullptr, "kotoba native: only comparisons write an Int32Array");
    return;
  }
  std::lock_guard<std::mutex> lock(gCallMutex);
  stridedBinary(op, s, ops[0], ops[1], out, intOut);
}

// unary(x, out)
void Unary(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  StridedShape s; Operand ops[1]; float* out; size_t len;
  if (!outArg(info, 1, &out, &len) || !stridedArgs(info, 1, &s, ops, len)) return;
  std::lock_guard<std::mutex> lock(gCallMutex);
  stridedUnary(static_cast<int>(P(0)), s, ops[0], static_cast<float>(P(10)), static_cast<float>(P(11)), out);
}

// where(cond, a, b, out): cond a Float32Array or an Int32Array mask
void Where(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  StridedShape s; Operand ops[3]; float* out; size_t len;
  bool condInt = false;
  if (!outArg(info, 3, &out, &len) || !stridedArgs(info, 3, &s, ops, len, &condInt)) return;
  std::lock_guard<std::mutex> lock(gCallMutex);
  stridedWhere(s, ops[0], condInt, ops[1], ops[2], out);
}

// copy(x, out): x may be a Float32Array or an Int32Array (the bits are moved); out likewise
void Copy(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  StridedShape s; Operand ops[1]; float* out; size_t len;
  if (!outArg(info, 1, &out, &len)) return;
  // accept an Int32Array source: read it as raw 4-byte elements
  napi_typedarray_type type;
  void* data = nullptr;
  size_t srcLen = 0;
  if (napi_get_typedarray_info(info.Env(), info[0], &type, &srcLen, &data, nullptr, nullptr) != napi_ok ||
      (type != napi_float32_array && type != napi_int32_array)) {
    napi_throw_type_error(info.Env(), nullptr, "kotoba native: copy needs a Float32Array or Int32Array");
    return;
  }
  s.nd = static_cast<int>(I(1));
  if (s.nd < 0 || s.nd > kMaxDims) return;
  double n = 1, last = P(kStridedBase);
  for (int d = 0; d < s.nd; d++) {
    s.shape[d] = I(2 + d);
    ops[0].strides[d] = I(kStridedBase + 1 + d);
    n *= static_cast<double>(s.shape[d]);
    if (s.shape[d] > 0) last += static_cast<double>(s.shape[d] - 1) * static_cast<double>(ops[0].strides[d]);
  }
  if (n > 0 && (last + 1 > static_cast<double>(srcLen) || n + P(10) > static_cast<double>(len))) {
    napi_throw_range_error(info.Env(), nullptr, "kotoba native: copy out of bounds");
    return;
  }
  ops[0].p = static_cast<const float*>(data) + I(kStridedBase);
  std::lock_guard<std::mutex> lock(gCallMutex);
  stridedCopy(s, ops[0], out + I(10));  // P[10]: the destination offset
}

// reduce(x, out): P[12] = kept dims; returns false for max/min over an empty dim
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  if (!ready(info)) return Napi::Value();
  StridedShape s; Operand ops[1]; float* out; size_t len;
  if (!outArg(info, 1, &out, &len) || !stridedArgs(info, 1, &s, ops, static_cast<size_t>(-1))) return Napi::Value();
  const int kept = static_cast<int>(I(12));
  double outer = 1;
  for (int d = 0; d < kept && d < s.nd; d++) outer *= static_cast<double>(s.shape[d]);
  if (kept < 0 || kept > s.nd || outer > static_cast<double>(len)) {
    napi_throw_range_error(info.Env(), nullptr, "kotoba native: reduce output too short");
    return Napi::Value();
  }
  const int op = static_cast<int>(P(0));
  std::lock_guard<std::mutex> lock(gCallMutex);
  const bool ok = stridedReduce(op, s, kept, ops[0], out, reinterpret_cast<int32_t*>(out));
  return Napi::Boolean::New(info.Env(), ok);
}

}  // namespace binding
}  // namespace kotoba
