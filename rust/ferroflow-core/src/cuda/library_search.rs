//! Finds NVRTC and cuBLAS where Python installs put them (pip's `nvidia-*` packages, a toolkit under
//! /usr/local/cuda) and loads them by path, so that cudarc's later load by name finds them already loaded.

use std::path::{Path, PathBuf};

/// The libraries looked for, by file-name prefix; cuBLASLt first, which cuBLAS needs.
const WANTED: [&str; 3] = ["libcublasLt.so", "libcublas.so", "libnvrtc.so"];

/// Directories to search: each entry of `FERROFLOW_CUDA_LIBRARY_PATH` (colon-separated; the Python package
/// sets it to its site-packages, whose `nvidia/*/lib` folders are searched) and the usual toolkit folders.
fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Ok(hints) = std::env::var("FERROFLOW_CUDA_LIBRARY_PATH") {
        for hint in hints.split(':').filter(|h| !h.is_empty()) {
            let hint = Path::new(hint);
            dirs.push(hint.to_path_buf());
            for nvidia in [hint.join("nvidia")] {
                if let Ok(entries) = std::fs::read_dir(&nvidia) {
                    let mut libs: Vec<PathBuf> = entries.flatten().map(|e| e.path().join("lib")).collect();
                    libs.sort();
                    dirs.extend(libs);
                }
            }
        }
    }
    dirs.extend(["/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib"].map(PathBuf::from));
    dirs
}

/// The newest-looking file of `dir` whose name starts with `prefix` (`libcublas.so.13` over `libcublas.so`).
fn find_in(dir: &Path, prefix: &str) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix)))
        .collect();
    found.sort();
    found.pop()
}

/// Loads each wanted library found in the search folders and keeps it loaded for the life of the process.
/// Libraries already on the loader's path are loaded from there by cudarc as usual; a load that fails here
/// is left for the probe to report.
pub fn preload() {
    let dirs = search_dirs();
    for prefix in WANTED {
        if let Some(path) = dirs.iter().find_map(|d| find_in(d, prefix)) {
            // SAFETY: loading a CUDA library runs only its initializers, which have no preconditions.
            if let Ok(lib) = unsafe { libloading::Library::new(&path) } {
                std::mem::forget(lib);
            }
        }
    }
}
