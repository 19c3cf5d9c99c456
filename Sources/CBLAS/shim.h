// OpenBLAS's CBLAS interface (pkg-config `openblas` puts cblas.h on the include path).
#include <cblas.h>

/// OpenBLAS thread control, declared here so Swift sees it whatever the cblas.h version.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

#include <malloc.h>

#if defined(__x86_64__)
#include <cpuid.h>

/// 1 when the CPU and the OS support the x86-64-v3 instruction set the AVX2 Swift kernels
/// (Sources/TensorKernelsAVX2, compiled for Haswell) may use: AVX, AVX2, FMA, F16C, BMI1/2,
/// LZCNT, MOVBE, POPCNT, with the YMM registers saved on context switch; else 0.
static inline int hybridsign_has_avx2(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    // FMA (12), MOVBE (22), POPCNT (23), OSXSAVE (27), AVX (28), F16C (29).
    const unsigned needed1 = (1u << 12) | (1u << 22) | (1u << 23) | (1u << 27) | (1u << 28) | (1u << 29);
    if ((c & needed1) != needed1) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0x6) != 0x6) return 0;  // XMM and YMM state enabled by the OS
    if (!__get_cpuid(0x80000001, &a, &b, &c, &d) || !(c & (1u << 5))) return 0;  // LZCNT
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    // BMI1 (3), AVX2 (5), BMI2 (8).
    const unsigned needed7 = (1u << 3) | (1u << 5) | (1u << 8);
    return (b & needed7) == needed7 ? 1 : 0;
}

/// 1 when the CPU and the OS support the x86-64-v4 instruction set the AVX-512 Swift kernels
/// (Sources/TensorKernels) are compiled for: everything `hybridsign_has_avx2` checks plus
/// AVX-512 F/CD/BW/DQ/VL, with the AVX-512 registers saved on context switch; else 0.
static inline int hybridsign_has_avx512(void) {
    if (!hybridsign_has_avx2()) return 0;
    unsigned a, b, c, d;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xE6) != 0xE6) return 0;  // XMM, YMM, opmask, ZMM state enabled by the OS
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    // AVX512F (16), DQ (17), CD (28), BW (30), VL (31).
    const unsigned needed = (1u << 16) | (1u << 17) | (1u << 28) | (1u << 30) | (1u << 31);
    return (b & needed) == needed ? 1 : 0;
}

/// 1 when `hybridsign_has_avx512` holds and the CPU has AVX512_BF16 (`vdpbf16ps`, which the
/// bfloat16 products of Sources/BFloat16Kernels run on); else 0.
static inline int hybridsign_has_avx512_bf16(void) {
    if (!hybridsign_has_avx512()) return 0;
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 1, &a, &b, &c, &d)) return 0;
    return (a & (1u << 5)) ? 1 : 0;  // AVX512_BF16
}
#else
/// Not x86-64: the x86 kernels are never called.
static inline int hybridsign_has_avx2(void) { return 0; }
static inline int hybridsign_has_avx512(void) { return 0; }
static inline int hybridsign_has_avx512_bf16(void) { return 0; }
#endif

/// Keeps freed memory in the process instead of returning it to the kernel: large blocks come from
/// the heap rather than fresh mmaps, so re-allocating a big tensor does not page-fault every page.
/// One arena for every thread: a thread's own arena is a set of mmapped 64 MB heaps that glibc
/// unmaps as they empty, so tensors made on a worker thread would page-fault afresh each time.
/// (The arena limit binds only threads that have not allocated yet: call this first thing.)
static inline void hybridsign_keep_freed_memory(void) {
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, 0x7fffffff);
}

/// Returns the freed memory at the top of the heap to the kernel (after a training run).
static inline void hybridsign_release_freed_memory(void) {
    malloc_trim(0);
}
