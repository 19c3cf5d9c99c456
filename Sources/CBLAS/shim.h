// OpenBLAS's CBLAS interface (pkg-config `openblas` puts cblas.h on the include path).
#include <cblas.h>

/// OpenBLAS thread control, declared here so Swift sees it whatever the cblas.h version.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

#include <malloc.h>
#include "gemm_xwt.h"

/// Keeps freed memory in the process instead of returning it to the kernel: large blocks come from
/// the heap rather than fresh mmaps, so re-allocating a big tensor does not page-fault every page.
static inline void hybridsign_keep_freed_memory(void) {
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, 0x7fffffff);
}
