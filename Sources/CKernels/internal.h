// Shared between the per-ISA kernel files; not part of the public header.
#ifndef CKERNELS_INTERNAL_H
#define CKERNELS_INTERNAL_H
#include "include/ckernels.h"
extern const ck_table ck_scalar_table;
#if defined(__x86_64__) || defined(__i386__)
extern const ck_table ck_avx2_table;
extern const ck_table ck_avx512_table;
#endif
#if defined(__aarch64__)
extern const ck_table ck_neon_table;
#endif
#endif
