// Portable kernels: plain loops with independent accumulators so the compiler can
// vectorize them for whatever baseline the target has.
#include "internal.h"
#include <string.h>

uint16_t ck_f32_to_f16(float f) {
    uint32_t x; memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000u;
    uint32_t mag = x & 0x7fffffffu;
    if (mag >= 0x7f800000u) {                       // inf or NaN
        return (uint16_t)(sign | 0x7c00u | (mag > 0x7f800000u ? 0x200u | ((mag >> 13) & 0x3ffu) : 0));
    }
    if (mag >= 0x477ff000u) return (uint16_t)(sign | 0x7c00u);   // rounds to inf
    if (mag < 0x38800000u) {                        // subnormal half (units of 2^-24) or zero
        if (mag < 0x33000000u) return (uint16_t)sign;
        uint32_t e = mag >> 23;
        uint32_t m = (mag & 0x7fffffu) | 0x800000u;
        uint32_t shift = 126 - e;                   // value / 2^-24 = m >> shift
        uint32_t r = m >> shift, rem = m & ((1u << shift) - 1), half = 1u << (shift - 1);
        if (rem > half || (rem == half && (r & 1u))) r += 1;
        return (uint16_t)(sign | r);
    }
    uint32_t r = mag - 0x38000000u;                 // rebias exponent 127 -> 15
    uint32_t rem = r & 0x1fffu;
    r >>= 13;
    if (rem > 0x1000u || (rem == 0x1000u && (r & 1u))) r += 1;
    return (uint16_t)(sign | r);
}

float ck_f16_to_f32(uint16_t h) {
    uint32_t sign = ((uint32_t)h & 0x8000u) << 16;
    uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu, x;
    if (e == 0) {
        if (m == 0) x = sign;
        else {                                       // normalise a subnormal
            e = 113;
            while (!(m & 0x400u)) { m <<= 1; e--; }
            x = sign | (e << 23) | ((m & 0x3ffu) << 13);
        }
    } else if (e == 31) x = sign | 0x7f800000u | (m << 13);
    else x = sign | ((e + 112) << 23) | (m << 13);
    float f; memcpy(&f, &x, 4); return f;
}

// Eight independent lanes: the compiler maps them onto SIMD registers of whatever
// width the baseline has without reassociating any single sum.
static float l2sq_f32(const float *a, const float *b, size_t n) {
    float s[8] = {0, 0, 0, 0, 0, 0, 0, 0}; size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) { float d = a[i + j] - b[i + j]; s[j] += d * d; }
    for (; i < n; i++) { float d = a[i] - b[i]; s[0] += d * d; }
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

static float dot_f32(const float *a, const float *b, size_t n) {
    float s[8] = {0, 0, 0, 0, 0, 0, 0, 0}; size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) s[j] += a[i + j] * b[i + j];
    for (; i < n; i++) s[0] += a[i] * b[i];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

static float l2sq_f16(const float *q, const uint16_t *c, size_t n) {
    float s = 0;
    for (size_t i = 0; i < n; i++) { float d = q[i] - ck_f16_to_f32(c[i]); s += d * d; }
    return s;
}

static float dot_f16(const float *q, const uint16_t *c, size_t n) {
    float s = 0;
    for (size_t i = 0; i < n; i++) s += q[i] * ck_f16_to_f32(c[i]);
    return s;
}

static float l2sq_sq8(const float *a, const float *w, const uint8_t *c, size_t n) {
    float s[8] = {0, 0, 0, 0, 0, 0, 0, 0}; size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) { float d = a[i + j] - (float)c[i + j]; s[j] += w[i + j] * d * d; }
    for (; i < n; i++) { float d = a[i] - (float)c[i]; s[0] += w[i] * d * d; }
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

static float dot_sq8(const float *a, const float *w, const uint8_t *c, size_t n) {
    (void)w;
    float s[8] = {0, 0, 0, 0, 0, 0, 0, 0}; size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) s[j] += a[i + j] * (float)c[i + j];
    for (; i < n; i++) s[0] += a[i] * (float)c[i];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

float ck_l2sq_sq4_scalar(const float *a, const float *w, const uint8_t *c, size_t n) {
    float s = 0;
    for (size_t i = 0; i < n; i++) { float d = a[i] - (float)ck_sq4_get(c, i); s += w[i] * d * d; }
    return s;
}

float ck_dot_sq4_scalar(const float *a, const float *w, const uint8_t *c, size_t n) {
    (void)w;
    float s = 0;
    for (size_t i = 0; i < n; i++) s += a[i] * (float)ck_sq4_get(c, i);
    return s;
}

const ck_table ck_scalar_table = {
    "scalar", l2sq_f32, dot_f32, l2sq_f16, dot_f16, l2sq_sq8, dot_sq8, ck_l2sq_sq4_scalar, ck_dot_sq4_scalar
};
