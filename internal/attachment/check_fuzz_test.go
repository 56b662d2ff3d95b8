package attachment_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"path"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/attachment"
)

// FuzzDetect: the sniffer never panics, and never accepts a file it says
// is something its bytes are not: each type it names starts with that
// type's signature (and an Office Open XML or OpenDocument file is a ZIP
// archive Go can read); a refusal is one of its message keys, and the
// name SafeName gives an accepted file ends in one of its type's
// extensions. The corpus is in testdata/fuzz/FuzzDetect.
func FuzzDetect(f *testing.F) {
	f.Add([]byte("%PDF-1.4\n%%EOF\n"))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	f.Add([]byte("\xff\xd8\xff\xe0\x00\x10JFIF"))
	f.Add([]byte("GIF89a\x01\x00\x01\x00"))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8 "))
	f.Add([]byte("<!doctype html><script>alert(1)</script>"))
	f.Add([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0})
	f.Add(fuzzZip(map[string]string{"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}))
	f.Add(fuzzZip(map[string]string{"[Content_Types].xml": "<x/>", "word/document.xml": "<x/>"}))
	f.Add(fuzzZip(map[string]string{"[Content_Types].xml": "<x/>", "word/vbaProject.bin": "x"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		ct, err := attachment.Detect(data)
		if err != nil {
			if ct != "" {
				t.Fatalf("refused with type %q", ct)
			}
			if !errors.Is(err, attachment.ErrType) && !errors.Is(err, attachment.ErrEmpty) && !errors.Is(err, attachment.ErrTooLarge) {
				t.Fatalf("refused with %v, not a message key", err)
			}
			return
		}
		sig := map[string][]string{
			"application/pdf": {"%PDF-"}, "image/png": {"\x89PNG\r\n\x1a\n"}, "image/jpeg": {"\xff\xd8\xff"},
			"image/gif": {"GIF87a", "GIF89a"}, "image/webp": {"RIFF"},
			"application/msword": {string([]byte{0xd0, 0xcf, 0x11, 0xe0})}, "application/vnd.ms-excel": {string([]byte{0xd0, 0xcf, 0x11, 0xe0})},
			"application/vnd.ms-powerpoint": {string([]byte{0xd0, 0xcf, 0x11, 0xe0})},
		}
		switch {
		case strings.Contains(ct, "openxmlformats") || strings.Contains(ct, "opendocument"):
			z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil || !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
				t.Fatalf("%s that is no ZIP archive: %v", ct, err)
			}
			for _, f := range z.File {
				if b := strings.ToLower(path.Base(f.Name)); b == "vbaproject.bin" || b == "vbadata.xml" {
					t.Fatalf("%s with macros (%s)", ct, f.Name)
				}
			}
		default:
			prefixes, ok := sig[ct]
			if !ok {
				t.Fatalf("accepted as %q, a type the sniffer does not name", ct)
			}
			match := false
			for _, p := range prefixes {
				match = match || bytes.HasPrefix(data, []byte(p))
			}
			if !match || ct == "image/webp" && (len(data) < 12 || string(data[8:12]) != "WEBP") {
				t.Fatalf("accepted as %s: % x", ct, data[:min(len(data), 16)])
			}
		}
		name := attachment.SafeName("fil.html", ct)
		if strings.HasSuffix(name, ".html") {
			t.Fatalf("SafeName kept .html for %s: %q", ct, name)
		}
	})
}

func fuzzZip(files map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	// mimetype first, as OpenDocument requires.
	if v, ok := files["mimetype"]; ok {
		w, _ := zw.Create("mimetype")
		w.Write([]byte(v))
	}
	for name, v := range files {
		if name == "mimetype" {
			continue
		}
		w, _ := zw.Create(name)
		w.Write([]byte(v))
	}
	zw.Close()
	return buf.Bytes()
}
