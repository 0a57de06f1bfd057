// Counter-based random numbers: Philox4x32-10 (Salmon et al. 2011), the generator of TensorFlow's and
// PyTorch's GPU kernels. Each thread draws from its own counter, so a launch of any shape is reproducible.

__device__ __forceinline__ void philox_round(u32* c, const u32* k) {
    const u32 M0 = 0xD2511F53u, M1 = 0xCD9E8D57u;
    u32 hi0 = __umulhi(M0, c[0]), lo0 = M0 * c[0];
    u32 hi1 = __umulhi(M1, c[2]), lo1 = M1 * c[2];
    u32 r0 = hi1 ^ c[1] ^ k[0], r2 = hi0 ^ c[3] ^ k[1];
    c[0] = r0; c[1] = lo1; c[2] = r2; c[3] = lo0;
}

__device__ void philox4x32_10(u32* c, u32 k0, u32 k1) {
    u32 k[2] = {k0, k1};
    for (int r = 0; r < 10; ++r) {
        philox_round(c, k);
        k[0] += 0x9E3779B9u;
        k[1] += 0xBB67AE85u;
    }
}

// Uniform [0, 1) from the top 24 bits.
__device__ __forceinline__ float to_unit(u32 bits) { return (float)(bits >> 8) * (1.0f / 16777216.0f); }

// Inverted dropout's mask: 1 / (1 - rate) where the draw is at least `rate`, else 0. `run` is the op's run
// counter: every step draws fresh numbers.
extern "C" __global__ void dropout_mask_f32(float* y, u64 n, u64 seed, u64 run, float rate) {
    float scale = 1.0f / (1.0f - rate);
    GRID_STRIDE(i, (n + 3) / 4) {
        u32 c[4] = {(u32)i, (u32)(i >> 32), (u32)run, (u32)(run >> 32)};
        philox4x32_10(c, (u32)seed, (u32)(seed >> 32));
        for (int j = 0; j < 4; ++j) {
            u64 at = i * 4 + j;
            if (at < n) y[at] = to_unit(c[j]) >= rate ? scale : 0.0f;
        }
    }
}

// Uniform [0, 1) numbers (`dist` 0) or standard normal ones by Box-Muller (`dist` 1).
extern "C" __global__ void random_f32(float* y, u64 n, u64 seed, u64 run, int dist) {
    GRID_STRIDE(i, (n + 3) / 4) {
        u32 c[4] = {(u32)i, (u32)(i >> 32), (u32)run, (u32)(run >> 32)};
        philox4x32_10(c, (u32)seed, (u32)(seed >> 32));
        float u[4];
        for (int j = 0; j < 4; ++j) u[j] = to_unit(c[j]);
        if (dist == 1) {
            for (int j = 0; j < 4; j += 2) {
                float r = sqrtf(-2.0f * logf(1.0f - u[j])), t = 6.283185307179586f * u[j + 1];
                u[j] = r * cosf(t);
                u[j + 1] = r * sinf(t);
            }
        }
        for (int j = 0; j < 4; ++j) {
            u64 at = i * 4 + j;
            if (at < n) y[at] = u[j];
        }
    }
}
