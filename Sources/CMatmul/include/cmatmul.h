// Low-precision matrix products for the MiniLM forward pass, with the weights packed once:
// oneDNN's (Debian libdnnl-dev 2.6) brgemm kernels where the CPU has AVX-512 BF16 or VNNI,
// and the same arithmetic on any x86-64 CPU with AVX2 and FMA (matmul.c says how). The
// one place the embedder touches oneDNN.
#ifndef CMATMUL_H
#define CMATMUL_H
#include <stddef.h>

enum { CM_BF16 = 1, CM_INT8 = 2 };

typedef struct cm_weights cm_weights;

/// 1 when this CPU runs `precision` (it has AVX2 and FMA, and REFER_ISA is not scalar), else 0.
/// `REFER_ISA=avx2` takes the AVX2 kernels on a CPU that has AVX-512.
int cm_available(int precision);

/// Packs W (n x k floats, row-major: PyTorch's [out, in]) for `precision`: bf16 rounds to
/// nearest even; int8 is symmetric per output row (scale max|w| / 127). NULL on failure.
cm_weights *cm_pack(int precision, const float *w, int n, int k);
void cm_free(cm_weights *w);

/// c (m x n) = a (m x k) . W^T + bias (n floats), or c += that with `accumulate` (a
/// residual), on `threads` threads (OpenMP, for the calling thread).
/// int8 quantizes each row of `a` to uint8 with its own scale and zero point (its range,
/// widened to hold 0, over 256 levels); the zero point comes out through the weights' row
/// sums. Returns 0, or a oneDNN status (the product is then not made).
int cm_matmul(const cm_weights *w, const float *a, int m, const float *bias, float *c, int accumulate, int threads);

/// Calls body(context, part, parts) for part 0..<parts, each on its own thread of the
/// OpenMP team the products run on (the calling thread is part 0), and returns when all
/// are done; in turn on the calling thread where that team is not found. For work between
/// products: a new thread would contend with the team's threads, which spin between products.
void cm_parallel(int parts, void (*body)(void *context, int part, int parts), void *context);

/// The implementation behind the last product made, on any thread: oneDNN's
/// ("brg:avx512_core_bf16", "brg:avx512_core_vnni", "gemm:jit" for bf16 on AVX2) or
/// "refer:avx2_s16" (int8 on AVX2); "none" before the first.
const char *cm_last_impl(void);

#endif
