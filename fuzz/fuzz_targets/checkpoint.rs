//! C2SP tlog-checkpoint: `Checkpoint::parse` (note text) and `Checkpoint::open` (signed).
//! Properties: an accepted checkpoint re-serialises to exactly the input; signing it and
//! opening the result gives it back; signing refuses only texts a note cannot carry.
#![no_main]

use std::sync::OnceLock;

use gongzhi_ledger::{Checkpoint, Signer, Verifier};
use libfuzzer_sys::fuzz_target;

fn signer() -> &'static (Signer, Verifier) {
    static KEY: OnceLock<(Signer, Verifier)> = OnceLock::new();
    KEY.get_or_init(|| {
        let s = Signer::from_seed("fuzz.example/log", [7; 32]).unwrap();
        let v = s.verifier();
        (s, v)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (signer, verifier) = signer();
    if let Ok(cp) = Checkpoint::open(text, std::slice::from_ref(verifier)) {
        // Only reachable with our own signature over a well-formed checkpoint.
        assert!(Checkpoint::parse(&cp.to_text()).is_ok());
    }
    let Ok(cp) = Checkpoint::parse(text) else {
        return;
    };
    assert_eq!(
        cp.to_text(),
        text,
        "checkpoint does not re-serialise to its input"
    );
    assert_eq!(cp.to_string(), text);
    assert!(!cp.origin.is_empty() && !cp.origin.contains('\n'));
    assert!(
        cp.extensions
            .iter()
            .all(|e| !e.is_empty() && !e.contains('\n'))
    );
    match cp.sign(signer) {
        Ok(signed) => {
            assert!(signed.starts_with(text));
            let opened = Checkpoint::open(&signed, std::slice::from_ref(verifier))
                .expect("our own signed checkpoint opens");
            assert_eq!(opened, cp);
        }
        Err(e) => assert!(
            text.chars().any(|c| c < ' ' && c != '\n'),
            "signing refused a clean checkpoint: {e}"
        ),
    }
});
