package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/icld/partnerskap/internal/audit"
	"github.com/icld/partnerskap/internal/grant"
	"github.com/icld/partnerskap/internal/ledger"
	"github.com/icld/partnerskap/internal/validate"
)

// GrantLife stores what happens to a grant after the decision: the
// grantee's acceptance of the terms, the ledger of its money in whole
// öre, and change requests. Each change takes the grant's lock first, so
// concurrent payments are checked one after the other against the ledger
// rules (ledger.Balance.Apply) and never add up to more than the grant.
type GrantLife interface {
	// Acceptance returns the grant's acceptance, or ErrNotFound while the
	// terms are not accepted.
	Acceptance(ctx context.Context, grantID int64) (*grant.Acceptance, error)
	// AcceptGrant records that by accepted the grant's terms, now. A grant
	// is accepted once: a second acceptance is ErrConflict. Payments are
	// not made by accepting: officers record them (RecordPayment).
	AcceptGrant(ctx context.Context, by audit.Actor, grantID int64) (*grant.Acceptance, error)
	// LedgerEntries returns the grant's ledger, oldest first, always
	// starting with its Granted entry (grant.WithGranted: a grant not yet
	// moved has none stored).
	LedgerEntries(ctx context.Context, grantID int64) ([]ledger.Entry, error)
	// Balance sums the grant's ledger with ledger.Sum.
	Balance(ctx context.Context, grantID int64) (ledger.Balance, error)
	// RecordPayment records money paid to the grantee, holding the grant's
	// lock: a payment the ledger refuses (above what is left of the grant,
	// not positive) is a field error "amount" with the ledger's error key
	// (ledger.ErrOverGranted, ledger.ErrAmount); after the final report is
	// approved, one that would take paid above what was spent is
	// grant.ErrOverSpent. The grant's Granted entry is stored with its
	// first movement.
	RecordPayment(ctx context.Context, by audit.Actor, grantID, amount int64, note string) (*ledger.Entry, error)
	// RequestChange validates cr against its grant (grant.ChangeRequest.
	// Validate) and stores it as pending, setting its ID and requester.
	RequestChange(ctx context.Context, by audit.Actor, cr *grant.ChangeRequest) error
	// DecideChange approves or rejects a pending request with the
	// officer's note (grant.ChangeRequest.Decide); one already decided
	// is a field error "form" = "error.change.decided".
	DecideChange(ctx context.Context, by audit.Actor, id int64, approve bool, note string) (*grant.ChangeRequest, error)
	ChangeRequest(ctx context.Context, id int64) (*grant.ChangeRequest, error)
	// ChangeRequests returns a grant's requests, oldest first.
	ChangeRequests(ctx context.Context, grantID int64) ([]grant.ChangeRequest, error)
}

// Acceptance returns the grant's acceptance, or ErrNotFound.
func (s *DB) Acceptance(ctx context.Context, grantID int64) (*grant.Acceptance, error) {
	a, err := readAcceptance(ctx, s.r, grantID)
	if err != nil {
		return nil, fmt.Errorf("acceptance of grant %d: %w", grantID, notFound(err))
	}
	return a, nil
}

func readAcceptance(ctx context.Context, db querier, grantID int64) (*grant.Acceptance, error) {
	a := grant.Acceptance{GrantID: grantID}
	var by sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT accepted_by, accepter_name, accepted_at FROM grant_acceptances WHERE grant_id = ?`, grantID).Scan(&by, &a.ByName, instant(&a.At))
	if err != nil {
		return nil, err
	}
	a.By = by.Int64
	return &a, nil
}

// lockGrant reads a grant and locks its row until the transaction ends:
// the lock every change of the grant's life takes first.
func (s *DB) lockGrant(ctx context.Context, tx *conn, id int64) (*grant.Grant, error) {
	g, err := scanGrant(tx.QueryRowContext(ctx, `SELECT `+grantColumns+` FROM grants WHERE id = ?`+s.d.ForUpdate, id))
	return g, notFound(err)
}

// AcceptGrant records the acceptance of the grant's terms, once.
func (s *DB) AcceptGrant(ctx context.Context, by audit.Actor, grantID int64) (*grant.Acceptance, error) {
	var a *grant.Acceptance
	err := s.tx(ctx, func(tx *conn) error {
		if _, err := s.lockGrant(ctx, tx, grantID); err != nil {
			return err
		}
		if err := s.refuseClosedTx(ctx, tx, grantID); err != nil {
			return err
		}
		if _, err := readAcceptance(ctx, tx, grantID); err == nil {
			return ErrConflict
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		a = &grant.Acceptance{GrantID: grantID, By: by.UserID, ByName: by.Name, At: s.now()}
		if _, err := tx.ExecContext(ctx, `INSERT INTO grant_acceptances (grant_id, accepted_by, accepter_name, accepted_at) VALUES (?, ?, ?, ?)`,
			grantID, nullInt(a.By), a.ByName, a.At); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "accept", "grant", grantID, nil, a)
	})
	if err != nil {
		return nil, fmt.Errorf("accept grant %d: %w", grantID, err)
	}
	return a, nil
}

// storedLedger returns the entries stored for a grant, oldest first.
func storedLedger(ctx context.Context, db querier, grantID int64) ([]ledger.Entry, error) {
	return queryAll(ctx, db, func(row scanner) (ledger.Entry, error) {
		var e ledger.Entry
		err := row.Scan(&e.ID, &e.GrantID, &e.Kind, &e.Amount, instant(&e.At), &e.By, &e.Note)
		return e, err
	}, `SELECT id, grant_id, kind, amount, at, COALESCE(by_user, 0), note FROM ledger_entries WHERE grant_id = ? ORDER BY id`, grantID)
}

// LedgerEntries returns the grant's ledger, starting with its grant.
func (s *DB) LedgerEntries(ctx context.Context, grantID int64) ([]ledger.Entry, error) {
	g, err := s.Grant(ctx, grantID)
	if err != nil {
		return nil, err
	}
	stored, err := storedLedger(ctx, s.r, grantID)
	if err != nil {
		return nil, fmt.Errorf("ledger of grant %d: %w", grantID, err)
	}
	return g.WithGranted(stored), nil
}

// Balance sums the grant's ledger.
func (s *DB) Balance(ctx context.Context, grantID int64) (ledger.Balance, error) {
	entries, err := s.LedgerEntries(ctx, grantID)
	if err != nil {
		return ledger.Balance{}, err
	}
	b, err := ledger.Sum(entries)
	if err != nil {
		return b, fmt.Errorf("balance of grant %d: %w", grantID, err)
	}
	return b, nil
}

func insertEntry(ctx context.Context, tx *conn, e *ledger.Entry) error {
	return tx.QueryRowContext(ctx, `INSERT INTO ledger_entries (grant_id, kind, amount, at, by_user, note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		e.GrantID, e.Kind, e.Amount, e.At, nullInt(e.By), e.Note).Scan(&e.ID)
}

// RecordPayment records a payment (grant.MoveMoney) holding the grant's
// row lock.
func (s *DB) RecordPayment(ctx context.Context, by audit.Actor, grantID, amount int64, note string) (*ledger.Entry, error) {
	e, err := s.moveMoney(ctx, by, "pay", ledger.Entry{GrantID: grantID, Kind: ledger.Paid, Amount: amount, By: by.UserID, Note: strings.TrimSpace(note)})
	if err != nil {
		return nil, fmt.Errorf("payment to grant %d: %w", grantID, err)
	}
	return e, nil
}

// moveMoney records e, a payment or repayment, at now: it locks the grant,
// refuses a closed one, applies grant.MoveMoney to the balance (after the
// final report: no payment above what was spent, and the ledger
// reconciled, claiming back what was paid and not spent) and closes the
// grant when that settles it.
func (s *DB) moveMoney(ctx context.Context, by audit.Actor, action string, e ledger.Entry) (*ledger.Entry, error) {
	err := s.tx(ctx, func(tx *conn) error {
		g, err := s.lockGrant(ctx, tx, e.GrantID)
		if err != nil {
			return err
		}
		if err := s.refuseClosedTx(ctx, tx, g.ID); err != nil {
			return err
		}
		b, err := grantLedgerTx(ctx, tx, g)
		if err != nil {
			return err
		}
		final, err := finalApprovedTx(ctx, tx, g.ID)
		if err != nil {
			return err
		}
		e.At = s.now()
		m, err := grant.MoveMoney(b, e, final)
		if err != nil {
			return err
		}
		if err := s.recordMovement(ctx, tx, by, action, g.ID, m); err != nil {
			return err
		}
		for _, stored := range m.Entries {
			if stored.Kind == e.Kind {
				e = stored // with its ID; a reconciliation may come before it
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

const changeColumns = `id, grant_id, new_end_date, from_line, to_line, amount, reason, state, COALESCE(requested_by, 0), requester_name, requested_at,
	COALESCE(decided_by, 0), decider_name, decided_at, note`

func scanChange(row scanner) (*grant.ChangeRequest, error) {
	var c grant.ChangeRequest
	if err := row.Scan(&c.ID, &c.GrantID, day(&c.NewEndDate), &c.FromLine, &c.ToLine, &c.Amount, &c.Reason, &c.State, &c.RequestedBy, &c.RequesterName, instant(&c.RequestedAt),
		&c.DecidedBy, &c.DeciderName, instant(&c.DecidedAt), &c.Note); err != nil {
		return nil, err
	}
	return &c, nil
}

// RequestChange stores a pending change request.
func (s *DB) RequestChange(ctx context.Context, by audit.Actor, cr *grant.ChangeRequest) error {
	cr.Normalize()
	err := s.tx(ctx, func(tx *conn) error {
		g, err := s.lockGrant(ctx, tx, cr.GrantID)
		if err != nil {
			return err
		}
		if err := s.refuseClosedTx(ctx, tx, cr.GrantID); err != nil {
			return err
		}
		if err := cr.Validate(g).Err(); err != nil {
			return err
		}
		now := s.now()
		cr.NewEndDate = dateOf(cr.NewEndDate)
		cr.State, cr.RequestedBy, cr.RequesterName, cr.RequestedAt = grant.ChangePending, by.UserID, by.Name, now
		cr.DecidedBy, cr.DeciderName, cr.DecidedAt, cr.Note = 0, "", time.Time{}, ""
		err = tx.QueryRowContext(ctx, `INSERT INTO change_requests (grant_id, new_end_date, from_line, to_line, amount, reason, state, requested_by, requester_name, requested_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, cr.GrantID, Day(cr.NewEndDate), cr.FromLine, cr.ToLine, cr.Amount, cr.Reason, cr.State,
			nullInt(cr.RequestedBy), cr.RequesterName, now).Scan(&cr.ID)
		if err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "create", "change_request", cr.ID, nil, cr)
	})
	if err != nil {
		return fmt.Errorf("request change of grant %d: %w", cr.GrantID, err)
	}
	return nil
}

// DecideChange approves or rejects a pending change request, holding its
// row lock so two officers cannot both decide it. It takes the grant's
// share lock first, as every change of the grant does, and refuses a
// closed grant.
func (s *DB) DecideChange(ctx context.Context, by audit.Actor, id int64, approve bool, note string) (*grant.ChangeRequest, error) {
	var cr *grant.ChangeRequest
	err := s.tx(ctx, func(tx *conn) error {
		var grantID int64 // a request never moves to another grant
		if err := tx.QueryRowContext(ctx, `SELECT grant_id FROM change_requests WHERE id = ?`, id).Scan(&grantID); err != nil {
			return notFound(err)
		}
		if err := s.refuseClosedTx(ctx, tx, grantID); err != nil {
			return err
		}
		var err error
		cr, err = scanChange(tx.QueryRowContext(ctx, `SELECT `+changeColumns+` FROM change_requests WHERE id = ?`+s.d.ForUpdate, id))
		if err != nil {
			return notFound(err)
		}
		before := *cr
		if err := cr.Decide(approve, note, by.UserID, by.Name, s.now()); errors.Is(err, grant.ErrDecided) {
			return validate.Errors{"form": grant.ErrDecided.Error()}
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE change_requests SET state = ?, decided_by = ?, decider_name = ?, decided_at = ?, note = ? WHERE id = ?`,
			cr.State, nullInt(cr.DecidedBy), cr.DeciderName, cr.DecidedAt, cr.Note, id); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, by, "decide", "change_request", id, &before, cr)
	})
	if err != nil {
		return nil, fmt.Errorf("decide change request %d: %w", id, err)
	}
	return cr, nil
}

// ChangeRequest returns one change request.
func (s *DB) ChangeRequest(ctx context.Context, id int64) (*grant.ChangeRequest, error) {
	cr, err := scanChange(s.r.QueryRowContext(ctx, `SELECT `+changeColumns+` FROM change_requests WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("change request %d: %w", id, notFound(err))
	}
	return cr, nil
}

// ChangeRequests returns a grant's change requests, oldest first.
func (s *DB) ChangeRequests(ctx context.Context, grantID int64) ([]grant.ChangeRequest, error) {
	out, err := queryAll(ctx, s.r, value(scanChange), `SELECT `+changeColumns+` FROM change_requests WHERE grant_id = ? ORDER BY id`, grantID)
	if err != nil {
		return nil, fmt.Errorf("change requests of grant %d: %w", grantID, err)
	}
	return out, nil
}
