// A row-major product with the right operand transposed, Y = X·Wᵀ (+ Y), for few rows (M ≲ 512):
// the shape of a linear layer at inference, where OpenBLAS spends as long packing W (on every call)
// as multiplying. Each output is a dot product of a row of X and a row of W, so neither operand is
// packed: a 4 × 6 tile keeps 24 AVX-512 accumulators in registers and reads 6 rows of W (12 KB at
// K = 512, L1-resident) against all of X (L2-resident) before moving to the next 6 rows of W, so
// W streams from memory exactly once.
#ifndef HYBRIDSIGN_GEMM_XWT_H
#define HYBRIDSIGN_GEMM_XWT_H

#include <cpuid.h>
#include <immintrin.h>

#define HYBRIDSIGN_AVX512 __attribute__((target("avx512f,avx512dq,fma")))

/// 1 when the CPU and the OS support AVX-512F/DQ (registers saved on context switch), else 0.
static inline int hybridsign_has_avx512(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0;  // OSXSAVE
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xE6) != 0xE6) return 0;  // XMM, YMM, opmask, ZMM state enabled by the OS
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & (1u << 16)) && (b & (1u << 17)) ? 1 : 0;  // AVX512F, AVX512DQ
}

// Tiles are written out (no loops over accumulator arrays): the importer's code generation does
// not reliably unroll such loops, and accumulators spilled to the stack halve the speed.
#define HS_LOAD(ptr, masked, mask) ((masked) ? _mm512_maskz_loadu_ps((mask), (ptr)) : _mm512_loadu_ps(ptr))

/// A 4 × 6 tile: rows x[0..3], columns w[0..5], over the whole K.
static inline __attribute__((always_inline)) HYBRIDSIGN_AVX512
void hybridsign_xwt_tile4x6(int k, const float *x, long ldx, const float *w, long ldw, float *y, long ldy, int accumulate) {
    __m512 a00 = _mm512_setzero_ps(), a01 = a00, a02 = a00, a03 = a00, a04 = a00, a05 = a00;
    __m512 a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00, a15 = a00;
    __m512 a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00, a25 = a00;
    __m512 a30 = a00, a31 = a00, a32 = a00, a33 = a00, a34 = a00, a35 = a00;
    for (int p = 0; p < k; p += 16) {
        int masked = p + 16 > k;
        __mmask16 mask = masked ? (__mmask16)((1u << (k - p)) - 1) : (__mmask16)0xFFFF;
        __m512 w0 = HS_LOAD(w + p, masked, mask), w1 = HS_LOAD(w + ldw + p, masked, mask);
        __m512 w2 = HS_LOAD(w + 2 * ldw + p, masked, mask), w3 = HS_LOAD(w + 3 * ldw + p, masked, mask);
        __m512 w4 = HS_LOAD(w + 4 * ldw + p, masked, mask), w5 = HS_LOAD(w + 5 * ldw + p, masked, mask);
#define HS_ROW(r) { __m512 xv = HS_LOAD(x + r * ldx + p, masked, mask); \
        a##r##0 = _mm512_fmadd_ps(xv, w0, a##r##0); a##r##1 = _mm512_fmadd_ps(xv, w1, a##r##1); \
        a##r##2 = _mm512_fmadd_ps(xv, w2, a##r##2); a##r##3 = _mm512_fmadd_ps(xv, w3, a##r##3); \
        a##r##4 = _mm512_fmadd_ps(xv, w4, a##r##4); a##r##5 = _mm512_fmadd_ps(xv, w5, a##r##5); }
        HS_ROW(0) HS_ROW(1) HS_ROW(2) HS_ROW(3)
#undef HS_ROW
    }
#define HS_STORE(r, c) { float s = _mm512_reduce_add_ps(a##r##c); float *o = y + r * ldy + c; *o = accumulate ? *o + s : s; }
#define HS_STORE_ROW(r) HS_STORE(r, 0) HS_STORE(r, 1) HS_STORE(r, 2) HS_STORE(r, 3) HS_STORE(r, 4) HS_STORE(r, 5)
    HS_STORE_ROW(0) HS_STORE_ROW(1) HS_STORE_ROW(2) HS_STORE_ROW(3)
#undef HS_STORE_ROW
}

/// A 1 × 6 tile (the rows left over after the 4-row tiles).
static inline __attribute__((always_inline)) HYBRIDSIGN_AVX512
void hybridsign_xwt_tile1x6(int k, const float *x, const float *w, long ldw, float *y, int accumulate) {
    __m512 a00 = _mm512_setzero_ps(), a01 = a00, a02 = a00, a03 = a00, a04 = a00, a05 = a00;
    for (int p = 0; p < k; p += 16) {
        int masked = p + 16 > k;
        __mmask16 mask = masked ? (__mmask16)((1u << (k - p)) - 1) : (__mmask16)0xFFFF;
        __m512 xv = HS_LOAD(x + p, masked, mask);
        a00 = _mm512_fmadd_ps(xv, HS_LOAD(w + p, masked, mask), a00);
        a01 = _mm512_fmadd_ps(xv, HS_LOAD(w + ldw + p, masked, mask), a01);
        a02 = _mm512_fmadd_ps(xv, HS_LOAD(w + 2 * ldw + p, masked, mask), a02);
        a03 = _mm512_fmadd_ps(xv, HS_LOAD(w + 3 * ldw + p, masked, mask), a03);
        a04 = _mm512_fmadd_ps(xv, HS_LOAD(w + 4 * ldw + p, masked, mask), a04);
        a05 = _mm512_fmadd_ps(xv, HS_LOAD(w + 5 * ldw + p, masked, mask), a05);
    }
    long ldy = 0;
    HS_STORE(0, 0) HS_STORE(0, 1) HS_STORE(0, 2) HS_STORE(0, 3) HS_STORE(0, 4) HS_STORE(0, 5)
}

/// A 4 × 1 tile (the columns left over after the 6-column tiles).
static inline __attribute__((always_inline)) HYBRIDSIGN_AVX512
void hybridsign_xwt_tile4x1(int k, const float *x, long ldx, const float *w, float *y, long ldy, int accumulate) {
    __m512 a00 = _mm512_setzero_ps(), a10 = a00, a20 = a00, a30 = a00;
    for (int p = 0; p < k; p += 16) {
        int masked = p + 16 > k;
        __mmask16 mask = masked ? (__mmask16)((1u << (k - p)) - 1) : (__mmask16)0xFFFF;
        __m512 wv = HS_LOAD(w + p, masked, mask);
        a00 = _mm512_fmadd_ps(HS_LOAD(x + p, masked, mask), wv, a00);
        a10 = _mm512_fmadd_ps(HS_LOAD(x + ldx + p, masked, mask), wv, a10);
        a20 = _mm512_fmadd_ps(HS_LOAD(x + 2 * ldx + p, masked, mask), wv, a20);
        a30 = _mm512_fmadd_ps(HS_LOAD(x + 3 * ldx + p, masked, mask), wv, a30);
    }
    HS_STORE(0, 0) HS_STORE(1, 0) HS_STORE(2, 0) HS_STORE(3, 0)
}

/// A 1 × 1 tile (a dot product).
static inline __attribute__((always_inline)) HYBRIDSIGN_AVX512
void hybridsign_xwt_tile1x1(int k, const float *x, const float *w, float *y, int accumulate) {
    __m512 a00 = _mm512_setzero_ps();
    for (int p = 0; p < k; p += 16) {
        int masked = p + 16 > k;
        __mmask16 mask = masked ? (__mmask16)((1u << (k - p)) - 1) : (__mmask16)0xFFFF;
        a00 = _mm512_fmadd_ps(HS_LOAD(x + p, masked, mask), HS_LOAD(w + p, masked, mask), a00);
    }
    long ldy = 0;
    HS_STORE(0, 0)
}
#undef HS_STORE
#undef HS_LOAD

/// Columns n0..<n1 of Y[m, ·] = X[m, k]·W[·, k]ᵀ, or Y += X·Wᵀ when `accumulate` is non-zero.
/// Row-major with leading dimensions ldx, ldw, ldy. Call only when ``hybridsign_has_avx512`` is 1.
static inline HYBRIDSIGN_AVX512
void hybridsign_gemm_xwt(int m, int n0, int n1, int k, const float *x, long ldx, const float *w, long ldw,
                         float *y, long ldy, int accumulate) {
    int nb = n0;
    for (; nb + 6 <= n1; nb += 6) {
        const float *wc = w + nb * ldw;
        int mb = 0;
        for (; mb + 4 <= m; mb += 4) hybridsign_xwt_tile4x6(k, x + mb * ldx, ldx, wc, ldw, y + mb * ldy + nb, ldy, accumulate);
        for (; mb < m; mb++) hybridsign_xwt_tile1x6(k, x + mb * ldx, wc, ldw, y + mb * ldy + nb, accumulate);
    }
    for (; nb < n1; nb++) {
        const float *wc = w + nb * ldw;
        int mb = 0;
        for (; mb + 4 <= m; mb += 4) hybridsign_xwt_tile4x1(k, x + mb * ldx, ldx, wc, y + mb * ldy + nb, ldy, accumulate);
        for (; mb < m; mb++) hybridsign_xwt_tile1x1(k, x + mb * ldx, wc, y + mb * ldy + nb, accumulate);
    }
}

#endif
