package grant

import (
	"errors"
	"time"

	"github.com/icld/partnerskap/internal/ledger"
)

// Closure records that a grant was closed: its final report approved and
// its money settled (ledger.Balance.Settled). A closed grant takes no new
// reports, activities or payments.
type Closure struct {
	GrantID int64
	By      int64 // the officer whose step closed it
	ByName  string
	At      time.Time
}

// ErrClosed is returned for a change to a closed grant.
var ErrClosed = errors.New("error.grant.closed")

// CanClose reports whether a grant may be closed: the final report is
// approved and nothing is owed either way.
func CanClose(finalApproved bool, b ledger.Balance) bool {
	return finalApproved && b.Settled()
}
