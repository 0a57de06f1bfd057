// Elementwise kernels. Op codes match `cuda::ops::codes`; NaN handling matches the CPU kernels
// (relu, sign, maximum and minimum propagate NaN).

__device__ __forceinline__ float unary_f32_op(int op, float x) {
    switch (op) {
    case 0: return -x;
    case 1: return expf(x);
    case 2: return logf(x);
    case 3: return sqrtf(x);
    case 4: return rsqrtf(x);
    case 5: return x * x;
    case 6: return fabsf(x);
    case 7: return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : x);
    case 8: return tanhf(x);
    case 9: return 1.0f / (1.0f + expf(-x));
    case 10: return x < 0.0f ? 0.0f : x;
    case 11: return 1.0f / x;
    case 12: return floorf(x);
    case 13: return ceilf(x);
    case 14: return rintf(x); // half to even, as tf.round
    case 15: return sinf(x);
    case 16: return cosf(x);
    case 17: return log1pf(x);
    case 18: return expm1f(x);
    case 19: return x > 0.0f ? x + log1pf(expf(-x)) : log1pf(expf(x)); // softplus without overflow
    default: return nan_f32();
    }
}

__device__ __forceinline__ float binary_f32_op(int op, float a, float b) {
    switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a / b;
    case 4: return (a != a || b != b) ? nan_f32() : fmaxf(a, b);
    case 5: return (a != a || b != b) ? nan_f32() : fminf(a, b);
    case 6: return powf(a, b);
    case 7: return a; // broadcast a to the output shape (b only sets the shape)
    default: return nan_f32();
    }
}

__device__ __forceinline__ bool compare_f32_op(int op, float a, float b) {
    switch (op) {
    case 0: return a == b;
    case 1: return a != b;
    case 2: return a < b;
    case 3: return a <= b;
    case 4: return a > b;
    default: return a >= b;
    }
}

// Offsets of output element i in inputs a and b under broadcasting.
__device__ __forceinline__ void broadcast_offsets(const Broadcast& s, u64 i, u64* ia, u64* ib) {
    u64 a = 0, b = 0;
    for (int d = s.rank - 1; d >= 0; --d) {
        u64 c = i % s.dims[d];
        i /= s.dims[d];
        a += c * s.a_strides[d];
        b += c * s.b_strides[d];
    }
    *ia = a;
    *ib = b;
}

extern "C" __global__ void unary_f32(const float* x, float* y, u64 n, int op) {
    GRID_STRIDE(i, n) y[i] = unary_f32_op(op, x[i]);
}

// Same shapes: no index arithmetic.
extern "C" __global__ void binary_same_f32(const float* a, const float* b, float* y, u64 n, int op) {
    GRID_STRIDE(i, n) y[i] = binary_f32_op(op, a[i], b[i]);
}

extern "C" __global__ void binary_f32(const float* a, const float* b, float* y, u64 n, int op, Broadcast s) {
    GRID_STRIDE(i, n) {
        u64 ia, ib;
        broadcast_offsets(s, i, &ia, &ib);
        y[i] = binary_f32_op(op, a[ia], b[ib]);
    }
}

// Booleans are stored one byte each, as on the CPU.
extern "C" __global__ void compare_f32(const float* a, const float* b, unsigned char* y, u64 n, int op, Broadcast s) {
    GRID_STRIDE(i, n) {
        u64 ia, ib;
        broadcast_offsets(s, i, &ia, &ib);
        y[i] = compare_f32_op(op, a[ia], b[ib]) ? 1 : 0;
    }
}

// The gradient of relu: g where x > 0, else 0.
extern "C" __global__ void relu_grad_f32(const float* g, const float* x, float* y, u64 n) {
    GRID_STRIDE(i, n) y[i] = x[i] > 0.0f ? g[i] : 0.0f;
}

extern "C" __global__ void fill_f32(float* y, u64 n, float value) {
    GRID_STRIDE(i, n) y[i] = value;
}

// Casts between float32, int32, int64 and bool (codes: 0 f32, 1 i32, 2 i64, 3 bool); float to integer
// truncates toward zero as static_cast does on the CPU.
extern "C" __global__ void cast(const void* x, int from, void* y, int to, u64 n) {
    GRID_STRIDE(i, n) {
        double v;
        switch (from) {
        case 0: v = ((const float*)x)[i]; break;
        case 1: v = ((const int*)x)[i]; break;
        case 2: v = (double)((const i64*)x)[i]; break;
        default: v = ((const unsigned char*)x)[i] ? 1.0 : 0.0; break;
        }
        switch (to) {
        case 0: ((float*)y)[i] = (float)v; break;
        case 1: ((int*)y)[i] = (int)v; break;
        case 2: ((i64*)y)[i] = (i64)v; break;
        default: ((unsigned char*)y)[i] = v != 0.0 ? 1 : 0; break;
        }
    }
}
