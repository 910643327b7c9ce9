fn main() {
    let mut primes: Vec<u32> = vec![2, 3];
    primes.push_all(&[5, 7, 11]);
    println!("{primes:?}");
}
