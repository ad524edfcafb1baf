//! An offer's token, the reply subject that carries it with the chosen slot's number, finding
//! that choice again in whatever subject a mail client sends back, and the `mailto:` link that
//! starts such a reply.

#![allow(clippy::unwrap_used)]

use onbehalf_engine::slots::mailto::mailto_link;
use onbehalf_engine::slots::reply_token::{
    find_choice, find_offer, number_in_reply, offer_subject, reply_subject, NotAToken, OfferToken,
};
use rstest::rstest;

/// The token "K7Q2MX".
fn k7q2mx() -> OfferToken {
    "K7Q2MX".parse().unwrap()
}

// ---- the token ----

#[rstest]
#[case::zero(0, "000000")]
#[case::one(1, "000001")]
#[case::thirty_one(31, "00000Z")]
#[case::thirty_two(32, "000010")]
#[case::all_thirty_bits(0x3fff_ffff, "ZZZZZZ")]
#[case::higher_bits_dropped(0xffff_ffff, "ZZZZZZ")]
#[case::only_higher_bits(0xc000_0000, "000000")]
fn thirty_bits_are_written_as_six_crockford_characters(#[case] bits: u32, #[case] written: &str) {
    let token = OfferToken::from_bits(bits);
    assert_eq!(token.to_string(), written);
    assert_eq!(token.bits(), bits & 0x3fff_ffff);
}

#[test]
fn every_token_reads_back_as_itself() {
    for bits in (0..0x4000_0000u32).step_by(7_919) {
        let token = OfferToken::from_bits(bits);
        let written = token.to_string();
        assert_eq!(written.len(), 6);
        assert!(!written.contains(['I', 'L', 'O', 'U']), "{written}");
        assert_eq!(written.parse::<OfferToken>(), Ok(token));
    }
}

#[rstest]
#[case::as_written("K7Q2MX", "K7Q2MX")]
#[case::lower_case("k7q2mx", "K7Q2MX")]
#[case::o_for_zero("1O0OAB", "1000AB")]
#[case::i_and_l_for_one("IL1ilA", "11111A")]
fn a_retyped_token_is_read_the_way_crockford_asks(#[case] typed: &str, #[case] meant: &str) {
    assert_eq!(typed.parse::<OfferToken>().unwrap().to_string(), meant);
}

#[rstest]
#[case::too_short("K7Q2M")]
#[case::too_long("K7Q2MXA")]
#[case::u_is_not_a_digit("K7Q2MU")]
#[case::punctuation("K7Q-MX")]
#[case::empty("")]
#[case::not_ascii("K7Q2MÄ")]
fn anything_else_is_not_a_token(#[case] text: &str) {
    assert_eq!(text.parse::<OfferToken>(), Err(NotAToken(text.to_string())));
}

#[test]
fn a_token_travels_as_its_text() {
    let json = serde_json::to_string(&k7q2mx()).unwrap();
    assert_eq!(json, r#""K7Q2MX""#);
    assert_eq!(serde_json::from_str::<OfferToken>(&json).unwrap(), k7q2mx());
    assert!(serde_json::from_str::<OfferToken>(r#""K7Q2MU""#).is_err());
}

// ---- the reply subject ----

#[rstest]
#[case::an_offers_subject(
    "Meeting with Olivia Grant — Tue 8 Dec, 10:00",
    2,
    "Re: Meeting with Olivia Grant — Tue 8 Dec, 10:00 [OB-K7Q2MX-2]"
)]
#[case::already_a_reply(
    "RE: Meeting with Olivia Grant",
    1,
    "RE: Meeting with Olivia Grant [OB-K7Q2MX-1]"
)]
#[case::german_reply("AW: Termin", 12, "AW: Termin [OB-K7Q2MX-12]")]
#[case::spaces_around("  Meeting  ", 3, "Re: Meeting [OB-K7Q2MX-3]")]
#[case::a_colon_that_is_not_a_reply("Agenda: budget", 1, "Re: Agenda: budget [OB-K7Q2MX-1]")]
fn a_reply_subject_carries_the_token_and_the_slots_number(
    #[case] base: &str,
    #[case] number: u32,
    #[case] expected: &str,
) {
    let subject = reply_subject(base, k7q2mx(), number);
    assert_eq!(subject, expected);
    assert_eq!(find_choice(&subject), Some((k7q2mx(), number)));
}

// ---- finding the choice in what comes back ----

#[rstest]
#[case::as_sent("Re: Meeting with Olivia Grant — Tue 8 Dec, 10:00 [OB-K7Q2MX-2]", 2)]
#[case::outlooks_capitals("RE: Meeting with Olivia Grant [OB-K7Q2MX-2]", 2)]
#[case::german_outlook("AW: Meeting with Olivia Grant [OB-K7Q2MX-2]", 2)]
#[case::replied_twice("Re: Re: Meeting with Olivia Grant [OB-K7Q2MX-2]", 2)]
#[case::lower_case("re: meeting with olivia grant [ob-k7q2mx-2]", 2)]
#[case::extra_spaces("Re:  Meeting  [ OB - K7Q2MX - 2 ]  ", 2)]
#[case::en_dash("Re: Meeting [OB–K7Q2MX–2]", 2)]
#[case::em_dash("Re: Meeting [OB—K7Q2MX—2]", 2)]
#[case::non_breaking_hyphen("Re: Meeting [OB\u{2011}K7Q2MX\u{2011}2]", 2)]
#[case::minus_sign("Re: Meeting [OB−K7Q2MX−2]", 2)]
#[case::marker_in_the_middle("Re: [OB-K7Q2MX-2] Meeting with Olivia Grant", 2)]
#[case::marker_alone("[OB-K7Q2MX-2]", 2)]
#[case::two_digit_number("Re: Meeting [OB-K7Q2MX-14]", 14)]
#[case::leading_zero("Re: Meeting [OB-K7Q2MX-02]", 2)]
#[case::other_brackets_first("Re: [External] Meeting [OB-K7Q2MX-3]", 3)]
#[case::first_marker_wins("Re: [OB-K7Q2MX-3] [OB-000000-1]", 3)]
fn the_choice_is_found_in_what_mail_clients_send_back(#[case] subject: &str, #[case] number: u32) {
    assert_eq!(find_choice(subject), Some((k7q2mx(), number)));
}

#[rstest]
#[case::no_marker("Re: Meeting with Olivia Grant")]
#[case::no_number("Re: Meeting [OB-K7Q2MX]")]
#[case::number_zero("Re: Meeting [OB-K7Q2MX-0]")]
#[case::short_token("Re: Meeting [OB-K7Q2M-2]")]
#[case::long_token("Re: Meeting [OB-K7Q2MXA-2]")]
#[case::u_in_token("Re: Meeting [OB-K7Q2MU-2]")]
#[case::unclosed("Re: Meeting [OB-K7Q2MX-2")]
#[case::other_prefix("Re: Meeting [XB-K7Q2MX-2]")]
#[case::number_too_big("Re: Meeting [OB-K7Q2MX-99999999999]")]
#[case::words_in_between("Re: Meeting [OB-K7Q2MX-2 please]")]
#[case::empty("")]
fn no_choice_is_read_into_anything_else(#[case] subject: &str) {
    assert_eq!(find_choice(subject), None);
}

// ---- mailto links ----

#[rstest]
#[case::spaces_as_percent_20(
    "olivia.grant@contoso.com",
    "Re: Meeting",
    "",
    "mailto:olivia.grant@contoso.com?subject=Re%3A%20Meeting"
)]
#[case::subject_and_body(
    "olivia.grant@contoso.com",
    "Hi",
    "Tuesday suits me.",
    "mailto:olivia.grant@contoso.com?subject=Hi&body=Tuesday%20suits%20me."
)]
#[case::line_breaks_as_crlf(
    "a@b.example",
    "",
    "one\ntwo\r\nthree",
    "mailto:a@b.example?body=one%0D%0Atwo%0D%0Athree"
)]
#[case::delimiters_encoded(
    "a@b.example",
    "1+1=2 & 50% [OB-K7Q2MX-2]? #x",
    "",
    "mailto:a@b.example?subject=1%2B1%3D2%20%26%2050%25%20%5BOB-K7Q2MX-2%5D%3F%20%23x"
)]
#[case::utf8_encoded(
    "a@b.example",
    "Grant — Tue",
    "",
    "mailto:a@b.example?subject=Grant%20%E2%80%94%20Tue"
)]
#[case::address_with_plus_and_spaces(
    " anna+offers@contoso.com ",
    "",
    "",
    "mailto:anna%2Boffers@contoso.com"
)]
fn mailto_links_are_percent_encoded_as_rfc_6068_asks(
    #[case] to: &str,
    #[case] subject: &str,
    #[case] body: &str,
    #[case] expected: &str,
) {
    assert_eq!(mailto_link(to, subject, body), expected);
}

#[test]
fn an_offers_subject_carries_its_own_marker_and_a_plain_reply_is_traced_by_it() {
    let token = OfferToken::from_bits(0x2A5_5A5A);
    let subject = offer_subject("Meeting with Olivia Grant", token);
    assert_eq!(subject, format!("Meeting with Olivia Grant [OB-{token}]"));
    for reply in [
        format!("RE: {subject}"),
        format!("AW: Re: {}", subject.to_lowercase()),
        format!("Re: Meeting with Olivia Grant [ OB \u{2013} {token} ]"),
    ] {
        assert_eq!(find_offer(&reply), Some(token), "{reply}");
    }
    // A link's subject names a time; the offer's marker is not there, and a subject with no
    // marker names nothing.
    assert_eq!(find_offer(&reply_subject("Meeting", token, 2)), None);
    assert_eq!(find_offer("Re: Meeting with Olivia Grant"), None);
    assert_eq!(find_offer("Re: [OB-] [nothing]"), None);
}

#[rstest]
#[case::alone("2", Some(2))]
#[case::with_a_stop("2.", Some(2))]
#[case::with_words("3 suits me, thanks", Some(3))]
#[case::hash("#1", Some(1))]
#[case::after_blank_lines("\n\n  1  \n\nJordan", Some(1))]
#[case::beyond_the_list("7", None)]
#[case::zero("0", None)]
#[case::a_time("2pm works", None)]
#[case::a_clock("10:00 please", None)]
#[case::a_date("2/3 is fine", None)]
#[case::words_first("Number 2 please", None)]
#[case::empty("", None)]
#[case::quoted_reply_only("> 1. 08:00-08:30", None)]
fn a_plain_reply_chooses_by_the_number_its_first_line_starts_with(
    #[case] body: &str,
    #[case] chosen: Option<u32>,
) {
    assert_eq!(number_in_reply(body, 3), chosen, "{body:?}");
}
