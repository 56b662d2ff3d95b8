package audit

// Erasing a person (GDPR) and the tamper-evident chain meet here, so the
// two sides agree on one contract:
//
//   - Each entry's chain hash covers its fixed fields (id, at, actor id,
//     action, entity, entity id) and the digest of its personal part: the
//     actor's name and the before and after snapshots. The digest is
//     computed when the entry is written and stored beside it.
//   - Erasing a person blanks the personal part of the entries that hold
//     their data (actor name, before and after all set to Blank), keeps
//     the digests, and writes one entry of its own: action ActionErase,
//     whose After is an Erasure listing the blanked entries' IDs.
//   - Verifying the chain accepts a blank personal part only for an entry
//     that a later ActionErase entry lists, so erasure cannot hide
//     tampering: any other mismatch names the entry.

// ActionErase is the action of the entry an erasure writes.
const ActionErase = "erase"

// Blank is what an erased personal part holds, in the actor's name and
// in both snapshots.
const Blank = ""

// Erasure is the After of an ActionErase entry: which entries' personal
// parts it blanked. It names no personal data itself.
type Erasure struct {
	Blanked []int64 `json:"blanked_audit_ids"`
}
