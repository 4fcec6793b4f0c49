// Distance kernels for refer, one implementation per instruction set, chosen at
// run time by ck_table_for(ck_best_isa()). This is the only C in the hot path.
#ifndef CKERNELS_H
#define CKERNELS_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Float32 query against Float32 data.
typedef float (*ck_f32_fn)(const float *a, const float *b, size_t n);
/// Float32 query against IEEE half-precision data.
typedef float (*ck_f16_fn)(const float *q, const uint16_t *code, size_t n);
/// Float32 query, pre-transformed into per-dimension `a` (and weights `w`),
/// against 8-bit scalar-quantized codes.
typedef float (*ck_sq8_fn)(const float *a, const float *w, const uint8_t *code, size_t n);

typedef struct ck_table {
    const char *name;
    ck_f32_fn l2sq_f32;   ///< sum (a-b)^2
    ck_f32_fn dot_f32;    ///< sum a*b
    ck_f16_fn l2sq_f16;   ///< sum (q-h)^2
    ck_f16_fn dot_f16;    ///< sum q*h
    ck_sq8_fn l2sq_sq8;   ///< sum w*(a-c)^2
    ck_sq8_fn dot_sq8;    ///< sum a*c (w is ignored)
    ck_sq8_fn l2sq_sq4;   ///< sum w*(a-c)^2 over 4-bit codes (layout: ck_sq4_bytes)
    ck_sq8_fn dot_sq4;    ///< sum a*c over 4-bit codes (w is ignored)
} ck_table;

/// 4-bit codes go in blocks of 64 components, 32 bytes a block: byte j of block b holds
/// component 64b + j in its low nibble and 64b + 32 + j in its high nibble (absent
/// components are 0). So a block unpacks with one mask and one shift, no shuffles.
static inline size_t ck_sq4_bytes(size_t n) { return (n + 63) / 64 * 32; }
/// Component i of a 4-bit code.
static inline uint8_t ck_sq4_get(const uint8_t *code, size_t i) {
    uint8_t byte = code[i / 64 * 32 + i % 32];
    return (i % 64) < 32 ? (byte & 15) : (byte >> 4);
}

/// Unsigned 8-bit codes against a signed 8-bit query: sum q*c as an exact integer.
typedef int32_t (*ck_u8s8_fn)(const int8_t *q, const uint8_t *code, size_t n);
/// The version for an instruction set: AVX-512 VNNI (64 products an instruction) where the
/// CPU has it, else AVX2 (32 products an instruction); on arm64 sdot where the CPU has the
/// dot-product instructions, else widening multiply-adds; NULL for scalar, whose traversal
/// scores codes in floats.
ck_u8s8_fn ck_dot_u8s8_for(int isa);
/// The largest |q| a byte product is exact for: 127 with VNNI and NEON, 64 on AVX2 (whose
/// 16-bit pairwise sums would saturate above it). Queries are quantized within it.
int ck_u8s8_query_limit(ck_u8s8_fn fn);

enum { CK_SCALAR = 0, CK_AVX2 = 1, CK_AVX512 = 2, CK_NEON = 3 };

/// The table for an instruction set, or NULL when this CPU or build lacks it.
const ck_table *ck_table_for(int isa);
/// The fastest instruction set this CPU supports.
int ck_best_isa(void);

/// In place: GELU with an erf accurate to 3e-7.
void ck_gelu(float *x, size_t n);
/// In place, row by row: (x - mean) / sqrt(var + eps) * gamma + beta.
void ck_layer_norm(float *x, size_t rows, size_t cols, const float *gamma, const float *beta, float eps);
/// In place, row by row: softmax of each row's first n values. Rows are `stride` floats
/// apart, stride a multiple of 16 and at least n; each row's lanes n..<stride are left
/// holding values under 1e-38 (they are padding).
void ck_softmax_rows(float *x, size_t rows, size_t n, size_t stride);
/// Self-attention of one sequence of n tokens, all heads: qkv holds each token's query,
/// key and value (row stride `stride`; head h's at h * head_size, + model_width,
/// + 2 * model_width), context gets softmax(scale q k^T) v per head (row stride
/// `context_stride`). `scratch` holds (n rounded up to 16) * (head_size + 4) floats. For short sequences,
/// where a matrix product per head is mostly call overhead.
void ck_attention(const float *qkv, size_t n, size_t stride, size_t heads, size_t head_size, size_t model_width,
                  float scale, float *context, size_t context_stride, float *scratch);

/// IEEE 754 half conversions (round to nearest even), scalar and exact.
uint16_t ck_f32_to_f16(float f);
float ck_f16_to_f32(uint16_t h);

/// Hint the CPU to bring the cache line holding `p` into L1.
static inline void ck_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }
/// Sets a flag byte from any thread (a relaxed atomic store).
static inline void ck_mark(uint8_t *p) { __atomic_store_n(p, (uint8_t)1, __ATOMIC_RELAXED); }
/// Hint the CPU to bring the cache line holding `p` into L2 (not L1).
static inline void ck_prefetch_l2(const void *p) { __builtin_prefetch(p, 0, 2); }

#ifdef __cplusplus
}
#endif
#endif
