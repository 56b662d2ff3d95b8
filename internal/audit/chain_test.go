package audit

import (
	"encoding/json"
	"testing"
	"time"
)

// chain builds n sealed links as the store would write them.
func chain(n int) []Link {
	var out []Link
	for i := 1; i <= n; i++ {
		e := Entry{ID: int64(i), At: time.Date(2021, 3, 1, 9, 0, i, 123456000, time.UTC), Actor: Actor{UserID: int64(i % 2), Name: "Anna Berg"},
			Action: "update", Entity: "organisation", EntityID: 7, Before: json.RawMessage(`{"name":"A"}`), After: json.RawMessage(`{"name":"B"}`)}
		out = append(out, Link{Entry: e, Digest: Digest(e.Actor.Name, e.Before, e.After)})
	}
	return Seal("", 0, out)
}

func verify(links []Link) Result {
	var v Verifier
	for _, l := range links {
		v.Add(l)
	}
	return v.Result()
}

func wantBreak(t *testing.T, r Result, id int64) {
	t.Helper()
	if r.Broken == nil || r.Broken.ID != id {
		t.Fatalf("got %+v, want a break at %d", r.Broken, id)
	}
}

func erase(l []Link, ids ...int64) []Link {
	after, _ := json.Marshal(Erasure{Blanked: ids})
	last := l[len(l)-1]
	e := Entry{ID: last.ID + 1, At: last.At.Add(time.Second), Action: ActionErase, Entity: "user", EntityID: 3,
		Actor: Actor{Name: "system:erase"}, Before: json.RawMessage("null"), After: after}
	sealed := Seal(last.Hash, last.Seq, []Link{{Entry: e, Digest: Digest(e.Actor.Name, e.Before, e.After)}})
	for i := range l {
		for _, id := range ids {
			if l[i].ID == id {
				l[i].Actor.Name, l[i].Before, l[i].After = Blank, json.RawMessage(Blank), json.RawMessage(Blank)
			}
		}
	}
	return append(l, sealed...)
}

func TestChainVerifies(t *testing.T) {
	r := verify(chain(5))
	if r.Broken != nil || r.OK != 5 || r.Head == "" {
		t.Fatalf("got %+v", r)
	}
}

func TestChainNamesTheChangedEntry(t *testing.T) {
	for name, change := range map[string]func(*Link){
		"snapshot":  func(l *Link) { l.After = json.RawMessage(`{"name":"C"}`) },
		"actor":     func(l *Link) { l.Actor.Name = "Mallory" },
		"action":    func(l *Link) { l.Action = "delete" },
		"entity id": func(l *Link) { l.EntityID = 8 },
		"time":      func(l *Link) { l.At = l.At.Add(time.Microsecond) },
		"user id":   func(l *Link) { l.Actor.UserID = 99 },
		"digest":    func(l *Link) { l.Digest = Digest("x", nil, nil) },
	} {
		l := chain(5)
		change(&l[2])
		if r := verify(l); r.Broken == nil || r.Broken.ID != 3 {
			t.Errorf("%s: got %+v, want a break at 3", name, r.Broken)
		}
	}
}

func TestChainNamesARemovedEntry(t *testing.T) {
	l := chain(5)
	l = append(l[:2], l[3:]...)
	wantBreak(t, verify(l), 4)
}

func TestChainRecomputedEntryBreaksTheNext(t *testing.T) {
	l := chain(5)
	l[1].After = json.RawMessage(`{"name":"forged"}`)
	l[1].Digest = Digest(l[1].Actor.Name, l[1].Before, l[1].After)
	l[1].Hash = ChainHash(l[0].Hash, l[1].Entry, l[1].Digest)
	wantBreak(t, verify(l), 3)
}

func TestErasureCovered(t *testing.T) {
	l := erase(chain(5), 2, 4)
	r := verify(l)
	if r.Broken != nil || r.OK != 6 {
		t.Fatalf("got %+v", r)
	}
}

func TestBlankWithoutErasure(t *testing.T) {
	l := chain(5)
	l[3].Actor.Name, l[3].Before, l[3].After = Blank, json.RawMessage(Blank), json.RawMessage(Blank)
	wantBreak(t, verify(l), 4)
	// An erasure listing other entries does not cover it.
	wantBreak(t, verify(erase(l, 2)), 4)
}

func TestErasureBeforeTheBlankDoesNotCoverIt(t *testing.T) {
	l := erase(chain(3), 2)
	l = append(l, Seal(l[len(l)-1].Hash, l[len(l)-1].Seq, chain(1))...) // not the same IDs, but a valid link
	l[4].ID = 5
	l[4].Hash = ChainHash(l[3].Hash, l[4].Entry, l[4].Digest)
	if r := verify(l); r.Broken != nil {
		t.Fatalf("setup: %+v", r.Broken)
	}
	l[4].Actor.Name, l[4].Before, l[4].After = Blank, json.RawMessage(Blank), json.RawMessage(Blank)
	wantBreak(t, verify(l), 5)
}

func TestErasedEntryWithChangedFieldsBreaks(t *testing.T) {
	l := erase(chain(5), 2)
	l[1].EntityID = 99
	wantBreak(t, verify(l), 2)
}

func TestUnsealedTail(t *testing.T) {
	l := chain(3)
	e := Entry{ID: 4, At: l[2].At, Action: "login", Entity: "user", EntityID: 1, Before: json.RawMessage("null"), After: json.RawMessage("null")}
	l = append(l, Link{Entry: e, Digest: Digest("", e.Before, e.After)})
	r := verify(l)
	if r.Broken != nil || r.OK != 3 || r.Unsealed != 1 {
		t.Fatalf("got %+v", r)
	}
	l[3].After = json.RawMessage(`{}`)
	wantBreak(t, verify(l), 4)
}

func TestEncodingIsFixed(t *testing.T) {
	// The encoding is part of every stored hash: changing it breaks every
	// existing chain. These values were computed independently (Python hashlib).
	d := Digest("Anna", []byte("null"), []byte(`{"a":1}`))
	e := Entry{ID: 1, At: time.Date(2021, 3, 1, 9, 0, 0, 1000, time.UTC), Actor: Actor{UserID: 2}, Action: "create", Entity: "call", EntityID: 3}
	h := ChainHash("", e, d)
	t.Logf("digest %s hash %s", d, h)
	if d != wantDigest || h != wantHash {
		t.Fatalf("got digest %s hash %s", d, h)
	}
	// Length prefixes: moving a byte from one field to the next changes the digest.
	if Digest("ab", []byte("c"), nil) == Digest("a", []byte("bc"), nil) {
		t.Fatal("fields run together")
	}
}

const (
	wantDigest = "3f4dfc5f29feeae2c8e5608e0d299409a444b613d066b502002106b90891f3c3"
	wantHash   = "60e04796728f6a1709720c898718557ecac3823f83be9e87f4216f2ec10183e2"
)

// TestErasureNotYetSealed: on PostgreSQL an erasure's own entry may not be
// sealed yet when verify runs; it covers what it blanked all the same.
func TestErasureNotYetSealed(t *testing.T) {
	l := erase(chain(4), 2)
	l[4].Seq, l[4].Hash = 0, ""
	r := verify(l)
	if r.Broken != nil || r.OK != 4 || r.Unsealed != 1 {
		t.Fatalf("got %+v", r)
	}
	// Blanked while itself unsealed, and covered.
	l = chain(3)
	e := Entry{ID: 4, At: l[2].At, Action: "login", Entity: "user", EntityID: 1, Actor: Actor{Name: "Anna"}, Before: json.RawMessage("null"), After: json.RawMessage("null")}
	l = append(l, Link{Entry: e, Digest: Digest("Anna", e.Before, e.After)})
	l = erase(l, 4)
	l[3].Actor.Name, l[3].Before, l[3].After = Blank, json.RawMessage(Blank), json.RawMessage(Blank)
	l[4].Seq, l[4].Hash = 0, ""
	if r := verify(l); r.Broken != nil || r.Unsealed != 2 {
		t.Fatalf("got %+v", r)
	}
	wantBreak(t, verify(l[:4]), 4) // without the erasure's entry
}

// TestChainHead: a head noted earlier must still be on the chain; cutting
// off the newest entries leaves a chain that matches but no longer
// reaches it.
func TestChainHead(t *testing.T) {
	l := chain(5)
	head := l[3].Hash
	for _, tt := range []struct {
		links []Link
		lost  bool
	}{{l, false}, {l[:4], false}, {l[:3], true}} {
		v := Verifier{Head: head}
		for _, x := range tt.links {
			v.Add(x)
		}
		if r := v.Result(); r.Broken != nil || r.Lost != tt.lost {
			t.Errorf("%d links: got %+v, want lost %v", len(tt.links), r, tt.lost)
		}
	}
	// A forged tail (every hash recomputed from entry 3 on) does not reach it.
	forged := chain(5)
	forged[2].After = []byte(`{"name":"forged"}`)
	forged[2].Digest = Digest(forged[2].Actor.Name, forged[2].Before, forged[2].After)
	forged = append(forged[:2:2], Seal(forged[1].Hash, forged[1].Seq, forged[2:])...)
	v := Verifier{Head: head}
	for _, x := range forged {
		v.Add(x)
	}
	if r := v.Result(); r.Broken != nil || !r.Lost {
		t.Errorf("forged tail: got %+v, want lost", r)
	}
}
