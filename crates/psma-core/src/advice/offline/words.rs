//! Small pieces of English the templates share.

use crate::planning::planner::Action;
use psma_plugin_sdk::text::{CurrencyCode, Decimal};

/// `s` cut to at most `max` characters (on a character boundary, ending in `…` when cut).
pub(super) fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A count as `u64`.
pub(super) fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// `1 day`, `42 days`.
pub(super) fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `A`, `A and B`, `A, B and C`.
pub(super) fn list(items: impl IntoIterator<Item = String>) -> String {
    let mut items: Vec<String> = items.into_iter().collect();
    match items.len() {
        0 => String::new(),
        1 => items.remove(0),
        _ => {
            let last = items.pop().unwrap_or_default();
            format!("{} and {last}", items.join(", "))
        }
    }
}

/// `$19.98`, `€4.50`, `£3.00`, else `12.00 CHF`.
pub(super) fn money(currency: &CurrencyCode, amount: &Decimal) -> String {
    let amount = amount.as_str();
    let amount = match amount.split_once('.') {
        None => format!("{amount}.00"),
        Some((whole, cents)) if cents.len() == 1 => format!("{whole}.{cents}0"),
        Some(_) => amount.to_owned(),
    };
    match currency.as_str() {
        "USD" => format!("${amount}"),
        "EUR" => format!("€{amount}"),
        "GBP" => format!("£{amount}"),
        other => format!("{amount} {other}"),
    }
}

/// `subscribe to`, `cancel`.
pub(super) fn action(action: Action) -> &'static str {
    match action {
        Action::Subscribe => "subscribe to",
        Action::Unsubscribe => "cancel",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_written_with_its_symbol_and_two_decimals() {
        let usd: CurrencyCode = "USD".parse().unwrap();
        let chf: CurrencyCode = "CHF".parse().unwrap();
        assert_eq!(money(&usd, &Decimal::parse("19.98").unwrap()), "$19.98");
        assert_eq!(money(&usd, &Decimal::parse("4.5").unwrap()), "$4.50");
        assert_eq!(money(&chf, &Decimal::parse("12").unwrap()), "12.00 CHF");
    }

    #[test]
    fn lists_and_clips_read_as_english() {
        assert_eq!(list(["A".to_owned()]), "A");
        assert_eq!(
            list(["A".to_owned(), "B".to_owned(), "C".to_owned()]),
            "A, B and C"
        );
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
        assert_eq!(plural(1, "day", "days"), "1 day");
    }
}
