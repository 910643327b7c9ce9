"""A method of `self` called while a borrow of one of its fields is live (E0499/E0502).

Index, then reborrow: what the call needs is taken into locals before it, and
the value is looked up again after it for the lines that still use it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fix.recipes.helpers import check_fix, check_no_fix

CASES = [
    (
        "mutable-find-then-self-method",
        """
pub struct Task {
    pub id: u32,
    pub runs: u32,
}

pub struct Runner {
    tasks: Vec<Task>,
    log: Vec<String>,
}

impl Runner {
    fn record(&mut self, id: u32) {
        self.log.push(format!("ran {id}"));
    }

    pub fn run(&mut self, id: u32) -> u32 {
        let task = self.tasks.iter_mut().find(|t| t.id == id).unwrap();
        task.runs += 1;
        self.record(task.id);
        task.runs
    }
}
""",
        [
            "let task_value = task.id;",
            "self.record(task_value);",
            "let task = self.tasks.iter_mut().find(|t| t.id == id).unwrap();\n        task.runs\n",
        ],
        "E0499",
    ),
    (
        "shared-lookup-then-mutating-method",
        """
use std::collections::HashMap;

pub struct Account {
    pub name: String,
    pub balance: i64,
}

pub struct Bank {
    accounts: HashMap<u32, Account>,
    audit: Vec<String>,
}

impl Bank {
    fn note(&mut self, who: &String) {
        self.audit.push(who.clone());
    }

    pub fn balance(&mut self, id: u32) -> i64 {
        let account = self.accounts.get(&id).unwrap();
        self.note(&account.name);
        account.balance
    }
}
""",
        ["let who = account.name.clone();", "self.note(&who);"],
        "E0502",
    ),
]


@pytest.mark.parametrize(
    ("before", "after", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
async def test_reborrow_after_self_call(
    tmp_path: Path, before: str, after: list[str], code: str
) -> None:
    await check_fix(tmp_path, before, after, code=code, source="kb", title="look")


async def test_loop_borrow_is_left_to_the_loop_recipes(tmp_path: Path) -> None:
    # The field is borrowed by the loop itself, not by a `let`: nothing to look up again.
    before = """
pub struct Queue {
    items: Vec<u32>,
    seen: u32,
}

impl Queue {
    fn bump(&mut self) {
        self.seen += 1;
    }

    pub fn drain(&mut self) {
        for item in self.items.iter_mut() {
            *item += 1;
            self.bump();
        }
    }
}
"""
    await check_no_fix(tmp_path, before, "E0499", {"E0499-reborrow-after-call"})


async def test_field_lent_to_a_self_method_is_taken_out_for_the_call(tmp_path: Path) -> None:
    before = """
pub struct Report {
    text: String,
    lines: usize,
}

impl Report {
    fn add_line(&mut self, out: &mut String, line: &str) {
        out.push_str(line);
        out.push('\\n');
        self.lines += 1;
    }

    pub fn build(&mut self, items: &[&str]) -> usize {
        for item in items {
            self.add_line(&mut self.text, item);
        }
        self.lines
    }
}
"""
    await check_fix(
        tmp_path,
        before,
        [
            "let mut text = std::mem::take(&mut self.text);",
            "self.add_line(&mut text, item);",
            "self.text = text;",
        ],
        code="E0499",
        source="kb",
        title="Take the field out",
    )


async def test_field_the_method_reads_is_not_taken_out(tmp_path: Path) -> None:
    # `flush` reads `self.pending` (through `count`): taken out, it would see an empty list.
    before = """
pub struct Sink {
    pending: Vec<u8>,
    sent: usize,
}

impl Sink {
    fn count(&mut self) {
        self.sent += self.pending.len();
    }

    fn flush(&mut self, out: &mut Vec<u8>) {
        self.count();
        out.clear();
    }

    pub fn run(&mut self) {
        self.flush(&mut self.pending);
    }
}
"""
    await check_no_fix(tmp_path, before, "E0499", {"E0499-take-field-for-call"})


async def test_place_read_directly_until_the_call_then_borrowed(tmp_path: Path) -> None:
    before = """
pub struct Slot {
    pub level: u32,
    pub history: Vec<u32>,
}

pub struct Tank {
    slots: Vec<Slot>,
    max: u32,
}

impl Tank {
    fn allowed(&self, level: u32) -> bool {
        level <= self.max
    }

    pub fn fill(&mut self, i: usize, amount: u32) -> bool {
        let slot = &mut self.slots[i];
        let target = slot.level + amount;
        if !self.allowed(target) {
            return false;
        }
        slot.history.push(slot.level);
        slot.level = target;
        true
    }
}
"""
    await check_fix(
        tmp_path,
        before,
        [
            "let target = self.slots[i].level + amount;",
            "}\n        let slot = &mut self.slots[i];\n        slot.history.push(slot.level);",
        ],
        code="E0502",
        source="kb",
        title="directly",
    )


async def test_no_second_lookup_when_the_call_changes_the_collection(tmp_path: Path) -> None:
    # `prune` removes entries of `self.jobs`: looking `job` up again could find another one.
    before = """
use std::collections::HashMap;

pub struct Queue {
    jobs: HashMap<u32, u32>,
}

impl Queue {
    fn prune(&mut self, limit: u32) {
        self.jobs.retain(|_, runs| *runs < limit);
    }

    pub fn bump(&mut self, id: u32) -> u32 {
        let job = self.jobs.get_mut(&id).unwrap();
        *job += 1;
        self.prune(*job);
        *job
    }
}
"""
    await check_no_fix(tmp_path, before, "E0499", {"E0499-reborrow-after-call"})
