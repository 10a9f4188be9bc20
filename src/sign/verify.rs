//! Constant-time comparison of signatures.

use subtle::ConstantTimeEq;

/// Compares an expected and a received encoded signature in time independent of where they
/// differ. With `ignore_ascii_case` (hex), both sides are lower-cased first.
pub fn signatures_equal(expected: &str, received: &[u8], ignore_ascii_case: bool) -> bool {
    if expected.len() != received.len() {
        return false;
    }
    if ignore_ascii_case {
        let a: Vec<u8> = expected.bytes().map(|b| b.to_ascii_lowercase()).collect();
        let b: Vec<u8> = received.iter().map(|b| b.to_ascii_lowercase()).collect();
        a.ct_eq(&b).into()
    } else {
        expected.as_bytes().ct_eq(received).into()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn compare() {
        assert!(super::signatures_equal("ab", b"AB", true));
        assert!(!super::signatures_equal("ab", b"AB", false));
        assert!(!super::signatures_equal("ab", b"abc", false));
    }
}
