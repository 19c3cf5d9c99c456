// A blocked product with bfloat16 operands and float32 accumulation, after the BLIS layout:
// B is packed per block of KC × NC into panels of NR columns, A per block of MC × KC into panels
// of MR rows, and a micro-kernel keeps an MR × NR tile of C in registers. Operands are packed as
// pairs along k (two bfloat16 in 32 bits), the layout of `vdpbf16ps`, which multiplies each pair
// and adds both products to a float32 lane: 32 multiply-adds per instruction, twice an FMA's.
//
// Only the micro-kernel (AVX512_BF16) and the vector packers (AVX-512 F) carry a `target`
// attribute; the rest of this file (the loops, the scalar packing) is compiled for the baseline
// and cannot run wider instructions on a CPU that lacks them.
#include "bfloat16_kernels.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum {
    MR = 12,   // rows of the C tile: 12 × 2 accumulators, 2 panel registers, 1 broadcast of 32.
    NR = 32,   // columns of the C tile: two 16-lane registers.
    KC = 384,  // depth of a block: an A panel (12 × 192 pairs, 9 KB) and a B panel (24 KB) stay near L1.
    MC = 144,  // rows of an A block (108 KB in L2).
    NC = 3072, // columns of a B block (2.3 MB); wider products loop over blocks.
};

static inline uint16_t bf16_bits(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x40);  // a quiet NaN
    bits += 0x7fffu + ((bits >> 16) & 1u);  // round to nearest, ties to even
    return (uint16_t)(bits >> 16);
}

static inline uint32_t bf16_pair(float low, float high) {
    return (uint32_t)bf16_bits(low) | ((uint32_t)bf16_bits(high) << 16);
}

void hybridsign_bf16_round(const float *src, float *dst, ptrdiff_t count) {
    for (ptrdiff_t i = 0; i < count; i++) {
        uint32_t bits = (uint32_t)bf16_bits(src[i]) << 16;
        memcpy(dst + i, &bits, sizeof bits);
    }
}

/// One panel of `width` lanes at any strides: `panel[p][lane]` holds k = 2p, 2p + 1 of the lane
/// (element (lane, k) at `x[lane * lane_stride + k * k_stride]`; lanes past `lanes` and the odd k
/// past `kc` are zeros).
static void pack_strided(const float *x, ptrdiff_t lane_stride, ptrdiff_t k_stride, int lanes, int kc, int width, uint32_t *dst) {
    const int pairs = (kc + 1) / 2;
    for (int p = 0; p < pairs; p++) {
        const ptrdiff_t k = 2 * p;
        const int has_high = k + 1 < kc;
        for (int lane = 0; lane < width; lane++) {
            uint32_t pair = 0;
            if (lane < lanes) {
                const float *low = x + (ptrdiff_t)lane * lane_stride + k * k_stride;
                pair = bf16_pair(low[0], has_high ? low[k_stride] : 0.0f);
            }
            *dst++ = pair;
        }
    }
}

#if defined(__x86_64__)

/// The bfloat16 bits of 16 floats in the high half of each lane (rounded to nearest, ties to
/// even; NaN stays a quiet NaN): the vector form of `bf16_bits`.
__attribute__((target("avx512f")))
static inline __m512i bf16_high_halves(__m512 values) {
    const __m512i bits = _mm512_castps_si512(values);
    const __m512i odd = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
    const __m512i rounded = _mm512_add_epi32(bits, _mm512_add_epi32(odd, _mm512_set1_epi32(0x7fff)));
    const __mmask16 nan = _mm512_cmpgt_epu32_mask(_mm512_and_si512(bits, _mm512_set1_epi32(0x7fffffff)),
                                                 _mm512_set1_epi32(0x7f800000));
    const __m512i quiet = _mm512_or_si512(bits, _mm512_set1_epi32(0x00400000));
    return _mm512_and_si512(_mm512_mask_mov_epi32(rounded, nan, quiet), _mm512_set1_epi32((int)0xffff0000u));
}

/// Panels whose lanes are contiguous in memory (`lane_stride` 1): for each pair p, `lanes` floats
/// of k = 2p and of k = 2p + 1, `width` lanes a panel row (the rest zeros).
__attribute__((target("avx512f")))
static void pack_lanes_contiguous(const float *x, ptrdiff_t k_stride, int lanes, int kc, int width, uint32_t *dst) {
    const int pairs = (kc + 1) / 2;
    for (int p = 0; p < pairs; p++, dst += width) {
        const float *low = x + (ptrdiff_t)(2 * p) * k_stride;
        const int has_high = 2 * p + 1 < kc;
        for (int j = 0; j < width; j += 16) {
            const int count = lanes - j < 16 ? (lanes - j > 0 ? lanes - j : 0) : 16;
            const __mmask16 mask = (__mmask16)((1u << count) - 1);
            const __m512i lo = bf16_high_halves(_mm512_maskz_loadu_ps(mask, low + j));
            const __m512i hi = has_high ? bf16_high_halves(_mm512_maskz_loadu_ps(mask, low + k_stride + j))
                                        : _mm512_setzero_si512();
            const __mmask16 store = (__mmask16)(width - j >= 16 ? 0xffff : (1u << (width - j)) - 1);
            _mm512_mask_storeu_epi32(dst + j, store, _mm512_or_si512(_mm512_srli_epi32(lo, 16), hi));
        }
    }
}

/// Panels whose k is contiguous in memory (`k_stride` 1): each lane's run of `kc` floats becomes
/// its pairs, written down the panel's column (`width` lanes a panel row; the rest zeros).
__attribute__((target("avx512f")))
static void pack_k_contiguous(const float *x, ptrdiff_t lane_stride, int lanes, int kc, int width, uint32_t *dst) {
    const int pairs = (kc + 1) / 2;
    uint32_t run[16];
    for (int lane = 0; lane < width; lane++) {
        if (lane >= lanes) {
            for (int p = 0; p < pairs; p++) dst[(ptrdiff_t)p * width + lane] = 0;
            continue;
        }
        const float *row = x + (ptrdiff_t)lane * lane_stride;
        for (int p0 = 0; p0 < pairs; p0 += 16) {
            // 32 floats: k = 2p0 ... 2p0 + 31, the low and high halves of 16 pairs.
            const int count = kc - 2 * p0 < 32 ? kc - 2 * p0 : 32;
            const __mmask16 mask_lo = (__mmask16)(count >= 16 ? 0xffff : (1u << count) - 1);
            const __mmask16 mask_hi = (__mmask16)(count >= 32 ? 0xffff : count <= 16 ? 0 : (1u << (count - 16)) - 1);
            const __m512i a = bf16_high_halves(_mm512_maskz_loadu_ps(mask_lo, row + 2 * p0));
            const __m512i b = bf16_high_halves(_mm512_maskz_loadu_ps(mask_hi, row + 2 * p0 + 16));
            // In each 64-bit lane: the even k's bits in the low 16, the odd k's in the high 16.
            const __m512i pa = _mm512_or_si512(_mm512_srli_epi64(a, 16), _mm512_srli_epi64(a, 32));
            const __m512i pb = _mm512_or_si512(_mm512_srli_epi64(b, 16), _mm512_srli_epi64(b, 32));
            _mm256_storeu_si256((__m256i *)run, _mm512_cvtepi64_epi32(pa));
            _mm256_storeu_si256((__m256i *)(run + 8), _mm512_cvtepi64_epi32(pb));
            const int n = pairs - p0 < 16 ? pairs - p0 : 16;
            for (int q = 0; q < n; q++) dst[(ptrdiff_t)(p0 + q) * width + lane] = run[q];
        }
    }
}

/// `C[mr × nr] (+)= A panel · B panel` over `pairs` pairs of k: an MR × NR tile in 24 registers.
__attribute__((target("avx512f,avx512bf16")))
static void micro_kernel(int pairs, const uint32_t *a, const uint32_t *b, float *c, ptrdiff_t ldc,
                         int mr, int nr, int accumulate) {
    __m512 acc[MR][2];
    for (int i = 0; i < MR; i++) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
    for (int p = 0; p < pairs; p++, a += MR, b += NR) {
        const __m512bh b0 = (__m512bh)_mm512_loadu_si512(b);
        const __m512bh b1 = (__m512bh)_mm512_loadu_si512(b + 16);
        for (int i = 0; i < MR; i++) {
            const __m512bh ai = (__m512bh)_mm512_set1_epi32((int)a[i]);
            acc[i][0] = _mm512_dpbf16_ps(acc[i][0], ai, b0);
            acc[i][1] = _mm512_dpbf16_ps(acc[i][1], ai, b1);
        }
    }
    const __mmask16 mask0 = nr >= 16 ? 0xffff : (__mmask16)((1u << nr) - 1);
    const __mmask16 mask1 = nr >= 32 ? 0xffff : nr <= 16 ? 0 : (__mmask16)((1u << (nr - 16)) - 1);
    for (int i = 0; i < mr; i++) {
        float *y = c + (ptrdiff_t)i * ldc;
        __m512 y0 = acc[i][0], y1 = acc[i][1];
        if (accumulate) {
            y0 = _mm512_add_ps(y0, _mm512_maskz_loadu_ps(mask0, y));
            y1 = _mm512_add_ps(y1, _mm512_maskz_loadu_ps(mask1, y + 16));
        }
        _mm512_mask_storeu_ps(y, mask0, y0);
        _mm512_mask_storeu_ps(y + 16, mask1, y1);
    }
}

#else

static inline float bf16_value(uint32_t pair, int high) {
    const uint32_t bits = high ? pair & 0xffff0000u : pair << 16;
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

/// The micro-kernel's arithmetic in portable C (architectures without `vdpbf16ps`).
static void micro_kernel(int pairs, const uint32_t *a, const uint32_t *b, float *c, ptrdiff_t ldc,
                         int mr, int nr, int accumulate) {
    for (int i = 0; i < mr; i++) {
        for (int j = 0; j < nr; j++) {
            float sum = 0;
            for (int p = 0; p < pairs; p++) {
                const uint32_t x = a[p * MR + i], w = b[p * NR + j];
                sum += bf16_value(x, 0) * bf16_value(w, 0) + bf16_value(x, 1) * bf16_value(w, 1);
            }
            c[(ptrdiff_t)i * ldc + j] = accumulate ? c[(ptrdiff_t)i * ldc + j] + sum : sum;
        }
    }
}

#endif

/// Packs a block into panels of `width` lanes: `panel[p][lane]` holds k = 2p, 2p + 1 of the lane.
/// Element (lane, k) of the block is at `x[lane * lane_stride + k * k_stride]`. On x86-64 a block
/// whose lanes or k are contiguous packs 16 floats at a time.
static void pack_panels(const float *x, ptrdiff_t lane_stride, ptrdiff_t k_stride, int lanes, int kc, int width, uint32_t *dst) {
    const int pairs = (kc + 1) / 2;
    for (int l0 = 0; l0 < lanes; l0 += width, dst += (ptrdiff_t)width * pairs) {
        const int count = lanes - l0 < width ? lanes - l0 : width;
        const float *panel = x + (ptrdiff_t)l0 * lane_stride;
#if defined(__x86_64__)
        if (lane_stride == 1) {
            pack_lanes_contiguous(panel, k_stride, count, kc, width, dst);
            continue;
        }
        if (k_stride == 1) {
            pack_k_contiguous(panel, lane_stride, count, kc, width, dst);
            continue;
        }
#endif
        pack_strided(panel, lane_stride, k_stride, count, kc, width, dst);
    }
}

void hybridsign_bf16_gemm(int m, int n, int k,
                          const float *a, ptrdiff_t a_row, ptrdiff_t a_col,
                          const float *b, ptrdiff_t b_row, ptrdiff_t b_col,
                          float *c, ptrdiff_t ldc, int accumulate) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        if (!accumulate) for (int i = 0; i < m; i++) memset(c + (ptrdiff_t)i * ldc, 0, sizeof(float) * (size_t)n);
        return;
    }
    const int block_columns = n < NC ? n : NC;
    const size_t panel_pairs = KC / 2;
    uint32_t *packed_a = aligned_alloc(64, sizeof(uint32_t) * MC * panel_pairs);
    uint32_t *packed_b = aligned_alloc(64, sizeof(uint32_t) * (size_t)((block_columns + NR - 1) / NR * NR) * panel_pairs);
    if (!packed_a || !packed_b) abort();  // a few hundred KB; out of memory is not recoverable here
    for (int jc = 0; jc < n; jc += NC) {
        const int nc = n - jc < NC ? n - jc : NC;
        for (int pc = 0; pc < k; pc += KC) {
            const int kc = k - pc < KC ? k - pc : KC;
            const int pairs = (kc + 1) / 2;
            // B's lanes are its columns, A's its rows.
            pack_panels(b + (ptrdiff_t)pc * b_row + (ptrdiff_t)jc * b_col, b_col, b_row, nc, kc, NR, packed_b);
            const int add = accumulate || pc > 0;
            for (int ic = 0; ic < m; ic += MC) {
                const int mc = m - ic < MC ? m - ic : MC;
                pack_panels(a + (ptrdiff_t)ic * a_row + (ptrdiff_t)pc * a_col, a_row, a_col, mc, kc, MR, packed_a);
                for (int jr = 0; jr < nc; jr += NR) {
                    const int nr = nc - jr < NR ? nc - jr : NR;
                    const uint32_t *panel_b = packed_b + (ptrdiff_t)(jr / NR) * NR * pairs;
                    for (int ir = 0; ir < mc; ir += MR) {
                        const int mr = mc - ir < MR ? mc - ir : MR;
                        micro_kernel(pairs, packed_a + (ptrdiff_t)(ir / MR) * MR * pairs, panel_b,
                                     c + (ptrdiff_t)(ic + ir) * ldc + jc + jr, ldc, mr, nr, add);
                    }
                }
            }
        }
    }
    free(packed_a);
    free(packed_b);
}
