use std::time::{Instant, Duration};
fn main() {
    let words = ["nous", "ne", "vendons", "pas", "les", "données", "clients", "we", "do", "not", "sell", "customer", "data", "temporairement", "all", "some", "100", "euros", "l’étendue", "n’utilisions", "que", "jamais"];
    let mut a = String::new(); let mut b = String::new();
    let mut x: u64 = 7;
    while a.len() < 1<<20 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; a.push_str(words[(x % words.len() as u64) as usize]); a.push(' '); }
    while b.len() < 1<<20 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; b.push_str(words[(x % words.len() as u64) as usize]); b.push(' '); }
    let t = Instant::now(); let toks = onrecord::diff::words::tokenize(&a); println!("tokenize {:?} {}", t.elapsed(), toks.len());
    let t = Instant::now(); let ops = onrecord::diff::word_diff(&a, &b, Instant::now() + Duration::from_millis(60)); println!("word_diff {:?} {}", t.elapsed(), ops.len());
    for n in [1usize<<16, 1<<18, 1<<20] { let s = &a[..a.floor_char_boundary(n)]; let t = Instant::now(); let _ = onrecord::diff::words::analyze(s); println!("analyze {n} {:?}", t.elapsed()); }
    let t = Instant::now(); let aa = onrecord::diff::words::analyze(&a); println!("analyze {:?} {}", t.elapsed(), aa.markers.len());
    let ab = onrecord::diff::words::analyze(&b);
    let t = Instant::now(); let c = onrecord::diff::changes(&a, &aa, &b, &ab); println!("changes {:?} {}", t.elapsed(), c.len());
}
#[allow(dead_code)]
fn unused() {}
