//! Loading: every document that is not OpenAPI 3.0 is an error that names a JSON pointer (`#` is
//! the document root).

use codegen::config::Overlay;
use codegen::diag::Diagnostics;
use codegen::Error;
use std::path::Path;

fn parse(text: &str) -> Result<(), Error> {
    let mut diags = Diagnostics::default();
    codegen::load::parse_document(
        text,
        Path::new("mutant.yaml"),
        &Overlay::default(),
        &mut diags,
    )
    .map(|_| ())
}

fn pointer_of(text: &str) -> String {
    match parse(text) {
        Err(e @ Error::Parse { .. }) => {
            let shown = e.to_string();
            let Error::Parse { pointer, .. } = e else {
                unreachable!()
            };
            assert!(shown.contains(&format!("(at #{pointer})")), "{shown}");
            pointer
        }
        other => panic!("{text:?}: expected a parse error, got {other:?}"),
    }
}

#[test]
fn documents_that_are_not_openapi_name_a_pointer() {
    assert_eq!(pointer_of("null"), "");
    assert_eq!(pointer_of("[]"), "");
    assert_eq!(pointer_of("42"), "");
    assert_eq!(pointer_of("openapi: 3.0.1\npaths: {}\n"), "");
    assert_eq!(pointer_of("{openapi: [3"), "", "YAML syntax");
    let doc = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses: 5\n";
    assert_eq!(pointer_of(doc), "/paths/~1x/get/responses");
    let doc = "openapi: 3.0.1\ninfo: {title: [t], version: '1'}\npaths: {}\n";
    assert_eq!(pointer_of(doc), "/info/title");
    let ok = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n";
    assert!(parse(ok).is_ok());
}
