//! A small structure-blind mutation fuzzer for the header readers, run by
//! the unit tests for a bounded number of cases (the `fuzz/` crate runs the
//! same readers under libFuzzer for as long as you like).
//!
//! Mutations: bit flips, bytes set to 0/0xff, 4- and 8-byte fields set to
//! hostile values (0, −1, 2^31−1, 2^60, u64::MAX), truncation, and a span
//! duplicated. Deterministic (xorshift), so a failure reproduces.

pub struct Mutator {
    state: u64,
}

const HOSTILE: [u64; 6] = [0, 1, 0x7fff_ffff, 0xffff_ffff, 1 << 60, u64::MAX];

impl Mutator {
    pub fn new(seed: u64) -> Self {
        Self { state: seed | 1 }
    }

    fn next(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.state = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// One to three mutations of `seed`.
    pub fn mutate(&mut self, seed: &[u8]) -> Vec<u8> {
        let mut b = seed.to_vec();
        for _ in 0..1 + self.below(3) {
            if b.is_empty() {
                break;
            }
            let at = self.below(b.len());
            match self.below(6) {
                0 => b[at] ^= 1 << self.below(8),
                1 => b[at] = if self.below(2) == 0 { 0 } else { 0xff },
                2 | 3 => {
                    let v = HOSTILE[self.below(HOSTILE.len())].to_le_bytes();
                    let width = if self.below(2) == 0 { 4 } else { 8 };
                    let end = (at + width).min(b.len());
                    b[at..end].copy_from_slice(&v[..end - at]);
                }
                4 => b.truncate(at),
                _ => {
                    let len = self.below(64).min(b.len() - at);
                    let span = b[at..at + len].to_vec();
                    b.splice(at..at, span);
                }
            }
        }
        b
    }
}

/// Runs `parse` on `cases` mutations of `seed`; a panic fails the calling test.
pub fn fuzz<T, E>(seed: &[u8], cases: usize, mut parse: impl FnMut(&[u8]) -> Result<T, E>) -> (usize, usize) {
    let mut m = Mutator::new(0x9E37_79B9_7F4A_7C15 ^ seed.len() as u64);
    let (mut ok, mut err) = (0, 0);
    for _ in 0..cases {
        match parse(&m.mutate(seed)) {
            Ok(_) => ok += 1,
            Err(_) => err += 1,
        }
    }
    (ok, err)
}
