//! C2SP signed-note: `Note::parse`, `open`, `sign`, and the key strings `Verifier::parse` and
//! `Signer::parse`. Properties: an accepted note re-encodes to exactly the input; `open`
//! accepts only what `Note::parse` accepts; a note we sign opens to its text; an accepted key
//! string re-encodes to a key that parses to the same key.
#![no_main]

use std::sync::OnceLock;

use gongzhi_ledger::note::{MAX_SIGNATURES, key_id, open, sign};
use gongzhi_ledger::{Note, Signer, Verifier};
use libfuzzer_sys::fuzz_target;

fn keys() -> &'static (Signer, Verifier) {
    static KEY: OnceLock<(Signer, Verifier)> = OnceLock::new();
    KEY.get_or_init(|| {
        let s = Signer::from_seed("fuzz.example/note", [9; 32]).unwrap();
        let v = s.verifier();
        (s, v)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (signer, verifier) = keys();

    // Key strings.
    if let Ok(v) = Verifier::parse(text) {
        assert_eq!(key_id(v.name(), &v.public_key()), v.key_id());
        assert_eq!(
            Verifier::parse(&v.encode()).expect("encoded verifier parses"),
            v
        );
    }
    if let Ok(s) = Signer::parse(text) {
        let again = Signer::parse(&s.encode()).expect("encoded signer parses");
        assert_eq!((again.name(), again.key_id()), (s.name(), s.key_id()));
        assert_eq!(again.verifier(), s.verifier());
    }

    // Signed notes.
    let verifiers = std::slice::from_ref(verifier);
    match Note::parse(text) {
        Ok(note) => {
            assert_eq!(note.encode(), text, "note does not re-encode to its input");
            assert!(!note.signatures.is_empty() && note.signatures.len() <= MAX_SIGNATURES);
            assert!(note.text.ends_with('\n'));
            if let Ok(opened) = open(text, verifiers) {
                assert_eq!(opened.text, note.text);
                assert!(!opened.verified.is_empty());
                assert!(opened.verified.len() + opened.unverified.len() <= note.signatures.len());
            }
        }
        Err(_) => assert!(
            open(text, verifiers).is_err(),
            "open accepted an unparsable note"
        ),
    }

    // Signing any text a note can carry.
    if let Ok(signed) = sign(text, &[signer]) {
        let opened = open(&signed, verifiers).expect("our own signed note opens");
        assert_eq!(opened.text, text);
        assert_eq!(Note::parse(&signed).unwrap().encode(), signed);
    }
});
