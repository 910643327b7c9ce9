use std::collections::HashMap;

struct Fibonacci {
    current: u64,
    next: u64,
}

impl Fibonacci {
    fn new() -> Self {
        Fibonacci { current: 0, next: 1 }
    }
}

impl Iterator for Fibonacci {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let value = self.current;
        let following = self.current.checked_add(self.next)?;
        self.current = self.next;
        self.next = following;
        Some(value)
    }
}

fn even_fibs_below(limit: u64) -> Vec<u64> {
    Fibonacci::new().take_while(|&n| n < limit).filter(|n| n % 2 == 0).collect()
}

fn index_by_length(words: &[&str]) -> HashMap<usize, Vec<String>> {
    words.iter().fold(HashMap::new(), |mut map, word| {
        map.entry(word.len()).or_insert_with(Vec::new).push(word.to_string());
        map
    })
}

fn dot(a: &[i64], b: &[i64]) -> i64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn main() {
    println!("{:?}", even_fibs_below(100));
    for (i, fib) in Fibonacci::new().enumerate().skip(10).take(3) {
        println!("fib({i}) = {fib}");
    }
    println!("{:?}", index_by_length(&["a", "bb", "cc"]).get(&2));
    println!("{}", dot(&[1, 2, 3], &[4, 5, 6]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fibonacci_starts_right_and_ends_without_overflow() {
        let first: Vec<u64> = Fibonacci::new().take(7).collect();
        assert_eq!(first, vec![0, 1, 1, 2, 3, 5, 8]);
        assert!(Fibonacci::new().count() > 90);
    }

    #[test]
    fn adapters_compose() {
        assert_eq!(even_fibs_below(50), vec![0, 2, 8, 34]);
        assert_eq!(index_by_length(&["x", "yy", "zz"])[&2], vec!["yy", "zz"]);
        assert_eq!(dot(&[1, 2], &[3, 4, 5]), 11);
    }
}
