//! The short token that ties a reply to the offer it answers, and the reply subject that
//! carries it with the chosen slot's number: `[OB-K7Q2MX-2]`.
//!
//! The token is six characters of Crockford's base32 (no I, L, O or U, so it survives being
//! read aloud or retyped) made from 30 bits the caller draws: the engine has no randomness.
//! Finding the marker is forgiving of what mail clients do to a subject on the way back:
//! "RE:", "AW:" and "Re: Re:" prefixes, changed case, extra spaces, and a hyphen turned into
//! an en or em dash.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Crockford's base32 digits, in value order.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters in a token.
const LENGTH: usize = 6;

/// The bits a token keeps: five per character.
const MASK: u32 = (1 << (5 * LENGTH as u32)) - 1;

/// An offer's token: 30 bits, written as six Crockford base32 characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct OfferToken(u32);

/// Text that is not six Crockford base32 characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not an offer token: it takes six characters of Crockford base32")]
pub struct NotAToken(pub String);

impl OfferToken {
    /// The token for the low 30 bits of `bits`; higher bits are dropped.
    pub fn from_bits(bits: u32) -> OfferToken {
        OfferToken(bits & MASK)
    }

    /// The token's 30 bits.
    pub fn bits(self) -> u32 {
        self.0
    }
}

impl fmt::Display for OfferToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for i in (0..LENGTH).rev() {
            let digit = (self.0 >> (5 * i)) & 0x1f;
            let c = ALPHABET.get(digit as usize).copied().unwrap_or(b'0');
            write!(f, "{}", char::from(c))?;
        }
        Ok(())
    }
}

/// A base32 digit's value, read as Crockford asks: either case, O as 0, I and L as 1.
fn digit_value(c: char) -> Option<u32> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .and_then(|p| u32::try_from(p).ok())
}

impl FromStr for OfferToken {
    type Err = NotAToken;

    /// Six Crockford base32 characters, in either case; O is read as 0, I and L as 1.
    fn from_str(s: &str) -> Result<OfferToken, NotAToken> {
        let refuse = || NotAToken(s.to_string());
        if s.chars().count() != LENGTH {
            return Err(refuse());
        }
        s.chars().try_fold(OfferToken(0), |token, c| {
            digit_value(c)
                .map(|d| OfferToken((token.0 << 5) | d))
                .ok_or_else(refuse)
        })
    }
}

impl From<OfferToken> for String {
    fn from(token: OfferToken) -> String {
        token.to_string()
    }
}

impl TryFrom<String> for OfferToken {
    type Error = NotAToken;

    fn try_from(s: String) -> Result<OfferToken, NotAToken> {
        s.parse()
    }
}

/// The subject of a reply choosing slot `slot_number` (counted from 1) of the offer `token`
/// names: `base_subject` after "Re: " (unless it already starts with a reply prefix), then the
/// marker, e.g. "Re: Meeting with Olivia Grant — Tue 8 Dec, 10:00 [OB-K7Q2MX-2]".
pub fn reply_subject(base_subject: &str, token: OfferToken, slot_number: u32) -> String {
    let base = base_subject.trim();
    let prefix = if is_reply(base) { "" } else { "Re: " };
    format!("{prefix}{base} [OB-{token}-{slot_number}]")
}

/// Whether a subject already starts with a reply prefix ("Re:", "AW:" and the like).
fn is_reply(subject: &str) -> bool {
    let Some((head, _)) = subject.split_once(':') else {
        return false;
    };
    ["re", "aw", "sv", "antw", "vs", "r"]
        .iter()
        .any(|p| head.trim().eq_ignore_ascii_case(p))
}

/// The offer and slot number a reply subject chooses, from the first well-formed
/// `[OB-XXXXXX-n]` marker anywhere in it; none when there is no such marker, or its number
/// is 0.
pub fn find_choice(subject: &str) -> Option<(OfferToken, u32)> {
    subject
        .match_indices('[')
        .find_map(|(at, _)| subject.get(at + 1..).and_then(marker))
}

/// The offer's own marker in a subject, `[OB-XXXXXX]`: what an offer's subject carries, so a
/// plain reply to it (with the time's number in its text) still names the offer.
pub fn offer_subject(base_subject: &str, token: OfferToken) -> String {
    format!("{} [OB-{token}]", base_subject.trim())
}

/// The offer a plain reply answers, from the first well-formed `[OB-XXXXXX]` marker (without
/// a time's number) anywhere in its subject.
pub fn find_offer(subject: &str) -> Option<OfferToken> {
    subject.match_indices('[').find_map(|(at, _)| {
        let mut cursor = Cursor(subject.get(at + 1..)?);
        let token = cursor.token()?;
        cursor.spaces();
        cursor.letter(']')?;
        Some(token)
    })
}

/// The number a plain reply chooses: the whole number its first written line starts with
/// ("2", "2.", "2 suits me", "#2"), from 1 to `count`; none when that line starts otherwise,
/// so that a reply that does not choose is never read as a choice.
pub fn number_in_reply(body_text: &str, count: usize) -> Option<u32> {
    let line = body_text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let digits = line.trim_start_matches('#').trim_start();
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    let followed_by = digits[end..].chars().next();
    if followed_by.is_some_and(|c| c.is_alphanumeric() || c == ':' || c == '/') {
        // "2pm", "10:00", "2/3": a time or a date, not a number from the list.
        return None;
    }
    let number: u32 = digits[..end].parse().ok()?;
    (number >= 1 && usize::try_from(number).is_ok_and(|n| n <= count)).then_some(number)
}

/// The marker that `rest` (what follows a "[") starts with.
fn marker(rest: &str) -> Option<(OfferToken, u32)> {
    let mut cursor = Cursor(rest);
    let token = cursor.token()?;
    cursor.spaces();
    cursor.dash()?;
    cursor.spaces();
    let number: u32 = cursor.run(|c| c.is_ascii_digit()).parse().ok()?;
    cursor.spaces();
    cursor.letter(']')?;
    (number > 0).then_some((token, number))
}

/// What is left of a marker still to be read.
struct Cursor<'a>(&'a str);

impl<'a> Cursor<'a> {
    /// "OB-" and a token, spaces allowed around the dash.
    fn token(&mut self) -> Option<OfferToken> {
        self.spaces();
        self.letter('O')?;
        self.letter('B')?;
        self.spaces();
        self.dash()?;
        self.spaces();
        self.run(|c| c.is_ascii_alphanumeric()).parse().ok()
    }

    fn spaces(&mut self) {
        self.0 = self.0.trim_start();
    }

    /// One character, in either case.
    fn letter(&mut self, wanted: char) -> Option<()> {
        let mut chars = self.0.chars();
        let c = chars.next().filter(|c| c.eq_ignore_ascii_case(&wanted))?;
        self.0 = self.0.get(c.len_utf8()..)?;
        Some(())
    }

    /// A hyphen, or what a mail client may have turned it into.
    fn dash(&mut self) -> Option<()> {
        let c = self.0.chars().next().filter(|c| is_dash(*c))?;
        self.0 = self.0.get(c.len_utf8()..)?;
        Some(())
    }

    /// The longest run of characters that `keep`.
    fn run(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let end = self.0.find(|c: char| !keep(c)).unwrap_or(self.0.len());
        let (run, rest) = self.0.split_at(end);
        self.0 = rest;
        run
    }
}

/// Hyphen-minus, and the dashes autocorrection or a font change turns it into.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}' // hyphen
            | '\u{2011}' // non-breaking hyphen
            | '\u{2012}' // figure dash
            | '\u{2013}' // en dash
            | '\u{2014}' // em dash
            | '\u{2015}' // horizontal bar
            | '\u{2212}' // minus sign
            | '\u{FE63}' // small hyphen-minus
            | '\u{FF0D}' // fullwidth hyphen-minus
    )
}
