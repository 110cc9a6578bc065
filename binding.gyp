{
  # The native kernels (native/): one shared addon, with the AVX-512 and AVX2 paths in their own
  # translation units compiled with their own -m flags, so that it loads on any x86-64 CPU and
  # picks a path by cpuid at load (native/cpu.cc).
  "targets": [
    {
      "target_name": "kotoba_native",
      "sources": [
        "native/addon.cc",
        "native/binding/bind_dense.cc",
        "native/binding/bind_strided.cc",
        "native/cpu.cc",
        "native/pool.cc",
        "native/random.cc",
        "native/strided.cc",
        "native/isa_scalar.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "native"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc!": ["-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-O3", "-fno-math-errno", "-Wall", "-Wno-unused-function"],
      "ldflags": ["-pthread"],
      "libraries": ["-ldl"],
      "conditions": [
        ["target_arch=='x64'", {
          "dependencies": ["kotoba_avx2", "kotoba_avx512"]
        }]
      ]
    }
  ],
  "conditions": [
    ["target_arch=='x64'", {
      "targets": [
        {
          "target_name": "kotoba_avx2",
          "type": "static_library",
          "sources": ["native/isa_avx2.cc"],
          "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native"],
          "cflags_cc!": ["-std=gnu++17"],
          "cflags_cc": ["-std=c++17", "-O3", "-fno-math-errno", "-mavx2", "-mfma", "-Wall", "-Wno-unused-function"]
        },
        {
          "target_name": "kotoba_avx512",
          "type": "static_library",
          "sources": ["native/isa_avx512.cc"],
          "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native"],
          "cflags_cc!": ["-std=gnu++17"],
          "cflags_cc": ["-std=c++17", "-O3", "-fno-math-errno", "-mavx512f", "-mavx512bw", "-mavx512vl", "-mavx512dq", "-mfma", "-mavx2", "-Wall", "-Wno-unused-function", "-Wno-uninitialized", "-Wno-maybe-uninitialized"]
        }
      ]
    }]
  ]
}
