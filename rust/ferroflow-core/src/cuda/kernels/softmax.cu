// Softmax family over the last axis, one block of 256 threads per row.

__device__ float block_reduce(float v, bool is_max, float* shared) {
    shared[threadIdx.x] = v;
    __syncthreads();
    for (unsigned width = blockDim.x / 2; width > 0; width /= 2) {
        if (threadIdx.x < width) {
            float o = shared[threadIdx.x + width];
            shared[threadIdx.x] = is_max ? fmaxf(shared[threadIdx.x], o) : shared[threadIdx.x] + o;
        }
        __syncthreads();
    }
    float out = shared[0];
    __syncthreads();
    return out;
}

// A row's maximum m and sum(exp(x - m)), in every thread of the block.
__device__ void row_max_and_sum(const float* p, u64 cols, float* shared, float* m_out, float* s_out) {
    float m = -__int_as_float(0x7f800000);
    for (u64 j = threadIdx.x; j < cols; j += blockDim.x) m = fmaxf(m, p[j]);
    m = block_reduce(m, true, shared);
    float s = 0.0f;
    for (u64 j = threadIdx.x; j < cols; j += blockDim.x) s += expf(p[j] - m);
    *m_out = m;
    *s_out = block_reduce(s, false, shared);
}

// log == 0: softmax; log == 1: log-softmax.
extern "C" __global__ void softmax_rows_f32(const float* x, float* y, u64 rows, u64 cols, int log) {
    __shared__ float shared[256];
    for (u64 row = blockIdx.x; row < rows; row += gridDim.x) {
        const float* p = x + row * cols;
        float* q = y + row * cols;
        float m, s;
        row_max_and_sum(p, cols, shared, &m, &s);
        float log_s = logf(s);
        for (u64 j = threadIdx.x; j < cols; j += blockDim.x)
            q[j] = log ? p[j] - m - log_s : expf(p[j] - m) / s;
    }
}

// Per-row loss -log softmax(logits)[label]; a label outside [0, cols) gives NaN, as TensorFlow's GPU kernel.
extern "C" __global__ void sparse_xent_rows_f32(const float* logits, const void* labels, int labels_i64, float* loss,
                                                u64 rows, u64 cols) {
    __shared__ float shared[256];
    for (u64 row = blockIdx.x; row < rows; row += gridDim.x) {
        const float* p = logits + row * cols;
        i64 label = labels_i64 ? ((const i64*)labels)[row] : (i64)((const int*)labels)[row];
        float m, s;
        row_max_and_sum(p, cols, shared, &m, &s);
        if (threadIdx.x == 0)
            loss[row] = (label < 0 || (u64)label >= cols) ? nan_f32() : logf(s) + m - p[label];
    }
}

// one_hot along the last axis from int32/int64 indices; out-of-range indices give a row of off_value.
extern "C" __global__ void one_hot_f32(const void* indices, int indices_i64, float* y, u64 n, u64 depth, float on,
                                       float off) {
    GRID_STRIDE(i, n * depth) {
        u64 row = i / depth, c = i % depth;
        i64 k = indices_i64 ? ((const i64*)indices)[row] : (i64)((const int*)indices)[row];
        y[i] = (k >= 0 && (u64)k == c) ? on : off;
    }
}
