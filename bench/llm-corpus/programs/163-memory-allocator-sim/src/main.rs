//! Memory allocator simulator with first-fit and best-fit placement,
//! block splitting, coalescing on free, fragmentation statistics and
//! full JSON persistence of the heap state.

use chrono::{DateTime, Utc};
use rand::{rngs::StdRng, Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::error::Error;
use std::fmt;
use std::fs;
use std::path::Path;
use uuid::Uuid;

const ALIGN: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Strategy {
    FirstFit,
    BestFit,
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Strategy::FirstFit => "first-fit",
            Strategy::BestFit => "best-fit",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum BlockState {
    Free,
    Used { allocation: Uuid },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Block {
    offset: usize,
    size: usize,
    state: BlockState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Allocation {
    id: Uuid,
    label: String,
    offset: usize,
    requested: usize,
    size: usize,
    allocated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
enum Event {
    Allocated { id: Uuid, offset: usize, size: usize, at: DateTime<Utc> },
    Freed { id: Uuid, offset: usize, size: usize, merged_with: usize, resulting_block: usize, at: DateTime<Utc> },
    Failed { requested: usize, largest_free: usize, at: DateTime<Utc> },
}

#[derive(Debug)]
enum AllocError {
    ZeroSize,
    OutOfMemory { requested: usize, largest_free: usize },
    UnknownAllocation(Uuid),
}

impl fmt::Display for AllocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AllocError::ZeroSize => write!(f, "cannot allocate zero bytes"),
            AllocError::OutOfMemory { requested, largest_free } => {
                write!(f, "no block for {requested} bytes (largest free block is {largest_free})")
            }
            AllocError::UnknownAllocation(id) => write!(f, "unknown allocation {id}"),
        }
    }
}

impl Error for AllocError {}

#[derive(Debug, Clone, PartialEq)]
struct Stats {
    used: usize,
    free: usize,
    free_blocks: usize,
    largest_free: usize,
    live_allocations: usize,
    internal_waste: usize,
    fragmentation: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Heap {
    id: Uuid,
    capacity: usize,
    strategy: Strategy,
    created_at: DateTime<Utc>,
    blocks: Vec<Block>,
    allocations: HashMap<Uuid, Allocation>,
    events: Vec<Event>,
}

impl Heap {
    fn new(capacity: usize, strategy: Strategy) -> Self {
        Heap {
            id: Uuid::new_v4(),
            capacity,
            strategy,
            created_at: Utc::now(),
            blocks: vec![Block { offset: 0, size: capacity, state: BlockState::Free }],
            allocations: HashMap::new(),
            events: Vec::new(),
        }
    }

    fn find_block(&self, size: usize) -> Option<usize> {
        let candidates = self
            .blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.state == BlockState::Free && b.size >= size);
        match self.strategy {
            Strategy::FirstFit => candidates.map(|(i, _)| i).next(),
            Strategy::BestFit => candidates.min_by_key(|(_, b)| b.size).map(|(i, _)| i),
        }
    }

    fn largest_free(&self) -> usize {
        self.blocks.iter().filter(|b| b.state == BlockState::Free).map(|b| b.size).max().unwrap_or(0)
    }

    fn allocate(&mut self, requested: usize, label: &str) -> Result<Uuid, AllocError> {
        if requested == 0 {
            return Err(AllocError::ZeroSize);
        }
        let size = (requested + ALIGN - 1) / ALIGN * ALIGN;
        let now = Utc::now();
        let Some(idx) = self.find_block(size) else {
            let largest_free = self.largest_free();
            self.events.push(Event::Failed { requested, largest_free, at: now });
            return Err(AllocError::OutOfMemory { requested, largest_free });
        };
        let id = Uuid::new_v4();
        let block = &mut self.blocks[idx];
        let offset = block.offset;
        let remainder = block.size - size;
        block.size = size;
        block.state = BlockState::Used { allocation: id };
        if remainder > 0 {
            self.blocks.insert(idx + 1, Block { offset: offset + size, size: remainder, state: BlockState::Free });
        }
        self.allocations.insert(
            id,
            Allocation { id, label: label.to_string(), offset, requested, size, allocated_at: now },
        );
        self.events.push(Event::Allocated { id, offset, size, at: now });
        Ok(id)
    }

    /// Frees an allocation and coalesces with free neighbours.
    /// Returns how many neighbouring blocks were merged.
    fn free(&mut self, id: Uuid) -> Result<usize, AllocError> {
        let alloc = self.allocations.remove(&id).ok_or(AllocError::UnknownAllocation(id))?;
        let mut idx = self
            .blocks
            .iter()
            .position(|b| b.offset == alloc.offset)
            .expect("every live allocation has a block");
        self.blocks[idx].state = BlockState::Free;
        let mut merged = 0;
        if idx + 1 < self.blocks.len() && self.blocks[idx + 1].state == BlockState::Free {
            let next = self.blocks.remove(idx + 1);
            self.blocks[idx].size += next.size;
            merged += 1;
        }
        if idx > 0 && self.blocks[idx - 1].state == BlockState::Free {
            let current = self.blocks.remove(idx);
            idx -= 1;
            self.blocks[idx].size += current.size;
            merged += 1;
        }
        self.events.push(Event::Freed {
            id,
            offset: alloc.offset,
            size: alloc.size,
            merged_with: merged,
            resulting_block: self.blocks[idx].size,
            at: Utc::now(),
        });
        Ok(merged)
    }

    fn stats(&self) -> Stats {
        let free_sizes: Vec<usize> =
            self.blocks.iter().filter(|b| b.state == BlockState::Free).map(|b| b.size).collect();
        let free: usize = free_sizes.iter().sum();
        let largest_free = free_sizes.iter().copied().max().unwrap_or(0);
        Stats {
            used: self.capacity - free,
            free,
            free_blocks: free_sizes.len(),
            largest_free,
            live_allocations: self.allocations.len(),
            internal_waste: self.allocations.values().map(|a| a.size - a.requested).sum(),
            fragmentation: if free == 0 { 0.0 } else { 1.0 - largest_free as f64 / free as f64 },
        }
    }

    fn check_invariants(&self) -> Result<(), String> {
        let mut expected_offset = 0;
        for (i, b) in self.blocks.iter().enumerate() {
            if b.offset != expected_offset {
                return Err(format!("gap or overlap at block {i} (offset {})", b.offset));
            }
            if i > 0 && b.state == BlockState::Free && self.blocks[i - 1].state == BlockState::Free {
                return Err(format!("adjacent free blocks at offset {} were not coalesced", b.offset));
            }
            if let BlockState::Used { allocation } = &b.state {
                if !self.allocations.contains_key(allocation) {
                    return Err(format!("block at {} refers to unknown allocation", b.offset));
                }
            }
            expected_offset += b.size;
        }
        if expected_offset != self.capacity {
            return Err(format!("blocks cover {expected_offset} bytes, capacity is {}", self.capacity));
        }
        Ok(())
    }

    fn memory_map(&self, width: usize) -> String {
        (0..width)
            .map(|cell| {
                let pos = cell * self.capacity / width;
                match self.blocks.iter().find(|b| pos >= b.offset && pos < b.offset + b.size) {
                    Some(Block { state: BlockState::Used { .. }, .. }) => '#',
                    _ => '.',
                }
            })
            .collect()
    }
}

fn save(heap: &Heap, path: &Path) -> Result<(), Box<dyn Error>> {
    fs::write(path, serde_json::to_string_pretty(heap)?)?;
    Ok(())
}

fn load(path: &Path) -> Result<Heap, Box<dyn Error>> {
    Ok(serde_json::from_str(&fs::read_to_string(path)?)?)
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Alloc { handle: usize, size: usize },
    Free { handle: usize },
}

fn workload(seed: u64, n: usize) -> Vec<Op> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut live: Vec<usize> = Vec::new();
    let mut next = 0;
    let mut ops = Vec::with_capacity(n);
    for _ in 0..n {
        if live.is_empty() || rng.gen_bool(0.6) {
            let size = if rng.gen_bool(0.2) { rng.gen_range(256..1024) } else { rng.gen_range(8..128) };
            ops.push(Op::Alloc { handle: next, size });
            live.push(next);
            next += 1;
        } else {
            let i = rng.gen_range(0..live.len());
            ops.push(Op::Free { handle: live.swap_remove(i) });
        }
    }
    ops
}

#[derive(Debug, Default)]
struct RunReport {
    allocations: usize,
    failures: usize,
    frees: usize,
    merges: usize,
}

fn run_workload(heap: &mut Heap, ops: &[Op]) -> RunReport {
    let mut handles: HashMap<usize, Uuid> = HashMap::new();
    let mut report = RunReport::default();
    for op in ops {
        match *op {
            Op::Alloc { handle, size } => match heap.allocate(size, &format!("obj-{handle}")) {
                Ok(id) => {
                    handles.insert(handle, id);
                    report.allocations += 1;
                }
                Err(_) => report.failures += 1,
            },
            Op::Free { handle } => {
                if let Some(id) = handles.remove(&handle) {
                    match heap.free(id) {
                        Ok(merged) => {
                            report.frees += 1;
                            report.merges += merged;
                        }
                        Err(e) => eprintln!("unexpected free error: {e}"),
                    }
                }
            }
        }
    }
    report
}

fn placement_demo() -> Result<(), Box<dyn Error>> {
    println!("Placement demo: holes of 304, 200 and 208 bytes, then a request for 180 bytes");
    for strategy in [Strategy::FirstFit, Strategy::BestFit] {
        let mut heap = Heap::new(1024, strategy);
        let sizes = [100, 300, 100, 200, 100];
        let ids: Vec<Uuid> = sizes.iter().enumerate().map(|(i, &s)| heap.allocate(s, &format!("p{i}"))).collect::<Result<_, _>>()?;
        heap.free(ids[1])?;
        heap.free(ids[3])?;
        let id = heap.allocate(180, "probe")?;
        println!("  {strategy:<9} placed the probe at offset {:>4}  [{}]", heap.allocations[&id].offset, heap.memory_map(64));
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    placement_demo()?;

    let ops = workload(42, 600);
    let dir = std::env::temp_dir();
    for strategy in [Strategy::FirstFit, Strategy::BestFit] {
        let mut heap = Heap::new(16 * 1024, strategy);
        let report = run_workload(&mut heap, &ops);
        heap.check_invariants()?;
        let s = heap.stats();
        println!("\n=== {strategy} on a {} byte heap ({} ops) ===", heap.capacity, ops.len());
        println!(
            "allocations: {}  failed: {}  frees: {}  neighbour merges: {}",
            report.allocations, report.failures, report.frees, report.merges
        );
        println!(
            "used {} / free {} bytes in {} free block(s); largest free block {} bytes",
            s.used, s.free, s.free_blocks, s.largest_free
        );
        println!(
            "external fragmentation {:.1}%  internal waste {} bytes  live allocations {}",
            s.fragmentation * 100.0,
            s.internal_waste,
            s.live_allocations
        );
        println!("map [{}]", heap.memory_map(64));

        let mut live: Vec<&Allocation> = heap.allocations.values().collect();
        live.sort_by_key(|a| a.offset);
        for a in live.iter().take(3) {
            println!("  {} {:<8} offset {:>5} size {:>4} (requested {})", a.id, a.label, a.offset, a.size, a.requested);
        }

        let path = dir.join(format!("allocator-{strategy}.json"));
        save(&heap, &path)?;
        let mut restored = load(&path)?;
        println!(
            "saved {} ({} bytes, {} events); restored state identical: {}",
            path.display(),
            fs::metadata(&path)?.len(),
            restored.events.len(),
            restored == heap
        );

        let ids: Vec<Uuid> = restored.allocations.keys().copied().collect();
        for id in ids {
            restored.free(id)?;
        }
        restored.check_invariants()?;
        let after = restored.stats();
        println!(
            "after freeing everything in the restored heap: {} free block(s), {} bytes free",
            after.free_blocks, after.free
        );
    }
    Ok(())
}
