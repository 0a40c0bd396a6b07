//! `REFERENCE.md` on a small fixture description: signature, request fields, response, and an
//! example call whose values come from the description's examples.

use std::path::Path;

use codegen::config::Overlay;
use codegen::diag::Diagnostics;

const SPEC: &str = r#"
openapi: 3.0.1
info: {title: fixture, version: '1.0'}
paths:
  /widgets/{widget_id}:
    get:
      operationId: getWidget
      tags: [Widgets]
      summary: Find a widget
      description: "You can fetch one widget.\n\n## Notes\nIt is cached."
      parameters:
        - {name: widget_id, in: path, required: true, schema: {type: string}, example: w_123}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/widget'}}}
    put:
      operationId: updateWidget
      tags: [Widgets]
      parameters:
        - {name: widget_id, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [size]
              properties:
                size: {type: integer, description: The size | in cm., example: 42}
                color: {$ref: '#/components/schemas/color'}
                label: {type: string}
            example: {size: 7, color: green}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/widget'}}}
components:
  schemas:
    widget:
      type: object
      properties:
        id: {type: string}
    color:
      type: string
      enum: [red, green]
"#;

#[test]
fn reference_lists_methods_with_example_values() {
    let overlay = Overlay::default();
    let mut diags = Diagnostics::default();
    let (_, api) =
        codegen::load::parse_document(SPEC, Path::new("fixture.yaml"), &overlay, &mut diags)
            .unwrap();
    let ir = codegen::ir::build(&api, &overlay, &mut diags);
    let text = codegen::reference::render(&ir, "1.0");

    assert!(
        text.contains("- [`client.widgets()`](#clientwidgets) (2 methods)"),
        "{text}"
    );
    assert!(text.contains("### `client.widgets().get_widget()`\n\n**Find a widget**\n\n`GET /widgets/{widget_id}`\n\n```rust\npub fn get_widget(&self, request: requests::GetWidgetRequest) -> Call<models::Widget>\n```"), "{text}");
    // The description's own headings do not break the document's outline.
    assert!(
        text.contains("You can fetch one widget.\n\n**Notes**\nIt is cached."),
        "{text}"
    );
    // The parameter's example, in the same example as the method's documentation.
    assert!(
        text.contains(
            "```rust\nlet request = requests::GetWidgetRequest::new(\"w_123\");\nlet response = client.widgets().get_widget(request).await?;\nprintln!(\"{response:?}\");\n```"
        ),
        "{text}"
    );
    // The body example (7, green) over the property's (42); `widget_id` borrows `w_123` from the
    // same parameter of the other operation; `label` has no example and is left out.
    assert!(text.contains("let request = requests::UpdateWidgetRequest::new(\"w_123\", 7)\n    .color(models::Color::Green);\nlet response = client.widgets().update_widget(request).await?;"), "{text}");
    assert!(!text.contains(".label("), "{text}");
    // Request fields, with `|` escaped in a table cell.
    assert!(
        text.contains("| `size` | body | `i64` | yes (`new`) | The size \\| in cm. |"),
        "{text}"
    );
    assert!(
        text.contains("| `color` | body | `models::Color` | no (setter) |"),
        "{text}"
    );
    assert!(text.contains("**Response:** `models::Widget`"), "{text}");
}
