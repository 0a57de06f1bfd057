//! The backend's CUDA C kernels: compiled with NVRTC once per device (for its exact architecture) and launched
//! by name.

use crate::error::{Error, Result};
use cudarc::driver::{result, CudaContext, CudaFunction, CudaModule};
use cudarc::nvrtc::{compile_ptx_with_opts, CompileOptions};
use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::Arc;

/// The sources, in dependency order: `common.cuh` first.
const SOURCES: [&str; 6] = [
    include_str!("kernels/common.cuh"),
    include_str!("kernels/elementwise.cu"),
    include_str!("kernels/reduce.cu"),
    include_str!("kernels/softmax.cu"),
    include_str!("kernels/random.cu"),
    include_str!("kernels/optimizers.cu"),
];

/// Threads per block of every launch; the row kernels' shared arrays are sized for it.
pub const BLOCK: u32 = 256;

pub struct Kernels {
    _module: Arc<CudaModule>,
    functions: HashMap<String, CudaFunction>,
}

/// The `extern "C" __global__` names of a source.
fn kernel_names(source: &str) -> impl Iterator<Item = &str> {
    source.split("extern \"C\" __global__ void ").skip(1).filter_map(|rest| rest.split('(').next())
}

impl Kernels {
    pub fn compile(
        ctx: &Arc<CudaContext>,
        (major, minor): (i32, i32),
    ) -> std::result::Result<Kernels, String> {
        let source = SOURCES.concat();
        let options = CompileOptions {
            options: vec![format!("--gpu-architecture=compute_{major}{minor}"), "--std=c++17".into()],
            ..Default::default()
        };
        let ptx = compile_ptx_with_opts(&source, options).map_err(|e| format!("{e:?}"))?;
        let module = ctx.load_module(ptx).map_err(|e| e.to_string())?;
        let mut functions = HashMap::new();
        for name in SOURCES.iter().flat_map(|s| kernel_names(s)) {
            functions
                .insert(name.to_string(), module.load_function(name).map_err(|e| format!("{name}: {e}"))?);
        }
        Ok(Kernels { _module: module, functions })
    }

    /// Queues `name` on `stream` with `grid` blocks of `BLOCK` threads. `params` point at the arguments, each
    /// of exactly the type and layout the kernel declares.
    ///
    /// # Safety
    /// The pointers in `params` must be valid for the kernel's parameter types, and the device buffers they
    /// name must stay allocated until the stream has run the kernel (the allocator's stream ordering).
    pub unsafe fn launch(
        &self,
        name: &str,
        grid: u32,
        stream: &cudarc::driver::CudaStream,
        params: &mut [*mut c_void],
    ) -> Result<()> {
        let f = self
            .functions
            .get(name)
            .ok_or_else(|| Error::internal(format!("no CUDA kernel named {name}")))?;
        unsafe {
            result::launch_kernel(
                f.cu_function(),
                (grid.max(1), 1, 1),
                (BLOCK, 1, 1),
                0,
                stream.cu_stream(),
                params,
            )
        }
        .map_err(|e| Error::internal(format!("launching the CUDA kernel {name}: {e}")))
    }
}

/// Blocks for an elementwise launch over `n` items: enough to fill the device, the grid-stride loop does the
/// rest.
pub fn grid_for(n: usize, multiprocessors: u32) -> u32 {
    let wanted = n.div_ceil(BLOCK as usize);
    wanted.min(multiprocessors.max(1) as usize * 32).max(1) as u32
}

/// Kernel parameters: a pointer to each argument, in order (`args![x, y, n]`).
#[macro_export]
macro_rules! cuda_args {
    ($($a:expr),* $(,)?) => {
        [$(&$a as *const _ as *mut std::ffi::c_void),*]
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kernel_is_found_by_name() {
        let names: Vec<&str> = SOURCES.iter().flat_map(|s| kernel_names(s)).collect();
        for expected in
            ["unary_f32", "binary_f32", "reduce_rows_f32", "softmax_rows_f32", "dropout_mask_f32", "adam_f32"]
        {
            assert!(names.contains(&expected), "{expected} missing from {names:?}");
        }
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "kernel names are unique");
    }

    #[test]
    fn grids_cover_small_work_and_cap_large_work() {
        assert_eq!(grid_for(0, 132), 1);
        assert_eq!(grid_for(257, 132), 2);
        assert_eq!(grid_for(1 << 30, 132), 132 * 32);
    }
}
