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

/// Unsigned codes against a signed query, exactly: both widened to 16 bits, multiplied and
/// added into 32-bit lanes (vmlal). Every arm64 CPU has it.
int32_t ck_dot_u8s8_neon(const int8_t *q, const uint8_t *c, size_t n) {
    int32x4_t s0 = vdupq_n_s32(0), s1 = vdupq_n_s32(0);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        int8x16_t qv = vld1q_s8(q + i);
        uint8x16_t cv = vld1q_u8(c + i);
        int16x8_t ql = vmovl_s8(vget_low_s8(qv)), qh = vmovl_s8(vget_high_s8(qv));
        int16x8_t cl = vreinterpretq_s16_u16(vmovl_u8(vget_low_u8(cv))), ch = vreinterpretq_s16_u16(vmovl_u8(vget_high_u8(cv)));
        s0 = vmlal_s16(s0, vget_low_s16(ql), vget_low_s16(cl));
        s1 = vmlal_s16(s1, vget_high_s16(ql), vget_high_s16(cl));
        s0 = vmlal_s16(s0, vget_low_s16(qh), vget_low_s16(ch));
        s1 = vmlal_s16(s1, vget_high_s16(qh), vget_high_s16(ch));
    }
    int32_t sum = vaddvq_s32(vaddq_s32(s0, s1));
    for (; i < n; i++) sum += (int32_t)q[i] * (int32_t)c[i];
    return sum;
}

/// The same with the dot-product instructions (ARMv8.2 dotprod: Graviton 2 on, Apple M1
/// on): sdot multiplies signed bytes, so a code c goes in as c - 128 (one xor) and
/// 128 x sum(q), from a second sdot against ones, puts it back. Exact for |q| <= 127.
__attribute__((target("arch=armv8.2-a+dotprod")))
int32_t ck_dot_u8s8_neon_dotprod(const int8_t *q, const uint8_t *c, size_t n) {
    const int8x16_t ones = vdupq_n_s8(1);
    const uint8x16_t flip = vdupq_n_u8(0x80);
    int32x4_t products = vdupq_n_s32(0), sums = vdupq_n_s32(0);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        int8x16_t qv = vld1q_s8(q + i);
        int8x16_t centered = vreinterpretq_s8_u8(veorq_u8(vld1q_u8(c + i), flip));
        products = vdotq_s32(products, qv, centered);
        sums = vdotq_s32(sums, qv, ones);
    }
    int32_t sum = vaddvq_s32(products) + 128 * vaddvq_s32(sums);
    for (; i < n; i++) sum += (int32_t)q[i] * (int32_t)c[i];
    return sum;
}

const ck_table ck_neon_table = {
    "neon", l2sq_f32_neon, dot_f32_neon, l2sq_f16_neon, dot_f16_neon, l2sq_sq8_neon, dot_sq8_neon,
    ck_l2sq_sq4_scalar, ck_dot_sq4_scalar
};
#endif
