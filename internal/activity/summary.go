package activity

import (
	"sort"

	"github.com/icld/partnerskap/internal/form"
)

// Summary is what a grant's activities add up to: people reached per
// target group, and per channel the activities, people reached and cost.
// Like TotalReach, the totals count contacts, not unique people.
type Summary struct {
	Groups     []GroupReach   // in the order of the call's target groups
	Channels   []ChannelReach // in the order of the call's channels
	Activities int
	Reach      int64 // people reached, all groups
	Cost       int64 // öre
}

// GroupReach is the people reached in one target group.
type GroupReach struct {
	Group string
	Reach int64
}

// ChannelReach is what went through one channel.
type ChannelReach struct {
	Channel    string
	Activities int
	Reach      int64
	Cost       int64 // öre
}

// Summarize adds up list. Groups and channels come in the order of lists,
// each with a row even when nothing reached it, so a grantee sees which
// groups are still untouched; a value no longer in the lists gets a row
// after them.
func Summarize(list []*Activity, lists form.Lists) Summary {
	groups := map[string]int64{}
	channels := map[string]*ChannelReach{}
	var s Summary
	for _, a := range list {
		s.Activities++
		cost := a.CostOre()
		s.Cost += cost
		c := channels[a.Channel]
		if c == nil {
			c = &ChannelReach{Channel: a.Channel}
			channels[a.Channel] = c
		}
		c.Activities++
		c.Cost += cost
		for g, n := range a.Reach {
			groups[g] += n
			c.Reach += n
			s.Reach += n
		}
	}
	for _, g := range ordered(lists.TargetGroups, keys(groups)) {
		s.Groups = append(s.Groups, GroupReach{Group: g, Reach: groups[g]})
	}
	for _, ch := range ordered(lists.Channels, keys(channels)) {
		if c := channels[ch]; c != nil {
			s.Channels = append(s.Channels, *c)
		} else {
			s.Channels = append(s.Channels, ChannelReach{Channel: ch})
		}
	}
	return s
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ordered returns the options' values, then the other values in used.
func ordered(opts []form.Option, used []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, o := range opts {
		out = append(out, o.Value)
		seen[o.Value] = true
	}
	for _, v := range used {
		if !seen[v] {
			out = append(out, v)
		}
	}
	return out
}
