macro_rules! make_fn {
    ($name:ident) => {
        pub fn $name() -> u32 {
            "not a number"
        }
    };
}

make_fn!(answer);
