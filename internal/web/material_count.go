package web

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Which downloads count. A count is a database write, and every write
// makes the kept public pages render again, so a script fetching a file
// in a loop would both inflate the count and empty the page cache. The
// same visitor fetching the same item again within repeatWindow counts
// once (a resumed or repeated download is one reader), and a visitor
// counts at most clientBurst items at once, then one every clientEvery.
// The file is always served; only the count is held back.
var (
	downloadRepeatWindow = 10 * time.Minute
	downloadClientEvery  = 20 * time.Second
	downloadClientBurst  = 30
)

// downloadGuard holds the counters; its zero value is ready to use. Like
// the survey and sign-in limits it lives in this process, and like them
// it keeps at most floodMax keys per table, forgetting the key that
// clears soonest (failures, login_guard.go), so a flood from many
// addresses cannot give a client back the counts it has spent.
type downloadGuard struct {
	mu      sync.Mutex
	repeats *failures // client and item: one count per window
	clients *failures
}

// counts reports whether a download of item id by client at now is to
// be counted, and counts it if so.
func (g *downloadGuard) counts(client string, id int64, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.repeats == nil {
		g.repeats = newFailures(1, downloadRepeatWindow, floodMax)
		g.clients = newFailures(downloadClientBurst, downloadClientEvery, floodMax)
	}
	repeat := client + " " + strconv.FormatInt(id, 10)
	if g.repeats.wait(repeat, now) > 0 || g.clients.wait(client, now) > 0 {
		return false
	}
	g.clients.add(client, now)
	g.repeats.add(repeat, now)
	return true
}

// countsDownload reports whether this request's download of item id
// counts (see downloadGuard).
func (s *Server) countsDownload(r *http.Request, id int64) bool {
	return s.downloads.counts(s.clientAddress(r), id, s.clock.Now())
}
