//! Bakes the libtorch library directory into the binary's rpath so that
//! `stancewatch` runs without LD_LIBRARY_PATH (torch-sys exports it as DEP_TCH_LIBTORCH_LIB).
fn main() {
    if let Ok(lib) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{lib}");
    }
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
}
