package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/icld/partnerskap/internal/audit"
)

// The audit log's hash chain (audit/chain.go, docs/SECURITY.md): the store
// reads and writes the links; the rules are package audit's.

// AuditChain is the audit log's tamper evidence.
type AuditChain interface {
	// VerifyAudit checks the whole chain (audit.Verifier), and that it
	// passes through head if head is not "". It writes nothing: entries
	// not yet sealed are counted, not chained.
	VerifyAudit(ctx context.Context, head string) (audit.Result, error)
	// SealAudit chains the entries not yet sealed, in id order, and
	// returns how many it sealed. Only where entries are chained after
	// commit (PostgreSQL); elsewhere there is nothing to seal.
	SealAudit(ctx context.Context) (int, error)
}

// sealBatch bounds the entries one sealing transaction chains.
const sealBatch = 500

// auditSealLock is the pair of advisory lock keys the sealer holds, so
// instances on one database seal one at a time ("audi", "seal").
const auditSealLock1, auditSealLock2 int32 = 0x61756469, 0x7365616c

const linkColumns = `id, at, COALESCE(actor_id, 0), actor_name, action, entity, entity_id, before, after, COALESCE(digest, ''), COALESCE(chain_seq, 0), COALESCE(chain_hash, '')`

func scanLink(row scanner) (audit.Link, error) {
	var l audit.Link
	var before, after []byte
	err := row.Scan(&l.ID, instant(&l.At), &l.Actor.UserID, &l.Actor.Name, &l.Action, &l.Entity, &l.EntityID, &before, &after, &l.Digest, &l.Seq, &l.Hash)
	l.Before, l.After = append([]byte(nil), before...), append([]byte(nil), after...)
	return l, err
}

// VerifyAudit reads every entry, sealed ones in chain order and then the
// rest in id order, into an audit.Verifier.
func (s *DB) VerifyAudit(ctx context.Context, head string) (audit.Result, error) {
	v := audit.Verifier{Head: head}
	err := eachRow(ctx, s.r, func(row scanner) error {
		l, err := scanLink(row)
		if err != nil {
			return err
		}
		v.Add(l)
		return nil
	}, `SELECT `+linkColumns+` FROM audit_log ORDER BY chain_seq IS NULL, chain_seq, id`)
	if err != nil {
		return audit.Result{}, fmt.Errorf("verify audit chain: %w", err)
	}
	return v.Result(), nil
}

// SealAudit chains up to sealBatch unsealed entries in one transaction
// that is not announced as a change (Engine.Unannounced): sealing changes
// nothing a page shows. An advisory lock makes instances take turns, and
// the unique chain position would refuse a second sealer's link anyway.
// Entries are sealed in id order as they become visible (committed); an
// entry whose transaction commits after a later id was sealed is chained
// after it: the chain's order is chain_seq, which is id order but for
// such stragglers (docs/SECURITY.md).
func (s *DB) SealAudit(ctx context.Context) (int, error) {
	if !s.d.SealLater {
		return 0, nil
	}
	n := 0
	err := s.eng.Unannounced(ctx, func(c SQLConn) error {
		b, ok := c.(interface {
			BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
		})
		if !ok {
			return fmt.Errorf("cannot begin a transaction on %T", c)
		}
		tx, err := b.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if n, err = s.seal(ctx, &conn{tx, s.d}, sealBatch); err != nil {
			return err
		}
		return tx.Commit()
	})
	if err != nil {
		return 0, fmt.Errorf("seal audit entries: %w", err)
	}
	return n, nil
}

// seal chains up to limit unsealed entries (all if limit is 0) after the
// last sealed one, in tx.
func (s *DB) seal(ctx context.Context, tx *conn, limit int) (int, error) {
	if s.d.XactLock != "" {
		if _, err := tx.ExecContext(ctx, s.d.XactLock, auditSealLock1, auditSealLock2); err != nil {
			return 0, err
		}
	}
	var seq int64
	var prev string
	err := tx.QueryRowContext(ctx, `SELECT chain_seq, chain_hash FROM audit_log WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1`).Scan(&seq, &prev)
	if err != nil && err != sql.ErrNoRows {
		return 0, err
	}
	q := `SELECT ` + linkColumns + ` FROM audit_log WHERE chain_hash IS NULL ORDER BY id`
	var args []any
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	todo, err := queryAll(ctx, tx, scanLink, q, args...)
	if err != nil {
		return 0, err
	}
	for _, l := range audit.Seal(prev, seq, todo) {
		res, err := tx.ExecContext(ctx, `UPDATE audit_log SET chain_seq = ?, chain_hash = ? WHERE id = ? AND chain_hash IS NULL`, l.Seq, l.Hash, l.ID)
		if err != nil {
			return 0, err
		}
		if err := updatedOne(res); err != nil {
			return 0, fmt.Errorf("entry %d: sealed meanwhile", l.ID)
		}
	}
	return len(todo), nil
}

// chainOld gives the entries written before the chain existed (migration
// 0019) their digests, and chains them where entries are chained at
// insert; the sealer chains them elsewhere. They are taken as they stand
// at the upgrade: the chain vouches for them from then on.
func (s *DB) chainOld(ctx context.Context) error {
	var n int
	q := `SELECT count(*) FROM audit_log WHERE digest IS NULL`
	if !s.d.SealLater {
		q += ` OR chain_hash IS NULL`
	}
	if err := s.r.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return fmt.Errorf("audit chain: %w", err)
	}
	if n == 0 {
		return nil
	}
	err := s.tx(ctx, func(tx *conn) error {
		old, err := queryAll(ctx, tx, scanLink, `SELECT `+linkColumns+` FROM audit_log WHERE digest IS NULL ORDER BY id`)
		if err != nil {
			return err
		}
		for _, l := range old {
			d := audit.Digest(l.Actor.Name, l.Before, l.After)
			if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET digest = ? WHERE id = ? AND digest IS NULL`, d, l.ID); err != nil {
				return err
			}
		}
		if !s.d.SealLater {
			_, err = s.seal(ctx, tx, 0)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("audit chain: chain the entries written before it: %w", err)
	}
	return nil
}
