//! Link settings for a Node-API addon.
//!
//! The `napi_*` symbols are provided by the node executable that loads the addon. ELF shared
//! objects (Linux) may leave them undefined by default; Mach-O (macOS) must be told to resolve
//! them when the library is loaded.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("macos") {
        println!("cargo:rustc-cdylib-link-arg=-undefined");
        println!("cargo:rustc-cdylib-link-arg=dynamic_lookup");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
