// Reductions of float32 over the middle axis of an [outer, r, inner] view (the reduced axes are
// contiguous). Op codes: 0 sum, 1 mean, 2 max, 3 min; max and min propagate NaN.

__device__ __forceinline__ float reduce_identity(int op) {
    return op == 2 ? -__int_as_float(0x7f800000) : (op == 3 ? __int_as_float(0x7f800000) : 0.0f);
}

__device__ __forceinline__ float reduce_combine(int op, float acc, float v) {
    if (op <= 1) return acc + v;
    if (acc != acc || v != v) return nan_f32();
    return op == 2 ? fmaxf(acc, v) : fminf(acc, v);
}

// inner == 1: one block of 256 threads per row, tree reduction in shared memory.
extern "C" __global__ void reduce_rows_f32(const float* x, float* y, u64 rows, u64 r, int op) {
    __shared__ float partial[256];
    for (u64 row = blockIdx.x; row < rows; row += gridDim.x) {
        const float* p = x + row * r;
        float acc = reduce_identity(op);
        for (u64 j = threadIdx.x; j < r; j += blockDim.x) acc = reduce_combine(op, acc, p[j]);
        partial[threadIdx.x] = acc;
        __syncthreads();
        for (unsigned width = blockDim.x / 2; width > 0; width /= 2) {
            if (threadIdx.x < width)
                partial[threadIdx.x] = reduce_combine(op, partial[threadIdx.x], partial[threadIdx.x + width]);
            __syncthreads();
        }
        if (threadIdx.x == 0) y[row] = op == 1 ? partial[0] / (float)r : partial[0];
        __syncthreads();
    }
}

// inner > 1: one thread per output; neighbouring threads read neighbouring columns (coalesced).
extern "C" __global__ void reduce_cols_f32(const float* x, float* y, u64 outer, u64 r, u64 inner, int op) {
    GRID_STRIDE(i, outer * inner) {
        u64 o = i / inner, c = i % inner;
        const float* p = x + o * r * inner + c;
        float acc = reduce_identity(op);
        for (u64 j = 0; j < r; ++j) acc = reduce_combine(op, acc, p[j * inner]);
        y[i] = op == 1 ? acc / (float)r : acc;
    }
}

// Index of the first maximum of each row (NaN counts as the maximum, as on the CPU), as int64.
extern "C" __global__ void argmax_rows_f32(const float* x, i64* y, u64 rows, u64 cols) {
    GRID_STRIDE(row, rows) {
        const float* p = x + row * cols;
        u64 best = 0;
        float m = p[0];
        for (u64 j = 1; j < cols && m == m; ++j) {
            if (p[j] > m || p[j] != p[j]) { m = p[j]; best = j; }
        }
        y[row] = (i64)best;
    }
}
