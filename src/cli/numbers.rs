//! The value parsers of the command line's numeric options. A value that is
//! not a number of the right kind is refused in plain words ("-1 is not a
//! positive whole number of days"). Every option using one also sets
//! `allow_negative_numbers`, so that `--days -1` reaches the parser instead
//! of being taken for an unknown option `-1`.

/// A whole number of `what` from `least` to `most`.
fn whole(text: &str, what: &str, least: u64, most: u64) -> Result<u64, String> {
    let value = text.trim();
    let shown = if value.is_empty() {
        "an empty value"
    } else {
        value
    };
    let kind = if least == 0 {
        format!("a whole number of {what}, 0 or more")
    } else if least == 1 {
        format!("a positive whole number of {what}")
    } else {
        format!("a whole number of {what}, at least {least}")
    };
    match value.parse::<u64>() {
        Ok(number) if number < least => Err(format!("{number} is not {kind}")),
        Ok(number) if number > most => Err(format!("{number} is too many {what} (at most {most})")),
        Ok(number) => Ok(number),
        Err(_) if value.parse::<u128>().is_ok() => {
            Err(format!("{value} is too many {what} (at most {most})"))
        }
        Err(_) => Err(format!("{shown} is not {kind}")),
    }
}

/// A finite number of `what`, 0 or more.
fn non_negative(text: &str, what: &str) -> Result<f64, String> {
    let value = text.trim();
    match value.parse::<f64>() {
        Ok(number) if number.is_finite() && number >= 0.0 => Ok(number),
        _ => Err(format!("{value} is not a number of {what}, 0 or more")),
    }
}

/// `--days`: a positive whole number of days.
pub fn days(text: &str) -> Result<u32, String> {
    whole(text, "days", 1, u32::MAX.into()).map(|days| days as u32)
}

/// `--bets-per-day`: a positive whole number of bets.
pub fn bets(text: &str) -> Result<u64, String> {
    whole(text, "bets", 1, u64::MAX)
}

/// `--interval`: a whole number of seconds, 0 or more.
pub fn seconds(text: &str) -> Result<u64, String> {
    whole(text, "seconds", 0, u64::MAX)
}

/// `exp best --min-samples`: a whole number of samples, 0 or more.
pub fn samples(text: &str) -> Result<u64, String> {
    whole(text, "samples", 0, u64::MAX)
}

/// `--missing`: a whole number of players, 0 or more.
pub fn players(text: &str) -> Result<usize, String> {
    let most = u64::try_from(usize::MAX).unwrap_or(u64::MAX);
    whole(text, "players", 0, most).map(|players| players as usize)
}

/// `--seasons`: from 1 to 5.
pub fn seasons(text: &str) -> Result<u32, String> {
    whole(text, "seasons", 1, 5).map(|seasons| seasons as u32)
}

/// `--width`: a whole number of columns.
pub fn columns(text: &str) -> Result<u16, String> {
    whole(text, "columns", 0, u16::MAX.into()).map(|columns| columns as u16)
}

/// `--height`: a whole number of rows.
pub fn rows(text: &str) -> Result<u16, String> {
    whole(text, "rows", 0, u16::MAX.into()).map(|rows| rows as u16)
}

/// `--edge`: a number of points, 0 or more.
pub fn points(text: &str) -> Result<f64, String> {
    non_negative(text, "points")
}

/// `--healthy-rate`: a fraction between 0 and 1 (both excluded).
pub fn fraction(text: &str) -> Result<f64, String> {
    let value = text.trim();
    match value.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 && rate < 1.0 => Ok(rate),
        _ => Err(format!("{value} is not a fraction between 0 and 1")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_refused_in_plain_words() {
        assert_eq!(days("30"), Ok(30));
        assert_eq!(
            days("-1"),
            Err("-1 is not a positive whole number of days".to_string())
        );
        assert_eq!(
            days("0"),
            Err("0 is not a positive whole number of days".to_string())
        );
        assert_eq!(
            days("1.5"),
            Err("1.5 is not a positive whole number of days".to_string())
        );
        assert_eq!(
            days("99999999999"),
            Err("99999999999 is too many days (at most 4294967295)".to_string())
        );
        assert_eq!(seconds("0"), Ok(0));
        assert_eq!(
            seconds("-5"),
            Err("-5 is not a whole number of seconds, 0 or more".to_string())
        );
        assert_eq!(
            seasons("6"),
            Err("6 is too many seasons (at most 5)".to_string())
        );
        assert_eq!(
            players(""),
            Err("an empty value is not a whole number of players, 0 or more".to_string())
        );
        assert_eq!(points("2.5"), Ok(2.5));
        assert_eq!(
            points("-1"),
            Err("-1 is not a number of points, 0 or more".to_string())
        );
        assert_eq!(points("NaN").ok(), None);
        assert_eq!(fraction("0.56"), Ok(0.56));
        assert_eq!(
            fraction("-0.5"),
            Err("-0.5 is not a fraction between 0 and 1".to_string())
        );
    }
}
