// oneDNN glue for cmatmul.h. Weights are reordered once into the layout brgemm wants
// (queried with format "any"); activations are converted per call (bf16, or int8 per row
// with its scale); the product goes to a scratch f32/s32 buffer and is written or added
// into c with the scales and the bias applied in one pass. Primitives are cached per
// thread by (precision, n, k, m rounded up to 16, threads): oneDNN bakes the thread count
// into a primitive and keeps its scratchpad per thread, so each thread makes and runs its own.
#include "include/cmatmul.h"
#include <dlfcn.h>
#include <math.h>
#include <oneapi/dnnl/dnnl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct cm_weights {
    int precision, n, k;
    dnnl_memory_desc_t packed_md;  // the blocked layout brgemm chose
    void *packed;                  // weights in that layout
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

static void make_engine(void) {
    engine_ok = dnnl_engine_create(&engine, dnnl_cpu, 0) == dnnl_success;
    set_omp_threads = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    gomp_parallel = (void (*)(void (*)(void *), void *, unsigned, unsigned))dlsym(RTLD_DEFAULT, "GOMP_parallel");
    omp_thread_num = (int (*)(void))dlsym(RTLD_DEFAULT, "omp_get_thread_num");
    omp_team_size = (int (*)(void))dlsym(RTLD_DEFAULT, "omp_get_num_threads");
}

int cm_available(int precision) {
    pthread_once(&engine_once, make_engine);
    if (!engine_ok) return 0;
    unsigned isa = (unsigned)dnnl_get_effective_cpu_isa();
    unsigned want = precision == CM_BF16 ? (unsigned)dnnl_cpu_isa_avx512_core_bf16 : (unsigned)dnnl_cpu_isa_avx512_core_vnni;
    return (isa & want) == want;
}

// The per-call loops run only where cm_available() found AVX-512 (cm_pack refuses
// otherwise), so they are compiled for it; plain C that the compiler vectorizes.
#define HOT __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))

/// Float32 to bfloat16, rounding to nearest even (NaN stays NaN).
HOT static void to_bf16(const float *restrict x, uint16_t *restrict out, size_t count) {
    for (size_t i = 0; i < count; i++) {
        uint32_t u; memcpy(&u, &x[i], 4);
        uint32_t rounded = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
        out[i] = (uint16_t)((u & 0x7fffffffu) > 0x7f800000u ? (u >> 16) | 0x40u : rounded);
    }
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
HOT static void put_product(float *restrict c, const float *restrict p, size_t rows, size_t cols,
                            const float *restrict bias, int accumulate) {
    for (size_t r = 0; r < rows; r++) {
        float *cr = c + r * cols;
        const float *pr = p + r * cols;
        if (accumulate) for (size_t j = 0; j < cols; j++) cr[j] += pr[j] + bias[j];
        else for (size_t j = 0; j < cols; j++) cr[j] = pr[j] + bias[j];
    }
}

/// Each row of x (rows x cols) as uint8 with its own scale and zero point, over the row's
/// range widened to hold 0: x = scale (q - zero). Asymmetric, so a row of GELU outputs
/// (mostly positive) keeps all 256 levels.
HOT static void quantize_rows_u8(const float *restrict x, size_t rows, size_t cols, uint8_t *restrict out,
                                 float *restrict scales, int32_t *restrict zeros) {
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
        uint8_t *q = out + r * cols;
        for (i = 0; i < cols; i++) {
            float v = (row[i] * inverse + 12582912.0f) - 12582912.0f + zero;
            v = v > 255 ? 255 : v < 0 ? 0 : v;
            q[i] = (uint8_t)(int32_t)v;
        }
    }
}

/// c (rows x cols) = scale_r x scale_c x (p - zero_r x sum_c) + bias, or += with
/// `accumulate`: an Int32 product of (q_a - zero) and the weights, the zero point taken out
/// through the weights' row sums.
HOT static void put_scaled(float *restrict c, const int32_t *restrict p, size_t rows, size_t cols,
                           const float *restrict row_scales, const int32_t *restrict zeros,
                           const float *restrict col_scales, const int32_t *restrict col_sums,
                           const float *restrict bias, int accumulate) {
    for (size_t r = 0; r < rows; r++) {
        float rs = row_scales[r];
        int32_t z = zeros[r];
        float *cr = c + r * cols;
        const int32_t *pr = p + r * cols;
        if (accumulate)
            for (size_t j = 0; j < cols; j++) cr[j] += (float)(pr[j] - z * col_sums[j]) * (rs * col_scales[j]) + bias[j];
        else
            for (size_t j = 0; j < cols; j++) cr[j] = (float)(pr[j] - z * col_sums[j]) * (rs * col_scales[j]) + bias[j];
    }
}

/// The matmul primitive descriptor for (precision, m, n, k) with weights `wmd`.
static dnnl_status_t describe(int precision, int m, int n, int k, const dnnl_memory_desc_t *wmd, dnnl_primitive_desc_t *pd) {
    dnnl_memory_desc_t a, c;
    dnnl_dims_t ad = {m, k}, cd = {m, n};
    dnnl_status_t s = dnnl_memory_desc_init_by_tag(&a, 2, ad, precision == CM_BF16 ? dnnl_bf16 : dnnl_u8, dnnl_ab);
    if (s == dnnl_success) s = dnnl_memory_desc_init_by_tag(&c, 2, cd, precision == CM_BF16 ? dnnl_f32 : dnnl_s32, dnnl_ab);
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

cm_weights *cm_pack(int precision, const float *w, int n, int k) {
    if (!cm_available(precision) || n <= 0 || k <= 0) return NULL;
    cm_weights *out = calloc(1, sizeof *out);
    if (!out) return NULL;
    out->precision = precision; out->n = n; out->k = k;
    size_t count = (size_t)n * (size_t)k;
    void *plain = malloc(count * (precision == CM_BF16 ? 2 : 1));
    if (!plain) { free(out); return NULL; }
    if (precision == CM_BF16) {
        to_bf16(w, plain, count);
    } else {
        out->scales = malloc((size_t)n * sizeof(float));
        out->sums = malloc((size_t)n * sizeof(int32_t));
        if (out->scales && out->sums) {
            quantize_rows(w, (size_t)n, (size_t)k, plain, out->scales);
            const int8_t *q = plain;
            for (int r = 0; r < n; r++) {
                int32_t sum = 0;
                for (int c = 0; c < k; c++) sum += q[(size_t)r * k + c];
                out->sums[r] = sum;
            }
        }
    }
    // W is n x k row-major: the k x n matrix the product wants, with strides {1, k}.
    dnnl_memory_desc_t user, any;
    dnnl_dims_t wd = {k, n}, ws = {1, k};
    dnnl_data_type_t type = precision == CM_BF16 ? dnnl_bf16 : dnnl_s8;
    dnnl_primitive_desc_t pd = NULL;
    dnnl_status_t s = (precision == CM_INT8 && !(out->scales && out->sums)) ? dnnl_out_of_memory : dnnl_success;
    if (s == dnnl_success) s = dnnl_memory_desc_init_by_strides(&user, 2, wd, type, ws);
    if (s == dnnl_success) s = dnnl_memory_desc_init_by_tag(&any, 2, wd, type, dnnl_format_tag_any);
    if (s == dnnl_success) s = describe(precision, 64, n, k, &any, &pd);
    if (s == dnnl_success) {
        out->packed_md = *dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
        out->packed = aligned_alloc(64, (dnnl_memory_desc_get_size(&out->packed_md) + 63) / 64 * 64);
        s = out->packed ? run_reorder(&user, plain, &out->packed_md, out->packed) : dnnl_out_of_memory;
    }
    if (pd) dnnl_primitive_desc_destroy(pd);
    free(plain);
    if (s != dnnl_success) { cm_free(out); return NULL; }
    return out;
}

void cm_free(cm_weights *w) {
    if (!w) return;
    free(w->packed); free(w->scales); free(w->sums); free(w);
}

// Per thread: a stream, the primitives made, and scratch buffers.
enum { CACHE = 256 };
typedef struct { int precision, n, k, m, threads; dnnl_primitive_t primitive; } cached;
typedef struct {
    dnnl_stream_t stream;
    cached entries[CACHE]; int used;
    void *a; size_t a_bytes;        // converted activations (m rounded up, zero padded)
    void *product; size_t p_bytes;  // the product before it is added into c
    float *row_scales; int32_t *row_zeros; size_t r_count;
    const char *impl;
} thread_state;

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

static dnnl_status_t primitive(thread_state *t, const cm_weights *w, int m, int threads, dnnl_primitive_t *out) {
    for (int i = 0; i < t->used; i++) {
        cached *e = &t->entries[i];
        if (e->precision == w->precision && e->n == w->n && e->k == w->k && e->m == m && e->threads == threads) { *out = e->primitive; return dnnl_success; }
    }
    if (t->used == CACHE) {   // full: start again (bulk embedding sees a few hundred row counts at most)
        for (int i = 0; i < t->used; i++) dnnl_primitive_destroy(t->entries[i].primitive);
        t->used = 0;
    }
    dnnl_primitive_desc_t pd = NULL;
    dnnl_status_t s = describe(w->precision, m, w->n, w->k, &w->packed_md, &pd);
    if (s == dnnl_success) s = dnnl_primitive_create(out, pd);
    if (s == dnnl_success) {
        const char *impl = NULL;
        dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl);
        t->impl = impl ? (strncmp(impl, "brg:avx512_core_bf16", 20) == 0 ? "brg:avx512_core_bf16"
                          : strncmp(impl, "brg:avx512_core_vnni", 20) == 0 ? "brg:avx512_core_vnni" : "other") : "unknown";
        t->entries[t->used++] = (cached){w->precision, w->n, w->k, m, threads, *out};
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

/// The per-row work around one product, cut into row ranges for the team's threads.
typedef struct {
    const cm_weights *w; int m, accumulate, epilogue;   // epilogue: 0 converts a, 1 writes c
    const float *a, *bias; float *c; const thread_state *t;
} rows_job;

static void job_rows(void *p, int part, int parts) {
    const rows_job *j = p;
    const cm_weights *w = j->w;
    size_t n = (size_t)w->n, k = (size_t)w->k;
    size_t r0 = (size_t)j->m * part / parts, r1 = (size_t)j->m * (part + 1) / parts, count = r1 - r0;
    const thread_state *t = j->t;
    if (!j->epilogue && w->precision == CM_BF16)
        to_bf16(j->a + r0 * k, (uint16_t *)t->a + r0 * k, count * k);
    else if (!j->epilogue)
        quantize_rows_u8(j->a + r0 * k, count, k, (uint8_t *)t->a + r0 * k, t->row_scales + r0, t->row_zeros + r0);
    else if (w->precision == CM_BF16)
        put_product(j->c + r0 * n, (const float *)t->product + r0 * n, count, n, j->bias, j->accumulate);
    else
        put_scaled(j->c + r0 * n, (const int32_t *)t->product + r0 * n, count, n, t->row_scales + r0, t->row_zeros + r0,
                   w->scales, w->sums, j->bias, j->accumulate);
}

/// A job over all its rows: on `threads` threads when there are enough rows to share.
static void run_rows(rows_job *job, int threads) {
    int parts = threads < job->m / 16 ? threads : job->m / 16;
    if (parts > 1) cm_parallel(parts, job_rows, job);
    else job_rows(job, 0, 1);
}

int cm_matmul(const cm_weights *w, const float *a, int m, const float *bias, float *c, int accumulate, int threads) {
    if (!w || m <= 0) return m == 0 ? 0 : dnnl_invalid_arguments;
    thread_state *t = state();
    if (!t) return dnnl_out_of_memory;
    if (set_omp_threads) set_omp_threads(threads < 1 ? 1 : threads);
    int n = w->n, k = w->k, rows = (m + 15) / 16 * 16;   // fewer distinct shapes to make
    size_t element = w->precision == CM_BF16 ? 2 : 1;
    if (!grow(&t->a, &t->a_bytes, (size_t)rows * k * element) || !grow(&t->product, &t->p_bytes, (size_t)rows * n * 4)) return dnnl_out_of_memory;
    if (w->precision == CM_INT8 && t->r_count < (size_t)m) {
        free(t->row_scales); free(t->row_zeros);
        t->row_scales = malloc((size_t)m * sizeof(float));
        t->row_zeros = malloc((size_t)m * sizeof(int32_t));
        t->r_count = t->row_scales && t->row_zeros ? (size_t)m : 0;
        if (!t->r_count) return dnnl_out_of_memory;
    }
    rows_job job = {w, m, accumulate, 0, a, bias, c, t};
    run_rows(&job, threads);
    memset((char *)t->a + (size_t)m * k * element, 0, (size_t)(rows - m) * k * element);
    dnnl_primitive_t prim;
    dnnl_status_t s = primitive(t, w, rows, threads, &prim);
    if (s != dnnl_success) return s;
    dnnl_memory_desc_t amd, cmd;
    dnnl_dims_t ad = {rows, k}, cd = {rows, n};
    dnnl_memory_desc_init_by_tag(&amd, 2, ad, w->precision == CM_BF16 ? dnnl_bf16 : dnnl_u8, dnnl_ab);
    dnnl_memory_desc_init_by_tag(&cmd, 2, cd, w->precision == CM_BF16 ? dnnl_f32 : dnnl_s32, dnnl_ab);
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
    if (s != dnnl_success) return s;
    job.epilogue = 1;
    run_rows(&job, threads);
    return 0;
}

const char *cm_last_impl(void) {
    thread_state *t = pthread_getspecific(state_key);
    return t && t->impl ? t->impl : "none";
}
