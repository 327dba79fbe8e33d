// GF(2^8) (polynomial 0x11d) matrix x shards multiply, the one kernel behind encode and decode:
//   out[r][p] = XOR over c of M[r][c] * in[c][p]
// Self-contained (no #include) so that NVRTC compiles it as it is, and nvcc -ptx at build time.
//
// Layout: the input shards lie in one device buffer, shard c at word c * in_stride (a word is
// 16 bytes, a uint4); the output rows likewise at r * out_stride. One thread owns one 16-byte word
// position and a group of output rows at a time: consecutive threads load consecutive 16-byte words
// of a shard, so every load and store is coalesced. Products use log/exp tables copied from global
// memory into shared memory at block start; the coefficients, as logarithms, sit in constant memory
// because every thread of a warp reads the same one at the same time (a broadcast).

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

// log(M[r][c]) row-major, 255 for a zero coefficient (whose column then contributes nothing).
// 32 KiB holds every encode matrix (m * k <= 128 * 128 = 16 KiB); the host splits larger ones by rows.
#define GF_MAX_COEFS 32768
__constant__ u8 gf_coef_log[GF_MAX_COEFS];

// Tables in global memory, built by the host (io.axivon.cuda.GfTables), 1536 bytes:
//   u16 log[256]: log[0] = 512 (so that 0 * a lands in the zero tail of exp), else log_2(x) in 0..254
//   u8  exp[1024]: exp[i] = 2^(i mod 255) for i < 510, 0 from 510 on
// so that for any coefficient log lg in 0..254 and any byte x, x * g = exp[log[x] + lg] with no branch.
#define GF_LOG_ENTRIES 256
#define GF_EXP_ENTRIES 1024
// output rows per block (blockIdx.y picks the group): their accumulators stay in registers, and
// each input word is loaded and its bytes' logarithms looked up once for all of them
#define GF_ROW_GROUP 8

// the logarithms of the 4 bytes of a little-endian word
__device__ __forceinline__ void gf_log_word(u32 x, u32 *lx, const u16 *lt) {
  lx[0] = lt[x & 0xffu];
  lx[1] = lt[(x >> 8) & 0xffu];
  lx[2] = lt[(x >> 16) & 0xffu];
  lx[3] = lt[x >> 24];
}

// the 4 products exp[log(x_b) + lg], packed back into a word
__device__ __forceinline__ u32 gf_exp_word(const u32 *lx, u32 lg, const u8 *et) {
  return (u32)et[lx[0] + lg] | ((u32)et[lx[1] + lg] << 8) | ((u32)et[lx[2] + lg] << 16) |
         ((u32)et[lx[3] + lg] << 24);
}

// Grid: x over 16-byte words (grid-stride), y over groups of GF_ROW_GROUP output rows.
// coef_base: first coefficient of row 0 in gf_coef_log (0 today; lets a host keep several matrices
// resident). words: shard length in 16-byte words (the host pads shards to 16 bytes).
extern "C" __global__ void gf_matmul16(const uint4 *__restrict__ in, u64 in_stride,
                                       uint4 *__restrict__ out, u64 out_stride, int rows,
                                       int cols, int coef_base, u64 words,
                                       const u8 *__restrict__ tables) {
  __shared__ u16 s_log[GF_LOG_ENTRIES];
  __shared__ u8 s_exp[GF_EXP_ENTRIES];
  const u16 *g_log = (const u16 *)tables;
  const u8 *g_exp = tables + 2 * GF_LOG_ENTRIES;
  for (int t = threadIdx.x; t < GF_LOG_ENTRIES; t += blockDim.x) {
    s_log[t] = g_log[t];
  }
  for (int t = threadIdx.x; t < GF_EXP_ENTRIES; t += blockDim.x) {
    s_exp[t] = g_exp[t];
  }
  __syncthreads();

  const int r0 = blockIdx.y * GF_ROW_GROUP;
  const int nr = rows - r0 < GF_ROW_GROUP ? rows - r0 : GF_ROW_GROUP;
  const u8 *coef = gf_coef_log + coef_base + r0 * cols;
  const u64 step = (u64)gridDim.x * blockDim.x;
  for (u64 i = (u64)blockIdx.x * blockDim.x + threadIdx.x; i < words; i += step) {
    uint4 acc[GF_ROW_GROUP];
#pragma unroll
    for (int j = 0; j < GF_ROW_GROUP; j++) {
      acc[j].x = 0u; // not make_uint4: NVRTC's implicit headers are kept to the minimum
      acc[j].y = 0u;
      acc[j].z = 0u;
      acc[j].w = 0u;
    }
    for (int c = 0; c < cols; c++) {
      const uint4 x = in[(u64)c * in_stride + i];
      u32 lx[16];
      gf_log_word(x.x, lx, s_log);
      gf_log_word(x.y, lx + 4, s_log);
      gf_log_word(x.z, lx + 8, s_log);
      gf_log_word(x.w, lx + 12, s_log);
#pragma unroll
      for (int j = 0; j < GF_ROW_GROUP; j++) {
        if (j < nr) {
          const u32 lg = coef[j * cols + c];
          if (lg != 255u) {
            acc[j].x ^= gf_exp_word(lx, lg, s_exp);
            acc[j].y ^= gf_exp_word(lx + 4, lg, s_exp);
            acc[j].z ^= gf_exp_word(lx + 8, lg, s_exp);
            acc[j].w ^= gf_exp_word(lx + 12, lg, s_exp);
          }
        }
      }
    }
#pragma unroll
    for (int j = 0; j < GF_ROW_GROUP; j++) {
      if (j < nr) {
        out[(u64)(r0 + j) * out_stride + i] = acc[j];
      }
    }
  }
}
