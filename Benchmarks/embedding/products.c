// The embedder's int8 product on this CPU, one thread, against oneDNN's: GMAC/s and how
// many outputs are exact on full-range operands (uint8 codes 0..255 against int8 weights
// -127..127, as refer's activation rows and weight rows are). Built and run by products.sh.
//   oneDNN f32       the Float32 product (the f32 path's rate)
//   oneDNN u8s8      oneDNN's own int8 product on plain operands (gemm:jit on AVX2, brgemm with VNNI)
//   refer int8       cm_matmul's int8 product (refer:avx2_s16 on AVX2, brgemm with VNNI), its
//                    Int32 products compared with exact sums before the scales
#include "../../Sources/CMatmul/matmul.c"
#include <stdio.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static uint64_t seed = 0x9E3779B97F4A7C15u;
static uint32_t next(void) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return (uint32_t)(seed >> 16); }

/// oneDNN's matmul on plain operands: (seconds a call, outputs differing from the exact sums).
static void onednn(int integer, int m, int n, int k, const uint8_t *a8, const int8_t *w8, double *seconds, long *inexact) {
    dnnl_memory_desc_t a, w, c;
    dnnl_dims_t ad = {m, k}, wd = {k, n}, cd = {m, n}, ws = {1, k};
    dnnl_memory_desc_init_by_tag(&a, 2, ad, integer ? dnnl_u8 : dnnl_f32, dnnl_ab);
    dnnl_memory_desc_init_by_strides(&w, 2, wd, integer ? dnnl_s8 : dnnl_f32, ws);
    dnnl_memory_desc_init_by_tag(&c, 2, cd, integer ? dnnl_s32 : dnnl_f32, dnnl_ab);
    dnnl_matmul_desc_t md; dnnl_matmul_desc_init(&md, &a, &w, NULL, &c);
    dnnl_primitive_desc_t pd; dnnl_primitive_t p; dnnl_stream_t st;
    dnnl_primitive_desc_create(&pd, &md, NULL, engine, NULL);
    dnnl_primitive_create(&p, pd);
    dnnl_stream_create(&st, engine, 0);
    size_t e = integer ? 1 : 4;
    void *A = malloc((size_t)m * k * e), *W = malloc((size_t)n * k * e), *C = malloc((size_t)m * n * 4);
    for (size_t i = 0; i < (size_t)m * k; i++) { if (integer) ((uint8_t *)A)[i] = a8[i]; else ((float *)A)[i] = a8[i]; }
    for (size_t i = 0; i < (size_t)n * k; i++) { if (integer) ((int8_t *)W)[i] = w8[i]; else ((float *)W)[i] = w8[i]; }
    dnnl_memory_t ma, mw, mc;
    dnnl_memory_create(&ma, &a, engine, A); dnnl_memory_create(&mw, &w, engine, W); dnnl_memory_create(&mc, &c, engine, C);
    dnnl_exec_arg_t args[] = {{DNNL_ARG_SRC, ma}, {DNNL_ARG_WEIGHTS, mw}, {DNNL_ARG_DST, mc}};
    dnnl_primitive_execute(p, st, 3, args); dnnl_stream_wait(st);
    *inexact = 0;
    if (integer)
        for (int r = 0; r < m; r++)
            for (int j = 0; j < n; j++) {
                int64_t exact = 0;
                for (int q = 0; q < k; q++) exact += (int64_t)a8[(size_t)r * k + q] * w8[(size_t)j * k + q];
                *inexact += exact != ((int32_t *)C)[(size_t)r * n + j];
            }
    int reps = 50; double t0 = now();
    for (int i = 0; i < reps; i++) { dnnl_primitive_execute(p, st, 3, args); dnnl_stream_wait(st); }
    *seconds = (now() - t0) / reps;
    const char *impl; dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl);
    printf("  (%s)", impl);
    free(A); free(W); free(C);
}

int main(void) {
    const int m = 256, n = 1536, k = 384;   // 256 rows (a batch), the FFN's first product
    if (!cm_available(CM_INT8)) { fprintf(stderr, "products: this CPU runs no int8 product\n"); return 2; }
    if (set_omp_threads) set_omp_threads(1);
    uint8_t *a8 = malloc((size_t)m * k); int8_t *w8 = malloc((size_t)n * k);
    float *af = malloc((size_t)m * k * 4), *wf = malloc((size_t)n * k * 4), *c = malloc((size_t)m * n * 4), *bias = calloc(n, 4);
    for (size_t i = 0; i < (size_t)m * k; i++) { a8[i] = (uint8_t)next(); af[i] = a8[i]; }
    for (size_t i = 0; i < (size_t)n * k; i++) { w8[i] = (int8_t)(next() % 255 - 127); wf[i] = w8[i]; }
    for (int r = 0; r < m; r++) { af[(size_t)r * k] = 0; af[(size_t)r * k + 1] = 255; }   // each row spans 0..255: scale 1, zero 0
    for (int j = 0; j < n; j++) wf[(size_t)j * k] = 127;                                   // each weight row reaches 127: scale 1
    for (int r = 0; r < m; r++) { a8[(size_t)r * k] = 0; a8[(size_t)r * k + 1] = 255; }
    for (int j = 0; j < n; j++) w8[(size_t)j * k] = 127;
    double macs = (double)m * n * k, s; long bad;
    printf("%d x %d x %d, one thread\n", m, n, k);
    printf("oneDNN f32 "); onednn(0, m, n, k, a8, w8, &s, &bad); printf(": %.1f GMAC/s\n", macs / s / 1e9);
    printf("oneDNN u8s8"); onednn(1, m, n, k, a8, w8, &s, &bad);
    printf(": %.1f GMAC/s, %ld of %.0f outputs inexact (%.1f%%)\n", macs / s / 1e9, bad, (double)m * n, 100.0 * bad / ((double)m * n));
    cm_weights *w = cm_pack(CM_INT8, wf, n, k);
    cm_matmul(w, af, m, bias, c, 0, 1);
    bad = 0;   // scale 1 and zero 0 on every row and column: c holds the exact sums as floats
    for (int r = 0; r < m; r++)
        for (int j = 0; j < n; j++) {
            int64_t exact = 0;
            for (int q = 0; q < k; q++) exact += (int64_t)a8[(size_t)r * k + q] * w8[(size_t)j * k + q];
            bad += (double)exact != (double)c[(size_t)r * n + j];
        }
    int reps = 50; double t0 = now();
    for (int i = 0; i < reps; i++) cm_matmul(w, af, m, bias, c, 0, 1);
    s = (now() - t0) / reps;
    printf("refer int8  (%s): %.1f GMAC/s with quantization and epilogue, %ld of %.0f outputs inexact\n",
           cm_last_impl(), macs / s / 1e9, bad, (double)m * n);
    cm_free(w);
    return 0;
}
