//! `multipart/form-data` request bodies: [`FilePart`] (a file from bytes or a stream, with its
//! filename and content type) and the form a [`RequestSpec`] carries, sent with reqwest's
//! multipart support.

use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::Stream;

use super::error::{Error, Result};
use super::request::RequestSpec;

/// A file sent as one part of a `multipart/form-data` body.
///
/// From bytes, the part is resent on a retry. From a stream, it is read once: a request with a
/// streamed part is not retried.
///
/// ```
/// use intercom_sdk::FilePart;
///
/// let part = FilePart::bytes("id,name\n1,Ada\n", "people.csv").content_type("text/csv");
/// assert_eq!(part.filename(), "people.csv");
/// ```
#[derive(Clone)]
pub struct FilePart {
    filename: String,
    content_type: Option<String>,
    data: FileData,
}

#[derive(Clone)]
enum FileData {
    Bytes(Bytes),
    /// Taken by the first attempt that sends it.
    Stream(Arc<Mutex<Option<reqwest::Body>>>),
}

impl FilePart {
    /// A file with these contents.
    pub fn bytes(data: impl Into<Bytes>, filename: impl Into<String>) -> Self {
        FilePart {
            filename: filename.into(),
            content_type: None,
            data: FileData::Bytes(data.into()),
        }
    }

    /// A file read from `stream` while the request is sent (sent once, never retried).
    pub fn stream<S>(stream: S, filename: impl Into<String>) -> Self
    where
        S: Stream<Item = std::result::Result<Bytes, std::io::Error>> + Send + Sync + 'static,
    {
        FilePart {
            filename: filename.into(),
            content_type: None,
            data: FileData::Stream(Arc::new(Mutex::new(Some(reqwest::Body::wrap_stream(
                stream,
            ))))),
        }
    }

    /// Sets the part's `Content-Type` (default: guessed from the filename's extension, else
    /// `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The filename sent with the part.
    pub fn filename(&self) -> &str {
        &self.filename
    }

    fn is_stream(&self) -> bool {
        matches!(self.data, FileData::Stream(_))
    }

    fn to_part(&self) -> Result<reqwest::multipart::Part> {
        let part = match &self.data {
            FileData::Bytes(bytes) => reqwest::multipart::Part::stream(bytes.clone()),
            FileData::Stream(slot) => {
                let body = slot
                    .lock()
                    .map_err(|_| Error::invalid("a streamed file part was poisoned"))?
                    .take()
                    .ok_or_else(|| {
                        Error::invalid(format!(
                            "the streamed file `{}` was already sent; a stream is sent once",
                            self.filename
                        ))
                    })?;
                reqwest::multipart::Part::stream(body)
            }
        };
        let part = part.file_name(self.filename.clone());
        let content_type = self
            .content_type
            .clone()
            .unwrap_or_else(|| mime_guess_type(&self.filename).to_owned());
        part.mime_str(&content_type)
            .map_err(|e| Error::invalid(format!("invalid content type `{content_type}`: {e}")))
    }
}

/// The content type for a filename's extension, for the common cases.
fn mime_guess_type(filename: &str) -> &'static str {
    let extension = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "csv" => "text/csv",
        "txt" => "text/plain",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        _ => "application/octet-stream",
    }
}

/// The contents are never printed, only their kind and size.
impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("FilePart");
        s.field("filename", &self.filename)
            .field("content_type", &self.content_type);
        match &self.data {
            FileData::Bytes(b) => s.field("len", &b.len()),
            FileData::Stream(_) => s.field("data", &"<stream>"),
        };
        s.finish()
    }
}

/// Equal when filename, content type and bytes are equal (a stream equals only its clones).
impl PartialEq for FilePart {
    fn eq(&self, other: &Self) -> bool {
        self.filename == other.filename
            && self.content_type == other.content_type
            && match (&self.data, &other.data) {
                (FileData::Bytes(a), FileData::Bytes(b)) => a == b,
                (FileData::Stream(a), FileData::Stream(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
    }
}

/// From JSON (a request read from a spec example): `{"filename", "content_type", "data"}` with the
/// contents as text, or a bare string taken as the contents of a file named `file`.
impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Text(String),
            Object {
                #[serde(default)]
                filename: Option<String>,
                #[serde(default)]
                content_type: Option<String>,
                #[serde(default)]
                data: String,
            },
        }
        Ok(match Repr::deserialize(deserializer)? {
            Repr::Text(data) => FilePart::bytes(data, "file"),
            Repr::Object {
                filename,
                content_type,
                data,
            } => FilePart {
                filename: filename.unwrap_or_else(|| "file".to_owned()),
                content_type,
                data: FileData::Bytes(data.into()),
            },
        })
    }
}

/// As an input of a request type read from JSON: the same forms as `Deserialize`, strictly.
impl<'de> crate::codec::Lenient<'de> for FilePart {
    const EXPECTED: &'static str = "file";

    fn lenient<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Option<Self>, D::Error> {
        <Self as serde::Deserialize>::deserialize(deserializer).map(Some)
    }
}

/// One part of a form a [`RequestSpec`] carries.
#[derive(Clone, Debug)]
pub(crate) enum FormPart {
    Text(&'static str, String),
    File(&'static str, FilePart),
}

impl RequestSpec {
    /// Adds a text part: a string as it is, any other value as its JSON text.
    pub fn form_text<T: serde::Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
    ) -> Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::String(s)) => self.form_parts().push(FormPart::Text(name, s)),
            Ok(other) => self
                .form_parts()
                .push(FormPart::Text(name, other.to_string())),
            Err(e) => {
                self.body_error = Some(format!("failed to serialize form field `{name}`: {e}"))
            }
        }
        self
    }

    /// Adds a text part when `value` is set.
    pub fn form_text_opt<T: serde::Serialize>(self, name: &'static str, value: Option<&T>) -> Self {
        match value {
            Some(v) => self.form_text(name, v),
            None => self,
        }
    }

    /// Adds file parts, one per file, under `name`.
    pub fn form_files<'a>(
        mut self,
        name: &'static str,
        files: impl IntoIterator<Item = &'a FilePart>,
    ) -> Self {
        for file in files {
            self.form_parts().push(FormPart::File(name, file.clone()));
        }
        self
    }

    fn form_parts(&mut self) -> &mut Vec<FormPart> {
        self.form.get_or_insert_with(Vec::new)
    }

    /// Whether every part can be sent again (no streamed file).
    pub(crate) fn form_is_repeatable(&self) -> bool {
        self.form.iter().flatten().all(|p| match p {
            FormPart::File(_, f) => !f.is_stream(),
            FormPart::Text(..) => true,
        })
    }

    /// The reqwest form for one attempt.
    pub(crate) fn multipart_form(&self) -> Result<Option<reqwest::multipart::Form>> {
        let Some(parts) = &self.form else {
            return Ok(None);
        };
        let mut form = reqwest::multipart::Form::new();
        for part in parts {
            form = match part {
                FormPart::Text(name, value) => form.text(*name, value.clone()),
                FormPart::File(name, file) => form.part(*name, file.to_part()?),
            };
        }
        Ok(Some(form))
    }
}
