// A row-major product with the right operand transposed, Y = X·Wᵀ (+ Y), for few rows (M ≲ 512):
// the shape of a linear layer at inference, where OpenBLAS spends as long packing W (on every call)
// as multiplying. Each output is a dot product of a row of X and a row of W, so neither operand is
// packed: a 4 × 6 tile keeps 24 AVX-512 accumulators in registers and reads 6 rows of W (12 KB at
// K = 512, L1-resident) against all of X (L2-resident) before moving to the next 6 rows of W, so
// W streams from memory exactly once.
#ifndef HYBRIDSIGN_GEMM_XWT_H
#define HYBRIDSIGN_GEMM_XWT_H

#if defined(__x86_64__) || defined(__i386__)
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

/// Y[m, n] = β·Y + A[m, k]·B[k, n] for a few rows of A (the weighted sum of value rows in
/// one-query attention): per row, up to 128 columns of Y stay in 8 accumulators while the k rows of
/// B stream past. Row-major with leading dimensions. Call only when ``hybridsign_has_avx512`` is 1.
static inline HYBRIDSIGN_AVX512
void hybridsign_gemm_rows(int m, int n, int k, const float *a, long lda, const float *b, long ldb,
                          float beta, float *y, long ldy) {
    for (int i = 0; i < m; i++) {
        const float *ai = a + i * lda;
        float *yi = y + i * ldy;
        for (int j = 0; j < n; j += 128) {
            int width = n - j < 128 ? n - j : 128;
            int vectors = (width + 15) / 16;
            __mmask16 masks[8];
            for (int v = 0; v < 8; v++) {
                int left = width - 16 * v;
                masks[v] = left >= 16 ? (__mmask16)0xFFFF : left > 0 ? (__mmask16)((1u << left) - 1) : (__mmask16)0;
            }
            __m512 c0 = _mm512_setzero_ps(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
            for (int p = 0; p < k; p++) {
                __m512 s = _mm512_set1_ps(ai[p]);
                const float *bp = b + p * ldb + j;
                c0 = _mm512_fmadd_ps(s, _mm512_maskz_loadu_ps(masks[0], bp), c0);
                if (vectors > 1) c1 = _mm512_fmadd_ps(s, _mm512_maskz_loadu_ps(masks[1], bp + 16), c1);
                if (vectors > 2) c2 = _mm512_fmadd_ps(s, _mm512_maskz_loadu_ps(masks[2], bp + 32), c2);
                if (vectors > 3) c3 = _mm512_fmadd_ps(s, _mm512_maskz_loadu_ps(masks[3], bp + 48), c3);
                if (vectors > 4) c4 = _mm512_fmadd_ps(s, _mm512_maskz_loadu_ps(masks[4], bp + 64), c4);
                if (vectors > 5) c5 = _mm512_fmadd_ps(s, _mm512_maskz_loadu_ps(masks[5], bp + 80), c5);
                if (vectors > 6) c6 = _mm512_fmadd_ps(s, _mm512_maskz_loadu_ps(masks[6], bp + 96), c6);
                if (vectors > 7) c7 = _mm512_fmadd_ps(s, _mm512_maskz_loadu_ps(masks[7], bp + 112), c7);
            }
            __m512 bv = _mm512_set1_ps(beta);
#define HS_PUT(v) if (vectors > v) { float *o = yi + j + 16 * v; \
            __m512 r = beta == 0 ? c##v : _mm512_fmadd_ps(bv, _mm512_maskz_loadu_ps(masks[v], o), c##v); \
            _mm512_mask_storeu_ps(o, masks[v], r); }
            HS_PUT(0) HS_PUT(1) HS_PUT(2) HS_PUT(3) HS_PUT(4) HS_PUT(5) HS_PUT(6) HS_PUT(7)
#undef HS_PUT
        }
    }
}

/// e^x on 16 lanes by the same range reduction and degree-6 polynomial as `Tensors.Fast.exp`:
/// exactly 0 below −87.3, clamped at 88.
static inline __attribute__((always_inline)) HYBRIDSIGN_AVX512
__m512 hybridsign_exp16(__m512 x) {
    __m512 c = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-87.3f)), _mm512_set1_ps(88.0f));
    __m512 shifter = _mm512_set1_ps(12582912.0f);
    __m512 k = _mm512_sub_ps(_mm512_fmadd_ps(c, _mm512_set1_ps(1.442695041f), shifter), shifter);
    __m512 r = _mm512_fnmadd_ps(k, _mm512_set1_ps(0.693145752f), c);
    r = _mm512_fnmadd_ps(k, _mm512_set1_ps(1.42860677e-6f), r);
    __m512 p = _mm512_set1_ps(1.0f / 720);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 120));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    __m512i bits = _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(k), _mm512_set1_epi32(127)), 23);
    __m512 e = _mm512_mul_ps(p, _mm512_castsi512_ps(bits));
    __mmask16 under = _mm512_cmp_ps_mask(x, _mm512_set1_ps(-87.3f), _CMP_LT_OQ);
    return _mm512_mask_blend_ps(under, e, _mm512_setzero_ps());
}

/// y = softmax(x) over n values (y may be x). Returns 0 when every x is −∞ (the caller zeroes the row).
static inline HYBRIDSIGN_AVX512
int hybridsign_softmax(const float *x, float *y, int n) {
    __m512 mv = _mm512_set1_ps(-__builtin_inff());
    int i = 0;
    for (; i + 16 <= n; i += 16) mv = _mm512_max_ps(mv, _mm512_loadu_ps(x + i));
    if (i < n) mv = _mm512_mask_max_ps(mv, (__mmask16)((1u << (n - i)) - 1), mv, _mm512_maskz_loadu_ps((__mmask16)((1u << (n - i)) - 1), x + i));
    float m = _mm512_reduce_max_ps(mv);
    if (m == -__builtin_inff()) return 0;
    __m512 mb = _mm512_set1_ps(m), sv = _mm512_setzero_ps();
    for (i = 0; i + 16 <= n; i += 16) {
        __m512 e = hybridsign_exp16(_mm512_sub_ps(_mm512_loadu_ps(x + i), mb));
        _mm512_storeu_ps(y + i, e);
        sv = _mm512_add_ps(sv, e);
    }
    if (i < n) {
        __mmask16 mask = (__mmask16)((1u << (n - i)) - 1);
        __m512 e = hybridsign_exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(mask, x + i), mb));
        e = _mm512_maskz_mov_ps(mask, e);
        _mm512_mask_storeu_ps(y + i, mask, e);
        sv = _mm512_add_ps(sv, e);
    }
    __m512 inv = _mm512_set1_ps(1 / _mm512_reduce_add_ps(sv));
    for (i = 0; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, _mm512_mul_ps(_mm512_loadu_ps(y + i), inv));
    if (i < n) {
        __mmask16 mask = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(y + i, mask, _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, y + i), inv));
    }
    return 1;
}


#else  // Not x86: the AVX-512 paths are never taken (hybridsign_has_avx512 is 0); plain loops keep the
       // same functions defined and correct.
#include <math.h>

static inline int hybridsign_has_avx512(void) { return 0; }

static inline void hybridsign_gemm_xwt(int m, int n0, int n1, int k, const float *x, long ldx, const float *w, long ldw,
                                       float *y, long ldy, int accumulate) {
    for (int i = 0; i < m; i++) for (int j = n0; j < n1; j++) {
        float s = 0;
        for (int p = 0; p < k; p++) s += x[i * ldx + p] * w[j * ldw + p];
        y[i * ldy + j] = accumulate ? y[i * ldy + j] + s : s;
    }
}

static inline void hybridsign_gemm_rows(int m, int n, int k, const float *a, long lda, const float *b, long ldb,
                                        float beta, float *y, long ldy) {
    for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
        float s = 0;
        for (int p = 0; p < k; p++) s += a[i * lda + p] * b[p * ldb + j];
        y[i * ldy + j] = beta == 0 ? s : beta * y[i * ldy + j] + s;
    }
}

static inline int hybridsign_softmax(const float *x, float *y, int n) {
    float m = -INFINITY, sum = 0;
    for (int i = 0; i < n; i++) m = x[i] > m ? x[i] : m;
    if (m == -INFINITY) return 0;
    for (int i = 0; i < n; i++) { y[i] = expf(x[i] - m); sum += y[i]; }
    for (int i = 0; i < n; i++) y[i] /= sum;
    return 1;
}
#endif

#endif
