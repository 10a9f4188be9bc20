//! Timestamp formatting. The time is always passed in (epoch milliseconds); nothing here reads
//! the clock.

/// Decimal epoch seconds (floor).
pub fn unix_s(ms: i64) -> String {
    ms.div_euclid(1000).to_string()
}

/// Decimal epoch milliseconds.
pub fn unix_ms(ms: i64) -> String {
    ms.to_string()
}

/// Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// ISO-8601 local time with a numeric offset: `YYYY-MM-DDTHH:MM:SS[.SSS]±HH:MM`.
/// An offset of 0 prints `+00:00` (PHP `DATE_ATOM` style), never `Z`.
pub fn iso8601(ms: i64, offset_minutes: i32, millis: bool) -> String {
    let local_ms = ms + i64::from(offset_minutes) * 60_000;
    let secs = local_ms.div_euclid(1000);
    let frac = local_ms.rem_euclid(1000);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    let (h, mi, s) = (sod / 3600, (sod % 3600) / 60, sod % 60);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let off = offset_minutes.unsigned_abs();
    let mut out = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
    if millis {
        out.push_str(&format!(".{frac:03}"));
    }
    out.push_str(&format!("{sign}{:02}:{:02}", off / 60, off % 60));
    out
}

/// How a profile writes its timestamps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeFormat {
    /// Epoch seconds.
    UnixS,
    /// Epoch milliseconds.
    UnixMs,
    /// ISO-8601 with offset.
    Iso8601 {
        /// Offset from UTC in minutes.
        offset_minutes: i32,
        /// Whether to print `.SSS`.
        millis: bool,
    },
}

impl TimeFormat {
    /// Formats `ms`.
    pub fn format(self, ms: i64) -> String {
        match self {
            TimeFormat::UnixS => unix_s(ms),
            TimeFormat::UnixMs => unix_ms(ms),
            TimeFormat::Iso8601 { offset_minutes, millis } => iso8601(ms, offset_minutes, millis),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn formats() {
        // 2024-01-01T03:00:00Z
        let ms = 1_704_078_000_000;
        assert_eq!(iso8601(ms, 420, false), "2024-01-01T10:00:00+07:00");
        assert_eq!(iso8601(ms, 0, false), "2024-01-01T03:00:00+00:00");
        assert_eq!(iso8601(ms + 5, -330, true), "2023-12-31T21:30:00.005-05:30");
        assert_eq!(iso8601(951_782_400_000, 0, false), "2000-02-29T00:00:00+00:00");
        assert_eq!(unix_s(1_700_000_000_999), "1700000000");
    }
}
