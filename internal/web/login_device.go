package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/user"
)

// A known browser is one that has signed in to an account before: at
// each sign-in the browser gets a cookie naming the account and the time,
// signed with a key derived from the account's password hash. The hash
// is a secret only the server holds (in the database, so every instance
// and every restart recognises the cookie), and a new password makes the
// account's old cookies worthless. The sign-in guard lets a known browser
// past the limits an attacker can spend (login_guard.go), so the owner is
// never locked out from her usual browser.
//
// One cookie holds up to deviceAccounts accounts (a shared computer); it
// is kept at sign-out, since it says who has signed in here, not who is.
const (
	deviceCookie       = "device"
	secureDeviceCookie = "__Host-device"
	deviceTTL          = 180 * 24 * time.Hour
	deviceAccounts     = 4
)

func (s *Server) deviceCookieName(r *http.Request) string {
	if s.secureCookies(r) {
		return secureDeviceCookie
	}
	return deviceCookie
}

// deviceEntry is one account in the cookie: "id.issued.mac".
type deviceEntry struct {
	userID int64
	issued int64 // Unix seconds
	mac    string
}

func (d deviceEntry) String() string {
	return strconv.FormatInt(d.userID, 10) + "." + strconv.FormatInt(d.issued, 10) + "." + d.mac
}

// deviceMAC signs the user and the time with a key derived from the
// user's password hash.
func deviceMAC(u *user.User, issued int64) string {
	key := sha256.Sum256([]byte("partnerskap known browser\x00" + u.PasswordHash))
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte(strconv.FormatInt(u.ID, 10) + "." + strconv.FormatInt(issued, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// deviceEntries reads the cookie's entries that have not expired.
func (s *Server) deviceEntries(r *http.Request, now time.Time) []deviceEntry {
	c, err := r.Cookie(s.deviceCookieName(r))
	if err != nil {
		return nil
	}
	var out []deviceEntry
	for _, f := range strings.Split(c.Value, "|") {
		parts := strings.Split(f, ".")
		if len(parts) != 3 {
			continue
		}
		id, err1 := strconv.ParseInt(parts[0], 10, 64)
		issued, err2 := strconv.ParseInt(parts[1], 10, 64)
		at := time.Unix(issued, 0)
		if err1 != nil || err2 != nil || now.Sub(at) >= deviceTTL || at.After(now.Add(time.Minute)) {
			continue
		}
		out = append(out, deviceEntry{userID: id, issued: issued, mac: parts[2]})
	}
	return out
}

// knownDevice returns the browser's id for u when it has signed in to u
// before (the signature of its entry), else "".
func (s *Server) knownDevice(r *http.Request, u *user.User, now time.Time) string {
	if u == nil || u.PasswordHash == "" {
		return ""
	}
	for _, d := range s.deviceEntries(r, now) {
		if d.userID == u.ID && hmac.Equal([]byte(d.mac), []byte(deviceMAC(u, d.issued))) {
			return d.mac
		}
	}
	return ""
}

// rememberDevice marks the browser as known for u, keeping the other
// accounts it knows (the most recent first).
func (s *Server) rememberDevice(w http.ResponseWriter, r *http.Request, u *user.User, now time.Time) {
	entries := []string{deviceEntry{userID: u.ID, issued: now.Unix(), mac: deviceMAC(u, now.Unix())}.String()}
	for _, d := range s.deviceEntries(r, now) {
		if d.userID != u.ID && len(entries) < deviceAccounts {
			entries = append(entries, d.String())
		}
	}
	http.SetCookie(w, &http.Cookie{Name: s.deviceCookieName(r), Value: strings.Join(entries, "|"), Path: "/",
		MaxAge: int(deviceTTL.Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r)})
}
