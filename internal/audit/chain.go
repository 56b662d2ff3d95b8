package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"slices"
	"strconv"
)

// The audit log is a hash chain (docs/SECURITY.md). Each entry stores two
// hex SHA-256 values:
//
//   - its Digest, of the personal part: "partnerskap audit digest v1",
//     then the actor's name, the before and the after snapshot, each as
//     an 8-byte big-endian length followed by its bytes (the snapshots as
//     the JSON text stored, byte for byte);
//   - its chain Hash: "partnerskap audit chain v1", then the previous
//     entry's Hash (empty for the first), the ID, At, the actor's user ID
//     (0 for the system), the Action, the Entity, the EntityID and the
//     Digest, each length-prefixed the same way; numbers in decimal, At in
//     UTC as TimeLayout (nanoseconds, fixed width: what both engines give
//     back for the time the store wrote, which it cut to the engine's
//     precision before writing).
//
// The length prefixes make the encoding unambiguous: no two different
// entries encode to the same bytes.

// TimeLayout is how At is encoded for the chain hash.
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

const (
	digestDomain = "partnerskap audit digest v1"
	chainDomain  = "partnerskap audit chain v1"
)

func field(h hash.Hash, b []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(b)))
	h.Write(n[:])
	h.Write(b)
}

// Digest is the digest of an entry's personal part: the actor's name and
// the snapshots as stored.
func Digest(actorName string, before, after []byte) string {
	h := sha256.New()
	field(h, []byte(digestDomain))
	field(h, []byte(actorName))
	field(h, before)
	field(h, after)
	return hex.EncodeToString(h.Sum(nil))
}

// ChainHash is the hash of the entry e, whose personal part has digest,
// following the entry whose hash is prev ("" for the first).
func ChainHash(prev string, e Entry, digest string) string {
	h := sha256.New()
	field(h, []byte(chainDomain))
	field(h, []byte(prev))
	field(h, strconv.AppendInt(nil, e.ID, 10))
	field(h, []byte(e.At.UTC().Format(TimeLayout)))
	field(h, strconv.AppendInt(nil, e.Actor.UserID, 10))
	field(h, []byte(e.Action))
	field(h, []byte(e.Entity))
	field(h, strconv.AppendInt(nil, e.EntityID, 10))
	field(h, []byte(digest))
	return hex.EncodeToString(h.Sum(nil))
}

// Erased reports whether e's personal part has been blanked by an erasure.
func (e Entry) Erased() bool {
	return e.Actor.Name == Blank && string(e.Before) == Blank && string(e.After) == Blank
}

// Link is an entry as stored, with its place in the chain: Seq is its
// position (0 while not yet sealed, on PostgreSQL), Hash its chain hash
// ("" while not yet sealed).
type Link struct {
	Entry
	Digest string
	Seq    int64
	Hash   string
}

// ErasureOf returns the IDs an ActionErase entry says it blanked.
func ErasureOf(e Entry) ([]int64, bool) {
	if e.Action != ActionErase {
		return nil, false
	}
	var er Erasure
	if err := json.Unmarshal(e.After, &er); err != nil {
		return nil, false
	}
	return er.Blanked, true
}

// Verifier checks the chain one link at a time: first every sealed link
// in chain order (Seq ascending), then the unsealed ones in ID order.
type Verifier struct {
	// Head, if set, is a chain hash noted earlier (a Result's Head): the
	// chain must still pass through it, or its end was cut off or
	// rewritten.
	Head string

	reached  bool
	prev     string
	lastSeq  int64
	ok       int
	unsealed int
	pending  []int64 // erased entries no later erase entry has covered yet
	broken   *Break
}

// Break is the first entry that does not match, and why.
type Break struct {
	ID     int64
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d: %s", b.ID, b.Reason)
}

// Add checks the next link. After the first break it only counts.
func (v *Verifier) Add(l Link) {
	if v.broken != nil {
		return
	}
	if l.Hash == "" {
		// Not yet sealed (PostgreSQL, within seconds of its commit): only
		// its digest can be checked. An erasure whose own entry is not yet
		// sealed still covers what it blanked: it is on record, and will
		// be sealed as it stands.
		v.unsealed++
		if l.Erased() {
			v.pending = append(v.pending, l.ID)
		} else if l.Digest != Digest(l.Actor.Name, l.Before, l.After) {
			v.broken = &Break{l.ID, "its content does not match its digest (not yet sealed)"}
		} else {
			v.cover(l.Entry)
		}
		return
	}
	if v.unsealed > 0 {
		v.broken = &Break{l.ID, "sealed after an entry not yet sealed"}
		return
	}
	if l.Seq <= v.lastSeq {
		v.broken = &Break{l.ID, "out of order in the chain"}
		return
	}
	if l.Erased() {
		v.pending = append(v.pending, l.ID)
	} else if l.Digest != Digest(l.Actor.Name, l.Before, l.After) {
		v.broken = &Break{l.ID, "its content (actor name, before or after) does not match its digest"}
		return
	}
	if ChainHash(v.prev, l.Entry, l.Digest) != l.Hash {
		v.broken = &Break{l.ID, "its hash does not match its fields and the previous entry's hash (changed, removed or inserted)"}
		return
	}
	v.cover(l.Entry)
	if v.Head != "" && l.Hash == v.Head {
		v.reached = true
	}
	v.prev, v.lastSeq = l.Hash, l.Seq
	v.ok++
}

// cover takes the entries e lists, if it is an erasure, off the pending list.
func (v *Verifier) cover(e Entry) {
	if ids, ok := ErasureOf(e); ok {
		v.pending = slices.DeleteFunc(v.pending, func(id int64) bool { return slices.Contains(ids, id) })
	}
}

// Result is what Verify found.
type Result struct {
	OK       int    // sealed entries that match
	Unsealed int    // entries not yet sealed into the chain (PostgreSQL)
	Head     string // the last sealed entry's hash: note it to detect a cut-off tail later
	Broken   *Break // the first entry that does not match; nil if none
	// Lost is set when the chain matches but does not pass through the
	// Verifier's Head: entries were removed from its end, or it was
	// rewritten from some entry on.
	Lost bool
}

// Result ends the check: an erased entry that no later erase entry
// covers breaks the chain too, at whichever comes first.
func (v *Verifier) Result() Result {
	r := Result{OK: v.ok, Unsealed: v.unsealed, Head: v.prev, Broken: v.broken, Lost: v.Head != "" && !v.reached}
	if len(v.pending) > 0 {
		first := slices.Min(v.pending)
		if r.Broken == nil || first < r.Broken.ID {
			r.Broken = &Break{first, "its actor name and snapshots are blank, but no later erasure entry lists it"}
		}
	}
	return r
}

// Seal computes the chain links of unsealed entries (in ID order, each
// with its stored digest) following the entry with hash prev at seq.
func Seal(prev string, seq int64, unsealed []Link) []Link {
	out := make([]Link, len(unsealed))
	for i, l := range unsealed {
		seq++
		l.Seq = seq
		l.Hash = ChainHash(prev, l.Entry, l.Digest)
		prev = l.Hash
		out[i] = l
	}
	return out
}
