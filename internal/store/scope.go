package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/icld/partnerskap/internal/policy"
)

// Which programme a record belongs to, in SQL, for the lists an officer
// scoped to some programmes reads (policy.Scope): the audit log, the
// grants and the registry. Records are named as the audit log names them
// (entity, entity_id).

// recordProgrammes gives, for each kind of record that belongs to a
// programme, the query of its programme from its id (%[1]s: an SQL
// expression or a placeholder). A record that is gone gives no row, or
// NULL. A registry entry belongs to its application's programme; one
// without an application belongs to none (0).
var recordProgrammes = []struct{ kind, query string }{
	{"programme", `SELECT id FROM programmes WHERE id = %[1]s`},
	{"call", `SELECT programme_id FROM calls WHERE id = %[1]s`},
	{"application", `SELECT c.programme_id FROM applications a JOIN calls c ON c.id = a.call_id WHERE a.id = %[1]s`},
	{"attachment", `SELECT c.programme_id FROM attachments t JOIN applications a ON a.id = t.application_id
		JOIN calls c ON c.id = a.call_id WHERE t.id = %[1]s`},
	{"registry", `SELECT COALESCE(c.programme_id, 0) FROM registry r LEFT JOIN applications a ON a.id = r.application_id
		LEFT JOIN calls c ON c.id = a.call_id WHERE r.id = %[1]s`},
	{"grant", `SELECT c.programme_id FROM grants g JOIN calls c ON c.id = g.call_id WHERE g.id = %[1]s`},
	{"change_request", `SELECT c.programme_id FROM change_requests x JOIN grants g ON g.id = x.grant_id
		JOIN calls c ON c.id = g.call_id WHERE x.id = %[1]s`},
	{"report", `SELECT c.programme_id FROM reports x JOIN grants g ON g.id = x.grant_id JOIN calls c ON c.id = g.call_id WHERE x.id = %[1]s`},
	{"activity", `SELECT c.programme_id FROM activities x JOIN grants g ON g.id = x.grant_id JOIN calls c ON c.id = g.call_id WHERE x.id = %[1]s`},
	{"survey", `SELECT c.programme_id FROM surveys x JOIN grants g ON g.id = x.grant_id JOIN calls c ON c.id = g.call_id WHERE x.id = %[1]s`},
}

// noProgrammeKinds are the records tied to no programme, every officer's
// to see; so are the settings (entity "setting:<key>"). A kind in neither
// list belongs to an unknown programme: only those who see every
// programme see it, so a new kind of record is hidden from scoped
// officers until it is placed here.
var noProgrammeKinds = []string{"organisation", "partnership", "user", "invite", "story", "material"}

const settingKind = "setting:"

// programmeQuery returns the query of kind's programme, or "" for a kind
// tied to no programme; ok is false for a kind not known.
func programmeQuery(kind string) (q string, ok bool) {
	for _, k := range recordProgrammes {
		if k.kind == kind {
			return k.query, true
		}
	}
	for _, k := range noProgrammeKinds {
		if k == kind {
			return "", true
		}
	}
	return "", strings.HasPrefix(kind, settingKind)
}

// programmeOfSQL is the query of the programme of a record of kind whose
// id is the SQL expression id, for a kind that belongs to a programme.
func programmeOfSQL(kind, id string) string {
	q, ok := programmeQuery(kind)
	if !ok || q == "" {
		panic("store: " + kind + " belongs to no programme") // a programming error
	}
	return fmt.Sprintf(q, id)
}

// recordProgrammeSQL is an SQL expression giving the programme of the
// record that the columns entity and id name: 0 for a record tied to no
// programme, NULL for one that is gone or of an unknown kind.
func recordProgrammeSQL(entity, id string) string {
	var b strings.Builder
	b.WriteString("CASE")
	for _, k := range recordProgrammes {
		fmt.Fprintf(&b, " WHEN %s = '%s' THEN (%s)", entity, k.kind, fmt.Sprintf(k.query, id))
	}
	fmt.Fprintf(&b, " WHEN %s IN ('%s') OR %s LIKE '%s%%' THEN 0 END", entity, strings.Join(noProgrammeKinds, "', '"), entity, settingKind)
	return b.String()
}

// inScope returns the condition that the programme expr gives is in sc,
// with its argument, or "" when sc is every programme. Records tied to no
// programme (0) are in every scope; NULL (unknown) is in none but Every.
func (s *DB) inScope(expr string, sc policy.Scope) (string, any) {
	if sc.All() {
		return "", nil
	}
	return s.d.In("("+expr+")", append([]int64{policy.NoProgramme}, sc.Programmes()...))
}

// ProgrammeOf returns the programme of the record the audit log names
// entity and id: policy.NoProgramme for a kind of record tied to none,
// and ErrNotFound for a record of a programme's that does not exist (any
// more) or a kind not known.
func (s *DB) ProgrammeOf(ctx context.Context, entity string, id int64) (int64, error) {
	q, ok := programmeQuery(entity)
	if !ok {
		return 0, fmt.Errorf("programme of %s %d: %w", entity, id, ErrNotFound)
	}
	if q == "" {
		return policy.NoProgramme, nil
	}
	var p sql.NullInt64
	err := s.r.QueryRowContext(ctx, fmt.Sprintf(q, "?"), id).Scan(&p)
	if err == nil && !p.Valid {
		err = sql.ErrNoRows
	}
	if err != nil {
		return 0, fmt.Errorf("programme of %s %d: %w", entity, id, notFound(err))
	}
	return p.Int64, nil
}
