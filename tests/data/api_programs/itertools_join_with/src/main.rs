use itertools::Itertools;

fn main() {
    let names = vec!["ada", "grace", "linus"];
    let line = names.iter().join_with(", ");
    println!("{line}");
}
