package money

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  error
	}{
		{"1 800 000", 180_000_000, nil},
		{"1 800 000 kr", 180_000_000, nil},
		{"1\u00a0800\u00a0000 kr", 180_000_000, nil},
		{"1\u202f800\u202f000", 180_000_000, nil},
		{"1800000,50", 180_000_050, nil},
		{"1800000,5", 180_000_050, nil},
		{"300000 SEK", 30_000_000, nil},
		{"250:-", 25_000, nil},
		{"12.5", 1250, nil},
		{"0", 0, nil},
		{"-5", -500, nil},
		{"  42  ", 4200, nil},
		{"1.800.000,5,0", 0, ErrInvalid},
		{"1,505", 0, ErrDecimals},
		{"abc", 0, ErrInvalid},
		{"", 0, ErrEmpty},
		{"kr", 0, ErrInvalid},
		{"5,", 0, ErrInvalid},
		{"1,5 0", 0, ErrInvalid},
		{"99999999999999", 0, ErrTooLarge},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("Parse(%q) = %d, %v; want %d, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestParsePositive(t *testing.T) {
	if _, err := ParsePositive("-5"); !errors.Is(err, ErrNegative) {
		t.Errorf("-5: got %v, want ErrNegative", err)
	}
	if _, err := ParsePositive("0"); !errors.Is(err, ErrNotAbove0) {
		t.Errorf("0: got %v, want ErrNotAbove0", err)
	}
	if got, err := ParsePositive("1"); err != nil || got != 100 {
		t.Errorf("1: got %d, %v", got, err)
	}
}

func TestFormatAndInput(t *testing.T) {
	tests := []struct {
		ore    int64
		sv, en string
		input  string
	}{
		{180_000_000, "1\u00a0800\u00a0000\u00a0kr", "SEK\u00a01,800,000", "1 800 000"},
		{30_000_050, "300\u00a0000,50\u00a0kr", "SEK\u00a0300,000.50", "300 000,50"},
		{5, "0,05\u00a0kr", "SEK\u00a00.05", "0,05"},
		{999, "9,99\u00a0kr", "SEK\u00a09.99", "9,99"},
		{-100, "−1\u00a0kr", "−SEK\u00a01", "-1"},
	}
	for _, tt := range tests {
		if got := Format(tt.ore, "sv"); got != tt.sv {
			t.Errorf("Format(%d, sv) = %q, want %q", tt.ore, got, tt.sv)
		}
		if got := Format(tt.ore, "en"); got != tt.en {
			t.Errorf("Format(%d, en) = %q, want %q", tt.ore, got, tt.en)
		}
		if got := Input(tt.ore); got != tt.input {
			t.Errorf("Input(%d) = %q, want %q", tt.ore, got, tt.input)
		}
		if back, err := Parse(Input(tt.ore)); err != nil || back != tt.ore {
			t.Errorf("Parse(Input(%d)) = %d, %v", tt.ore, back, err)
		}
	}
}

func TestCount(t *testing.T) {
	for _, c := range []struct {
		n    int64
		lang string
		want string
	}{
		{0, "sv", "0"},
		{999, "sv", "999"},
		{12345, "sv", "12\u00a0345"},
		{10600000, "sv", "10\u00a0600\u00a0000"},
		{1234567, "en", "1,234,567"},
		{-1500, "sv", "−1\u00a0500"},
		{-9223372036854775808, "en", "−9,223,372,036,854,775,808"},
	} {
		if got := Count(c.n, c.lang); got != c.want {
			t.Errorf("Count(%d, %s) = %q, want %q", c.n, c.lang, got, c.want)
		}
	}
}
