#include "cpu.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace kotoba {

#if defined(__x86_64__) || defined(__i386__)
static uint64_t xgetbv0() {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

CpuSupport detectCpu() {
  CpuSupport s{false, false};
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return s;
  const bool fma = c & (1u << 12), osxsave = c & (1u << 27), avx = c & (1u << 28);
  if (!osxsave || !avx) return s;
  // The OS must save the vector state too (XCR0): YMM for AVX, opmask + ZMM for AVX-512.
  // Virtual machines may report AVX-512 in cpuid yet leave it off in XCR0.
  const uint64_t xcr0 = xgetbv0();
  const bool osYmm = (xcr0 & 0x6) == 0x6, osZmm = (xcr0 & 0xe6) == 0xe6;
  if (__get_cpuid_max(0, nullptr) < 7) return s;
  __cpuid_count(7, 0, a, b, c, d);
  const bool avx2 = b & (1u << 5), avx512f = b & (1u << 16), avx512bw = b & (1u << 30), avx512vl = b & (1u << 31),
             avx512dq = b & (1u << 17);
  s.avx2fma = osYmm && avx2 && fma;
  s.avx512 = s.avx2fma && osZmm && avx512f && avx512bw && avx512vl && avx512dq;
  return s;
}
#else
CpuSupport detectCpu() { return CpuSupport{false, false}; }
#endif

const KernelTable* chooseTable(const std::string& request, std::string* error) {
  const CpuSupport s = detectCpu();
  if (request.empty() || request == "auto") {
    if (s.avx512) return tableAvx512();
    if (s.avx2fma) return tableAvx2();
    return tableScalar();
  }
  if (request == "scalar") return tableScalar();
  if (request == "avx2") {
    if (s.avx2fma) return tableAvx2();
    *error = "KOTOBA_ISA=avx2 but this CPU lacks AVX2+FMA";
    return nullptr;
  }
  if (request == "avx512") {
    if (s.avx512) return tableAvx512();
    *error = "KOTOBA_ISA=avx512 but this CPU (or its OS) does not enable AVX-512";
    return nullptr;
  }
  *error = "KOTOBA_ISA must be avx512, avx2 or scalar, not '" + request + "'";
  return nullptr;
}

}  // namespace kotoba

#if !(defined(__x86_64__) || defined(__i386__))
namespace kotoba {
// the x86 vector paths are not built on other architectures
const KernelTable* tableAvx512() { return nullptr; }
const KernelTable* tableAvx2() { return nullptr; }
}  // namespace kotoba
#endif
