package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/icld/partnerskap/internal/clock"
)

// TestCheckWrite: the write probe passes on a writable database without
// moving the data version or leaving a row, and fails on one whose
// transactions are read-only (a replica, or default_transaction_read_only
// set by an operator), which still answers reads.
func TestCheckWrite(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, clock.System{})
	before, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckWrite(ctx); err != nil {
		t.Fatalf("writable: %v", err)
	}
	if after, err := s.DataVersion(ctx); err != nil || after != before {
		t.Errorf("the probe moved the data version %d → %d (%v)", before, after, err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM blobs").Scan(&n); err != nil || n != 0 {
		t.Errorf("the probe left %d rows, %v", n, err)
	}
	// One connection, made read-only for every transaction after.
	s.db.SetMaxOpenConns(1)
	if _, err := s.db.ExecContext(ctx, "SET default_transaction_read_only = on"); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("reads fail too: %v", err)
	}
	if err := s.CheckWrite(ctx); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("read-only: %v", err)
	}
	if _, err := s.db.ExecContext(ctx, "SET default_transaction_read_only = off"); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckWrite(ctx); err != nil {
		t.Errorf("writable again: %v", err)
	}
}
