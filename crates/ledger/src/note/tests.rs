//! Signed-note tests against the examples of the C2SP signed-note spec and
//! of the Go reference implementation's documentation and tests.

use super::*;

/// The verifier key and note of the C2SP signed-note specification example.
const SPEC_VKEY: &str = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const SPEC_NOTE: &str = "This is an example message.\n\n\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

/// The note at the top of the C2SP signed-note specification (key not given):
/// its text contains an empty line.
const SPEC_POEM: &str = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n\u{2014} quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";

/// The example keys, text and signatures of golang.org/x/mod/sumdb/note.
const PETER_SKEY: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const PETER_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const ENOCH_VKEY: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const GO_TEXT: &str = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG: &str = "\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

fn go_note() -> String {
    format!("{GO_TEXT}\n{PETER_SIG}")
}

#[test]
fn spec_example_verifies() {
    let v = Verifier::parse(SPEC_VKEY).unwrap();
    assert_eq!(v.name(), "example.com/foo");
    assert_eq!(v.key_id(), 0x530d903a);
    assert_eq!(key_id(v.name(), &v.public_key()), 0x530d903a);
    assert_eq!(v.encode(), SPEC_VKEY);
    let opened = open(SPEC_NOTE, std::slice::from_ref(&v)).unwrap();
    assert_eq!(opened.text, "This is an example message.\n");
    assert_eq!(opened.verified.len(), 1);
    assert!(opened.unverified.is_empty());
    assert_eq!(Note::parse(SPEC_NOTE).unwrap().encode(), SPEC_NOTE);
    // Any change to the text breaks the signature.
    let tampered = SPEC_NOTE.replace("example message", "example massage");
    assert_eq!(
        open(&tampered, &[v]),
        Err(NoteError::BadSignature {
            name: "example.com/foo".into(),
            key_id: 0x530d903a
        })
    );
}

#[test]
fn spec_poem_splits_at_the_last_blank_line() {
    let note = Note::parse(SPEC_POEM).unwrap();
    assert_eq!(
        note.text,
        "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n"
    );
    assert_eq!(note.signatures.len(), 1);
    assert_eq!(note.signatures[0].name, "quasimodo.example/salvatore");
    assert_eq!(note.signatures[0].signature.len(), 64);
    assert_eq!(note.encode(), SPEC_POEM);
    // Its key is not known here: the note must be rejected.
    let other = Verifier::parse(SPEC_VKEY).unwrap();
    assert_eq!(open(SPEC_POEM, &[other]), Err(NoteError::UnknownKey));
}

#[test]
fn go_example_signs_byte_for_byte() {
    let signer = Signer::parse(PETER_SKEY).unwrap();
    assert_eq!(signer.name(), "PeterNeumann");
    assert_eq!(signer.key_id(), 0xc74f20a3);
    assert_eq!(signer.encode(), PETER_SKEY);
    assert_eq!(signer.verifier().encode(), PETER_VKEY);
    // Ed25519 is deterministic: the same key and text give the same note.
    assert_eq!(sign(GO_TEXT, &[&signer]).unwrap(), go_note());
    let v = Verifier::parse(PETER_VKEY).unwrap();
    assert_eq!(v, signer.verifier());
    let opened = open(&go_note(), &[v]).unwrap();
    assert_eq!(opened.text, GO_TEXT);
    assert_eq!(opened.verified[0].name, "PeterNeumann");
}

#[test]
fn unknown_signatures_are_ignored_known_ones_checked() {
    let peter = Verifier::parse(PETER_VKEY).unwrap();
    let enoch = Verifier::parse(ENOCH_VKEY).unwrap();
    let both = format!("{GO_TEXT}\n{PETER_SIG}{ENOCH_SIG}");
    let opened = open(&both, std::slice::from_ref(&peter)).unwrap();
    assert_eq!(opened.verified.len(), 1);
    assert_eq!(opened.unverified.len(), 1);
    assert_eq!(opened.unverified[0].name, "EnochRoot");
    let opened = open(&both, &[peter.clone(), enoch.clone()]).unwrap();
    assert_eq!(opened.verified.len(), 2);
    // Only an unknown key: rejected.
    let only_enoch = format!("{GO_TEXT}\n{ENOCH_SIG}");
    assert_eq!(
        open(&only_enoch, std::slice::from_ref(&peter)),
        Err(NoteError::UnknownKey)
    );
    // Same name, other key ID: not the known key, so ignored.
    let other_id = Signer::from_seed("PeterNeumann", [9; 32]).unwrap();
    let forged = sign(GO_TEXT, &[&other_id]).unwrap();
    assert_eq!(
        open(&forged, std::slice::from_ref(&peter)),
        Err(NoteError::UnknownKey)
    );
    // Same key ID, other name: ignored too.
    let renamed = format!(
        "{GO_TEXT}\n{}",
        PETER_SIG.replace("PeterNeumann", "PeterNeumann2")
    );
    assert_eq!(
        open(&renamed, std::slice::from_ref(&peter)),
        Err(NoteError::UnknownKey)
    );
    // A known key whose signature fails rejects the note even if another verifies.
    let mut bad = Note::parse(&both).unwrap();
    bad.signatures[1].signature[0] ^= 1;
    assert!(matches!(
        open(&bad.encode(), &[peter, enoch]),
        Err(NoteError::BadSignature { .. })
    ));
}

#[test]
fn malformed_notes_are_rejected() {
    let v = Verifier::parse(PETER_VKEY).unwrap();
    let note = go_note();
    let cases: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("only text", GO_TEXT.to_string()),
        ("no signature lines", format!("{GO_TEXT}\n")),
        ("no final newline", note.trim_end_matches('\n').to_string()),
        ("blank line after signatures", format!("{note}\n")),
        ("hyphen instead of em dash", note.replace('\u{2014}', "-")),
        ("two spaces", note.replace("\u{2014} ", "\u{2014}  ")),
        (
            "no space before signature",
            note.replace("PeterNeumann ", "PeterNeumann"),
        ),
        ("bad base64", note.replace("x08go/", "x08go!")),
        (
            "short signature",
            format!("{GO_TEXT}\n\u{2014} PeterNeumann AAAA\n"),
        ),
        ("control character", note.replace("answer", "ans\u{7}wer")),
        (
            "carriage return",
            note.replace("problem,\n", "problem,\r\n"),
        ),
        (
            "text without newline",
            format!("x\u{2014} PeterNeumann {}\n", &PETER_SIG[18..]),
        ),
    ];
    for (what, msg) in cases {
        assert!(
            matches!(
                open(&msg, std::slice::from_ref(&v)),
                Err(NoteError::Malformed(_))
            ),
            "{what}: {:?}",
            open(&msg, std::slice::from_ref(&v))
        );
    }
    let many = format!("{GO_TEXT}\n{}", PETER_SIG.repeat(MAX_SIGNATURES + 1));
    assert_eq!(
        open(&many, std::slice::from_ref(&v)),
        Err(NoteError::TooManySignatures)
    );
    let enough = format!("{GO_TEXT}\n{}", PETER_SIG.repeat(16));
    assert_eq!(open(&enough, &[v]).unwrap().verified.len(), 1);
}

#[test]
fn malformed_keys_are_rejected() {
    assert_eq!(
        Verifier::parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
        Err(NoteError::KeyIdMismatch)
    );
    assert!(matches!(
        Verifier::parse("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
        Err(NoteError::MalformedKey(_))
    ));
    assert!(matches!(
        Verifier::parse("PeterNeumann+c74f20a3"),
        Err(NoteError::MalformedKey(_))
    ));
    assert!(matches!(
        Verifier::parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10"),
        Err(NoteError::MalformedKey(_))
    ));
    assert_eq!(
        Verifier::parse("PeterNeumann+c74f20a3+AhpjZAcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
        Err(NoteError::UnsupportedAlgorithm(2))
    );
    assert!(matches!(
        Verifier::parse("+c74f20a3+ARpc"),
        Err(NoteError::BadKeyName(_))
    ));
    assert!(matches!(
        Signer::parse("PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"),
        Err(NoteError::MalformedKey(_))
    ));
    assert!(matches!(
        Signer::parse(
            "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
        ),
        Err(NoteError::KeyIdMismatch)
    ));
}

#[test]
fn key_names_are_checked() {
    assert!(is_valid_key_name("example.com/log"));
    assert!(!is_valid_key_name(""));
    assert!(!is_valid_key_name("a b"));
    assert!(!is_valid_key_name("a+b"));
    assert!(!is_valid_key_name("a\u{3000}b"));
    assert!(matches!(
        Signer::from_seed("a b", [1; 32]),
        Err(NoteError::BadKeyName(_))
    ));
    assert!(matches!(
        Verifier::from_public_key("", &[0; 32]),
        Err(NoteError::BadKeyName(_))
    ));
}

#[test]
fn generated_keys_round_trip_and_sign() {
    let s = Signer::generate("gongzhi.example/ledger").unwrap();
    let s2 = Signer::parse(&s.encode()).unwrap();
    assert_eq!(s2.encode(), s.encode());
    let v = Verifier::parse(&s.verifier().encode()).unwrap();
    assert_eq!(v, s.verifier());
    assert_eq!(
        Verifier::from_public_key(v.name(), &v.public_key()).unwrap(),
        v
    );
    let msg = sign("公示\n第二行\n", &[&s]).unwrap();
    assert_eq!(open(&msg, &[v]).unwrap().text, "公示\n第二行\n");
    assert!(!format!("{s:?}").contains(&s.encode()[12..]));
    assert!(matches!(
        sign("no newline", &[&s]),
        Err(NoteError::Malformed(_))
    ));
    assert!(matches!(sign("x\n", &[]), Err(NoteError::Malformed(_))));
}
