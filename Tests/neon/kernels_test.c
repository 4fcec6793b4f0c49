// The arm64 kernels against the scalar definitions, built for aarch64 and run under
// qemu-aarch64 on an x86 machine (Tests/neon/run.sh), or natively on arm64. Every entry of
// the NEON table, both byte products (widening and sdot), lengths around every block size.
#include "../../Sources/CKernels/internal.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int failures, checks;

/// The definition every byte product must equal.
static int32_t dot_u8s8(const int8_t *q, const uint8_t *c, size_t n) {
    int32_t sum = 0;
    for (size_t i = 0; i < n; i++) sum += (int32_t)q[i] * (int32_t)c[i];
    return sum;
}
static uint64_t state = 0x9E3779B97F4A7C15u;
static uint32_t next(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return (uint32_t)(state >> 16); }
static float uniform(void) { return (float)(next() % 2000001) / 1000000.0f - 1.0f; }   // [-1, 1]

/// `magnitude`: the sum of the terms' absolute values. Summed in another order (a few
/// lanes, then across them), a result may differ by about n / 4 roundings of it; a term
/// left out or counted twice moves it by about magnitude / n, far more.
static void close_enough(const char *what, size_t n, float got, float want, float magnitude) {
    checks++;
    float tolerance = ((float)n / 4 + 4) * 1.2e-7f * magnitude;
    if (!(fabsf(got - want) <= tolerance)) {
        failures++;
        fprintf(stderr, "%s, n = %zu: got %.9g, want %.9g\n", what, n, got, want);
    }
}

static void exactly(const char *what, size_t n, int32_t got, int32_t want) {
    checks++;
    if (got != want) { failures++; fprintf(stderr, "%s, n = %zu: got %d, want %d\n", what, n, got, want); }
}

int main(void) {
    const ck_table *neon = ck_table_for(CK_NEON), *scalar = ck_table_for(CK_SCALAR);
    if (!neon) { fprintf(stderr, "no NEON table: not an arm64 build\n"); return 2; }
    if (ck_best_isa() != CK_NEON) { fprintf(stderr, "ck_best_isa is not NEON on arm64\n"); return 1; }
    const size_t lengths[] = {1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 128, 383, 384, 385, 1536};
    enum { MAX = 1536 };
    static float a[MAX], b[MAX], w[MAX], af[MAX], aa[MAX], ab[MAX];
    static uint16_t h[MAX], ah[MAX];
    static uint8_t c[MAX], c4[MAX];
    static int8_t q[MAX];
    for (size_t t = 0; t < sizeof lengths / sizeof *lengths; t++) {
        size_t n = lengths[t];
        for (int round = 0; round < 20; round++) {
            for (size_t i = 0; i < n; i++) {
                a[i] = uniform(); b[i] = uniform(); w[i] = uniform() + 1.0f;
                h[i] = ck_f32_to_f16(uniform());
                c[i] = (uint8_t)next();
                af[i] = uniform() * 255.0f;
                // The extremes first: full-range codes against |q| = 127 is where a 16-bit
                // pair sum would saturate.
                q[i] = round == 0 ? (int8_t)(i % 2 ? 127 : -127) : (int8_t)(next() % 255 - 127);
                if (round == 0) c[i] = 255;
            }
            for (size_t i = 0; i < ck_sq4_bytes(n); i++) c4[i] = (uint8_t)next();
            for (size_t i = 0; i < n; i++) { aa[i] = fabsf(a[i]); ab[i] = fabsf(b[i]); ah[i] = h[i] & 0x7fff; }
            // Squares are never negative: the scalar result is its own magnitude.
            float sq;
            sq = scalar->l2sq_f32(a, b, n); close_enough("l2sq_f32", n, neon->l2sq_f32(a, b, n), sq, sq);
            close_enough("dot_f32", n, neon->dot_f32(a, b, n), scalar->dot_f32(a, b, n), scalar->dot_f32(aa, ab, n));
            sq = scalar->l2sq_f16(a, h, n); close_enough("l2sq_f16", n, neon->l2sq_f16(a, h, n), sq, sq);
            close_enough("dot_f16", n, neon->dot_f16(a, h, n), scalar->dot_f16(a, h, n), scalar->dot_f16(aa, ah, n));
            sq = scalar->l2sq_sq8(af, w, c, n); close_enough("l2sq_sq8", n, neon->l2sq_sq8(af, w, c, n), sq, sq);
            close_enough("dot_sq8", n, neon->dot_sq8(a, w, c, n), scalar->dot_sq8(a, w, c, n), scalar->dot_sq8(aa, w, c, n));
            sq = scalar->l2sq_sq4(a, w, c4, n); close_enough("l2sq_sq4", n, neon->l2sq_sq4(a, w, c4, n), sq, sq);
            close_enough("dot_sq4", n, neon->dot_sq4(a, w, c4, n), scalar->dot_sq4(a, w, c4, n), scalar->dot_sq4(aa, w, c4, n));
            int32_t want = dot_u8s8(q, c, n);
            exactly("dot_u8s8 (widening)", n, ck_dot_u8s8_neon(q, c, n), want);
            ck_u8s8_fn chosen = ck_dot_u8s8_for(CK_NEON);
            if (chosen == ck_dot_u8s8_neon_dotprod) exactly("dot_u8s8 (sdot)", n, ck_dot_u8s8_neon_dotprod(q, c, n), want);
            exactly("dot_u8s8 (chosen)", n, chosen ? chosen(q, c, n) : -1, want);
        }
    }
    exactly("byte query limit", 0, ck_u8s8_query_limit(ck_dot_u8s8_for(CK_NEON)), 127);
    fflush(stderr);
    printf("neon kernels: %d checks, %d failures (byte product chosen: %s)\n", checks, failures,
           ck_dot_u8s8_for(CK_NEON) == ck_dot_u8s8_neon_dotprod ? "sdot" : "widening");
    return failures ? 1 : 0;
}
