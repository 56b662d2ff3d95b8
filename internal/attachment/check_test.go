package attachment_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"testing"
	"unicode/utf16"

	"github.com/icld/partnerskap/internal/attachment"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
		err  error
	}{
		{"pdf", minimalPDF, "application/pdf", nil},
		{"png", encodeImage(t, png.Encode), "image/png", nil},
		{"jpeg", encodeImage(t, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }), "image/jpeg", nil},
		{"gif", encodeImage(t, func(w io.Writer, m image.Image) error { return gif.Encode(w, m, nil) }), "image/gif", nil},
		{"webp", webp, "image/webp", nil},
		{"docx", zipOf(t, "[Content_Types].xml", "word/document.xml", "_rels/.rels"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", nil},
		{"xlsx", zipOf(t, "[Content_Types].xml", "xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", nil},
		{"pptx", zipOf(t, "[Content_Types].xml", "ppt/presentation.xml"), "application/vnd.openxmlformats-officedocument.presentationml.presentation", nil},
		{"odt", odf(t, "application/vnd.oasis.opendocument.text"), "application/vnd.oasis.opendocument.text", nil},
		{"ods", odf(t, "application/vnd.oasis.opendocument.spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet", nil},
		{"doc", compoundFile(t, "WordDocument", false), "application/msword", nil},
		{"doc with a directory of two sectors", compoundFile(t, "WordDocument", true), "application/msword", nil},
		{"xls", compoundFile(t, "Workbook", false), "application/vnd.ms-excel", nil},
		{"ppt", compoundFile(t, "PowerPoint Document", true), "application/vnd.ms-powerpoint", nil},

		{"docm (macros)", zipOf(t, "[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"), "", attachment.ErrType},
		{"xlsm (macros)", zipOf(t, "[Content_Types].xml", "xl/workbook.xml", "xl/VBAPROJECT.BIN"), "", attachment.ErrType},
		{"odt with Basic macros", odfWith(t, "application/vnd.oasis.opendocument.text", "Basic/Standard/Module1.xml"), "", attachment.ErrType},
		{"html", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "", attachment.ErrType},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "", attachment.ErrType},
		{"script", []byte("#!/bin/sh\nrm -rf /\n"), "", attachment.ErrType},
		{"exe", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 200)...), "", attachment.ErrType},
		{"plain text", []byte("Hej, här är vår budget."), "", attachment.ErrType},
		{"plain zip", zipOf(t, "budget.exe"), "", attachment.ErrType},
		{"zip with content types but no office part", zipOf(t, "[Content_Types].xml", "payload.js"), "", attachment.ErrType},
		{"odf of another kind", odf(t, "application/x-evil"), "", attachment.ErrType},
		{"truncated zip", zipOf(t, "[Content_Types].xml", "word/document.xml")[:40], "", attachment.ErrType},
		{"msi-like compound file", compoundFile(t, "\u4840\u3b3f\u4577", false), "", attachment.ErrType},
		{"compound header only", append(append([]byte{}, oleMagic...), make([]byte, 100)...), "", attachment.ErrType},
		{"empty", nil, "", attachment.ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := attachment.Detect(tt.data)
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Errorf("Detect = %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

// TestNameNeverDecides: a PNG called .pdf is a PNG, and is offered for
// download with a .png ending.
func TestNameNeverDecides(t *testing.T) {
	data := encodeImage(t, png.Encode)
	got, err := attachment.Detect(data)
	if err != nil || got != "image/png" {
		t.Fatalf("PNG named .pdf: %q, %v", got, err)
	}
	if name := attachment.SafeName("budget.pdf", got); name != "budget.pdf.png" {
		t.Errorf("SafeName = %q", name)
	}
}

func TestCheckTooLarge(t *testing.T) {
	// Check refuses by size before reading anything.
	_, err := attachment.Check(bytes.NewReader(minimalPDF), attachment.MaxSize+1)
	if !errors.Is(err, attachment.ErrTooLarge) {
		t.Errorf("got %v, want ErrTooLarge", err)
	}
	if err.Error() != "error.file.too_large" || attachment.ErrType.Error() != "error.file.type" || attachment.ErrEmpty.Error() != "error.file.empty" {
		t.Error("errors are not the message keys")
	}
	if _, err := attachment.Check(bytes.NewReader(minimalPDF), attachment.MaxSize); err != nil {
		t.Errorf("exactly MaxSize: %v", err)
	}
}

func TestSafeName(t *testing.T) {
	tests := []struct{ name, ct, want string }{
		{"Budget 2021 – Kalix.PDF", "application/pdf", "Budget 2021 – Kalix.PDF"},
		{`C:\Users\åsa\rapport.docx`, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "rapport.docx"},
		{"../../etc/passwd", "application/pdf", "passwd.pdf"},
		{"bild.jpeg", "image/jpeg", "bild.jpeg"},
		{"a\x00b\r\n.gif", "image/gif", "ab.gif"},
		{"", "image/png", "fil.png"},
		{"setup.msi", "application/msword", "setup.msi.doc"},
		{`Plan %22B%22; 50% klart.pdf`, "application/pdf", `Plan "B"; 50% klart.pdf`},
		{`Plan "B".pdf`, "application/pdf", `Plan "B".pdf`},
	}
	for _, tt := range tests {
		if got := attachment.SafeName(tt.name, tt.ct); got != tt.want {
			t.Errorf("SafeName(%q, %q) = %q, want %q", tt.name, tt.ct, got, tt.want)
		}
	}
}

var minimalPDF = []byte(`%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj
trailer << /Root 1 0 R >>
%%EOF
`)

// webp is a 1×1 lossless WebP image.
var webp = []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")

func encodeImage(t *testing.T, enc func(io.Writer, image.Image) error) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 4, 4))
	m.Set(1, 1, color.RGBA{0, 0x6a, 0xa7, 0xff})
	var b bytes.Buffer
	if err := enc(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, n := range names {
		w, err := z.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, "<x/>")
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// odf builds an OpenDocument file: its first entry, stored uncompressed,
// is "mimetype".
func odf(t *testing.T, mimetype string) []byte {
	t.Helper()
	return odfWith(t, mimetype)
}

// odfWith is an OpenDocument file with the extra (empty) entries.
func odfWith(t *testing.T, mimetype string, extra ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, err := z.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, mimetype)
	w, _ = z.Create("content.xml")
	io.WriteString(w, "<office:document-content/>")
	for _, name := range extra {
		if _, err := z.Create(name); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// compoundFile builds a minimal OLE2 compound file of 512-byte sectors:
// the FAT in sector 0 and the directory in sector 1 (and 2, when
// twoSectors, with the stream's entry in the second) holding a root entry
// and one stream named stream.
func compoundFile(t *testing.T, stream string, twoSectors bool) []byte {
	t.Helper()
	const (
		endOfChain = 0xfffffffe
		free       = 0xffffffff
		fatSect    = 0xfffffffd
	)
	le := binary.LittleEndian
	sectors := 2
	if twoSectors {
		sectors = 3
	}
	f := make([]byte, 512*(1+sectors))
	copy(f, oleMagic)
	le.PutUint16(f[24:], 0x3e)
	le.PutUint16(f[26:], 3)
	le.PutUint16(f[28:], 0xfffe)
	le.PutUint16(f[30:], 9) // 512-byte sectors
	le.PutUint16(f[32:], 6)
	le.PutUint32(f[44:], 1) // one FAT sector
	le.PutUint32(f[48:], 1) // the directory starts in sector 1
	le.PutUint32(f[56:], 4096)
	le.PutUint32(f[60:], endOfChain)
	le.PutUint32(f[68:], endOfChain)
	le.PutUint32(f[76:], 0) // the FAT is sector 0
	for i := 1; i < 109; i++ {
		le.PutUint32(f[76+4*i:], free)
	}
	fat := f[512:1024]
	for i := 0; i < 128; i++ {
		le.PutUint32(fat[4*i:], free)
	}
	le.PutUint32(fat[0:], fatSect)
	if twoSectors {
		le.PutUint32(fat[4:], 2)
		le.PutUint32(fat[8:], endOfChain)
	} else {
		le.PutUint32(fat[4:], endOfChain)
	}
	entry := func(off int, name string, kind byte) {
		u := utf16.Encode([]rune(name))
		for i, c := range u {
			le.PutUint16(f[off+2*i:], c)
		}
		le.PutUint16(f[off+64:], uint16(2*len(u)+2))
		f[off+66] = kind
	}
	entry(1024, "Root Entry", 5)
	if twoSectors {
		entry(1536+128, stream, 2)
	} else {
		entry(1024+128, stream, 2)
	}
	return f
}
