package web

import "testing"

func TestLinkify(t *testing.T) {
	got := string(linkify(`Källor: https://icld.se/a?b=1&c=<x> och "https://evil.example/"; <script>.`))
	want := `Källor: <a href="https://icld.se/a?b=1&amp;c=&lt;x&gt;">https://icld.se/a?b=1&amp;c=&lt;x&gt;</a> och &#34;https://evil.example/&#34;; &lt;script&gt;.`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
