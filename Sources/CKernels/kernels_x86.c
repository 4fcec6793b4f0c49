// x86-64 kernels: AVX2+FMA+F16C (8 lanes) and AVX-512F (16 lanes, masked tails).
// Each function carries its own target attribute, so the file builds for the
// baseline and the dispatcher only hands these out when the CPU has them.
#if defined(__x86_64__) || defined(__i386__)
#include "internal.h"
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma,f16c")))
#define AVX512 __attribute__((target("avx512f,avx2,fma,f16c")))

AVX2 static inline float hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// ---- AVX2 ----

// Four accumulators in the float kernels: an FMA's result is ready 4-5 cycles later and
// two issue a cycle, so with two chains (16 floats a step) a 384-d distance waited on
// latency for about twice the time its loads need; four chains (32 floats a step) reach
// the load ports' rate, as the AVX-512 kernels' two chains of 16 lanes do.

// One loop for both element types: `load` reads 8 stored components as floats, `at` one;
// always inlined with a constant function, so each kernel compiles to its own plain loop.
typedef __m256 (*load8_fn)(const void *, size_t);
typedef float (*load1_fn)(const void *, size_t);
AVX2 static inline __m256 load8_f32(const void *p, size_t i) { return _mm256_loadu_ps((const float *)p + i); }
AVX2 static inline __m256 load8_f16(const void *p, size_t i) { return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const uint16_t *)p + i))); }
static inline float at_f32(const void *p, size_t i) { return ((const float *)p)[i]; }
static inline float at_f16(const void *p, size_t i) { return ck_f16_to_f32(((const uint16_t *)p)[i]); }

AVX2 __attribute__((always_inline)) static inline float l2sq_avx2(const float *q, const void *c, size_t n, load8_fn load, load1_fn at) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(q + i), load(c, i));
        __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(q + i + 8), load(c, i + 8));
        __m256 d2 = _mm256_sub_ps(_mm256_loadu_ps(q + i + 16), load(c, i + 16));
        __m256 d3 = _mm256_sub_ps(_mm256_loadu_ps(q + i + 24), load(c, i + 24));
        s0 = _mm256_fmadd_ps(d0, d0, s0);
        s1 = _mm256_fmadd_ps(d1, d1, s1);
        s2 = _mm256_fmadd_ps(d2, d2, s2);
        s3 = _mm256_fmadd_ps(d3, d3, s3);
    }
    for (; i + 8 <= n; i += 8) {
        __m256 d = _mm256_sub_ps(_mm256_loadu_ps(q + i), load(c, i));
        s0 = _mm256_fmadd_ps(d, d, s0);
    }
    float s = hsum256(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; i++) { float d = q[i] - at(c, i); s += d * d; }
    return s;
}

AVX2 __attribute__((always_inline)) static inline float dot_avx2(const float *q, const void *c, size_t n, load8_fn load, load1_fn at) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), load(c, i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 8), load(c, i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 16), load(c, i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 24), load(c, i + 24), s3);
    }
    for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), load(c, i), s0);
    float s = hsum256(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; i++) s += q[i] * at(c, i);
    return s;
}

AVX2 static float l2sq_f32_avx2(const float *a, const float *b, size_t n) { return l2sq_avx2(a, b, n, load8_f32, at_f32); }
AVX2 static float dot_f32_avx2(const float *a, const float *b, size_t n) { return dot_avx2(a, b, n, load8_f32, at_f32); }
AVX2 static float l2sq_f16_avx2(const float *q, const uint16_t *c, size_t n) { return l2sq_avx2(q, c, n, load8_f16, at_f16); }
AVX2 static float dot_f16_avx2(const float *q, const uint16_t *c, size_t n) { return dot_avx2(q, c, n, load8_f16, at_f16); }

AVX2 static inline __m256 load8_u8_avx2(const uint8_t *c) {
    return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)c)));
}

AVX2 static float l2sq_sq8_avx2(const float *a, const float *w, const uint8_t *c, size_t n) {
    __m256 s0 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 d = _mm256_sub_ps(_mm256_loadu_ps(a + i), load8_u8_avx2(c + i));
        s0 = _mm256_fmadd_ps(_mm256_mul_ps(d, d), _mm256_loadu_ps(w + i), s0);
    }
    float s = hsum256(s0);
    for (; i < n; i++) { float d = a[i] - (float)c[i]; s += w[i] * d * d; }
    return s;
}

AVX2 static float dot_sq8_avx2(const float *a, const float *w, const uint8_t *c, size_t n) {
    (void)w;
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), load8_u8_avx2(c + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), load8_u8_avx2(c + i + 8), s1);
    }
    if (i + 8 <= n) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), load8_u8_avx2(c + i), s0);
        i += 8;
    }
    float s = hsum256(_mm256_add_ps(s0, s1));
    for (; i < n; i++) s += a[i] * (float)c[i];
    return s;
}

const ck_table ck_avx2_table = {
    "avx2", l2sq_f32_avx2, dot_f32_avx2, l2sq_f16_avx2, dot_f16_avx2, l2sq_sq8_avx2, dot_sq8_avx2,
    ck_l2sq_sq4_scalar, ck_dot_sq4_scalar
};

// ---- AVX-512 ----

AVX512 static inline __mmask16 tail_mask(size_t left) {
    return (__mmask16)((1u << left) - 1u);
}

AVX512 static float l2sq_f32_avx512(const float *a, const float *b, size_t n) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
        __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
        s0 = _mm512_fmadd_ps(d0, d0, s0);
        s1 = _mm512_fmadd_ps(d1, d1, s1);
    }
    for (; i + 16 <= n; i += 16) {
        __m512 d = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
        s0 = _mm512_fmadd_ps(d, d, s0);
    }
    if (i < n) {   // masked lanes are never read, so the tail cannot fault
        __mmask16 m = tail_mask(n - i);
        __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
        s1 = _mm512_fmadd_ps(d, d, s1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

AVX512 static float dot_f32_avx512(const float *a, const float *b, size_t n) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
        s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
    }
    for (; i + 16 <= n; i += 16)
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    if (i < n) {
        __mmask16 m = tail_mask(n - i);
        s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), s1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

AVX512 static float l2sq_f16_avx512(const float *q, const uint16_t *c, size_t n) {
    __m512 s0 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 h = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(c + i)));
        __m512 d = _mm512_sub_ps(_mm512_loadu_ps(q + i), h);
        s0 = _mm512_fmadd_ps(d, d, s0);
    }
    float s = _mm512_reduce_add_ps(s0);
    for (; i < n; i++) { float d = q[i] - ck_f16_to_f32(c[i]); s += d * d; }
    return s;
}

AVX512 static float dot_f16_avx512(const float *q, const uint16_t *c, size_t n) {
    __m512 s0 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 h = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(c + i)));
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), h, s0);
    }
    float s = _mm512_reduce_add_ps(s0);
    for (; i < n; i++) s += q[i] * ck_f16_to_f32(c[i]);
    return s;
}

AVX512 static inline __m512 load16_u8_avx512(const uint8_t *c) {
    return _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)c)));
}

AVX512 static float l2sq_sq8_avx512(const float *a, const float *w, const uint8_t *c, size_t n) {
    __m512 s0 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 d = _mm512_sub_ps(_mm512_loadu_ps(a + i), load16_u8_avx512(c + i));
        s0 = _mm512_fmadd_ps(_mm512_mul_ps(d, d), _mm512_loadu_ps(w + i), s0);
    }
    float s = _mm512_reduce_add_ps(s0);
    for (; i < n; i++) { float d = a[i] - (float)c[i]; s += w[i] * d * d; }
    return s;
}

AVX512 static float dot_sq8_avx512(const float *a, const float *w, const uint8_t *c, size_t n) {
    (void)w;
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), load16_u8_avx512(c + i), s0);
        s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), load16_u8_avx512(c + i + 16), s1);
    }
    for (; i + 16 <= n; i += 16)
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), load16_u8_avx512(c + i), s0);
    float s = _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
    for (; i < n; i++) s += a[i] * (float)c[i];
    return s;
}

// One 64-component block of a 4-bit code (ck_sq4_bytes) as four vectors of 16 floats.
AVX512 static inline void unpack_sq4_avx512(const uint8_t *block, __m512 out[4]) {
    __m256i bytes = _mm256_loadu_si256((const __m256i *)block);
    __m256i nib = _mm256_set1_epi8(15);
    __m256i lo = _mm256_and_si256(bytes, nib);
    __m256i hi = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), nib);
    out[0] = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm256_castsi256_si128(lo)));
    out[1] = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm256_extracti128_si256(lo, 1)));
    out[2] = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm256_castsi256_si128(hi)));
    out[3] = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm256_extracti128_si256(hi, 1)));
}

// The mask of the query lanes that exist in 16 components from i on.
AVX512 static inline __mmask16 lanes_from(size_t i, size_t n) {
    return i >= n ? 0 : (n - i >= 16 ? (__mmask16)0xFFFF : tail_mask(n - i));
}

AVX512 static float dot_sq4_avx512(const float *a, const float *w, const uint8_t *c, size_t n) {
    (void)w;
    __m512 s[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
    for (size_t b = 0; b < n; b += 64) {
        __m512 v[4];
        unpack_sq4_avx512(c + b / 2, v);
        for (int j = 0; j < 4; j++)   // absent components: the masked query lane is 0
            s[j] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(lanes_from(b + 16 * j, n), a + b + 16 * j), v[j], s[j]);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s[0], s[1]), _mm512_add_ps(s[2], s[3])));
}

AVX512 static float l2sq_sq4_avx512(const float *a, const float *w, const uint8_t *c, size_t n) {
    __m512 s[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
    for (size_t b = 0; b < n; b += 64) {
        __m512 v[4];
        unpack_sq4_avx512(c + b / 2, v);
        for (int j = 0; j < 4; j++) {   // absent components: weight 0
            __mmask16 m = lanes_from(b + 16 * j, n);
            __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + b + 16 * j), v[j]);
            s[j] = _mm512_fmadd_ps(_mm512_mul_ps(d, d), _mm512_maskz_loadu_ps(m, w + b + 16 * j), s[j]);
        }
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s[0], s[1]), _mm512_add_ps(s[2], s[3])));
}

// Exact Σ q·c on AVX2 for a query within [-64, 64] (``ck_u8s8_query_limit``): vpmaddubsw's
// pairwise 16-bit sums then stay below saturation (2·255·64 = 32640 < 32767), and vpmaddwd
// widens them to 32 bits: one product instruction per 32 components, no shuffles.
AVX2 int32_t ck_dot_u8s8_avx2(const int8_t *q, const uint8_t *c, size_t n) {
    const __m256i one = _mm256_set1_epi16(1);
    __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m256i p0 = _mm256_maddubs_epi16(_mm256_loadu_si256((const __m256i *)(c + i)), _mm256_loadu_si256((const __m256i *)(q + i)));
        __m256i p1 = _mm256_maddubs_epi16(_mm256_loadu_si256((const __m256i *)(c + i + 32)), _mm256_loadu_si256((const __m256i *)(q + i + 32)));
        s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(p0, one));
        s1 = _mm256_add_epi32(s1, _mm256_madd_epi16(p1, one));
    }
    if (i + 32 <= n) {
        __m256i p = _mm256_maddubs_epi16(_mm256_loadu_si256((const __m256i *)(c + i)), _mm256_loadu_si256((const __m256i *)(q + i)));
        s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(p, one));
        i += 32;
    }
    __m256i s = _mm256_add_epi32(s0, s1);
    __m128i t = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
    t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0x4E));
    t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0xB1));
    int32_t sum = _mm_cvtsi128_si32(t);
    for (; i < n; i++) sum += (int32_t)q[i] * (int32_t)c[i];
    return sum;
}

#define VNNI __attribute__((target("avx512f,avx512bw,avx512vnni")))

VNNI int32_t ck_dot_u8s8_avx512vnni(const int8_t *q, const uint8_t *c, size_t n) {
    __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
    size_t i = 0;
    for (; i + 128 <= n; i += 128) {
        s0 = _mm512_dpbusd_epi32(s0, _mm512_loadu_si512(c + i), _mm512_loadu_si512(q + i));
        s1 = _mm512_dpbusd_epi32(s1, _mm512_loadu_si512(c + i + 64), _mm512_loadu_si512(q + i + 64));
    }
    for (; i < n; i += 64) {   // masked: never reads past either end
        __mmask64 m = n - i >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << (n - i)) - 1);
        s0 = _mm512_dpbusd_epi32(s0, _mm512_maskz_loadu_epi8(m, c + i), _mm512_maskz_loadu_epi8(m, q + i));
    }
    return _mm512_reduce_add_epi32(_mm512_add_epi32(s0, s1));
}

const ck_table ck_avx512_table = {
    "avx512", l2sq_f32_avx512, dot_f32_avx512, l2sq_f16_avx512, dot_f16_avx512,
    l2sq_sq8_avx512, dot_sq8_avx512, l2sq_sq4_avx512, dot_sq4_avx512
};
#endif
