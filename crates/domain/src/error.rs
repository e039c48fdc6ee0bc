//! The one error shape every gongzhi library error takes.
//!
//! The UI is Chinese first and English second, so an error carries both messages rather than
//! leaving translation to the server, which cannot know what went wrong as precisely as the
//! code that detected it.

/// An error that can be shown to a user in Chinese and English.
///
/// The server turns it into `{"error":{"code","message","message_en","field"}}`.
pub trait Bilingual {
    /// Stable snake_case identifier, e.g. `"invalid_area_code"`; clients switch on it, so it
    /// must never change once shipped.
    fn code(&self) -> &'static str;
    /// Chinese message saying what is wrong.
    fn message_zh(&self) -> String;
    /// English message with the same content as [`Bilingual::message_zh`].
    fn message_en(&self) -> String;
    /// The input field at fault, when the error knows it. Domain parsers do not know which form
    /// field they were fed, so most return `None` and let the caller fill it in.
    fn field(&self) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Sample;

    impl Bilingual for Sample {
        fn code(&self) -> &'static str {
            "sample"
        }
        fn message_zh(&self) -> String {
            "示例".into()
        }
        fn message_en(&self) -> String {
            "sample".into()
        }
    }

    #[test]
    fn field_defaults_to_none() {
        assert_eq!(Sample.field(), None);
        assert_eq!(Sample.code(), "sample");
    }

    #[test]
    fn is_object_safe() {
        let boxed: Box<dyn Bilingual> = Box::new(Sample);
        assert_eq!(boxed.message_zh(), "示例");
        assert_eq!(boxed.message_en(), "sample");
    }
}
