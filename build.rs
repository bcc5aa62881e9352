// The default theme and the `lander init` starter are embedded with
// include_dir, which cargo cannot see: rebuild when they change.
fn main() {
    println!("cargo:rerun-if-changed=themes");
    println!("cargo:rerun-if-changed=src/starter");
}
