// arm64 kernels: NEON is part of the base architecture, so no run-time check.
#if defined(__aarch64__)
#include "internal.h"
#include <arm_neon.h>

static float l2sq_f32_neon(const float *a, const float *b, size_t n) {
    float32x4_t s0 = vdupq_n_f32(0), s1 = vdupq_n_f32(0);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        float32x4_t d0 = vsubq_f32(vld1q_f32(a + i), vld1q_f32(b + i));
        float32x4_t d1 = vsubq_f32(vld1q_f32(a + i + 4), vld1q_f32(b + i + 4));
        s0 = vfmaq_f32(s0, d0, d0); s1 = vfmaq_f32(s1, d1, d1);
    }
    float s = vaddvq_f32(vaddq_f32(s0, s1));
    for (; i < n; i++) { float d = a[i] - b[i]; s += d * d; }
    return s;
}

static float dot_f32_neon(const float *a, const float *b, size_t n) {
    float32x4_t s0 = vdupq_n_f32(0), s1 = vdupq_n_f32(0);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        s0 = vfmaq_f32(s0, vld1q_f32(a + i), vld1q_f32(b + i));
        s1 = vfmaq_f32(s1, vld1q_f32(a + i + 4), vld1q_f32(b + i + 4));
    }
    float s = vaddvq_f32(vaddq_f32(s0, s1));
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}

static inline float32x4_t load4_f16(const uint16_t *c) {
    return vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(c)));
}

static float l2sq_f16_neon(const float *q, const uint16_t *c, size_t n) {
    float32x4_t s0 = vdupq_n_f32(0); size_t i = 0;
    for (; i + 4 <= n; i += 4) { float32x4_t d = vsubq_f32(vld1q_f32(q + i), load4_f16(c + i)); s0 = vfmaq_f32(s0, d, d); }
    float s = vaddvq_f32(s0);
    for (; i < n; i++) { float d = q[i] - ck_f16_to_f32(c[i]); s += d * d; }
    return s;
}

static float dot_f16_neon(const float *q, const uint16_t *c, size_t n) {
    float32x4_t s0 = vdupq_n_f32(0); size_t i = 0;
    for (; i + 4 <= n; i += 4) s0 = vfmaq_f32(s0, vld1q_f32(q + i), load4_f16(c + i));
    float s = vaddvq_f32(s0);
    for (; i < n; i++) s += q[i] * ck_f16_to_f32(c[i]);
    return s;
}

static inline void load8_u8(const uint8_t *c, float32x4_t *lo, float32x4_t *hi) {
    uint16x8_t w = vmovl_u8(vld1_u8(c));
    *lo = vcvtq_f32_u32(vmovl_u16(vget_low_u16(w)));
    *hi = vcvtq_f32_u32(vmovl_u16(vget_high_u16(w)));
}

static float l2sq_sq8_neon(const float *a, const float *w, const uint8_t *c, size_t n) {
    float32x4_t s0 = vdupq_n_f32(0); size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        float32x4_t lo, hi; load8_u8(c + i, &lo, &hi);
        float32x4_t d0 = vsubq_f32(vld1q_f32(a + i), lo), d1 = vsubq_f32(vld1q_f32(a + i + 4), hi);
        s0 = vfmaq_f32(s0, vmulq_f32(d0, d0), vld1q_f32(w + i));
        s0 = vfmaq_f32(s0, vmulq_f32(d1, d1), vld1q_f32(w + i + 4));
    }
    float s = vaddvq_f32(s0);
    for (; i < n; i++) { float d = a[i] - (float)c[i]; s += w[i] * d * d; }
    return s;
}

static float dot_sq8_neon(const float *a, const float *w, const uint8_t *c, size_t n) {
    (void)w;
    float32x4_t s0 = vdupq_n_f32(0); size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        float32x4_t lo, hi; load8_u8(c + i, &lo, &hi);
        s0 = vfmaq_f32(s0, vld1q_f32(a + i), lo);
        s0 = vfmaq_f32(s0, vld1q_f32(a + i + 4), hi);
    }
    float s = vaddvq_f32(s0);
    for (; i < n; i++) s += a[i] * (float)c[i];
    return s;
}

const ck_table ck_neon_table = {
    "neon", l2sq_f32_neon, dot_f32_neon, l2sq_f16_neon, dot_f16_neon, l2sq_sq8_neon, dot_sq8_neon,
    ck_l2sq_sq4_scalar, ck_dot_sq4_scalar
};
#endif
