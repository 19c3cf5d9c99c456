// Matrix products with bfloat16 operands and float32 accumulation (mixed-precision training).
#ifndef HYBRIDSIGN_BFLOAT16_KERNELS_H
#define HYBRIDSIGN_BFLOAT16_KERNELS_H

#include <stddef.h>

/// Rounds `count` floats to the nearest bfloat16 (ties to even; NaN stays NaN) and writes them
/// back as floats: what the products below do to their operands, for computing the same product
/// with a float32 sgemm where the instruction is missing. `dst` may equal `src`.
void hybridsign_bf16_round(const float *src, float *dst, ptrdiff_t count);

/// `C[m,n] = A[m,k] · B[k,n] (+ C if accumulate)` with A and B rounded to bfloat16 and the
/// products summed in float32. Element (i, l) of A is at `a[i*a_row + l*a_col]`, element (l, j)
/// of B at `b[l*b_row + j*b_col]` (so a transposed operand is a swap of its strides); C is
/// row-major with leading dimension `ldc`. One thread. On x86-64 call it only on a CPU with
/// AVX512_BF16 (`hybridsign_has_avx512_bf16` in the CBLAS shim); elsewhere it runs the same
/// arithmetic in portable C.
void hybridsign_bf16_gemm(int m, int n, int k,
                          const float *a, ptrdiff_t a_row, ptrdiff_t a_col,
                          const float *b, ptrdiff_t b_row, ptrdiff_t b_col,
                          float *c, ptrdiff_t ldc, int accumulate);

#endif
