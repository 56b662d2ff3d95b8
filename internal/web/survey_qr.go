package web

import (
	"fmt"
	"html"
	"net/http"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/icld/partnerskap/internal/store"
)

// QR codes of the answer links, for posters, flyers and slides: PNG for
// office programs, SVG for print, where it scales without blurring.

// surveyQRPNG serves the QR code of a phase's answer link as a PNG.
func (s *Server) surveyQRPNG(w http.ResponseWriter, r *http.Request, b *Base) error {
	link, phase, err := s.qrLink(r, b)
	if err != nil {
		return err
	}
	q, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("web: qr code: %w", err)
	}
	png, err := q.PNG(512)
	if err != nil {
		return fmt.Errorf("web: qr code: %w", err)
	}
	qrHeaders(w, "image/png", phase+".png")
	_, err = w.Write(png)
	return err
}

// surveyQRSVG serves the QR code as SVG. go-qrcode writes only PNG, so
// the SVG is drawn here from its module matrix (Bitmap, quiet zone
// included): one <rect> per run of dark modules in a row, which keeps the
// file small and exact at any print size.
func (s *Server) surveyQRSVG(w http.ResponseWriter, r *http.Request, b *Base) error {
	link, phase, err := s.qrLink(r, b)
	if err != nil {
		return err
	}
	q, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("web: qr code: %w", err)
	}
	qrHeaders(w, "image/svg+xml", phase+".svg")
	_, err = w.Write([]byte(qrSVG(q.Bitmap(), link)))
	return err
}

// qrSVG draws a module matrix as SVG, titled with the link it holds.
func qrSVG(bitmap [][]bool, title string) string {
	n := len(bitmap)
	var sb strings.Builder
	fmt.Fprintf(&sb, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" shape-rendering="crispEdges" role="img">`,
		n, n, n*8, n*8)
	fmt.Fprintf(&sb, `<title>%s</title><rect width="%d" height="%d" fill="#ffffff"/>`, html.EscapeString(title), n, n)
	for y, row := range bitmap {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="1" fill="#000000"/>`, start, y, x-start)
		}
	}
	sb.WriteString("</svg>\n")
	return sb.String()
}

// qrLink is the absolute answer link the request's QR code holds, in the
// request's language, and a file name for it.
func (s *Server) qrLink(r *http.Request, b *Base) (link, name string, err error) {
	phase, ok := phaseOf(r.PathValue("phase"))
	if !ok {
		return "", "", store.ErrNotFound
	}
	sv, err := s.store.SurveyByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		return "", "", err
	}
	word := phaseWord(b.Lang, phase)
	return absoluteURL(b, r, b.URL("survey.answer", sv.Token, word)), "qr-" + word, nil
}

func qrHeaders(w http.ResponseWriter, contentType, filename string) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", `inline; filename="`+filename+`"`)
	// The link behind a token never changes.
	h.Set("Cache-Control", "public, max-age=86400")
}

// absoluteURL makes path absolute with the configured public address, or
// the request's own host when none is configured (development).
func absoluteURL(b *Base, r *http.Request, path string) string {
	if base := b.BaseURL(); base != "" {
		return base + path
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}
