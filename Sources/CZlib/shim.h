#include <zlib.h>

/// Swift cannot import zlib's function-like macros; these wrap the ones we use.
static inline int hs_inflateInit2(z_stream *strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
static inline int hs_deflateInit2(z_stream *strm, int level, int windowBits) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
