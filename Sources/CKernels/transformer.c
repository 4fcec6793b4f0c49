// Elementwise pieces of a transformer forward pass (the matrix products go to BLAS).
// Plain loops in independent lanes, so they vectorize for the build's baseline.
#include "include/ckernels.h"
#include <math.h>

void ck_gelu(float *x, size_t n) {
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

void ck_layer_norm(float *x, size_t rows, size_t cols, const float *gamma, const float *beta, float eps) {
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

void ck_softmax(float *x, size_t n) {
    float m = x[0];
    for (size_t i = 1; i < n; i++) m = x[i] > m ? x[i] : m;
    float sum = 0;
    for (size_t i = 0; i < n; i++) { x[i] = expf(x[i] - m); sum += x[i]; }
    float inv = 1.0f / sum;
    for (size_t i = 0; i < n; i++) x[i] *= inv;
}
