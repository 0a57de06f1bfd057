// Shared by every ferroflow CUDA kernel: compiled once per device with NVRTC (no headers, no toolkit).
typedef unsigned long long u64;
typedef long long i64;
typedef unsigned int u32;

// Grid-stride loop: any launch size covers any n.
#define GRID_STRIDE(i, n) \
    for (u64 i = blockIdx.x * (u64)blockDim.x + threadIdx.x; i < (u64)(n); i += (u64)blockDim.x * gridDim.x)

#define MAX_RANK 6

// Output dimensions and each input's element strides (0 along a broadcast axis), innermost last.
struct Broadcast {
    u64 dims[MAX_RANK];
    u64 a_strides[MAX_RANK];
    u64 b_strides[MAX_RANK];
    int rank;
};

__device__ __forceinline__ float nan_f32() { return __int_as_float(0x7fc00000); }
