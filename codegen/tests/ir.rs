//! The IR on small fixture specs written for the tests: each construct the generator maps, and each
//! defect it diagnoses, checked on plain data without emitting code.

use codegen::config::Overlay;
use codegen::diag::{Diagnostics, Level};
use codegen::ir::{self, Body, Constant, Ir, ParamLocation, ResponseBody, Shape, Ty, TypeKind};
use std::path::Path;

fn build_with(schemas: &str, paths: &str, overlay: &str) -> (Ir, Vec<codegen::Diagnostic>) {
    let doc = format!(
        "openapi: 3.0.1\ninfo: {{title: t, version: '9.9'}}\npaths:\n{paths}\ncomponents:\n  schemas:\n{schemas}"
    );
    let overlay: Overlay = serde_yaml::from_str(overlay).unwrap();
    let mut diags = Diagnostics::default();
    let (_, api) =
        codegen::load::parse_document(&doc, Path::new("fixture.yaml"), &overlay, &mut diags)
            .unwrap();
    let ir = ir::build(&api, &overlay, &mut diags);
    (ir, diags.into_sorted())
}

const REF_SIBLINGS: &str = "fixes: [{rule: ref-siblings, reason: test}]";

fn build(schemas: &str) -> (Ir, Vec<codegen::Diagnostic>) {
    build_with(schemas, "  {}", "{}")
}

fn fields(ir: &Ir, name: &str) -> Vec<(String, Ty, bool)> {
    match &ir
        .get(name)
        .unwrap_or_else(|| panic!("no type {name}"))
        .kind
    {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.ty.clone(), f.optional))
            .collect(),
        other => panic!("{name} is {other:?}"),
    }
}

#[test]
fn symbol_enum_values_get_word_names_and_keep_unknowns() {
    let (ir, diags) =
        build("    op:\n      type: string\n      enum: ['=', '!=', '~', '!~', '^', '$', IN]\n");
    assert!(diags.is_empty(), "{diags:?}");
    let TypeKind::Enum(e) = &ir.get("Op").unwrap().kind else {
        panic!()
    };
    let names: Vec<_> = e.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Eq",
            "NotEq",
            "Contains",
            "NotContains",
            "StartsWith",
            "EndsWith",
            "In"
        ]
    );
}

#[test]
fn required_non_nullable_fields_are_plain_others_optional() {
    let (ir, _) = build(
        "    thing:\n      type: object\n      required: [id, owner]\n      properties:\n        id: {type: string}\n        count: {type: integer}\n        owner: {type: string, nullable: true}\n        created_at: {type: integer, format: date-time}\n",
    );
    assert_eq!(
        fields(&ir, "Thing"),
        [
            ("id".into(), Ty::String, false),
            ("count".into(), Ty::Integer, true),
            ("owner".into(), Ty::String, true),
            ("created_at".into(), Ty::Integer, true),
        ]
    );
}

#[test]
fn nullable_ref_sibling_survives_parsing() {
    let (ir, diags) = build_with(
        "    a:\n      type: object\n      required: [b]\n      properties:\n        b:\n          $ref: '#/components/schemas/b'\n          nullable: true\n          description: The b.\n    b:\n      type: object\n      properties:\n        x: {type: string}\n",
        "  {}",
        REF_SIBLINGS,
    );
    assert!(diags.is_empty(), "{diags:?}");
    let TypeKind::Struct(a) = &ir.get("A").unwrap().kind else {
        panic!()
    };
    let b = &a.fields[0];
    assert_eq!(b.ty, Ty::Named("B".into()));
    assert!(b.nullable && b.optional, "nullable $ref must be Option");
    assert_eq!(b.doc.as_deref(), Some("The b."));
}

#[test]
fn all_of_is_merged_in_order() {
    let (ir, _) = build(
        "    base:\n      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n        name: {type: string}\n    derived:\n      allOf:\n        - $ref: '#/components/schemas/base'\n        - type: object\n          properties:\n            extra: {type: boolean}\n      properties:\n        name: {type: integer}\n",
    );
    let names: Vec<_> = fields(&ir, "Derived")
        .into_iter()
        .map(|(n, t, _)| (n, t))
        .collect();
    assert_eq!(
        names,
        [
            ("id".into(), Ty::String),
            ("name".into(), Ty::Integer),
            ("extra".into(), Ty::Boolean)
        ]
    );
}

#[test]
fn one_of_becomes_a_union_with_meaningful_names_and_a_fallback() {
    let (ir, _) = build(
        "    customer:\n      type: object\n      oneOf:\n        - title: Intercom User ID\n          properties: {intercom_user_id: {type: string}}\n          required: [intercom_user_id]\n        - title: Email\n          properties: {email: {type: string}}\n          required: [email]\n    value:\n      oneOf:\n        - type: string\n        - type: integer\n        - type: array\n          items: {type: string}\n",
    );
    let TypeKind::Union(u) = &ir.get("Customer").unwrap().kind else {
        panic!()
    };
    let names: Vec<_> = u.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["IntercomUserId", "Email"]);
    assert_eq!(u.fallback, "Unknown");
    assert_eq!(
        u.variants[0].shape,
        Shape::Object {
            required: vec!["intercom_user_id".into()],
            consts: vec![],
            enums: vec![],
        }
    );
    let TypeKind::Union(v) = &ir.get("Value").unwrap().kind else {
        panic!()
    };
    let names: Vec<_> = v.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["String", "Integer", "StringList"]);
}

#[test]
fn properties_with_any_of_required_lists_become_one_struct() {
    let (ir, diags) = build(
        "    create:\n      type: object\n      properties:\n        name: {type: string}\n        email: {type: string}\n        external_id: {type: string}\n      anyOf:\n        - required: [name, email]\n        - required: [name, external_id]\n",
    );
    assert!(diags.is_empty(), "{diags:?}");
    let def = ir.get("Create").unwrap();
    // What every alternative requires is required; the rest stays optional.
    assert_eq!(
        fields(&ir, "Create"),
        [
            ("name".into(), Ty::String, false),
            ("email".into(), Ty::String, true),
            ("external_id".into(), Ty::String, true),
        ]
    );
    assert!(def
        .doc
        .as_deref()
        .unwrap()
        .contains("`name` and `email`; or `name` and `external_id`"));
}

#[test]
fn a_one_value_type_is_the_structs_constant_and_other_one_value_enums_stay_fields() {
    let (ir, _) = build(
        "    content:\n      type: object\n      required: [type, state, margin, object]\n      properties:\n        type: {type: string, enum: [article_content]}\n        state: {type: string, enum: [draft, published]}\n        margin: {type: string, enum: [none]}\n        object: {type: string, enum: [content]}\n",
    );
    let TypeKind::Struct(s) = &ir.get("Content").unwrap().kind else {
        panic!("a struct")
    };
    // `type` wins over `object` as the discriminator; its enum is gone. (An optional `type` would
    // stay a field: a struct always writes its constant.)
    assert_eq!(
        s.constant,
        Some(Constant {
            wire: "type".to_owned(),
            value: "article_content".to_owned(),
            required: true
        })
    );
    assert!(ir.get("ContentType").is_none());
    // A one-value enum under another name is data: a field, with a default, so not an `Option`;
    // the two-value enum has none: `Option`.
    let kept: Vec<(String, bool)> = fields(&ir, "Content")
        .into_iter()
        .map(|f| (f.0, f.2))
        .collect();
    assert_eq!(
        kept,
        [
            ("state".to_owned(), true),
            ("margin".to_owned(), false),
            ("object".to_owned(), false)
        ]
    );
    assert!(matches!(&ir.get("ContentMargin").unwrap().kind, TypeKind::Enum(e) if e.is_constant()));
}

#[test]
fn union_object_shapes_carry_their_enum_values() {
    let (ir, _) = build(
        "    query:\n      oneOf:\n        - $ref: '#/components/schemas/single'\n        - $ref: '#/components/schemas/multiple'\n    single:\n      type: object\n      properties:\n        field: {type: string}\n        operator: {type: string, enum: ['=', '>']}\n    multiple:\n      type: object\n      properties:\n        operator: {type: string, enum: [AND, OR]}\n",
    );
    let TypeKind::Union(u) = &ir.get("Query").unwrap().kind else {
        panic!()
    };
    let enums: Vec<_> = u
        .variants
        .iter()
        .map(|v| match &v.shape {
            Shape::Object { enums, .. } => enums.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        enums,
        [
            vec![("operator".to_owned(), vec!["=".to_owned(), ">".to_owned()])],
            vec![(
                "operator".to_owned(),
                vec!["AND".to_owned(), "OR".to_owned()]
            )],
        ]
    );
}

#[test]
fn properties_beside_one_of_objects_are_shared_by_every_alternative() {
    let (ir, diags) = build(
        "    attr:\n      type: object\n      required: [name, data_type]\n      properties:\n        name: {type: string}\n        data_type: {type: string}\n      oneOf:\n        - title: list attribute\n          properties:\n            data_type: {enum: [options]}\n            options: {type: array, items: {type: string}}\n          required: [options]\n        - title: other type\n",
    );
    assert!(diags.is_empty(), "{diags:?}");
    let TypeKind::Union(u) = &ir.get("Attr").unwrap().kind else {
        panic!()
    };
    let names: Vec<_> = u.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["ListAttribute", "OtherType"]);
    let wires = |ty: &str| -> Vec<(String, bool)> {
        match &ir.get(ty).unwrap().kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| (f.wire.clone(), f.required))
                .collect(),
            other => panic!("{other:?}"),
        }
    };
    // The alternative's own `data_type` (an enum) replaces the shared one; `name` is shared.
    assert_eq!(
        wires("AttrListAttribute"),
        [
            ("name".into(), true),
            ("data_type".into(), true),
            ("options".into(), true)
        ]
    );
    assert_eq!(
        wires("AttrOtherType"),
        [("name".into(), true), ("data_type".into(), true)]
    );
}

#[test]
fn shared_properties_reach_all_of_alternatives_and_nested_one_ofs() {
    let (ir, diags) = build(
        "    base:\n      type: object\n      properties:\n        body: {type: string}\n    reply:\n      properties:\n        skip: {type: boolean}\n      oneOf:\n        - oneOf:\n            - title: by email\n              allOf: [{$ref: '#/components/schemas/base'}]\n              properties:\n                email: {type: string}\n              required: [email]\n        - title: by admin\n          properties:\n            admin_id: {type: string}\n",
    );
    assert!(diags.is_empty(), "{diags:?}");
    let TypeKind::Union(u) = &ir.get("Reply").unwrap().kind else {
        panic!()
    };
    let shapes: Vec<(String, Vec<String>)> = u
        .variants
        .iter()
        .map(|v| {
            let Ty::Named(n) = &v.ty else { panic!() };
            let TypeKind::Struct(s) = &ir.get(n).unwrap().kind else {
                panic!()
            };
            (
                v.name.clone(),
                s.fields.iter().map(|f| f.wire.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(
        shapes,
        [
            (
                "ByEmail".to_owned(),
                vec!["skip".to_owned(), "body".to_owned(), "email".to_owned()]
            ),
            (
                "ByAdmin".to_owned(),
                vec!["skip".to_owned(), "admin_id".to_owned()]
            ),
        ]
    );
    // The `allOf` alternative's intermediate struct is not left behind.
    assert!(
        ir.types.keys().all(|k| !k.ends_with("Own")),
        "{:?}",
        ir.types.keys()
    );
}

#[test]
fn bad_overlay_names_and_alias_cycles_are_errors_not_panics() {
    let paths = "  /things:\n    get:\n      operationId: listThings\n      responses:\n        '204': {description: none}\n";
    let overlay = "operations:\n  \"GET /things\": {resource: things, method: find-all}\n";
    let (ir, diags) = build_with(
        "    a: {$ref: '#/components/schemas/b'}\n    b: {$ref: '#/components/schemas/a'}\n",
        paths,
        overlay,
    );
    let errors: Vec<&str> = diags
        .iter()
        .filter(|d| d.level == codegen::Level::Error)
        .map(|d| d.message.as_str())
        .collect();
    assert!(ir.operations.is_empty());
    assert_eq!(errors.len(), 3, "{errors:?}");
    let count = |needle: &str| errors.iter().filter(|e| e.contains(needle)).count();
    assert_eq!(count("find-all"), 1, "{errors:?}");
    assert_eq!(count("alias of itself"), 2, "{errors:?}");
    assert!(!ir.has_default(&Ty::Named("A".into())));
}

#[test]
fn a_referenced_object_query_parameter_is_exploded() {
    let paths = "  /events:\n    get:\n      operationId: listEvents\n      parameters:\n        - {name: filter, in: query, required: true, schema: {$ref: '#/components/schemas/filter'}}\n        - {name: kind, in: query, schema: {$ref: '#/components/schemas/kind'}}\n      responses:\n        '204': {description: none}\n";
    let (ir, diags) = build_with(
        "    filter:\n      type: object\n      properties:\n        user_id: {type: string}\n    kind: {type: string, enum: [user]}\n",
        paths,
        "{}",
    );
    assert!(diags.is_empty(), "{diags:?}");
    let locations: Vec<ParamLocation> = ir.operations[0]
        .request
        .as_ref()
        .unwrap()
        .params
        .iter()
        .map(|p| p.location)
        .collect();
    assert_eq!(
        locations,
        [ParamLocation::QueryObject, ParamLocation::Query]
    );
}

#[test]
fn prelude_names_and_the_extra_properties_field_are_not_taken() {
    let (ir, diags) = build(
        "    option:\n      type: object\n      properties:\n        additional_properties: {type: string}\n      additionalProperties: {type: integer}\n",
    );
    assert!(ir.get("Option").is_none());
    let names: Vec<String> = fields(&ir, "Option2").into_iter().map(|f| f.0).collect();
    assert_eq!(names, ["additional_properties2"]);
    assert_eq!(diags.len(), 2, "{diags:?}");
}

#[test]
fn additional_properties_become_maps() {
    let (ir, _) = build(
        "    attrs:\n      type: object\n      additionalProperties: {type: integer}\n    free:\n      type: object\n",
    );
    assert_eq!(
        ir.get("Attrs").unwrap().kind,
        TypeKind::Alias(Ty::Map(Box::new(Ty::Integer)))
    );
    assert_eq!(
        ir.get("Free").unwrap().kind,
        TypeKind::Alias(Ty::Map(Box::new(Ty::Any)))
    );
}

#[test]
fn defects_are_diagnosed_with_pointers_and_fall_back_to_values() {
    let (ir, diags) = build(
        "    a:\n      type: object\n      properties:\n        gone: {$ref: '#/components/schemas/missing'}\n        list: {type: array}\n",
    );
    assert_eq!(
        fields(&ir, "A"),
        [
            ("gone".into(), Ty::Any, true),
            ("list".into(), Ty::Array(Box::new(Ty::Any)), true)
        ]
    );
    let pointers: Vec<_> = diags
        .iter()
        .map(|d| (d.level, d.pointer.as_str()))
        .collect();
    assert_eq!(
        pointers,
        [
            (Level::Warning, "/components/schemas/a/properties/gone"),
            (Level::Warning, "/components/schemas/a/properties/list"),
        ]
    );
}

#[test]
fn keywords_and_name_collisions_are_resolved_deterministically() {
    let (ir, diags) = build(
        "    thing:\n      type: object\n      properties:\n        type: {type: string}\n        self: {type: string}\n    Thing:\n      type: object\n",
    );
    // Component keys are named in sorted order: `Thing` < `thing`.
    let names: Vec<_> = fields(&ir, "Thing2").into_iter().map(|(n, ..)| n).collect();
    assert_eq!(names, ["type_", "self_"]);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0].message.contains("Thing2"));
}

#[test]
fn direct_recursion_is_boxed() {
    let (ir, _) = build(
        "    node:\n      type: object\n      properties:\n        next: {$ref: '#/components/schemas/node'}\n        children: {type: array, items: {$ref: '#/components/schemas/node'}}\n",
    );
    let TypeKind::Struct(s) = &ir.get("Node").unwrap().kind else {
        panic!()
    };
    assert!(s.fields[0].boxed, "direct self reference must be boxed");
    assert!(!s.fields[1].boxed, "a Vec already breaks the cycle");
}

#[test]
fn operations_take_overlay_names_or_defaults_and_split_inputs() {
    let paths = "  /contacts/{contact_id}:\n    put:\n      operationId: UpdateContact\n      tags: [Contacts]\n      parameters:\n        - {name: contact_id, in: path, required: true, schema: {type: string}}\n        - {name: Intercom-Version, in: header, schema: {type: string}}\n        - {name: Accept, in: header, required: true, schema: {type: string, enum: [application/json, text/csv]}}\n        - {name: X-Bad, in: header, schema: {type: object}}\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/update'}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/update'}\n  /things:\n    get:\n      operationId: listThings\n      tags: [Things Stuff]\n      parameters:\n        - {name: page, in: query, schema: {type: integer}}\n      responses:\n        '204': {description: none}\n";
    let overlay = "operations:\n  \"PUT /contacts/{contact_id}\": {resource: contacts, method: update, request: UpdateContactRequest}\n";
    let (ir, diags) = build_with(
        "    update:\n      type: object\n      properties:\n        name: {type: string}\n",
        paths,
        overlay,
    );
    // The object header is not generated, and says so where it is.
    let pointers: Vec<&str> = diags.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        ["/paths/~1contacts~1{contact_id}/put/parameters/3"],
        "{diags:?}"
    );
    let update = &ir.operations[0];
    assert_eq!(
        (update.resource.as_slice(), update.name.as_str()),
        (&["contacts".to_owned()][..], "update")
    );
    let request = update.request.as_ref().unwrap();
    assert_eq!(request.name, "UpdateContactRequest");
    // The version header is the runtime's; `Accept` is an input sent as a header.
    let inputs: Vec<(&str, ParamLocation, bool)> = request
        .params
        .iter()
        .map(|p| (p.wire.as_str(), p.location, p.required))
        .collect();
    assert_eq!(
        inputs,
        [
            ("contact_id", ParamLocation::Path, true),
            ("Accept", ParamLocation::Header, true)
        ]
    );
    assert!(
        matches!(&request.body, Some(Body::Fields { fields, model: Some(m) }) if fields.len() == 1 && m == "Update")
    );
    assert_eq!(
        update.response,
        ResponseBody::Json(Ty::Named("Update".into()))
    );

    let list = &ir.operations[1];
    assert_eq!(
        (list.resource[0].as_str(), list.name.as_str()),
        ("things_stuff", "list_things")
    );
    assert_eq!(list.request.as_ref().unwrap().name, "ListThingsRequest");
    assert_eq!(list.response, ResponseBody::Empty);
}

#[test]
fn searches_and_lists_sent_as_post_are_safe_to_retry() {
    let ok = "      responses:\n        '204': {description: none}\n";
    let paths = [
        ("/contacts/search", "post", "searchContacts"),
        ("/companies/list", "post", "listAllCompanies"),
        ("/reports/run", "post", "searchReports"),
        ("/lists", "post", "createList"),
        ("/contacts", "post", "createContact"),
        ("/contacts/{id}/search", "delete", "removeSearch"),
        ("/things/{list}", "post", "updateThing"),
        ("/admins/search", "get", "searchAdminsByGet"),
    ]
    .iter()
    .map(|(path, method, id)| {
        let params = if path.contains('{') {
            let name = &path[path.find('{').unwrap() + 1..path.find('}').unwrap()];
            format!("      parameters:\n        - {{name: {name}, in: path, required: true, schema: {{type: string}}}}\n")
        } else {
            String::new()
        };
        format!("  {path}:\n    {method}:\n      operationId: {id}\n{params}{ok}")
    })
    .collect::<String>();
    let (ir, diags) = build_with("    {}", &paths, "{}");
    assert!(diags.iter().all(|d| d.level != Level::Error), "{diags:?}");
    let safe: Vec<(&str, bool)> = ir
        .operations
        .iter()
        .map(|op| (op.operation_id.as_deref().unwrap_or(""), op.safe_to_retry))
        .collect();
    assert_eq!(
        safe,
        [
            ("searchContacts", true),
            ("listAllCompanies", true),
            ("searchReports", true),
            ("createList", false),
            ("createContact", false),
            ("removeSearch", false),
            ("updateThing", false),
            ("searchAdminsByGet", false),
        ]
    );
}

#[test]
fn self_never_names_a_type_or_variant() {
    let (ir, diags) = build(
        "    self:\n      type: object\n      properties:\n        kind: {type: string, enum: [self, Self, other]}\n    Self:\n      type: string\n",
    );
    assert!(ir.get("Self").is_none(), "{:?}", ir.types.keys());
    let names: Vec<&str> = ir.types.keys().map(String::as_str).collect();
    assert!(
        names.contains(&"SelfValue") && names.contains(&"SelfValue2"),
        "{names:?}"
    );
    let variants: Vec<String> = ir
        .types
        .values()
        .filter_map(|t| match &t.kind {
            TypeKind::Enum(e) => Some(e.variants.iter().map(|v| v.name.clone())),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(variants, ["SelfValue", "SelfValue2", "Other"]);
    assert!(diags.iter().all(|d| d.level != Level::Error), "{diags:?}");
}

/// Schemas of a paged list in Intercom's shape: `data` plus `pages` (page number, page count and
/// the next cursor), a scroll list, and a search body with a `pagination` cursor.
const PAGED_SCHEMAS: &str = r#"
    thing: {type: object, properties: {id: {type: string}}}
    pages:
      type: object
      properties:
        page: {type: integer}
        total_pages: {type: integer}
        next:
          type: object
          properties:
            starting_after: {type: string}
    thing_list:
      type: object
      properties:
        type: {type: string}
        data: {type: array, items: {$ref: '#/components/schemas/thing'}}
        pages: {$ref: '#/components/schemas/pages'}
    thing_scroll:
      type: object
      properties:
        things: {type: array, items: {$ref: '#/components/schemas/thing'}}
        scroll_param: {type: string}
    search:
      type: object
      properties:
        query: {type: object}
        pagination:
          type: object
          properties:
            per_page: {type: integer}
            starting_after: {type: string}
"#;

/// A GET of `path` with these query parameters returning `response`.
fn list_op(path: &str, id: &str, query: &[&str], response: &str) -> String {
    let placeholders = path
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}'))
        .map(|(p, _)| {
            format!("        - {{name: {p}, in: path, required: true, schema: {{type: string}}}}\n")
        });
    let params: String = placeholders
        .chain(
            query
                .iter()
                .map(|q| format!("        - {{name: {q}, in: query, schema: {{type: string}}}}\n")),
        )
        .collect();
    let params = if params.is_empty() {
        String::new()
    } else {
        format!("      parameters:\n{params}")
    };
    format!(
        "  {path}:\n    get:\n      operationId: {id}\n      tags: [Things]\n{params}      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{response}'}}\n"
    )
}

fn style_of(ir: &Ir, key: &str) -> Option<(codegen::config::PaginationStyle, String)> {
    let op = ir.operations.iter().find(|o| o.key == key).unwrap();
    op.pagination
        .as_ref()
        .map(|p| (p.style, format!("{} {}", p.param, p.items.steps[0].field)))
}

#[test]
fn pagination_is_inferred_from_inputs_and_response_shapes() {
    use codegen::config::PaginationStyle::*;
    let paths = [
        list_op("/by_cursor", "byCursor", &["page", "starting_after"], "thing_list"),
        list_op("/by_page", "byPage", &["page", "per_page"], "thing_list"),
        list_op("/by_scroll", "byScroll", &["scroll_param"], "thing_scroll"),
        list_op("/no_position", "noPosition", &["per_page"], "thing_list"),
        "  /search:\n    post:\n      operationId: search\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/search'}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/thing_list'}\n".to_owned(),
    ]
    .concat();
    let (ir, diags) = build_with(PAGED_SCHEMAS, &paths, "{}");
    assert!(diags.is_empty(), "{diags:?}");
    // A cursor parameter wins over a page number; the items are `data`, or the only array.
    assert_eq!(
        style_of(&ir, "GET /by_cursor"),
        Some((QueryCursor, "starting_after data".into()))
    );
    assert_eq!(
        style_of(&ir, "GET /by_page"),
        Some((PageNumber, "page data".into()))
    );
    assert_eq!(
        style_of(&ir, "GET /by_scroll"),
        Some((Scroll, "scroll_param things".into()))
    );
    assert_eq!(
        style_of(&ir, "POST /search"),
        Some((BodyCursor, "pagination.starting_after data".into()))
    );
    // `pages` in the response but no input to send a position in: one page.
    assert_eq!(style_of(&ir, "GET /no_position"), None);
    let op = &ir.operations[0];
    let paging = op.pagination.as_ref().unwrap();
    assert_eq!(paging.source, ir::PaginationSource::Inferred);
    let cursor: Vec<&str> = paging
        .cursor
        .as_ref()
        .unwrap()
        .steps
        .iter()
        .map(|s| s.field.as_str())
        .collect();
    assert_eq!(cursor, ["pages", "next", "starting_after"]);
}

#[test]
fn the_overlay_overrides_inferred_pagination_and_a_misfit_falls_back() {
    use codegen::config::PaginationStyle::*;
    let paths = [
        list_op("/a", "a", &["page", "starting_after"], "thing_list"),
        list_op("/b", "b", &["page"], "thing_list"),
        list_op("/c", "c", &["page"], "thing_list"),
    ]
    .concat();
    let overlay = r#"
operations:
  "GET /a":
    resource: things
    method: a
    pagination: { style: page_number, param: page, items: data, page: pages.page, total_pages: pages.total_pages }
  "GET /b":
    resource: things
    method: b
    pagination: none
  "GET /c":
    resource: things
    method: c
    pagination: { style: page_number, param: page, items: entries, page: pages.page, total_pages: pages.total_pages }
"#;
    let (ir, diags) = build_with(PAGED_SCHEMAS, &paths, overlay);
    assert_eq!(
        style_of(&ir, "GET /a"),
        Some((PageNumber, "page data".into()))
    );
    assert_eq!(
        ir.operations[0].pagination.as_ref().unwrap().source,
        ir::PaginationSource::Overlay
    );
    assert_eq!(style_of(&ir, "GET /b"), None);
    // The entry names a field the response does not have: a warning, and inferred paging.
    assert_eq!(
        style_of(&ir, "GET /c"),
        Some((PageNumber, "page data".into()))
    );
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].level, Level::Warning);
    assert!(
        diags[0].message.contains("`entries`") && diags[0].message.contains("inferred"),
        "{diags:?}"
    );
}

#[test]
fn overlay_entries_match_by_path_shape_then_operation_id() {
    let paths = [
        list_op("/things/{id}", "showThing", &[], "thing"),
        list_op(
            "/stuff/{stuff_id}/things",
            "listThings",
            &["page"],
            "thing_list",
        ),
    ]
    .concat();
    let overlay = r#"
operations:
  "GET /things/{thing_id}":
    operation_id: retrieveThing
    resource: things
    method: find
    request: FindThingRequest
  "GET /things/{thing_id}/list":
    operation_id: listThings
    resource: things
    method: list
    request: ListThingsRequest
    pagination: { style: page_number, param: page, items: data, page: pages.page, total_pages: pages.total_pages }
  "DELETE /things/{thing_id}":
    resource: things
    method: delete
"#;
    let (ir, diags) = build_with(PAGED_SCHEMAS, &paths, overlay);
    let names: Vec<(&str, &str, &str)> = ir
        .operations
        .iter()
        .map(|o| {
            (
                o.key.as_str(),
                o.name.as_str(),
                o.request.as_ref().map_or("", |r| r.name.as_str()),
            )
        })
        .collect();
    // The shape wins even though the operationId changed; a moved path is found by its id.
    assert_eq!(
        names,
        [
            ("GET /things/{id}", "find", "FindThingRequest"),
            ("GET /stuff/{stuff_id}/things", "list", "ListThingsRequest"),
        ]
    );
    assert_eq!(
        ir.operations[1].pagination.as_ref().unwrap().source,
        ir::PaginationSource::Overlay
    );
    // The entry that matches nothing is a warning.
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        ["overlay names operation `DELETE /things/{thing_id}`, which the description does not have"]
    );
}

#[test]
fn fixes_follow_renamed_path_placeholders() {
    let paths = list_op("/things/{id}", "showThing", &[], "thing");
    let overlay = r#"
fixes:
  - set: /paths/~1things~1{thing_id}/get/deprecated
    value: true
    reason: test
"#;
    let (ir, diags) = build_with(PAGED_SCHEMAS, &paths, overlay);
    assert!(diags.is_empty(), "{diags:?}");
    assert!(ir.operations[0].deprecated);
}

#[test]
fn one_request_name_for_different_inputs_gets_distinct_names() {
    let search = |path: &str, schema: &str| {
        format!("  {path}:\n    post:\n      operationId: x{}\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/{schema}'}}\n      responses:\n        '204': {{description: none}}\n", path.replace('/', "_"))
    };
    let paths = [
        search("/contacts/search", "search"),
        search("/tickets/search", "search"),
        search("/conversations/search", "thing"),
    ]
    .concat();
    let overlay = r#"
operations:
  "POST /contacts/search": {resource: contacts, method: search, request: SearchRequest}
  "POST /tickets/search": {resource: tickets, method: search, request: SearchRequest}
  "POST /conversations/search": {resource: conversations, method: search, request: SearchRequest}
"#;
    let (ir, diags) = build_with(PAGED_SCHEMAS, &paths, overlay);
    let names: Vec<&str> = ir
        .operations
        .iter()
        .map(|o| o.request.as_ref().unwrap().name.as_str())
        .collect();
    // The same input shares the name; a different one is named after its operation.
    assert_eq!(
        names,
        [
            "SearchRequest",
            "SearchRequest",
            "ConversationsSearchRequest"
        ]
    );
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0].message.contains("`ConversationsSearchRequest`"));
}

#[test]
fn a_stopped_run_lists_every_diagnostic_errors_first() {
    let paths = list_op("/things", "listThings", &[], "thing");
    let overlay = "operations:\n  \"GET /things\": {resource: things, method: find-all}\n  \"GET /gone\": {resource: gone, method: list}\n";
    let (_, diags) = build_with(
        "    thing: {type: object, properties: {id: {type: string}}}\n    a: {$ref: '#/components/schemas/b'}\n    b: {$ref: '#/components/schemas/a'}\n",
        &paths,
        overlay,
    );
    let levels: Vec<Level> = diags.iter().map(|d| d.level).collect();
    assert_eq!(
        levels,
        [Level::Error, Level::Error, Level::Error, Level::Warning],
        "{diags:?}"
    );
    let error = codegen::Error::Invalid(diags).to_string();
    assert!(
        error.starts_with("generation failed with 3 error(s)"),
        "{error}"
    );
    assert!(
        error.contains("warning: overlay names operation `GET /gone`"),
        "{error}"
    );
}

#[test]
fn a_union_variant_much_larger_than_the_others_is_boxed() {
    let props: String = (0..12)
        .map(|i| format!("        f{i}: {{type: string}}\n"))
        .collect();
    let (ir, diags) = build(&format!(
        "    big:\n      type: object\n      properties:\n{props}    small:\n      type: object\n      properties:\n        id: {{type: string}}\n    only_big:\n      oneOf: [{{$ref: '#/components/schemas/big'}}]\n    big_or_small:\n      oneOf: [{{$ref: '#/components/schemas/big'}}, {{$ref: '#/components/schemas/small'}}]\n    small_only:\n      oneOf: [{{$ref: '#/components/schemas/small'}}]\n"
    ));
    assert!(diags.is_empty(), "{diags:?}");
    let boxed = |name: &str| -> Vec<(String, bool)> {
        let TypeKind::Union(u) = &ir.get(name).unwrap().kind else {
            panic!()
        };
        u.variants
            .iter()
            .map(|v| (v.name.clone(), v.boxed))
            .collect()
    };
    // 12 strings (288 bytes) beside the fallback's `serde_json::Value` (32) or a 24-byte struct.
    assert_eq!(boxed("OnlyBig"), [("Big".to_owned(), true)]);
    assert_eq!(
        boxed("BigOrSmall"),
        [("Big".to_owned(), true), ("Small".to_owned(), false)]
    );
    assert_eq!(boxed("SmallOnly"), [("Small".to_owned(), false)]);
}

#[test]
fn multipart_bodies_become_file_and_text_parts() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multipart.yaml"),
    )
    .unwrap();
    let overlay = Overlay::default();
    let mut diags = Diagnostics::default();
    let (_, api) =
        codegen::load::parse_document(&text, Path::new("multipart.yaml"), &overlay, &mut diags)
            .unwrap();
    let ir = ir::build(&api, &overlay, &mut diags);
    let diags = diags.into_sorted();
    assert!(diags.is_empty(), "{diags:?}");
    let op = &ir.operations[0];
    let request = op.request.as_ref().unwrap();
    assert_eq!(request.name, "UploadFixtureFileRequest");
    let Some(Body::Multipart { fields }) = &request.body else {
        panic!("{:?}", request.body)
    };
    let parts: Vec<(&str, &Ty, bool)> = fields
        .iter()
        .map(|f| (f.wire.as_str(), &f.ty, f.optional))
        .collect();
    assert_eq!(
        parts,
        [
            ("file", &Ty::File, false),
            ("attachments", &Ty::Array(Box::new(Ty::File)), true),
            ("name", &Ty::String, false),
            ("count", &Ty::Integer, true),
        ]
    );
    let TypeKind::Union(u) = &ir.get("FixtureUploadResult").unwrap().kind else {
        panic!()
    };
    assert!(u.variants[0].boxed, "{u:?}");
}

#[test]
fn examples_come_from_parameters_bodies_and_properties() {
    let paths = "  /tags/{tag_id}:\n    put:\n      operationId: updateTag\n      tags: [Tags]\n      parameters:\n        - {name: tag_id, in: path, required: true, schema: {type: string}, example: '123'}\n        - {name: per_page, in: query, schema: {type: integer, example: 5}}\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                name: {type: string, example: own}\n                color: {type: string}\n            example: {name: from body, color: red}\n      responses:\n        '204': {description: none}\n";
    let (ir, diags) = build_with("    {}\n", paths, "{}");
    assert!(diags.is_empty(), "{diags:?}");
    let request = ir.operations[0].request.as_ref().unwrap();
    let params: Vec<_> = request.params.iter().map(|p| p.example.clone()).collect();
    assert_eq!(
        params,
        [Some(serde_json::json!("123")), Some(serde_json::json!(5))]
    );
    let Some(Body::Fields { fields, .. }) = &request.body else {
        panic!("{:?}", request.body)
    };
    // The body's example wins over the property's own: it is the example of this request.
    let examples: Vec<_> = fields.iter().map(|f| f.example.clone()).collect();
    assert_eq!(
        examples,
        [
            Some(serde_json::json!("from body")),
            Some(serde_json::json!("red"))
        ]
    );
}

#[test]
fn the_overlay_renames_a_type_and_every_use() {
    let schemas = "    ticket:\n      type: object\n      properties:\n        type: {type: string, enum: [ticket, ticket_v2]}\n        kind: {$ref: '#/components/schemas/ticket_type'}\n    ticket_type:\n      type: object\n      properties:\n        name: {type: string}\n";
    let overlay = "types:\n  /components/schemas/ticket/properties/type: TicketObjectType\n  /components/schemas/nothing: Nothing\n";
    let (ir, diags) = build_with(schemas, "  {}", overlay);
    assert!(ir.get("TicketType").is_some() && ir.get("TicketType2").is_none());
    assert_eq!(
        fields(&ir, "Ticket")[0].1,
        Ty::Named("TicketObjectType".to_owned())
    );
    // A pointer that names no type is reported.
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].pointer, "/components/schemas/nothing");
    let (_, diags) = build_with(
        schemas,
        "  {}",
        "types:\n  /components/schemas/ticket/properties/type: TicketType\n",
    );
    assert!(
        diags
            .iter()
            .any(|d| d.level == Level::Error && d.message.contains("taken")),
        "{diags:?}"
    );
}

#[test]
fn integer_ids_of_request_inputs_take_an_integer_or_a_string() {
    let schemas = "    admin:\n      type: object\n      properties:\n        id: {type: integer}\n        team_id: {type: integer}\n    sender:\n      type: object\n      properties:\n        id: {type: integer}\n        count: {type: integer}\n";
    let paths = "  /messages:\n    post:\n      operationId: createMessage\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              required: [owner_id]\n              properties:\n                owner_id: {type: integer}\n                page: {type: integer}\n                from: {$ref: '#/components/schemas/sender'}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/admin'}\n";
    let (ir, diags) = build_with(schemas, paths, "{}");
    assert!(diags.is_empty(), "{diags:?}");
    let union = Ty::Named("IntegerOrStringId".to_owned());
    let request = ir.operations[0].request.as_ref().unwrap();
    let Some(Body::Fields { fields, .. }) = &request.body else {
        panic!("{:?}", request.body)
    };
    let ty = |wire: &str| &fields.iter().find(|f| f.wire == wire).unwrap().ty;
    // Request ids take both; other integers stay integers.
    assert_eq!(ty("owner_id"), &union);
    assert_eq!(ty("page"), &Ty::Integer);
    // A type only requests reach: its id takes both.
    let TypeKind::Struct(sender) = &ir.get("Sender").unwrap().kind else {
        panic!()
    };
    assert_eq!(sender.fields[0].ty, union);
    assert_eq!(sender.fields[1].ty, Ty::Integer);
    // A response type keeps the declared integer (decoding tolerates a numeric string there).
    let TypeKind::Struct(admin) = &ir.get("Admin").unwrap().kind else {
        panic!()
    };
    assert!(
        admin.fields.iter().all(|f| f.ty == Ty::Integer),
        "{admin:?}"
    );
    let TypeKind::Union(u) = &ir.get("IntegerOrStringId").unwrap().kind else {
        panic!()
    };
    let variants: Vec<(&str, &Ty)> = u
        .variants
        .iter()
        .map(|v| (v.name.as_str(), &v.ty))
        .collect();
    assert_eq!(
        variants,
        [("Integer", &Ty::Integer), ("String", &Ty::String)]
    );
}

#[test]
fn examples_come_from_a_same_named_parameter_and_from_a_references_target() {
    let schemas = "    colour: {type: string, example: green}\n";
    let paths = r#"  /widgets/{widget_id}:
    get:
      operationId: getWidget
      tags: [Widgets]
      parameters:
        - {name: widget_id, in: path, required: true, schema: {type: string}, example: w_123}
      responses: {'204': {description: none}}
    put:
      operationId: updateWidget
      tags: [Widgets]
      parameters:
        - {name: widget_id, in: path, required: true, schema: {type: string}}
        - {name: other_id, in: query, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                colour: {$ref: '#/components/schemas/colour'}
      responses: {'204': {description: none}}
"#;
    let (ir, diags) = build_with(schemas, paths, "{}");
    assert!(diags.iter().all(|d| d.level != Level::Error), "{diags:?}");
    let update = ir
        .operations
        .iter()
        .find_map(|op| {
            op.request
                .as_ref()
                .filter(|r| r.name == "UpdateWidgetRequest")
        })
        .expect("update request");
    let example = |wire: &str| {
        update
            .params
            .iter()
            .find(|p| p.wire == wire)
            .and_then(|p| p.example.clone())
    };
    // Borrowed from `getWidget`'s `widget_id`; nothing to borrow for `other_id`.
    assert_eq!(example("widget_id"), Some(serde_json::json!("w_123")));
    assert_eq!(example("other_id"), None);
    let Some(Body::Fields { fields, .. }) = &update.body else {
        panic!("{:?}", update.body)
    };
    assert_eq!(fields[0].example, Some(serde_json::json!("green")));
}
