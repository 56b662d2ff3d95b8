// Package clock gives the application its notion of "now", so tests can
// control time, and the one time zone in which people see it.
package clock

import (
	"sync"
	"time"

	// The binary embeds the time-zone database: a minimal container or a
	// Windows machine may have none, and Europe/Stockholm must always load.
	_ "time/tzdata"
)

// Stockholm is the zone every time is shown in; times are stored in UTC.
var Stockholm = mustLoad("Europe/Stockholm")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// System is the real clock.
type System struct{}

// Now returns the current time in UTC.
func (System) Now() time.Time { return time.Now().UTC() }

// Fixed is a clock for tests: it returns the time it was set to.
type Fixed struct {
	mu sync.Mutex
	t  time.Time
}

// NewFixed returns a clock stopped at t.
func NewFixed(t time.Time) *Fixed { return &Fixed{t: t.UTC()} }

// Now returns the time the clock was set to.
func (f *Fixed) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Set moves the clock to t.
func (f *Fixed) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = t.UTC()
}

// Today returns the calendar date of t in Stockholm, as midnight UTC of that
// date, which is how dates (not instants) are kept throughout the system.
func Today(t time.Time) time.Time {
	y, m, d := t.In(Stockholm).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Date builds a date value (midnight UTC).
func Date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads a date in ISO form (2021-03-15).
func ParseDate(s string) (time.Time, error) {
	return time.Parse("2006-01-02", s)
}

// ParseLocal reads a date and time typed by a person in Sweden
// ("2021-03-15 12:00" or "2021-03-15T12:00", as a datetime-local field
// sends it) as Stockholm wall-clock time and returns the instant in UTC.
func ParseLocal(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, Stockholm); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, &time.ParseError{Layout: "2006-01-02 15:04", Value: s}
}
