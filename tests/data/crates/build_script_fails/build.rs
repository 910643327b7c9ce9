fn main() {
    eprintln!("could not find the native library `libwidget`");
    std::process::exit(1);
}
