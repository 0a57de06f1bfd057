// The optimizers' fused in-place updates (Keras's formulas, as `kernels::optim` on the CPU). Step sizes are
// read from device memory: they are graph values computed on the device, and reading them on the host would
// wait for the stream once per variable.

// alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t).
extern "C" __global__ void adam_f32(float* var, float* m, float* v, const float* g, u64 n, const float* alpha_at,
                                    float beta_1, float beta_2, float epsilon) {
    float alpha = *alpha_at;
    GRID_STRIDE(i, n) {
        float gi = g[i];
        float mi = m[i] + (gi - m[i]) * (1.0f - beta_1);
        float vi = v[i] + (gi * gi - v[i]) * (1.0f - beta_2);
        m[i] = mi;
        v[i] = vi;
        var[i] -= alpha * mi / (sqrtf(vi) + epsilon);
    }
}

// Without momentum (`m` null): var -= lr * g; with it, m = momentum * m - lr * g and var += m
// (Nesterov: var += momentum * m - lr * g).
extern "C" __global__ void sgd_f32(float* var, float* m, const float* g, u64 n, const float* lr_at, float momentum,
                                   int nesterov) {
    float lr = *lr_at;
    GRID_STRIDE(i, n) {
        if (m == 0) {
            var[i] -= lr * g[i];
        } else {
            float mi = momentum * m[i] - lr * g[i];
            m[i] = mi;
            var[i] += nesterov ? momentum * mi - lr * g[i] : mi;
        }
    }
}

extern "C" __global__ void adagrad_f32(float* var, float* acc, const float* g, u64 n, const float* lr_at,
                                       float epsilon) {
    float lr = *lr_at;
    GRID_STRIDE(i, n) {
        float a = acc[i] + g[i] * g[i];
        acc[i] = a;
        var[i] -= lr * g[i] / sqrtf(a + epsilon);
    }
}
