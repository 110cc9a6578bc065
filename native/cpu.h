// Picks the kernel table at load: the best the CPU (and OS) supports, or a lower one on request.
#pragma once
#include <string>
#include "kernels.h"

namespace kotoba {

struct CpuSupport {
  bool avx2fma;
  bool avx512;
};

CpuSupport detectCpu();

/**
 * The kernel table for `request` ("" or "auto": the best available; "avx512", "avx2", "scalar").
 * On failure returns null and sets *error (e.g. asking for avx512 on a CPU without it).
 */
const KernelTable* chooseTable(const std::string& request, std::string* error);

}  // namespace kotoba
