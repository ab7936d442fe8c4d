//! The query string as actix hands it over: parsed into a resource's query type (an unknown or
//! repeated parameter is a 400 `invalid-query` problem), and the repeatable parameters (`uri`,
//! `code`) taken out first, since serde's structs take each parameter once.

/// The query string parsed into `T` (unknown or repeated parameters are a 400).
pub fn query<T: serde::de::DeserializeOwned>(req: &actix_web::HttpRequest) -> Result<T, crate::error::ApiError> {
    query_from::<T>(req.query_string())
}

/// A query string parsed into `T` (unknown or repeated parameters are a 400).
pub fn query_from<T: serde::de::DeserializeOwned>(qs: &str) -> Result<T, crate::error::ApiError> {
    actix_web::web::Query::<T>::from_query(qs)
        .map(actix_web::web::Query::into_inner)
        .map_err(crate::error::ApiError::from)
}

/// The values of the repeatable parameter `name` (`uri=a&uri=b`), in order, and the query string
/// without them (for [`query_from`]). Without `name`, the query string as it is: the common case
/// allocates nothing.
pub fn take_repeated<'q>(qs: &'q str, name: &str) -> (Vec<String>, std::borrow::Cow<'q, str>) {
    if !may_have_key(qs, name) {
        return (Vec::new(), std::borrow::Cow::Borrowed(qs));
    }
    let mut values = Vec::new();
    let mut rest = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(qs.as_bytes()) {
        if key == name {
            values.push(value.into_owned());
        } else {
            rest.append_pair(&key, &value);
        }
    }
    (values, std::borrow::Cow::Owned(rest.finish()))
}

/// Whether `qs` may have the parameter `name`: a key that is `name` as written, or one with an
/// escape (`%` or `+`) that could decode to it. A scan of the bytes, without decoding anything:
/// this runs on every request to the lists.
fn may_have_key(qs: &str, name: &str) -> bool {
    qs.split('&').any(|pair| {
        let key = pair.split_once('=').map_or(pair, |(key, _)| key);
        key == name || key.bytes().any(|b| b == b'%' || b == b'+')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_parameters_are_taken_however_their_key_is_written() {
        let (values, rest) = take_repeated("q=x&uri=a&%75ri=b&limit=2", "uri");
        assert_eq!(values, ["a", "b"]);
        assert_eq!(rest, "q=x&limit=2");
        // Without the key, the query string is handed on as it is (borrowed, not rebuilt).
        let (values, rest) = take_repeated("category=ai&urix=1&q=a+b", "uri");
        assert!(values.is_empty());
        assert!(matches!(rest, std::borrow::Cow::Borrowed("category=ai&urix=1&q=a+b")));
    }

    #[test]
    fn only_a_key_that_is_or_may_decode_to_the_name_is_a_candidate() {
        assert!(may_have_key("uri=x", "uri"));
        assert!(may_have_key("a=1&uri", "uri"));
        assert!(may_have_key("%75ri=x", "uri"));
        assert!(!may_have_key("uris=x&q=uri%3D", "uri"));
        assert!(!may_have_key("", "uri"));
    }
}
