use rand::Rng;
use std::fmt::Debug;

/// Fixed-capacity ring buffer; pushing when full overwrites the oldest element.
pub struct RingBuffer<T> {
    buf: Vec<Option<T>>,
    head: usize, // index of the oldest element
    len: usize,
}

impl<T> RingBuffer<T> {
    pub fn with_capacity(capacity: usize) -> Self {
        assert!(capacity > 0, "capacity must be > 0");
        let mut buf = Vec::with_capacity(capacity);
        buf.resize_with(capacity, || None);
        RingBuffer { buf, head: 0, len: 0 }
    }

    pub fn capacity(&self) -> usize {
        self.buf.len()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn is_full(&self) -> bool {
        self.len == self.capacity()
    }

    /// Pushes a value, returning the overwritten oldest value if the buffer was full.
    pub fn push(&mut self, value: T) -> Option<T> {
        let cap = self.capacity();
        if self.is_full() {
            let old = self.buf[self.head].replace(value);
            self.head = (self.head + 1) % cap;
            old
        } else {
            let tail = (self.head + self.len) % cap;
            self.buf[tail] = Some(value);
            self.len += 1;
            None
        }
    }

    /// Removes and returns the oldest value.
    pub fn pop(&mut self) -> Option<T> {
        if self.is_empty() {
            return None;
        }
        let v = self.buf[self.head].take();
        self.head = (self.head + 1) % self.capacity();
        self.len -= 1;
        v
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        if i >= self.len {
            return None;
        }
        self.buf[(self.head + i) % self.capacity()].as_ref()
    }

    pub fn newest(&self) -> Option<&T> {
        if self.len == 0 { None } else { self.get(self.len - 1) }
    }

    pub fn iter(&self) -> Iter<'_, T> {
        Iter { rb: self, pos: 0 }
    }

    pub fn clear(&mut self) {
        while self.pop().is_some() {}
    }
}

pub struct Iter<'a, T> {
    rb: &'a RingBuffer<T>,
    pos: usize,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;
    fn next(&mut self) -> Option<&'a T> {
        let item = self.rb.get(self.pos)?;
        self.pos += 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let rem = self.rb.len - self.pos;
        (rem, Some(rem))
    }
}

impl<'a, T> ExactSizeIterator for Iter<'a, T> {}

impl<'a, T> IntoIterator for &'a RingBuffer<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T: Debug> Debug for RingBuffer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Moving average over the last N samples, maintained incrementally.
struct MovingAverage {
    window: RingBuffer<f64>,
    sum: f64,
}

impl MovingAverage {
    fn new(n: usize) -> Self {
        MovingAverage { window: RingBuffer::with_capacity(n), sum: 0.0 }
    }

    fn add(&mut self, x: f64) -> f64 {
        if let Some(old) = self.window.push(x) {
            self.sum -= old;
        }
        self.sum += x;
        self.sum / self.window.len() as f64
    }
}

fn main() {
    let mut rb = RingBuffer::with_capacity(4);
    for i in 1..=6 {
        let evicted = rb.push(i);
        println!("push {} -> {:?} (evicted {:?}, len {}, full {})", i, rb, evicted, rb.len(), rb.is_full());
    }
    println!("oldest {:?}, newest {:?}", rb.get(0), rb.newest());
    println!("sum via iterator: {}", rb.iter().sum::<i32>());
    println!("pop -> {:?}, pop -> {:?}, now {:?}", rb.pop(), rb.pop(), rb);
    rb.push(7);
    rb.push(8);
    rb.push(9);
    print!("in order after wrap-around:");
    for v in &rb {
        print!(" {}", v);
    }
    println!(" (iterator length {})", rb.iter().len());
    rb.clear();
    println!("after clear: {:?}, empty {}", rb, rb.is_empty());

    println!("\nMoving average (window 5) over a noisy signal:");
    let mut ma = MovingAverage::new(5);
    let mut rng = rand::thread_rng();
    println!("{:>4} {:>8} {:>8}  ", "t", "sample", "avg5");
    for t in 0..20 {
        let signal = 10.0 + (t as f64 / 3.0).sin() * 3.0;
        let sample = signal + rng.gen_range(-1.5..1.5);
        let avg = ma.add(sample);
        let bar = "*".repeat((avg * 2.0).round().max(0.0) as usize);
        println!("{:>4} {:>8.3} {:>8.3}  {}", t, sample, avg, bar);
    }
}
