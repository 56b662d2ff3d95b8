package review

// Proposal is one line of an allocation proposal.
type Proposal struct {
	Ranked
	Amount   int64 // öre proposed
	Partly   bool  // less than requested
	AboveCut bool  // within the money; false below the cut line
}

// Allocate shares what is left of a call's ceiling over the ranked
// applications, best first: each gets what it asked for, capped at the
// maximum per grant, until the money runs out. The application at the cut
// line gets the remainder (partly granted); those below it get nothing.
// Applications without a submitted review are left out of the ranking.
func Allocate(ranked []Ranked, available, maxPerGrant int64) []Proposal {
	out := make([]Proposal, 0, len(ranked))
	left := available
	for _, r := range ranked {
		p := Proposal{Ranked: r}
		want := min(r.Requested, maxPerGrant)
		if r.Reviews > 0 && left > 0 && want > 0 {
			p.Amount = min(want, left)
			p.Partly = p.Amount < r.Requested
			p.AboveCut = true
			left -= p.Amount
		}
		out = append(out, p)
	}
	return out
}
