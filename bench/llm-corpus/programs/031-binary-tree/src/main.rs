use rand::seq::SliceRandom;
use rand::Rng;
use std::cmp::Ordering;
use std::fmt::Debug;

type Link<T> = Option<Box<Node<T>>>;

#[derive(Debug)]
struct Node<T> {
    value: T,
    left: Link<T>,
    right: Link<T>,
}

#[derive(Debug)]
pub struct Bst<T> {
    root: Link<T>,
    len: usize,
}

impl<T: Ord + Debug> Bst<T> {
    pub fn new() -> Self {
        Bst { root: None, len: 0 }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn insert(&mut self, value: T) -> bool {
        let mut cur = &mut self.root;
        while let Some(node) = cur {
            match value.cmp(&node.value) {
                Ordering::Less => cur = &mut node.left,
                Ordering::Greater => cur = &mut node.right,
                Ordering::Equal => return false,
            }
        }
        *cur = Some(Box::new(Node { value, left: None, right: None }));
        self.len += 1;
        true
    }

    pub fn contains(&self, value: &T) -> bool {
        let mut cur = &self.root;
        while let Some(node) = cur {
            match value.cmp(&node.value) {
                Ordering::Less => cur = &node.left,
                Ordering::Greater => cur = &node.right,
                Ordering::Equal => return true,
            }
        }
        false
    }

    pub fn remove(&mut self, value: &T) -> bool {
        let removed = Self::remove_from(&mut self.root, value);
        if removed {
            self.len -= 1;
        }
        removed
    }

    fn remove_from(link: &mut Link<T>, value: &T) -> bool {
        let Some(node) = link else { return false };
        match value.cmp(&node.value) {
            Ordering::Less => Self::remove_from(&mut node.left, value),
            Ordering::Greater => Self::remove_from(&mut node.right, value),
            Ordering::Equal => {
                let mut boxed = link.take().unwrap();
                *link = match (boxed.left.take(), boxed.right.take()) {
                    (None, None) => None,
                    (Some(l), None) => Some(l),
                    (None, Some(r)) => Some(r),
                    (Some(l), Some(r)) => {
                        // Replace with the minimum of the right subtree.
                        let mut right = Some(r);
                        let min = Self::take_min(&mut right);
                        boxed.value = min;
                        boxed.left = Some(l);
                        boxed.right = right;
                        Some(boxed)
                    }
                };
                true
            }
        }
    }

    fn take_min(link: &mut Link<T>) -> T {
        if link.as_ref().unwrap().left.is_some() {
            Self::take_min(&mut link.as_mut().unwrap().left)
        } else {
            let mut node = link.take().unwrap();
            *link = node.right.take();
            node.value
        }
    }

    pub fn height(&self) -> usize {
        fn h<T>(link: &Link<T>) -> usize {
            match link {
                None => 0,
                Some(n) => 1 + h(&n.left).max(h(&n.right)),
            }
        }
        h(&self.root)
    }

    /// AVL-style balance check: every node's subtrees differ in height by at most one.
    pub fn is_balanced(&self) -> bool {
        fn check<T>(link: &Link<T>) -> Option<usize> {
            match link {
                None => Some(0),
                Some(n) => {
                    let l = check(&n.left)?;
                    let r = check(&n.right)?;
                    if l.abs_diff(r) > 1 { None } else { Some(1 + l.max(r)) }
                }
            }
        }
        check(&self.root).is_some()
    }

    pub fn iter(&self) -> InOrder<'_, T> {
        let mut it = InOrder { stack: Vec::new() };
        it.push_left(self.root.as_deref());
        it
    }

    pub fn min(&self) -> Option<&T> {
        self.iter().next()
    }

    pub fn max(&self) -> Option<&T> {
        let mut cur = self.root.as_deref()?;
        while let Some(r) = cur.right.as_deref() {
            cur = r;
        }
        Some(&cur.value)
    }
}

pub struct InOrder<'a, T> {
    stack: Vec<&'a Node<T>>,
}

impl<'a, T> InOrder<'a, T> {
    fn push_left(&mut self, mut node: Option<&'a Node<T>>) {
        while let Some(n) = node {
            self.stack.push(n);
            node = n.left.as_deref();
        }
    }
}

impl<'a, T> Iterator for InOrder<'a, T> {
    type Item = &'a T;
    fn next(&mut self) -> Option<&'a T> {
        let node = self.stack.pop()?;
        self.push_left(node.right.as_deref());
        Some(&node.value)
    }
}

fn main() {
    let mut rng = rand::thread_rng();
    let mut tree = Bst::new();
    let values: Vec<i32> = (0..20).map(|_| rng.gen_range(1..100)).collect();
    println!("Inserting: {:?}", values);
    let mut dupes = 0;
    for v in &values {
        if !tree.insert(*v) {
            dupes += 1;
        }
    }
    println!("Size {} ({} duplicates ignored), height {}, balanced: {}", tree.len(), dupes, tree.height(), tree.is_balanced());
    println!("In order: {:?}", tree.iter().collect::<Vec<_>>());
    println!("Min {:?}, max {:?}", tree.min(), tree.max());

    for probe in [values[0], 0, 50, values[values.len() - 1]] {
        println!("contains({}) = {}", probe, tree.contains(&probe));
    }

    let mut to_remove: Vec<i32> = values.clone();
    to_remove.shuffle(&mut rng);
    to_remove.truncate(8);
    to_remove.push(1000);
    for v in &to_remove {
        let ok = tree.remove(v);
        println!("remove({:>4}) -> {:<5} size {:>2}, height {}", v, ok, tree.len(), tree.height());
    }
    let remaining: Vec<_> = tree.iter().copied().collect();
    println!("Remaining in order: {:?}", remaining);
    assert!(remaining.windows(2).all(|w| w[0] < w[1]), "in-order traversal must be sorted");

    let mut sorted_tree = Bst::new();
    for i in 1..=15 {
        sorted_tree.insert(i);
    }
    println!("\nSorted inserts 1..=15: height {}, balanced: {}", sorted_tree.height(), sorted_tree.is_balanced());
    let mut balanced = Bst::new();
    for v in [8, 4, 12, 2, 6, 10, 14, 1, 3, 5, 7, 9, 11, 13, 15] {
        balanced.insert(v);
    }
    println!("Level-order inserts:   height {}, balanced: {}", balanced.height(), balanced.is_balanced());
}
