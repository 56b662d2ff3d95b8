package attachment

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"path"
	"strings"
	"unicode"
	"unicode/utf16"
)

// The errors Check returns are message keys, so a page can show them next
// to the file field.
var (
	ErrType     = errors.New("error.file.type")
	ErrTooLarge = errors.New("error.file.too_large")
	ErrEmpty    = errors.New("error.file.empty")
)

// The content types accepted, with the file extensions that go with them
// (the first is the one SafeName adds).
var types = map[string][]string{
	"application/pdf":               {".pdf"},
	"image/png":                     {".png"},
	"image/jpeg":                    {".jpg", ".jpeg"},
	"image/gif":                     {".gif"},
	"image/webp":                    {".webp"},
	docx:                            {".docx", ".docm", ".dotx"},
	xlsx:                            {".xlsx", ".xlsm", ".xltx"},
	pptx:                            {".pptx", ".pptm", ".potx"},
	"application/msword":            {".doc", ".dot"},
	"application/vnd.ms-excel":      {".xls", ".xlt"},
	"application/vnd.ms-powerpoint": {".ppt", ".pot"},
	"application/vnd.oasis.opendocument.text":         {".odt"},
	"application/vnd.oasis.opendocument.spreadsheet":  {".ods"},
	"application/vnd.oasis.opendocument.presentation": {".odp"},
}

const (
	docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)

// Check reads the file (size bytes in r) and returns its content type if it
// is one the system accepts: PDF, PNG, JPEG, GIF, WebP, Office Open XML
// (Word, Excel, PowerPoint), legacy Office and OpenDocument. The content
// decides, never the name, so an HTML page, an SVG (which can carry
// scripts), a script or a program is refused (ErrType) whatever it is
// called. Office files are ZIP archives or OLE2 compound files, so Check
// reads their directory, not only the first bytes: hence the ReaderAt (a
// multipart.File is one).
func Check(r io.ReaderAt, size int64) (contentType string, err error) {
	if size > MaxSize {
		return "", ErrTooLarge
	}
	return CheckType(r, size)
}

// CheckType is Check without MaxSize, for uploads with a limit of their
// own (the material bank takes larger files); the caller bounds size.
func CheckType(r io.ReaderAt, size int64) (contentType string, err error) {
	if size <= 0 {
		return "", ErrEmpty
	}
	head := make([]byte, min(size, 512))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return "", err
	}
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "application/pdf", nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", nil
	case bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		return "image/jpeg", nil
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return "image/gif", nil
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return "image/webp", nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return checkZip(r, size)
	case bytes.HasPrefix(head, oleMagic):
		return checkOLE(r, size)
	}
	return "", ErrType
}

// Detect is Check on a file held in memory.
func Detect(data []byte) (contentType string, err error) {
	return Check(bytes.NewReader(data), int64(len(data)))
}

// checkZip accepts OpenDocument (whose first entry, "mimetype", names the
// kind) and Office Open XML (with [Content_Types].xml and the main part of
// Word, Excel or PowerPoint). Any other archive is refused.
func checkZip(r io.ReaderAt, size int64) (string, error) {
	z, err := zip.NewReader(r, size)
	if err != nil || len(z.File) == 0 {
		return "", ErrType
	}
	// Macros are programs: a document that carries them (VBA in Office
	// files, Basic or scripts in OpenDocument) is refused, whatever its
	// name says.
	for _, f := range z.File {
		name := strings.ToLower(f.Name)
		if path.Base(name) == "vbaproject.bin" || path.Base(name) == "vbadata.xml" ||
			strings.HasPrefix(name, "basic/") || strings.HasPrefix(name, "scripts/") {
			return "", ErrType
		}
	}
	if f := z.File[0]; f.Name == "mimetype" {
		rc, err := f.Open()
		if err != nil {
			return "", ErrType
		}
		b, _ := io.ReadAll(io.LimitReader(rc, 100))
		rc.Close()
		switch t := string(b); t {
		case "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
			"application/vnd.oasis.opendocument.presentation":
			return t, nil
		}
		return "", ErrType
	}
	var contentTypes bool
	var kind string
	for _, f := range z.File {
		switch {
		case f.Name == "[Content_Types].xml":
			contentTypes = true
		case strings.HasPrefix(f.Name, "word/"):
			kind = docx
		case strings.HasPrefix(f.Name, "xl/"):
			kind = xlsx
		case strings.HasPrefix(f.Name, "ppt/"):
			kind = pptx
		}
	}
	if !contentTypes || kind == "" {
		return "", ErrType
	}
	return kind, nil
}

var oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// checkOLE accepts an OLE2 compound file (the legacy Office format) whose
// directory holds the main stream of Word, Excel or PowerPoint. The same
// container holds Windows installers (.msi), Outlook messages and
// password-protected OOXML files; those are refused.
func checkOLE(r io.ReaderAt, size int64) (string, error) {
	streams, err := oleStreams(r, size)
	if err != nil {
		return "", ErrType
	}
	switch {
	case streams["WordDocument"]:
		return "application/msword", nil
	case streams["Workbook"], streams["Book"]:
		return "application/vnd.ms-excel", nil
	case streams["PowerPoint Document"]:
		return "application/vnd.ms-powerpoint", nil
	}
	return "", ErrType
}

var errOLE = errors.New("attachment: malformed compound file")

// oleStreams returns the names in a compound file's directory, following
// the directory's chain of sectors through the FAT ([MS-CFB] 2.2–2.6).
func oleStreams(r io.ReaderAt, size int64) (map[string]bool, error) {
	hdr := make([]byte, 512)
	if _, err := r.ReadAt(hdr, 0); err != nil {
		return nil, errOLE
	}
	le := binary.LittleEndian
	shift := le.Uint16(hdr[30:])
	if shift != 9 && shift != 12 {
		return nil, errOLE
	}
	sectorSize := int64(1) << shift
	perSector := sectorSize / 4
	maxSectors := size / sectorSize // bounds every walk, so a loop cannot hang
	u32 := func(off int64) (uint32, error) {
		var b [4]byte
		if _, err := r.ReadAt(b[:], off); err != nil {
			return 0, errOLE
		}
		return le.Uint32(b[:]), nil
	}
	sectorOffset := func(s uint32) (int64, error) {
		off := (int64(s) + 1) * sectorSize
		if s >= 0xfffffffa || off+sectorSize > size {
			return 0, errOLE
		}
		return off, nil
	}
	// fatSector returns the location of the k-th sector of the FAT: the
	// first 109 are listed in the header, the rest in a chain of DIFAT
	// sectors.
	fatSector := func(k int64) (uint32, error) {
		if k < 109 {
			return le.Uint32(hdr[76+4*k:]), nil
		}
		k -= 109
		s := le.Uint32(hdr[68:])
		for range maxSectors {
			off, err := sectorOffset(s)
			if err != nil {
				return 0, err
			}
			if k < perSector-1 {
				return u32(off + 4*k)
			}
			k -= perSector - 1
			if s, err = u32(off + sectorSize - 4); err != nil {
				return 0, err
			}
		}
		return 0, errOLE
	}
	next := func(s uint32) (uint32, error) {
		fs, err := fatSector(int64(s) / perSector)
		if err != nil {
			return 0, err
		}
		off, err := sectorOffset(fs)
		if err != nil {
			return 0, err
		}
		return u32(off + 4*(int64(s)%perSector))
	}
	names := map[string]bool{}
	s := le.Uint32(hdr[48:])
	for range maxSectors {
		if s == 0xfffffffe { // end of chain
			return names, nil
		}
		off, err := sectorOffset(s)
		if err != nil {
			return nil, err
		}
		dir := make([]byte, sectorSize)
		if _, err := r.ReadAt(dir, off); err != nil {
			return nil, errOLE
		}
		for e := 0; e+128 <= len(dir); e += 128 {
			entry := dir[e : e+128]
			n := int(le.Uint16(entry[64:]))
			if entry[66] == 0 || n < 2 || n > 64 { // unused entry
				continue
			}
			u := make([]uint16, n/2-1) // without the terminating NUL
			for i := range u {
				u[i] = le.Uint16(entry[2*i:])
			}
			names[string(utf16.Decode(u))] = true
		}
		if s, err = next(s); err != nil {
			return nil, err
		}
	}
	return nil, errOLE
}

// SafeName returns the uploaded name fit to be offered for download as a
// file of contentType: the folder part (from either kind of separator)
// and control characters dropped, and the usual extension of contentType
// added when the name has none of its extensions. A PNG uploaded as
// "budget.pdf" is offered as "budget.pdf.png". A " in a name reaches
// the server as %22 (HTML's encoding of a file name in a multipart form,
// which browsers follow), and is given back as ", so the name is kept as
// typed (issue 11): the download's header quotes it (RFC 6266).
func SafeName(filename, contentType string) string {
	filename = strings.ReplaceAll(filename, "%22", `"`)
	if i := strings.LastIndexAny(filename, `/\`); i >= 0 {
		filename = filename[i+1:]
	}
	filename = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, filename))
	exts := types[contentType]
	if len(exts) == 0 {
		return filename
	}
	ext := strings.ToLower(path.Ext(filename))
	for _, e := range exts {
		if ext == e {
			return filename
		}
	}
	if filename == "" || filename == "." || filename == ".." {
		filename = "fil"
	}
	return filename + exts[0]
}
