// OpenBLAS's CBLAS interface (pkg-config `openblas` puts cblas.h on the include path).
#include <cblas.h>

/// OpenBLAS thread control, declared here so Swift sees it whatever the cblas.h version.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
