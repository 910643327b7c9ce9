//! undo-redo-editor: a text buffer with insert/delete/replace commands and
//! undo/redo stacks (command pattern). Editing scripts are parsed without
//! copying: parsed operations borrow their text from the script buffer.
//!
//! Usage: undo-redo-editor [SCRIPT_FILE]
//! Script commands (positions count characters):
//!   insert POS "text" | append "text" | delete POS LEN | replace POS LEN "text"
//!   undo [N] | redo [N] | print | history

use std::fmt;

const SCRIPT: &str = r#"
# build a sentence
append "Hello"
append " world"
insert 5 ","
print
replace 7 5 "Rustaceans"
append "!"
print
undo
undo
print
redo
print
delete 0 7
print
undo 3
print
insert 0 ">> "
redo
print
redo 10
history
delete 100 2
insert 2 "unterminated
frobnicate 1 2
"#;

/// A parsed script line; `text` fields borrow from the script.
#[derive(Debug, Clone, Copy)]
enum Op<'a> {
    Insert { pos: usize, text: &'a str },
    Append { text: &'a str },
    Delete { pos: usize, len: usize },
    Replace { pos: usize, len: usize, text: &'a str },
    Undo(usize),
    Redo(usize),
    Print,
    History,
}

#[derive(Debug)]
struct ParseError<'a> {
    line: usize,
    source: &'a str,
    message: &'static str,
}

/// Split `insert 5 "a b"` into ["insert", "5"] and the quoted slice `a b`.
fn split_quoted(line: &str) -> Result<(Vec<&str>, Option<&str>), &'static str> {
    match line.find('"') {
        None => Ok((line.split_whitespace().collect(), None)),
        Some(start) => {
            let rest = &line[start + 1..];
            let end = rest.rfind('"').ok_or("unterminated string")?;
            if !rest[end + 1..].trim().is_empty() {
                return Err("text after closing quote");
            }
            Ok((line[..start].split_whitespace().collect(), Some(&rest[..end])))
        }
    }
}

fn parse_line(line: &str) -> Result<Op<'_>, &'static str> {
    let (words, text) = split_quoted(line)?;
    let num = |s: &str| s.parse::<usize>().map_err(|_| "expected a non-negative number");
    match (words.as_slice(), text) {
        (["insert", pos], Some(text)) => Ok(Op::Insert { pos: num(pos)?, text }),
        (["append"], Some(text)) => Ok(Op::Append { text }),
        (["delete", pos, len], None) => Ok(Op::Delete { pos: num(pos)?, len: num(len)? }),
        (["replace", pos, len], Some(text)) => Ok(Op::Replace { pos: num(pos)?, len: num(len)?, text }),
        (["undo"], None) => Ok(Op::Undo(1)),
        (["undo", n], None) => Ok(Op::Undo(num(n)?)),
        (["redo"], None) => Ok(Op::Redo(1)),
        (["redo", n], None) => Ok(Op::Redo(num(n)?)),
        (["print"], None) => Ok(Op::Print),
        (["history"], None) => Ok(Op::History),
        _ => Err("unknown or malformed command"),
    }
}

fn parse_script(script: &str) -> (Vec<(usize, Op<'_>)>, Vec<ParseError<'_>>) {
    let mut ops = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in script.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(line) {
            Ok(op) => ops.push((i + 1, op)),
            Err(message) => errors.push(ParseError { line: i + 1, source: line, message }),
        }
    }
    (ops, errors)
}

/// An executed, reversible edit. Inserted text is borrowed from the script;
/// removed text has to be owned because it came out of the buffer.
#[derive(Debug, Clone)]
enum Edit<'a> {
    Insert { pos: usize, text: &'a str },
    Delete { pos: usize, removed: String },
    Replace { pos: usize, removed: String, text: &'a str },
}

impl fmt::Display for Edit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Edit::Insert { pos, text } => write!(f, "insert {text:?} at {pos}"),
            Edit::Delete { pos, removed } => write!(f, "delete {removed:?} at {pos}"),
            Edit::Replace { pos, removed, text } => write!(f, "replace {removed:?} with {text:?} at {pos}"),
        }
    }
}

#[derive(Debug)]
enum EditError {
    OutOfRange { pos: usize, len: usize, size: usize },
    NothingToUndo,
    NothingToRedo,
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::OutOfRange { pos, len, size } => write!(f, "range {pos}..{} is outside buffer of {size} chars", pos + len),
            EditError::NothingToUndo => write!(f, "nothing to undo"),
            EditError::NothingToRedo => write!(f, "nothing to redo"),
        }
    }
}

#[derive(Debug, Default)]
struct Editor<'a> {
    buffer: String,
    undo_stack: Vec<Edit<'a>>,
    redo_stack: Vec<Edit<'a>>,
}

impl<'a> Editor<'a> {
    fn char_len(&self) -> usize {
        self.buffer.chars().count()
    }

    /// Convert a character index to a byte offset.
    fn byte_at(&self, pos: usize) -> usize {
        self.buffer.char_indices().nth(pos).map(|(b, _)| b).unwrap_or(self.buffer.len())
    }

    fn check(&self, pos: usize, len: usize) -> Result<(), EditError> {
        let size = self.char_len();
        if pos + len > size {
            return Err(EditError::OutOfRange { pos, len, size });
        }
        Ok(())
    }

    fn raw_insert(&mut self, pos: usize, text: &str) {
        let at = self.byte_at(pos);
        self.buffer.insert_str(at, text);
    }

    fn raw_remove(&mut self, pos: usize, len: usize) -> String {
        let (start, end) = (self.byte_at(pos), self.byte_at(pos + len));
        self.buffer.drain(start..end).collect()
    }

    fn apply(&mut self, edit: &Edit<'a>) {
        match edit {
            Edit::Insert { pos, text } => self.raw_insert(*pos, text),
            Edit::Delete { pos, removed } => {
                self.raw_remove(*pos, removed.chars().count());
            }
            Edit::Replace { pos, removed, text } => {
                self.raw_remove(*pos, removed.chars().count());
                self.raw_insert(*pos, text);
            }
        }
    }

    fn revert(&mut self, edit: &Edit<'a>) {
        match edit {
            Edit::Insert { pos, text } => {
                self.raw_remove(*pos, text.chars().count());
            }
            Edit::Delete { pos, removed } => self.raw_insert(*pos, removed),
            Edit::Replace { pos, removed, text } => {
                self.raw_remove(*pos, text.chars().count());
                self.raw_insert(*pos, removed);
            }
        }
    }

    /// Execute a new edit: it goes on the undo stack and clears redo history.
    fn execute(&mut self, op: Op<'a>) -> Result<(), EditError> {
        let edit = match op {
            Op::Insert { pos, text } => {
                self.check(pos, 0)?;
                Edit::Insert { pos, text }
            }
            Op::Append { text } => Edit::Insert { pos: self.char_len(), text },
            Op::Delete { pos, len } => {
                self.check(pos, len)?;
                let removed = self.buffer.chars().skip(pos).take(len).collect();
                Edit::Delete { pos, removed }
            }
            Op::Replace { pos, len, text } => {
                self.check(pos, len)?;
                let removed = self.buffer.chars().skip(pos).take(len).collect();
                Edit::Replace { pos, removed, text }
            }
            _ => return Ok(()),
        };
        self.apply(&edit);
        self.undo_stack.push(edit);
        self.redo_stack.clear();
        Ok(())
    }

    fn undo(&mut self) -> Result<(), EditError> {
        let edit = self.undo_stack.pop().ok_or(EditError::NothingToUndo)?;
        self.revert(&edit);
        self.redo_stack.push(edit);
        Ok(())
    }

    fn redo(&mut self) -> Result<(), EditError> {
        let edit = self.redo_stack.pop().ok_or(EditError::NothingToRedo)?;
        self.apply(&edit);
        self.undo_stack.push(edit);
        Ok(())
    }
}

fn main() {
    let script = std::env::args().nth(1).and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_else(|| SCRIPT.to_string());
    let (ops, errors) = parse_script(&script);
    for e in &errors {
        println!("parse error on line {}: {} ({:?})", e.line, e.message, e.source);
    }

    let mut editor = Editor::default();
    for (line, op) in ops {
        let result = match op {
            Op::Print => {
                println!("  [{:>2}] buffer = {:?} (undo {}, redo {})", line, editor.buffer, editor.undo_stack.len(), editor.redo_stack.len());
                Ok(())
            }
            Op::History => {
                println!("  [{line:>2}] undo stack (oldest first):");
                for (i, e) in editor.undo_stack.iter().enumerate() {
                    println!("        {}. {e}", i + 1);
                }
                println!("        redo stack has {} entr{}", editor.redo_stack.len(), if editor.redo_stack.len() == 1 { "y" } else { "ies" });
                Ok(())
            }
            Op::Undo(n) => (0..n).try_for_each(|_| editor.undo()),
            Op::Redo(n) => (0..n).try_for_each(|_| editor.redo()),
            other => editor.execute(other),
        };
        if let Err(e) = result {
            println!("  [{line:>2}] error: {e}");
        }
    }

    println!("\nFinal text: {:?}", editor.buffer);
}
