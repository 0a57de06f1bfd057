//! Writes the C header, `include/ferroflow.h`, from this crate's `extern "C"` items with cbindgen.

use std::path::PathBuf;

fn main() {
    let crate_dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml is valid");
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    // Written only when it changes, so that an unchanged header keeps its timestamp (make does not rebuild).
    bindings.write_to_file(crate_dir.join("include").join("ferroflow.h"));
}
