// Elementwise pieces of a transformer forward pass (the matrix products go to BLAS).
// Plain loops in independent lanes, so they vectorize; on x86-64 each is built for
// AVX-512, AVX2 and the baseline, and the loader picks the CPU's (target_clones).
#include "include/ckernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__linux__)
#define WIDE __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define WIDE
#endif

WIDE void ck_gelu(float *x, size_t n) {
    // GELU(x) = x/2 (1 + erf(x/sqrt 2)), with erf from Abramowitz and Stegun 7.1.28
    // (|error| <= 3e-7): a polynomial and a reciprocal, no exp, so it vectorizes.
    const float a1 = 0.0705230784f, a2 = 0.0422820123f, a3 = 0.0092705272f,
                a4 = 0.0001520143f, a5 = 0.0002765672f, a6 = 0.0000430638f;
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        float z = fabsf(v) * 0.70710678118654752f;
        float p = 1.0f + z * (a1 + z * (a2 + z * (a3 + z * (a4 + z * (a5 + z * a6)))));
        p = p * p; p = p * p; p = p * p; p = p * p;           // p^16
        float e = 1.0f - 1.0f / p;                             // erf(|v|/sqrt 2)
        e = v < 0 ? -e : e;
        x[i] = 0.5f * v * (1.0f + e);
    }
}

WIDE void ck_layer_norm(float *x, size_t rows, size_t cols, const float *gamma, const float *beta, float eps) {
    for (size_t r = 0; r < rows; r++) {
        float *row = x + r * cols;
        float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        size_t i = 0;
        for (; i + 8 <= cols; i += 8) for (int j = 0; j < 8; j++) s[j] += row[i + j];
        float sum = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
        for (; i < cols; i++) sum += row[i];
        float mean = sum / (float)cols;
        float q[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (i = 0; i + 8 <= cols; i += 8) for (int j = 0; j < 8; j++) { float d = row[i + j] - mean; q[j] += d * d; }
        float var = ((q[0] + q[1]) + (q[2] + q[3])) + ((q[4] + q[5]) + (q[6] + q[7]));
        for (; i < cols; i++) { float d = row[i] - mean; var += d * d; }
        float inv = 1.0f / sqrtf(var / (float)cols + eps);
        for (i = 0; i < cols; i++) row[i] = (row[i] - mean) * inv * gamma[i] + beta[i];
    }
}

/// e^x for x <= 0 (softmax's shifted scores), to about 1 ulp: x = k ln2 + r with
/// |r| <= ln2/2 (ln2 split in two so r is exact), e^r by its degree-7 Taylor polynomial,
/// 2^k put into the exponent bits. Below -87 the answer is 0 (Float32 underflows there).
/// Branch-free, so softmax's loop vectorizes where libm's expf is a call per element.
/// The helpers here are always_inline: inlined into each target_clones body, they are built
/// for that body's instructions (a separate static function is built for the baseline only).
__attribute__((always_inline)) static inline float exp_nonpositive(float x) {
    x = x < -87.0f ? -87.0f : x;
    float k = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;   // round(x / ln2)
    float r = (x - k * 0.693145751953125f) - k * 1.42860682030941723212e-6f;
    float p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720 + r * (1.0f / 5040)))))));
    int32_t bits = ((int32_t)k + 127) << 23;
    float scale; memcpy(&scale, &bits, 4);
    return p * scale;
}


/// Softmax of x[0..<n] in place, over the block-padded row x[0..<padded] (padded a multiple
/// of 16, lanes n... holding anything): the padding lanes are set to -inf first, so the max
/// and exp loops run whole 16-lane blocks with no mask and no scalar tail. A padding lane
/// ends as e^-87 / sum, under 1e-38: it adds nothing to a sum of at least 1 and is never read.
/// (The last loop is flat: written as blocks of 16 it compiled to far slower code.)
__attribute__((always_inline)) static inline void softmax_blocks(float *restrict x, size_t n, size_t padded) {
    for (size_t i = n; i < padded; i++) x[i] = -INFINITY;
    float lanes[16];
    for (int j = 0; j < 16; j++) lanes[j] = x[j];
    for (size_t i = 16; i < padded; i += 16)
        for (int j = 0; j < 16; j++) lanes[j] = x[i + j] > lanes[j] ? x[i + j] : lanes[j];
    float m = lanes[0];
    for (int j = 1; j < 16; j++) m = lanes[j] > m ? lanes[j] : m;
    float sums[16] = {0};
    for (size_t i = 0; i < padded; i += 16)
        for (int j = 0; j < 16; j++) { float e = exp_nonpositive(x[i + j] - m); x[i + j] = e; sums[j] += e; }
    float sum = 0;
    for (int j = 0; j < 16; j++) sum += sums[j];
    float inv = 1.0f / sum;
    for (size_t i = 0; i < padded; i++) x[i] *= inv;
}

WIDE void ck_softmax_rows(float *x, size_t rows, size_t n, size_t stride) {
    for (size_t r = 0; r < rows; r++) softmax_blocks(x + r * stride, n, stride);
}

/// One head of attention for head size 32 (MiniLM's), four query rows at a time so the
/// accumulators form independent chains (one row's would wait on each FMA's latency) and
/// each key and value row loaded serves four: scores in blocks of 16 keys (the scale
/// applied once per score, not per product), each output row as 32 lanes. `scores` holds
/// 4 x padded floats.
__attribute__((always_inline)) static inline void attention_head32(const float *restrict q, const float *restrict k, const float *restrict v, size_t n,
                                    size_t stride, float scale, float *restrict context, size_t context_stride,
                                    float *restrict keys, float *restrict scores) {
    enum { D = 32, R = 4 };
    size_t padded = (n + 15) / 16 * 16;
    for (size_t j = 0; j < n; j++)
        for (size_t d = 0; d < D; d++) keys[d * padded + j] = k[j * stride + d];
    for (size_t d = 0; d < D; d++)
        for (size_t j = n; j < padded; j++) keys[d * padded + j] = 0;
    for (size_t i0 = 0; i0 < n; i0 += R) {
        // The last group repeats the last row where n is not a multiple of R (not stored).
        const float *qr[R];
        for (int r = 0; r < R; r++) qr[r] = q + (i0 + r < n ? i0 + r : n - 1) * stride;
        for (size_t j0 = 0; j0 < padded; j0 += 16) {
            float acc[R][16] = {{0}};
            for (size_t d = 0; d < D; d++) {
                const float *kd = keys + d * padded + j0;
                for (int r = 0; r < R; r++) {
                    float qd = qr[r][d];
                    for (int jj = 0; jj < 16; jj++) acc[r][jj] += qd * kd[jj];
                }
            }
            for (int r = 0; r < R; r++)
                for (int jj = 0; jj < 16; jj++) scores[r * padded + j0 + jj] = acc[r][jj] * scale;
        }
        for (int r = 0; r < R; r++) softmax_blocks(scores + r * padded, n, padded);
        float out[R][D] = {{0}};
        for (size_t j = 0; j < n; j++) {
            const float *vj = v + j * stride;
            for (int r = 0; r < R; r++) {
                float p = scores[r * padded + j];
                for (int d = 0; d < D; d++) out[r][d] += p * vj[d];
            }
        }
        for (int r = 0; r < R && i0 + r < n; r++) {
            float *dst = context + (i0 + r) * context_stride;
            for (int d = 0; d < D; d++) dst[d] = out[r][d];
        }
    }
}

WIDE void ck_attention(const float *restrict qkv, size_t n, size_t stride, size_t heads, size_t head_size, size_t model_width,
                       float scale, float *restrict context, size_t context_stride, float *restrict scratch) {
    float *restrict keys = scratch;              // head_size x n: this head's keys, transposed
    float *restrict scores = scratch + head_size * ((n + 15) / 16 * 16);
    for (size_t h = 0; h < heads; h++) {
        const float *q = qkv + h * head_size, *k = q + model_width, *v = q + 2 * model_width;
        if (head_size == 32) {
            attention_head32(q, k, v, n, stride, scale, context + h * head_size, context_stride, keys, scores);
            continue;
        }
        for (size_t j = 0; j < n; j++)
            for (size_t d = 0; d < head_size; d++) keys[d * n + j] = k[j * stride + d];
        for (size_t i = 0; i < n; i++) {
            const float *qi = q + i * stride;
            for (size_t j = 0; j < n; j++) scores[j] = 0;
            for (size_t d = 0; d < head_size; d++) {
                float qd = qi[d] * scale;
                const float *kd = keys + d * n;
                for (size_t j = 0; j < n; j++) scores[j] += qd * kd[j];
            }
            softmax_blocks(scores, n, (n + 15) / 16 * 16);
            float *restrict out = context + i * context_stride + h * head_size;
            for (size_t d = 0; d < head_size; d++) out[d] = 0;
            for (size_t j = 0; j < n; j++) {
                float p = scores[j];
                const float *vj = v + j * stride;
                for (size_t d = 0; d < head_size; d++) out[d] += p * vj[d];
            }
        }
    }
}
