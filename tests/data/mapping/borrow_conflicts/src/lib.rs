pub fn shared_then_mut() {
    let mut v = vec![1, 2, 3];
    let first = &v[0];
    v.push(4);
    println!("{first}");
}

pub fn two_mut() {
    let mut s = String::new();
    let a = &mut s;
    let b = &mut s;
    a.push('a');
    b.push('b');
}
