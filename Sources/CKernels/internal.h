// Shared between the per-ISA kernel files; not part of the public header.
#ifndef CKERNELS_INTERNAL_H
#define CKERNELS_INTERNAL_H
#include "include/ckernels.h"
extern const ck_table ck_scalar_table;
/// The portable 4-bit kernels, also in the AVX2 and NEON tables.
float ck_l2sq_sq4_scalar(const float *a, const float *w, const uint8_t *c, size_t n);
float ck_dot_sq4_scalar(const float *a, const float *w, const uint8_t *c, size_t n);
#if defined(__x86_64__) || defined(__i386__)
extern const ck_table ck_avx2_table;
extern const ck_table ck_avx512_table;
int32_t ck_dot_u8s8_avx512vnni(const int8_t *q, const uint8_t *c, size_t n);
int32_t ck_dot_u8s8_avx2(const int8_t *q, const uint8_t *c, size_t n);
#endif
#if defined(__aarch64__)
extern const ck_table ck_neon_table;
int32_t ck_dot_u8s8_neon(const int8_t *q, const uint8_t *c, size_t n);
int32_t ck_dot_u8s8_neon_dotprod(const int8_t *q, const uint8_t *c, size_t n);
#endif
#endif
