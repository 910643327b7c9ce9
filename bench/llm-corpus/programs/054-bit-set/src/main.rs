use std::fmt;
use std::iter::FromIterator;
use std::ops::{BitAnd, BitOr, BitXor, Sub};

const WORD_BITS: usize = 64;

/// A growable set of small non-negative integers backed by 64-bit words.
#[derive(Clone, Default)]
pub struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_capacity(bits: usize) -> Self {
        BitSet {
            words: vec![0; (bits + WORD_BITS - 1) / WORD_BITS],
        }
    }

    fn locate(bit: usize) -> (usize, u64) {
        (bit / WORD_BITS, 1u64 << (bit % WORD_BITS))
    }

    fn word(&self, i: usize) -> u64 {
        self.words.get(i).copied().unwrap_or(0)
    }

    /// Inserts `bit`, growing as needed. Returns true if it was not present.
    pub fn insert(&mut self, bit: usize) -> bool {
        let (w, mask) = Self::locate(bit);
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        let fresh = self.words[w] & mask == 0;
        self.words[w] |= mask;
        fresh
    }

    pub fn remove(&mut self, bit: usize) -> bool {
        let (w, mask) = Self::locate(bit);
        match self.words.get_mut(w) {
            Some(word) if *word & mask != 0 => {
                *word &= !mask;
                true
            }
            _ => false,
        }
    }

    pub fn contains(&self, bit: usize) -> bool {
        let (w, mask) = Self::locate(bit);
        self.word(w) & mask != 0
    }

    pub fn toggle(&mut self, bit: usize) {
        if !self.remove(bit) {
            self.insert(bit);
        }
    }

    /// Population count.
    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    pub fn capacity(&self) -> usize {
        self.words.len() * WORD_BITS
    }

    pub fn clear(&mut self) {
        self.words.clear();
    }

    pub fn shrink_to_fit(&mut self) {
        while self.words.last() == Some(&0) {
            self.words.pop();
        }
        self.words.shrink_to_fit();
    }

    pub fn min(&self) -> Option<usize> {
        self.iter().next()
    }

    pub fn max(&self) -> Option<usize> {
        self.words
            .iter()
            .enumerate()
            .rev()
            .find(|(_, w)| **w != 0)
            .map(|(i, w)| i * WORD_BITS + (WORD_BITS - 1 - w.leading_zeros() as usize))
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter {
            words: &self.words,
            index: 0,
            current: self.word(0),
        }
    }

    fn combine(&self, other: &BitSet, op: impl Fn(u64, u64) -> u64) -> BitSet {
        let n = self.words.len().max(other.words.len());
        let mut result = BitSet {
            words: (0..n).map(|i| op(self.word(i), other.word(i))).collect(),
        };
        result.shrink_to_fit();
        result
    }

    pub fn union(&self, other: &BitSet) -> BitSet {
        self.combine(other, |a, b| a | b)
    }

    pub fn intersection(&self, other: &BitSet) -> BitSet {
        self.combine(other, |a, b| a & b)
    }

    pub fn difference(&self, other: &BitSet) -> BitSet {
        self.combine(other, |a, b| a & !b)
    }

    pub fn symmetric_difference(&self, other: &BitSet) -> BitSet {
        self.combine(other, |a, b| a ^ b)
    }

    pub fn union_with(&mut self, other: &BitSet) {
        if other.words.len() > self.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= *b;
        }
    }

    pub fn intersect_with(&mut self, other: &BitSet) {
        for (i, a) in self.words.iter_mut().enumerate() {
            *a &= other.word(i);
        }
    }

    pub fn difference_with(&mut self, other: &BitSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !*b;
        }
    }

    pub fn is_subset(&self, other: &BitSet) -> bool {
        self.words
            .iter()
            .enumerate()
            .all(|(i, &w)| w & !other.word(i) == 0)
    }

    pub fn is_disjoint(&self, other: &BitSet) -> bool {
        self.words
            .iter()
            .zip(&other.words)
            .all(|(a, b)| a & b == 0)
    }
}

/// Iterates set bits in ascending order using trailing_zeros on each word.
pub struct Iter<'a> {
    words: &'a [u64],
    index: usize,
    current: u64,
}

impl<'a> Iterator for Iter<'a> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        loop {
            if self.current != 0 {
                let tz = self.current.trailing_zeros() as usize;
                self.current &= self.current - 1; // clear lowest set bit
                return Some(self.index * WORD_BITS + tz);
            }
            self.index += 1;
            if self.index >= self.words.len() {
                return None;
            }
            self.current = self.words[self.index];
        }
    }
}

impl<'a> IntoIterator for &'a BitSet {
    type Item = usize;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl PartialEq for BitSet {
    /// Equal when the same bits are set, regardless of allocated capacity.
    fn eq(&self, other: &Self) -> bool {
        let n = self.words.len().max(other.words.len());
        (0..n).all(|i| self.word(i) == other.word(i))
    }
}

impl Eq for BitSet {}

impl FromIterator<usize> for BitSet {
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> Self {
        let mut set = BitSet::new();
        set.extend(iter);
        set
    }
}

impl Extend<usize> for BitSet {
    fn extend<I: IntoIterator<Item = usize>>(&mut self, iter: I) {
        for bit in iter {
            self.insert(bit);
        }
    }
}

impl fmt::Debug for BitSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for BitSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{")?;
        for (i, bit) in self.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            write!(f, "{}", bit)?;
        }
        write!(f, "}}")
    }
}

impl BitOr for &BitSet {
    type Output = BitSet;
    fn bitor(self, rhs: &BitSet) -> BitSet {
        self.union(rhs)
    }
}

impl BitAnd for &BitSet {
    type Output = BitSet;
    fn bitand(self, rhs: &BitSet) -> BitSet {
        self.intersection(rhs)
    }
}

impl Sub for &BitSet {
    type Output = BitSet;
    fn sub(self, rhs: &BitSet) -> BitSet {
        self.difference(rhs)
    }
}

impl BitXor for &BitSet {
    type Output = BitSet;
    fn bitxor(self, rhs: &BitSet) -> BitSet {
        self.symmetric_difference(rhs)
    }
}

fn main() {
    // Sieve of Eratosthenes: mark composites, primes are everything else.
    let limit = 200;
    let mut composite = BitSet::with_capacity(limit + 1);
    composite.insert(0);
    composite.insert(1);
    for i in 2..=limit {
        if !composite.contains(i) {
            let mut j = i * i;
            while j <= limit {
                composite.insert(j);
                j += i;
            }
        }
    }
    let all: BitSet = (0..=limit).collect();
    let primes = &all - &composite;
    println!("{} primes up to {}:\n{}\n", primes.len(), limit, primes);
    assert_eq!(primes.len(), 46);

    let evens: BitSet = (0..=30).step_by(2).collect();
    let threes: BitSet = (0..=30).step_by(3).collect();
    println!("evens            = {}", evens);
    println!("multiples of 3   = {}", threes);
    println!("union            = {}", &evens | &threes);
    println!("intersection     = {}", &evens & &threes);
    println!("evens - threes   = {}", &evens - &threes);
    println!("symmetric diff   = {}", &evens ^ &threes);

    let sixes: BitSet = (0..=30).step_by(6).collect();
    assert_eq!(&evens & &threes, sixes);
    assert!(sixes.is_subset(&evens) && sixes.is_subset(&threes));
    assert!(!evens.is_subset(&threes));
    let odds: BitSet = (1..=31).step_by(2).collect();
    assert!(odds.is_disjoint(&evens));
    assert_eq!((&evens | &odds).len(), 32);

    // Growth and shrinking.
    let mut sparse = BitSet::new();
    sparse.insert(3);
    sparse.insert(70);
    sparse.insert(1000);
    println!(
        "\nsparse = {:?}: len {}, capacity {} bits, min {:?}, max {:?}",
        sparse,
        sparse.len(),
        sparse.capacity(),
        sparse.min(),
        sparse.max()
    );
    assert!(!sparse.insert(70), "inserting twice reports false");
    sparse.remove(1000);
    sparse.shrink_to_fit();
    println!(
        "after removing 1000 and shrinking: {} (capacity {} bits)",
        sparse,
        sparse.capacity()
    );

    // In-place operations.
    let mut acc = BitSet::new();
    acc.union_with(&evens);
    acc.intersect_with(&threes);
    acc.toggle(0);
    acc.toggle(7);
    acc.difference_with(&BitSet::from_iter([12, 24]));
    println!("in-place result  = {}", acc);
    assert_eq!(acc, [6, 7, 18, 30].into_iter().collect::<BitSet>());

    let sum: usize = primes.iter().filter(|p| *p < 100).sum();
    println!("sum of primes below 100 = {}", sum);
    let mut empty = primes.clone();
    empty.clear();
    println!("cleared set is empty: {}", empty.is_empty());
}
