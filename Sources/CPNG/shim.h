#include <png.h>

/// libpng's simplified-API constants are macros Swift cannot import; re-exported as values.
static const unsigned int HS_PNG_IMAGE_VERSION = PNG_IMAGE_VERSION;
static const unsigned int HS_PNG_FORMAT_RGBA = PNG_FORMAT_RGBA;
static const unsigned int HS_PNG_FORMAT_RGB = PNG_FORMAT_RGB;

/// Bytes a `png_image` in memory needs (PNG_IMAGE_SIZE is a macro).
static inline size_t hs_png_image_size(const png_image *image) {
    return PNG_IMAGE_SIZE(*image);
}
/// Whether the image carries a warning or error (PNG_IMAGE_FAILED is a macro).
static inline int hs_png_image_failed(const png_image *image) {
    return PNG_IMAGE_FAILED(*image);
}
/// "Optimise for speed, not size" flag of the simplified write API (a macro in png.h).
static const unsigned int HS_PNG_IMAGE_FLAG_FAST = PNG_IMAGE_FLAG_FAST;
/// An upper bound on the encoded size of `image` in bytes (PNG_IMAGE_PNG_SIZE_MAX is a macro).
static inline size_t hs_png_image_png_size_max(const png_image *image) {
    return PNG_IMAGE_PNG_SIZE_MAX(*image);
}
