//! Attachment types recognised from the file's content, never from its name.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
    Odt,
    Docx,
}

impl FileType {
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Odt => "application/vnd.oasis.opendocument.text",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Png => "png",
            FileType::Jpeg => "jpg",
            FileType::Odt => "odt",
            FileType::Docx => "docx",
        }
    }

    pub fn from_mime(m: &str) -> Option<FileType> {
        [
            FileType::Pdf,
            FileType::Png,
            FileType::Jpeg,
            FileType::Odt,
            FileType::Docx,
        ]
        .into_iter()
        .find(|t| t.mime() == m)
    }

    pub fn label(self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Png => "PNG",
            FileType::Jpeg => "JPEG",
            FileType::Odt => "ODT",
            FileType::Docx => "DOCX",
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Recognises the file from its first bytes (and, for the zip-based formats, the names of the
/// parts it contains). `head` should hold the whole file or at least its first 64 KiB.
pub fn sniff(head: &[u8]) -> Option<FileType> {
    if head.starts_with(b"%PDF-") {
        return Some(FileType::Pdf);
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(FileType::Png);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileType::Jpeg);
    }
    if head.starts_with(b"PK\x03\x04") {
        // OpenDocument stores an uncompressed "mimetype" part first.
        if head.len() > 38
            && &head[30..38] == b"mimetype"
            && head[38..].starts_with(b"application/vnd.oasis.opendocument.text")
        {
            return Some(FileType::Odt);
        }
        if contains(head, b"[Content_Types].xml") && contains(head, b"word/") {
            return Some(FileType::Docx);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(FileType::Png));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(FileType::Jpeg)
        );
        let mut odt = b"PK\x03\x04".to_vec();
        odt.extend_from_slice(&[0u8; 26]);
        odt.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.text");
        assert_eq!(sniff(&odt), Some(FileType::Odt));
        let mut docx = b"PK\x03\x04".to_vec();
        docx.extend_from_slice(&[0u8; 26]);
        docx.extend_from_slice(b"[Content_Types].xml....PK\x03\x04....word/document.xml");
        assert_eq!(sniff(&docx), Some(FileType::Docx));
    }

    #[test]
    fn refuses_disguised_files() {
        assert_eq!(sniff(b"MZ\x90\0 this is an exe named report.pdf"), None);
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"PK\x03\x04 some other zip"), None);
        assert_eq!(sniff(b""), None);
    }
}
