mod util;

pub fn run() -> u32 {
    util::double(2)
}
