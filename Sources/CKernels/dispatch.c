// Run-time choice of kernel table from the CPU's feature bits.
#include "internal.h"
#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#endif

const ck_table *ck_table_for(int isa) {
    switch (isa) {
    case CK_SCALAR: return &ck_scalar_table;
#if defined(__x86_64__) || defined(__i386__)
    case CK_AVX2:
        __builtin_cpu_init();
        return (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? &ck_avx2_table : 0;
    case CK_AVX512:
        __builtin_cpu_init();
        return (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2")
                && __builtin_cpu_supports("fma")) ? &ck_avx512_table : 0;
#endif
#if defined(__aarch64__)
    case CK_NEON: return &ck_neon_table;
#endif
    default: return 0;
    }
}

ck_u8s8_fn ck_dot_u8s8_for(int isa) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (isa == CK_AVX512 && ck_table_for(CK_AVX512) && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vnni")) return ck_dot_u8s8_avx512vnni;
    if ((isa == CK_AVX512 || isa == CK_AVX2) && ck_table_for(CK_AVX2)) return ck_dot_u8s8_avx2;
#endif
#if defined(__aarch64__)
    if (isa == CK_NEON) {
#if defined(__linux__)
        if (getauxval(AT_HWCAP) & (1UL << 20)) return ck_dot_u8s8_neon_dotprod;   // HWCAP_ASIMDDP
#elif defined(__APPLE__)
        return ck_dot_u8s8_neon_dotprod;   // every Apple arm64 CPU has it
#endif
        return ck_dot_u8s8_neon;
    }
#endif
    (void)isa;
    return 0;
}

int ck_u8s8_query_limit(ck_u8s8_fn fn) {
#if defined(__x86_64__) || defined(__i386__)
    if (fn == ck_dot_u8s8_avx2) return 64;
#endif
    (void)fn;
    return 127;
}

int ck_best_isa(void) {
    if (ck_table_for(CK_AVX512)) return CK_AVX512;
    if (ck_table_for(CK_AVX2)) return CK_AVX2;
    if (ck_table_for(CK_NEON)) return CK_NEON;
    return CK_SCALAR;
}
