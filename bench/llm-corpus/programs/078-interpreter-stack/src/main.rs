use std::collections::HashMap;
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Push,
    Pop,
    Dup,
    Swap,
    Over,
    Rot,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Lt,
    Gt,
    Not,
    Jmp,
    Jz,
    Jnz,
    Call,
    Ret,
    Print,
    Halt,
}

/// (op, opcode byte, mnemonic, takes an 8-byte operand)
const OPCODES: [(Op, u8, &str, bool); 22] = [
    (Op::Push, 0x01, "push", true),
    (Op::Pop, 0x02, "pop", false),
    (Op::Dup, 0x03, "dup", false),
    (Op::Swap, 0x04, "swap", false),
    (Op::Over, 0x05, "over", false),
    (Op::Rot, 0x06, "rot", false),
    (Op::Add, 0x10, "add", false),
    (Op::Sub, 0x11, "sub", false),
    (Op::Mul, 0x12, "mul", false),
    (Op::Div, 0x13, "div", false),
    (Op::Mod, 0x14, "mod", false),
    (Op::Eq, 0x20, "eq", false),
    (Op::Lt, 0x21, "lt", false),
    (Op::Gt, 0x22, "gt", false),
    (Op::Not, 0x23, "not", false),
    (Op::Jmp, 0x30, "jmp", true),
    (Op::Jz, 0x31, "jz", true),
    (Op::Jnz, 0x32, "jnz", true),
    (Op::Call, 0x33, "call", true),
    (Op::Ret, 0x34, "ret", false),
    (Op::Print, 0x40, "print", false),
    (Op::Halt, 0xFF, "halt", false),
];

impl Op {
    fn info(self) -> (u8, &'static str, bool) {
        OPCODES
            .iter()
            .find(|e| e.0 == self)
            .map(|e| (e.1, e.2, e.3))
            .expect("every op has a table entry")
    }

    fn byte(self) -> u8 {
        self.info().0
    }

    fn mnemonic(self) -> &'static str {
        self.info().1
    }

    fn has_operand(self) -> bool {
        self.info().2
    }

    fn from_byte(b: u8) -> Option<Op> {
        OPCODES.iter().find(|e| e.1 == b).map(|e| e.0)
    }

    fn from_mnemonic(s: &str) -> Option<Op> {
        let s = s.to_ascii_lowercase();
        OPCODES.iter().find(|e| e.2 == s).map(|e| e.0)
    }
}

#[derive(Debug, Error)]
enum AsmError {
    #[error("line {0}: unknown instruction `{1}`")]
    UnknownInstruction(usize, String),
    #[error("line {0}: `{1}` expects an operand")]
    MissingOperand(usize, String),
    #[error("line {0}: `{1}` takes no operand")]
    UnexpectedOperand(usize, String),
    #[error("line {0}: unknown label `{1}`")]
    UnknownLabel(usize, String),
    #[error("line {0}: duplicate label `{1}`")]
    DuplicateLabel(usize, String),
}

#[derive(Debug, Error, PartialEq)]
enum VmError {
    #[error("stack underflow at {ip:#06x} ({op})")]
    StackUnderflow { ip: usize, op: &'static str },
    #[error("stack overflow at {ip:#06x}")]
    StackOverflow { ip: usize },
    #[error("division by zero at {ip:#06x}")]
    DivisionByZero { ip: usize },
    #[error("invalid opcode {byte:#04x} at {ip:#06x}")]
    InvalidOpcode { ip: usize, byte: u8 },
    #[error("truncated operand at {ip:#06x}")]
    TruncatedOperand { ip: usize },
    #[error("jump to invalid address {target} at {ip:#06x}")]
    BadJump { ip: usize, target: i64 },
    #[error("`ret` with an empty call stack at {ip:#06x}")]
    ReturnWithoutCall { ip: usize },
    #[error("step limit of {0} exceeded (infinite loop?)")]
    StepLimit(u64),
}

/// Two-pass assembler: labels (`name:`) resolve to byte offsets.
/// Comments start with `;`.
fn assemble(source: &str) -> Result<Vec<u8>, AsmError> {
    let mut labels: HashMap<String, usize> = HashMap::new();
    let mut pending: Vec<(usize, Op, Option<String>)> = Vec::new();
    let mut offset = 0usize;

    for (index, raw) in source.lines().enumerate() {
        let line_no = index + 1;
        let mut line = raw.split(';').next().unwrap_or("").trim();
        if let Some(colon) = line.find(':') {
            let label = line[..colon].trim().to_string();
            if labels.insert(label.clone(), offset).is_some() {
                return Err(AsmError::DuplicateLabel(line_no, label));
            }
            line = line[colon + 1..].trim();
        }
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let mnemonic = parts.next().unwrap_or_default();
        let op = Op::from_mnemonic(mnemonic)
            .ok_or_else(|| AsmError::UnknownInstruction(line_no, mnemonic.to_string()))?;
        let operand = parts.next().map(str::to_string);
        match (op.has_operand(), &operand) {
            (true, None) => return Err(AsmError::MissingOperand(line_no, mnemonic.to_string())),
            (false, Some(_)) => return Err(AsmError::UnexpectedOperand(line_no, mnemonic.to_string())),
            _ => {}
        }
        offset += if op.has_operand() { 9 } else { 1 };
        pending.push((line_no, op, operand));
    }

    let mut code = Vec::with_capacity(offset);
    for (line_no, op, operand) in pending {
        code.push(op.byte());
        if let Some(text) = operand {
            let value = match text.parse::<i64>() {
                Ok(v) => v,
                Err(_) => *labels
                    .get(&text)
                    .ok_or_else(|| AsmError::UnknownLabel(line_no, text.clone()))? as i64,
            };
            code.extend_from_slice(&value.to_le_bytes());
        }
    }
    Ok(code)
}

fn disassemble(code: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut ip = 0;
    while ip < code.len() {
        match Op::from_byte(code[ip]) {
            Some(op) if op.has_operand() && ip + 9 <= code.len() => {
                let mut bytes = [0u8; 8];
                bytes.copy_from_slice(&code[ip + 1..ip + 9]);
                out.push(format!("{:04x}: {:<6} {}", ip, op.mnemonic(), i64::from_le_bytes(bytes)));
                ip += 9;
            }
            Some(op) if !op.has_operand() => {
                out.push(format!("{:04x}: {}", ip, op.mnemonic()));
                ip += 1;
            }
            _ => {
                out.push(format!("{:04x}: .byte {:#04x}", ip, code[ip]));
                ip += 1;
            }
        }
    }
    out
}

struct Vm<'a> {
    code: &'a [u8],
    ip: usize,
    stack: Vec<i64>,
    calls: Vec<usize>,
    steps: u64,
    max_steps: u64,
    max_stack: usize,
    output: Vec<i64>,
    trace: bool,
}

impl<'a> Vm<'a> {
    fn new(code: &'a [u8]) -> Self {
        Vm {
            code,
            ip: 0,
            stack: Vec::new(),
            calls: Vec::new(),
            steps: 0,
            max_steps: 100_000,
            max_stack: 1024,
            output: Vec::new(),
            trace: false,
        }
    }

    fn pop(&mut self, at: usize, op: Op) -> Result<i64, VmError> {
        self.stack.pop().ok_or(VmError::StackUnderflow {
            ip: at,
            op: op.mnemonic(),
        })
    }

    fn push(&mut self, at: usize, value: i64) -> Result<(), VmError> {
        if self.stack.len() >= self.max_stack {
            return Err(VmError::StackOverflow { ip: at });
        }
        self.stack.push(value);
        Ok(())
    }

    fn target(&self, at: usize, t: i64) -> Result<usize, VmError> {
        if t < 0 || t as usize > self.code.len() {
            Err(VmError::BadJump { ip: at, target: t })
        } else {
            Ok(t as usize)
        }
    }

    fn run(&mut self) -> Result<(), VmError> {
        let code = self.code;
        while self.ip < code.len() {
            self.steps += 1;
            if self.steps > self.max_steps {
                return Err(VmError::StepLimit(self.max_steps));
            }
            let at = self.ip;
            let byte = code[at];
            let op = Op::from_byte(byte).ok_or(VmError::InvalidOpcode { ip: at, byte })?;
            self.ip += 1;
            let operand = if op.has_operand() {
                let bytes = code
                    .get(self.ip..self.ip + 8)
                    .ok_or(VmError::TruncatedOperand { ip: at })?;
                self.ip += 8;
                i64::from_le_bytes(bytes.try_into().expect("slice of 8 bytes"))
            } else {
                0
            };
            if self.trace {
                let arg = if op.has_operand() { operand.to_string() } else { String::new() };
                println!("    {:04x}: {:<6} {:<6} stack={:?}", at, op.mnemonic(), arg, self.stack);
            }

            match op {
                Op::Push => self.push(at, operand)?,
                Op::Pop => {
                    self.pop(at, op)?;
                }
                Op::Dup => {
                    let v = self.pop(at, op)?;
                    self.push(at, v)?;
                    self.push(at, v)?;
                }
                Op::Swap => {
                    let b = self.pop(at, op)?;
                    let a = self.pop(at, op)?;
                    self.push(at, b)?;
                    self.push(at, a)?;
                }
                Op::Over => {
                    let b = self.pop(at, op)?;
                    let a = self.pop(at, op)?;
                    self.push(at, a)?;
                    self.push(at, b)?;
                    self.push(at, a)?;
                }
                Op::Rot => {
                    // a b c -> b c a
                    let c = self.pop(at, op)?;
                    let b = self.pop(at, op)?;
                    let a = self.pop(at, op)?;
                    self.push(at, b)?;
                    self.push(at, c)?;
                    self.push(at, a)?;
                }
                Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Mod | Op::Eq | Op::Lt | Op::Gt => {
                    let b = self.pop(at, op)?;
                    let a = self.pop(at, op)?;
                    let result = match op {
                        Op::Add => a.wrapping_add(b),
                        Op::Sub => a.wrapping_sub(b),
                        Op::Mul => a.wrapping_mul(b),
                        Op::Div | Op::Mod if b == 0 => return Err(VmError::DivisionByZero { ip: at }),
                        Op::Div => a.wrapping_div(b),
                        Op::Mod => a.wrapping_rem(b),
                        Op::Eq => (a == b) as i64,
                        Op::Lt => (a < b) as i64,
                        Op::Gt => (a > b) as i64,
                        _ => unreachable!("filtered by the outer match"),
                    };
                    self.push(at, result)?;
                }
                Op::Not => {
                    let v = self.pop(at, op)?;
                    self.push(at, (v == 0) as i64)?;
                }
                Op::Jmp => self.ip = self.target(at, operand)?,
                Op::Jz => {
                    if self.pop(at, op)? == 0 {
                        self.ip = self.target(at, operand)?;
                    }
                }
                Op::Jnz => {
                    if self.pop(at, op)? != 0 {
                        self.ip = self.target(at, operand)?;
                    }
                }
                Op::Call => {
                    if self.calls.len() >= self.max_stack {
                        return Err(VmError::StackOverflow { ip: at });
                    }
                    let destination = self.target(at, operand)?;
                    self.calls.push(self.ip);
                    self.ip = destination;
                }
                Op::Ret => {
                    self.ip = self.calls.pop().ok_or(VmError::ReturnWithoutCall { ip: at })?;
                }
                Op::Print => {
                    let v = self.pop(at, op)?;
                    println!("  out: {}", v);
                    self.output.push(v);
                }
                Op::Halt => return Ok(()),
            }
        }
        Ok(())
    }
}

const PROGRAM: &str = "
; factorial table 1..10, then the first 12 Fibonacci numbers
main:
        push 1              ; i
fact_loop:
        dup                 ; i i
        push 11
        lt                  ; i (i<11)
        jz fact_done        ; i
        dup                 ; i i
        call fact           ; i i!
        print               ; i
        push 1
        add                 ; i+1
        jmp fact_loop
fact_done:
        pop
        push 12             ; n
        push 0              ; n a
        push 1              ; n a b
fib_loop:
        rot                 ; a b n
        dup
        jz fib_done         ; a b n
        push 1
        sub                 ; a b n-1
        rot                 ; b n-1 a
        rot                 ; n-1 a b
        over                ; n-1 a b a
        print               ; n-1 a b
        swap                ; n-1 b a
        over                ; n-1 b a b
        add                 ; n-1 b a+b
        jmp fib_loop
fib_done:
        pop
        pop
        pop
        halt

; fact(n) -> n!  (recursive)
fact:
        dup                 ; n n
        jz fact_base        ; n
        dup                 ; n n
        push 1
        sub                 ; n n-1
        call fact           ; n (n-1)!
        mul                 ; n!
        ret
fact_base:
        pop
        push 1
        ret
";

fn main() {
    let code = match assemble(PROGRAM) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("assembly failed: {}", e);
            std::process::exit(1);
        }
    };
    println!("assembled {} bytes; first instructions:", code.len());
    for line in disassemble(&code).iter().take(8) {
        println!("  {}", line);
    }

    println!("\nrunning:");
    let mut vm = Vm::new(&code);
    match vm.run() {
        Ok(()) => println!("halted after {} steps, stack {:?}", vm.steps, vm.stack),
        Err(e) => println!("runtime error: {}", e),
    }

    let mut expected: Vec<i64> = (1..=10).map(|n| (1..=n).product()).collect();
    let (mut a, mut b) = (0i64, 1i64);
    for _ in 0..12 {
        expected.push(a);
        let next = a + b;
        a = b;
        b = next;
    }
    assert_eq!(vm.output, expected, "VM output matches the Rust reference");
    println!("output verified against a native implementation");

    println!("\ntrace of a tiny program:");
    let tiny = assemble("push 2\npush 3\nadd\ndup\nmul\nprint\nhalt").expect("valid program");
    let mut traced = Vm::new(&tiny);
    traced.trace = true;
    traced.run().expect("tiny program runs");

    println!("\nruntime errors:");
    let broken = [
        ("division by zero", "push 1\npush 0\ndiv"),
        ("stack underflow", "push 1\nadd"),
        ("infinite loop", "spin: jmp spin"),
        ("ret without call", "ret"),
        ("bad jump", "jmp 9999"),
    ];
    for (label, src) in broken {
        let bytes = assemble(src).expect("assembles");
        let mut vm = Vm::new(&bytes);
        vm.max_steps = 10_000;
        match vm.run() {
            Ok(()) => println!("  {:<18} ran without error?", label),
            Err(e) => println!("  {:<18} {}", label, e),
        }
    }
    for (label, bytes) in [("truncated operand", vec![0x01u8, 0x02]), ("invalid opcode", vec![0x99u8])] {
        let mut vm = Vm::new(&bytes);
        match vm.run() {
            Ok(()) => println!("  {:<18} ran without error?", label),
            Err(e) => println!("  {:<18} {}", label, e),
        }
    }

    println!("\nassembler errors:");
    for src in ["push", "jmp nowhere", "frobnicate 3", "add 5", "a:\na:\nhalt"] {
        match assemble(src) {
            Ok(_) => println!("  {:<16} assembled?", format!("{:?}", src)),
            Err(e) => println!("  {:<16} {}", format!("{:?}", src), e),
        }
    }
}
