// oneDNN glue for cmatmul.h. Weights are reordered once into the layout the product wants
// (queried with format "any"); activations are converted per call (bf16, or int8 per row
// with its scale); the product goes to a scratch f32/s32 buffer and is written or added
// into c with the scales and the bias applied in one pass.
//
// Each precision has one arithmetic on every x86-64 CPU with AVX2, so a store embedded on
// one machine answers on another (docs/embedding.md). Where the fast instructions exist,
// oneDNN's brgemm runs it (bf16: AVX-512 BF16; int8: AVX-512 VNNI). Elsewhere:
// - bf16: the bf16-rounded operands multiplied in Float32 (oneDNN's f32 gemm). A product
//   of two bf16 values is exact in Float32, so only the order of the sums differs.
// - int8: `s16_product` below, the same integer products exactly. oneDNN's AVX2 int8
//   (vpmaddubsw) adds two u8 x s8 products in 16 bits and saturates on full-range rows
//   (Benchmarks/embedding/products.sh counts its inexact outputs).
//
// Primitives are cached per thread by (precision, n, k, m rounded up to 16, threads):
// oneDNN bakes the thread count into a primitive and keeps its scratchpad per thread, so
// each thread makes and runs its own. x86-64 only, as oneDNN's fast kernels are.
#include "include/cmatmul.h"
#include <dlfcn.h>
#include <immintrin.h>
#include <math.h>
#include <oneapi/dnnl/dnnl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/// How a precision's product is made on this CPU.
typedef enum { BRGEMM, F32_OF_BF16, S16 } kernel;

struct cm_weights {
    int precision, n, k;
    kernel kernel;
    dnnl_memory_desc_t packed_md;  // the blocked layout oneDNN chose (BRGEMM, F32_OF_BF16)
    void *packed;                  // weights in that layout, or S16's own (s16_pack)
    float *scales;                 // int8: per output row; bf16: NULL
    int32_t *sums;                 // int8: per output row, the sum of its quantized weights
};

static dnnl_engine_t engine;
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;
static int engine_ok;
static void (*set_omp_threads)(int);   // libgomp's omp_set_num_threads, found through libdnnl
// libgomp's entry for `#pragma omp parallel` (GCC's ABI) and omp_get_thread_num: cm_parallel
// runs work on the team oneDNN's products use, whose threads spin between products.
static void (*gomp_parallel)(void (*)(void *), void *, unsigned, unsigned);
static int (*omp_thread_num)(void), (*omp_team_size)(void);
static int no_simd;       // REFER_ISA=scalar (or neon): no low precision

static void make_engine(void) {
    const char *isa = getenv("REFER_ISA");
    no_simd = isa && (strcmp(isa, "scalar") == 0 || strcmp(isa, "neon") == 0);
    // REFER_ISA=avx2: the AVX2 kernels on a CPU that has more (set before any primitive exists).
    if (isa && strcmp(isa, "avx2") == 0) dnnl_set_max_cpu_isa(dnnl_cpu_isa_avx2);
    engine_ok = dnnl_engine_create(&engine, dnnl_cpu, 0) == dnnl_success;
    set_omp_threads = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    gomp_parallel = (void (*)(void (*)(void *), void *, unsigned, unsigned))dlsym(RTLD_DEFAULT, "GOMP_parallel");
    omp_thread_num = (int (*)(void))dlsym(RTLD_DEFAULT, "omp_get_thread_num");
    omp_team_size = (int (*)(void))dlsym(RTLD_DEFAULT, "omp_get_num_threads");
}

static int has_isa(dnnl_cpu_isa_t want) {
    unsigned isa = (unsigned)dnnl_get_effective_cpu_isa();
    return (isa & (unsigned)want) == (unsigned)want;
}

/// The kernel for `precision` on this CPU, or -1 where it has none (no AVX2 and FMA).
static int kernel_for(int precision) {
    pthread_once(&engine_once, make_engine);
    if (!engine_ok || no_simd || !__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return -1;
    if (precision == CM_BF16) return has_isa(dnnl_cpu_isa_avx512_core_bf16) ? BRGEMM : F32_OF_BF16;
    if (precision == CM_INT8) return has_isa(dnnl_cpu_isa_avx512_core_vnni) ? BRGEMM : S16;
    return -1;
}

int cm_available(int precision) { return kernel_for(precision) >= 0; }

// The per-call loops: plain C that the compiler vectorizes, built for AVX-512 and for AVX2
// and chosen by the CPU when first called (cm_pack refuses a CPU without AVX2).
#define HOT __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

/// The bfloat16 nearest a Float32 (its bits), ties to even; NaN stays NaN (made quiet).
static inline uint32_t bf16_bits(float x) {
    uint32_t u; memcpy(&u, &x, 4);
    return (u & 0x7fffffffu) > 0x7f800000u ? (u >> 16) | 0x40u : (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
}

/// Float32 to bfloat16.
HOT static void to_bf16(const float *restrict x, uint16_t *restrict out, size_t count) {
    for (size_t i = 0; i < count; i++) out[i] = (uint16_t)bf16_bits(x[i]);
}

/// Float32 rounded to bfloat16, kept as Float32 (the low 16 bits zero).
HOT static void round_bf16(const float *restrict x, float *restrict out, size_t count) {
    for (size_t i = 0; i < count; i++) { uint32_t u = bf16_bits(x[i]) << 16; memcpy(&out[i], &u, 4); }
}

/// Each row of x (rows x cols) as int8 with its scale max|x| / 127, symmetric; rounding
/// to nearest even by the 1.5 x 2^23 trick (exact for |x / scale| <= 127).
HOT static void quantize_rows(const float *restrict x, size_t rows, size_t cols, int8_t *restrict out, float *restrict scales) {
    for (size_t r = 0; r < rows; r++) {
        const float *row = x + r * cols;
        // 16 running maxima, one per lane (a single one would be a serial reduction).
        float lanes[16] = {0};
        size_t i = 0;
        for (; i + 16 <= cols; i += 16)
            for (int j = 0; j < 16; j++) { float v = fabsf(row[i + j]); lanes[j] = v > lanes[j] ? v : lanes[j]; }
        float largest = 0;
        for (int j = 0; j < 16; j++) largest = lanes[j] > largest ? lanes[j] : largest;
        for (; i < cols; i++) { float v = fabsf(row[i]); largest = v > largest ? v : largest; }
        float scale = largest > 0 ? largest / 127 : 1, inverse = 1 / scale;
        scales[r] = scale;
        int8_t *q = out + r * cols;
        for (i = 0; i < cols; i++) {
            float v = (row[i] * inverse + 12582912.0f) - 12582912.0f;
            v = v > 127 ? 127 : v < -127 ? -127 : v;
            q[i] = (int8_t)(int32_t)v;
        }
    }
}

/// c (rows x cols) = p + bias, or += with `accumulate`: a Float32 product.
HOT static void put_product(float *restrict c, const float *restrict p, size_t rows, size_t cols, size_t ldp,
                            const float *restrict bias, int accumulate) {
    for (size_t r = 0; r < rows; r++) {
        float *cr = c + r * cols;
        const float *pr = p + r * ldp;
        if (accumulate) for (size_t j = 0; j < cols; j++) cr[j] += pr[j] + bias[j];
        else for (size_t j = 0; j < cols; j++) cr[j] = pr[j] + bias[j];
    }
}

/// x's uint8 code: round(x / scale) + zero, to nearest even by the 1.5 x 2^23 trick, clamped.
static inline int32_t u8_code(float x, float inverse, float zero) {
    float v = (x * inverse + 12582912.0f) - 12582912.0f + zero;
    return (int32_t)(v > 255 ? 255 : v < 0 ? 0 : v);
}

/// Each row of x (rows x cols) as uint8 with its own scale and zero point, over the row's
/// range widened to hold 0: x = scale (q - zero). Asymmetric, so a row of GELU outputs
/// (mostly positive) keeps all 256 levels. The codes go to `out` as bytes (cols a row),
/// or with `wide` to it as 16-bit values, `stride` a row, zero past cols (S16's operand).
HOT static void quantize_rows_u8(const float *restrict x, size_t rows, size_t cols, uint8_t *restrict out,
                                 int16_t *restrict wide, size_t stride, float *restrict scales, int32_t *restrict zeros) {
    for (size_t r = 0; r < rows; r++) {
        const float *row = x + r * cols;
        float lo_lanes[16] = {0}, hi_lanes[16] = {0};
        size_t i = 0;
        for (; i + 16 <= cols; i += 16)
            for (int j = 0; j < 16; j++) {
                float v = row[i + j];
                lo_lanes[j] = v < lo_lanes[j] ? v : lo_lanes[j];
                hi_lanes[j] = v > hi_lanes[j] ? v : hi_lanes[j];
            }
        float lo = 0, hi = 0;
        for (int j = 0; j < 16; j++) { lo = lo_lanes[j] < lo ? lo_lanes[j] : lo; hi = hi_lanes[j] > hi ? hi_lanes[j] : hi; }
        for (; i < cols; i++) { lo = row[i] < lo ? row[i] : lo; hi = row[i] > hi ? row[i] : hi; }
        float scale = hi > lo ? (hi - lo) / 255 : 1, inverse = 1 / scale;
        float zero = (-lo * inverse + 12582912.0f) - 12582912.0f;
        zero = zero < 0 ? 0 : zero > 255 ? 255 : zero;
        scales[r] = scale; zeros[r] = (int32_t)zero;
        if (wide) {
            int16_t *q = wide + r * stride;
            for (i = 0; i < cols; i++) q[i] = (int16_t)u8_code(row[i], inverse, zero);
            for (; i < stride; i++) q[i] = 0;
        } else {
            uint8_t *q = out + r * cols;
            for (i = 0; i < cols; i++) q[i] = (uint8_t)u8_code(row[i], inverse, zero);
        }
    }
}

/// c (rows x cols) = scale_r x scale_c x (p - zero_r x sum_c) + bias, or += with
/// `accumulate`: an Int32 product of (q_a - zero) and the weights, the zero point taken out
/// through the weights' row sums.
HOT static void put_scaled(float *restrict c, const int32_t *restrict p, size_t rows, size_t cols, size_t ldp,
                           const float *restrict row_scales, const int32_t *restrict zeros,
                           const float *restrict col_scales, const int32_t *restrict col_sums,
                           const float *restrict bias, int accumulate) {
    for (size_t r = 0; r < rows; r++) {
        float rs = row_scales[r];
        int32_t z = zeros[r];
        float *cr = c + r * cols;
        const int32_t *pr = p + r * ldp;
        if (accumulate)
            for (size_t j = 0; j < cols; j++) cr[j] += (float)(pr[j] - z * col_sums[j]) * (rs * col_scales[j]) + bias[j];
        else
            for (size_t j = 0; j < cols; j++) cr[j] = (float)(pr[j] - z * col_sums[j]) * (rs * col_scales[j]) + bias[j];
    }
}

// S16: the int8 product exactly on AVX2. Codes widened to 16 bits, vpmaddwd multiplies
// pairs and adds each pair in 32 bits (|255 x 127 x 2| fits), vpaddd accumulates: more
// multiply-adds a cycle than Float32 FMA, with no saturation (Benchmarks/embedding/products.sh).
enum { S16_COLUMNS = 16,    // output columns a block: 2 registers of 8 Int32 lanes
       S16_ROWS = 6,        // rows a tile: 12 accumulators + 2 weights + 1 broadcast + 1 product = 16 registers
       S16_DEPTH = 384 };   // k pairs a pass: a block of weights (24 KB) stays in L1

static size_t s16_pairs(int k) { return ((size_t)k + 1) / 2; }
static size_t s16_blocks(int n) { return ((size_t)n + S16_COLUMNS - 1) / S16_COLUMNS; }

/// The weights' codes (n x k, row-major) as 16-bit pairs: block b, pair p, column j holds
/// codes (2p, 2p + 1) of output column 16b + j, zero past n and k.
static int16_t *s16_pack(const int8_t *codes, int n, int k) {
    size_t pairs = s16_pairs(k), blocks = s16_blocks(n);
    int16_t *out = aligned_alloc(64, (blocks * pairs * S16_COLUMNS * 2 * sizeof(int16_t) + 63) / 64 * 64);
    if (!out) return NULL;
    for (size_t b = 0; b < blocks; b++)
        for (size_t p = 0; p < pairs; p++)
            for (size_t j = 0; j < S16_COLUMNS; j++)
                for (size_t h = 0; h < 2; h++) {
                    size_t column = b * S16_COLUMNS + j, depth = 2 * p + h;
                    out[((b * pairs + p) * S16_COLUMNS + j) * 2 + h] =
                        column < (size_t)n && depth < (size_t)k ? codes[column * (size_t)k + depth] : 0;
                }
    return out;
}

/// One tile: `R` rows (a: their 16-bit codes, `pairs` pairs a row) by one block of 16
/// columns, over pairs [p0, p1), added to c (`ldc` wide) or written to it when p0 is 0.
/// `R` is a constant at each call, so the loops unroll into registers.
__attribute__((always_inline, target("avx2"))) static inline void
s16_tile(const int16_t *a, size_t pairs, const int16_t *block, size_t p0, size_t p1, int32_t *c, size_t ldc, const int R) {
    __m256i acc[S16_ROWS][2];
    for (int i = 0; i < R; i++)
        for (int j = 0; j < 2; j++)
            acc[i][j] = p0 ? _mm256_loadu_si256((const __m256i *)(c + i * ldc + 8 * j)) : _mm256_setzero_si256();
    const int16_t *wp = block;
    for (size_t p = p0; p < p1; p++, wp += S16_COLUMNS * 2) {
        __m256i w0 = _mm256_load_si256((const __m256i *)wp), w1 = _mm256_load_si256((const __m256i *)(wp + 16));
        for (int i = 0; i < R; i++) {
            int32_t pair;   // two 16-bit codes as one 32-bit lane (memcpy: no aliasing of int16 as int32)
            memcpy(&pair, a + 2 * (i * pairs + p), 4);
            __m256i x = _mm256_set1_epi32(pair);
            acc[i][0] = _mm256_add_epi32(acc[i][0], _mm256_madd_epi16(x, w0));
            acc[i][1] = _mm256_add_epi32(acc[i][1], _mm256_madd_epi16(x, w1));
        }
    }
    for (int i = 0; i < R; i++)
        for (int j = 0; j < 2; j++) _mm256_storeu_si256((__m256i *)(c + i * ldc + 8 * j), acc[i][j]);
}

/// c (rows x blocks [b0, b1) of 16 columns) = a (rows of 16-bit code pairs) . packed
/// weights, exactly; `rows` even, c `ldc` Int32s wide. One thread's share of the columns.
__attribute__((target("avx2"))) static void s16_product(const int16_t *a, size_t rows, size_t pairs, const int16_t *w,
                                                         size_t b0, size_t b1, int32_t *c, size_t ldc) {
    for (size_t b = b0; b < b1; b++)
        for (size_t p0 = 0; p0 < pairs; p0 += S16_DEPTH) {
            size_t p1 = p0 + S16_DEPTH < pairs ? p0 + S16_DEPTH : pairs;
            const int16_t *block = w + (b * pairs + p0) * S16_COLUMNS * 2;
            size_t r = 0;
            for (; r + S16_ROWS <= rows; r += S16_ROWS)
                s16_tile(a + 2 * r * pairs, pairs, block, p0, p1, c + r * ldc + b * S16_COLUMNS, ldc, S16_ROWS);
            if (rows - r == 4) s16_tile(a + 2 * r * pairs, pairs, block, p0, p1, c + r * ldc + b * S16_COLUMNS, ldc, 4);
            else if (rows - r == 2) s16_tile(a + 2 * r * pairs, pairs, block, p0, p1, c + r * ldc + b * S16_COLUMNS, ldc, 2);
        }
}

/// oneDNN's element types for a product made by `kernel` in `precision`: activations,
/// weights, product.
static void element_types(int precision, kernel kernel, dnnl_data_type_t types[3]) {
    if (precision == CM_INT8) { types[0] = dnnl_u8; types[1] = dnnl_s8; types[2] = dnnl_s32; }
    else if (kernel == BRGEMM) { types[0] = dnnl_bf16; types[1] = dnnl_bf16; types[2] = dnnl_f32; }
    else { types[0] = dnnl_f32; types[1] = dnnl_f32; types[2] = dnnl_f32; }
}

/// Bytes of one activation as the product reads it.
static size_t activation_size(const cm_weights *w) {
    return w->kernel == F32_OF_BF16 ? 4 : w->kernel == S16 ? 2 : w->precision == CM_BF16 ? 2 : 1;
}

/// The matmul primitive descriptor for (m, n, k) with weights `wmd`.
static dnnl_status_t describe(int precision, kernel kernel, int m, int n, int k, const dnnl_memory_desc_t *wmd, dnnl_primitive_desc_t *pd) {
    dnnl_data_type_t types[3];
    element_types(precision, kernel, types);
    dnnl_memory_desc_t a, c;
    dnnl_dims_t ad = {m, k}, cd = {m, n};
    dnnl_status_t s = dnnl_memory_desc_init_by_tag(&a, 2, ad, types[0], dnnl_ab);
    if (s == dnnl_success) s = dnnl_memory_desc_init_by_tag(&c, 2, cd, types[2], dnnl_ab);
    dnnl_matmul_desc_t md;
    if (s == dnnl_success) s = dnnl_matmul_desc_init(&md, &a, wmd, NULL, &c);
    if (s == dnnl_success) s = dnnl_primitive_desc_create(pd, &md, NULL, engine, NULL);
    return s;
}

static dnnl_status_t run_reorder(const dnnl_memory_desc_t *from, void *src, const dnnl_memory_desc_t *to, void *dst) {
    dnnl_primitive_desc_t rpd = NULL; dnnl_primitive_t r = NULL; dnnl_memory_t ms = NULL, md = NULL; dnnl_stream_t st = NULL;
    dnnl_status_t s = dnnl_reorder_primitive_desc_create(&rpd, from, engine, to, engine, NULL);
    if (s == dnnl_success) s = dnnl_primitive_create(&r, rpd);
    if (s == dnnl_success) s = dnnl_memory_create(&ms, from, engine, src);
    if (s == dnnl_success) s = dnnl_memory_create(&md, to, engine, dst);
    if (s == dnnl_success) s = dnnl_stream_create(&st, engine, dnnl_stream_default_flags);
    if (s == dnnl_success) {
        dnnl_exec_arg_t args[] = {{DNNL_ARG_FROM, ms}, {DNNL_ARG_TO, md}};
        s = dnnl_primitive_execute(r, st, 2, args);
        if (s == dnnl_success) s = dnnl_stream_wait(st);
    }
    if (st) dnnl_stream_destroy(st);
    if (ms) dnnl_memory_destroy(ms);
    if (md) dnnl_memory_destroy(md);
    if (r) dnnl_primitive_destroy(r);
    if (rpd) dnnl_primitive_desc_destroy(rpd);
    return s;
}

/// `plain` (n x k row-major, in `type`) reordered into the layout oneDNN's product wants.
static dnnl_status_t pack_for_onednn(cm_weights *out, void *plain, dnnl_data_type_t type) {
    // W is n x k row-major: the k x n matrix the product wants, with strides {1, k}.
    dnnl_memory_desc_t user, any;
    dnnl_dims_t wd = {out->k, out->n}, ws = {1, out->k};
    dnnl_primitive_desc_t pd = NULL;
    dnnl_status_t s = dnnl_memory_desc_init_by_strides(&user, 2, wd, type, ws);
    if (s == dnnl_success) s = dnnl_memory_desc_init_by_tag(&any, 2, wd, type, dnnl_format_tag_any);
    if (s == dnnl_success) s = describe(out->precision, out->kernel, 64, out->n, out->k, &any, &pd);
    if (s == dnnl_success) {
        out->packed_md = *dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
        out->packed = aligned_alloc(64, (dnnl_memory_desc_get_size(&out->packed_md) + 63) / 64 * 64);
        s = out->packed ? run_reorder(&user, plain, &out->packed_md, out->packed) : dnnl_out_of_memory;
    }
    if (pd) dnnl_primitive_desc_destroy(pd);
    return s;
}

cm_weights *cm_pack(int precision, const float *w, int n, int k) {
    int chosen = kernel_for(precision);
    if (chosen < 0 || n <= 0 || k <= 0) return NULL;
    cm_weights *out = calloc(1, sizeof *out);
    if (!out) return NULL;
    out->precision = precision; out->n = n; out->k = k; out->kernel = (kernel)chosen;
    size_t count = (size_t)n * (size_t)k;
    dnnl_status_t s = dnnl_out_of_memory;
    if (precision == CM_BF16 && out->kernel == BRGEMM) {
        uint16_t *plain = malloc(count * 2);
        if (plain) { to_bf16(w, plain, count); s = pack_for_onednn(out, plain, dnnl_bf16); }
        free(plain);
    } else if (precision == CM_BF16) {
        float *plain = malloc(count * 4);
        if (plain) { round_bf16(w, plain, count); s = pack_for_onednn(out, plain, dnnl_f32); }
        free(plain);
    } else {
        // The same codes, scales and sums for every kernel: the products agree exactly.
        int8_t *plain = malloc(count);
        out->scales = malloc((size_t)n * sizeof(float));
        out->sums = malloc((size_t)n * sizeof(int32_t));
        if (plain && out->scales && out->sums) {
            quantize_rows(w, (size_t)n, (size_t)k, plain, out->scales);
            for (int r = 0; r < n; r++) {
                int32_t sum = 0;
                for (int c = 0; c < k; c++) sum += plain[(size_t)r * k + c];
                out->sums[r] = sum;
            }
            if (out->kernel == BRGEMM) s = pack_for_onednn(out, plain, dnnl_s8);
            else s = (out->packed = s16_pack(plain, n, k)) ? dnnl_success : dnnl_out_of_memory;
        }
        free(plain);
    }
    if (s != dnnl_success) { cm_free(out); return NULL; }
    return out;
}

void cm_free(cm_weights *w) {
    if (!w) return;
    free(w->packed); free(w->scales); free(w->sums); free(w);
}

// Per thread: a stream, the primitives made, and scratch buffers.
enum { CACHE = 256 };
typedef struct { int precision, n, k, m, threads; dnnl_primitive_t primitive; const char *impl; } cached;
typedef struct {
    dnnl_stream_t stream;
    cached entries[CACHE]; int used;
    void *a; size_t a_bytes;        // converted activations (m rounded up, zero padded)
    void *product; size_t p_bytes;  // the product before it is added into c
    float *row_scales; int32_t *row_zeros; size_t r_count;
} thread_state;

// The implementation behind the last product made on any thread (a static string).
static const char *_Atomic last_impl;

static pthread_key_t state_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void drop_state(void *p) {
    thread_state *t = p;
    for (int i = 0; i < t->used; i++) dnnl_primitive_destroy(t->entries[i].primitive);
    if (t->stream) dnnl_stream_destroy(t->stream);
    free(t->a); free(t->product); free(t->row_scales); free(t->row_zeros); free(t);
}
static void make_key(void) { pthread_key_create(&state_key, drop_state); }

static thread_state *state(void) {
    pthread_once(&key_once, make_key);
    thread_state *t = pthread_getspecific(state_key);
    if (!t) {
        t = calloc(1, sizeof *t);
        if (!t) return NULL;
        if (dnnl_stream_create(&t->stream, engine, dnnl_stream_default_flags) != dnnl_success) { free(t); return NULL; }
        pthread_setspecific(state_key, t);
    }
    return t;
}

static int grow(void **buffer, size_t *have, size_t want) {
    if (*have >= want) return 1;
    void *p = aligned_alloc(64, (want + 63) / 64 * 64);
    if (!p) return 0;
    free(*buffer); *buffer = p; *have = want;
    return 1;
}

/// The name of oneDNN's implementation, short: "brg:avx512_core_bf16", "gemm:jit".
static const char *short_impl(const char *impl) {
    static const char *known[] = {"brg:avx512_core_bf16", "brg:avx512_core_vnni", "brg:avx512_core", "gemm:jit", "gemm:ref"};
    for (size_t i = 0; impl && i < sizeof known / sizeof *known; i++)
        if (strncmp(impl, known[i], strlen(known[i])) == 0) return known[i];
    return impl ? "other" : "unknown";
}

static dnnl_status_t primitive(thread_state *t, const cm_weights *w, int m, int threads, dnnl_primitive_t *out) {
    for (int i = 0; i < t->used; i++) {
        cached *e = &t->entries[i];
        if (e->precision == w->precision && e->n == w->n && e->k == w->k && e->m == m && e->threads == threads) {
            *out = e->primitive; last_impl = e->impl;
            return dnnl_success;
        }
    }
    if (t->used == CACHE) {   // full: start again (bulk embedding sees a few hundred row counts at most)
        for (int i = 0; i < t->used; i++) dnnl_primitive_destroy(t->entries[i].primitive);
        t->used = 0;
    }
    dnnl_primitive_desc_t pd = NULL;
    dnnl_status_t s = describe(w->precision, w->kernel, m, w->n, w->k, &w->packed_md, &pd);
    if (s == dnnl_success) s = dnnl_primitive_create(out, pd);
    if (s == dnnl_success) {
        const char *impl = NULL;
        dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl);
        last_impl = short_impl(impl);
        t->entries[t->used++] = (cached){w->precision, w->n, w->k, m, threads, *out, last_impl};
    }
    if (pd) dnnl_primitive_desc_destroy(pd);
    return s;
}

typedef struct { void (*body)(void *, int, int); void *context; int parts; } parallel_call;

static void run_part(void *p) {
    parallel_call *call = p;
    // The team may be smaller than asked (a thread limit): its threads share the parts.
    int team = omp_team_size();
    for (int part = omp_thread_num(); part < call->parts; part += team < 1 ? 1 : team) call->body(call->context, part, call->parts);
}

void cm_parallel(int parts, void (*body)(void *context, int part, int parts), void *context) {
    pthread_once(&engine_once, make_engine);
    if (parts > 1 && gomp_parallel && omp_thread_num && omp_team_size) {
        parallel_call call = {body, context, parts};
        gomp_parallel(run_part, &call, (unsigned)parts, 0);
        return;
    }
    for (int part = 0; part < parts; part++) body(context, part, parts);
}

/// The work around one product, cut into parts for the team's threads: converting the
/// activations (rows), S16's product (column blocks), writing c (rows).
typedef enum { CONVERT, MULTIPLY, WRITE } stage;
typedef struct {
    const cm_weights *w; int m, rows, accumulate; stage stage;
    const float *a, *bias; float *c; const thread_state *t;
    size_t ldp;   // Int32s or floats a row of the product
} rows_job;

static void job_part(void *p, int part, int parts) {
    const rows_job *j = p;
    const cm_weights *w = j->w;
    const thread_state *t = j->t;
    size_t n = (size_t)w->n, k = (size_t)w->k;
    if (j->stage == MULTIPLY) {   // S16 only
        size_t blocks = s16_blocks(w->n), b0 = blocks * part / parts, b1 = blocks * (part + 1) / parts;
        s16_product(t->a, (size_t)j->rows, s16_pairs(w->k), w->packed, b0, b1, t->product, j->ldp);
        return;
    }
    size_t r0 = (size_t)j->m * part / parts, r1 = (size_t)j->m * (part + 1) / parts, count = r1 - r0;
    if (j->stage == CONVERT) {
        if (w->kernel == BRGEMM && w->precision == CM_BF16) {
            to_bf16(j->a + r0 * k, (uint16_t *)t->a + r0 * k, count * k);
        } else if (w->kernel == F32_OF_BF16) {
            round_bf16(j->a + r0 * k, (float *)t->a + r0 * k, count * k);
        } else if (w->kernel == BRGEMM) {
            quantize_rows_u8(j->a + r0 * k, count, k, (uint8_t *)t->a + r0 * k, NULL, 0, t->row_scales + r0, t->row_zeros + r0);
        } else {
            size_t stride = 2 * s16_pairs(w->k);
            quantize_rows_u8(j->a + r0 * k, count, k, NULL, (int16_t *)t->a + r0 * stride, stride, t->row_scales + r0, t->row_zeros + r0);
        }
    } else if (w->precision == CM_BF16) {
        put_product(j->c + r0 * n, (const float *)t->product + r0 * j->ldp, count, n, j->ldp, j->bias, j->accumulate);
    } else {
        put_scaled(j->c + r0 * n, (const int32_t *)t->product + r0 * j->ldp, count, n, j->ldp, t->row_scales + r0, t->row_zeros + r0,
                   w->scales, w->sums, j->bias, j->accumulate);
    }
}

/// A job on `threads` threads when there is enough to share: 16 rows a part, or a
/// block of columns.
static void run_job(rows_job *job, int threads) {
    int units = job->stage == MULTIPLY ? (int)s16_blocks(job->w->n) : job->m / 16;
    int parts = threads < units ? threads : units;
    if (parts > 1) cm_parallel(parts, job_part, job);
    else job_part(job, 0, 1);
}

/// The product by oneDNN: t->a (rows x k) times the packed weights into t->product.
static dnnl_status_t onednn_product(thread_state *t, const cm_weights *w, int rows, int threads) {
    dnnl_primitive_t prim;
    dnnl_status_t s = primitive(t, w, rows, threads, &prim);
    if (s != dnnl_success) return s;
    dnnl_data_type_t types[3];
    element_types(w->precision, w->kernel, types);
    dnnl_memory_desc_t amd, cmd;
    dnnl_dims_t ad = {rows, w->k}, cd = {rows, w->n};
    dnnl_memory_desc_init_by_tag(&amd, 2, ad, types[0], dnnl_ab);
    dnnl_memory_desc_init_by_tag(&cmd, 2, cd, types[2], dnnl_ab);
    dnnl_memory_t ma = NULL, mw = NULL, mc = NULL;
    s = dnnl_memory_create(&ma, &amd, engine, t->a);
    if (s == dnnl_success) s = dnnl_memory_create(&mw, &w->packed_md, engine, w->packed);
    if (s == dnnl_success) s = dnnl_memory_create(&mc, &cmd, engine, t->product);
    if (s == dnnl_success) {
        dnnl_exec_arg_t args[] = {{DNNL_ARG_SRC, ma}, {DNNL_ARG_WEIGHTS, mw}, {DNNL_ARG_DST, mc}};
        s = dnnl_primitive_execute(prim, t->stream, 3, args);
        if (s == dnnl_success) s = dnnl_stream_wait(t->stream);
    }
    if (ma) dnnl_memory_destroy(ma);
    if (mw) dnnl_memory_destroy(mw);
    if (mc) dnnl_memory_destroy(mc);
    return s;
}

int cm_matmul(const cm_weights *w, const float *a, int m, const float *bias, float *c, int accumulate, int threads) {
    if (!w || m <= 0) return m == 0 ? 0 : dnnl_invalid_arguments;
    thread_state *t = state();
    if (!t) return dnnl_out_of_memory;
    if (set_omp_threads) set_omp_threads(threads < 1 ? 1 : threads);
    threads = threads < 1 ? 1 : threads;
    int rows = (m + 15) / 16 * 16;   // fewer distinct shapes to make; S16 wants an even count
    size_t width = w->kernel == S16 ? 2 * s16_pairs(w->k) : (size_t)w->k;   // activations a row
    size_t ldp = w->kernel == S16 ? s16_blocks(w->n) * S16_COLUMNS : (size_t)w->n;
    size_t element = activation_size(w);
    if (!grow(&t->a, &t->a_bytes, (size_t)rows * width * element) || !grow(&t->product, &t->p_bytes, (size_t)rows * ldp * 4)) return dnnl_out_of_memory;
    if (w->precision == CM_INT8 && t->r_count < (size_t)m) {
        free(t->row_scales); free(t->row_zeros);
        t->row_scales = malloc((size_t)m * sizeof(float));
        t->row_zeros = malloc((size_t)m * sizeof(int32_t));
        t->r_count = t->row_scales && t->row_zeros ? (size_t)m : 0;
        if (!t->r_count) return dnnl_out_of_memory;
    }
    rows_job job = {w, m, rows, accumulate, CONVERT, a, bias, c, t, ldp};
    run_job(&job, threads);
    memset((char *)t->a + (size_t)m * width * element, 0, (size_t)(rows - m) * width * element);
    if (w->kernel == S16) {
        job.stage = MULTIPLY;
        run_job(&job, threads);
        last_impl = "refer:avx2_s16";
    } else {
        dnnl_status_t s = onednn_product(t, w, rows, threads);
        if (s != dnnl_success) return s;
    }
    job.stage = WRITE;
    run_job(&job, threads);
    return 0;
}

const char *cm_last_impl(void) {
    const char *impl = last_impl;
    return impl ? impl : "none";
}
