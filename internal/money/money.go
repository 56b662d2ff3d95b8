// Package money reads and writes amounts of Swedish kronor. Amounts are kept
// as whole öre (int64) everywhere, so sums are exact.
package money

import (
	"errors"
	"strconv"
	"strings"
)

// Parse errors are message keys, shown next to the field that was typed.
var (
	ErrEmpty     = errors.New("error.money.empty")
	ErrInvalid   = errors.New("error.money.invalid")
	ErrDecimals  = errors.New("error.money.decimals")
	ErrTooLarge  = errors.New("error.money.too_large")
	ErrNegative  = errors.New("error.money.negative")
	ErrNotAbove0 = errors.New("error.money.not_positive")
)

// maxKronor keeps every amount, and sums of many, far from int64 overflow.
const maxKronor = 1_000_000_000_000

// Parse reads an amount in kronor as a person in Sweden types it: spaces
// (ordinary, no-break or narrow no-break) group thousands, a comma (or a
// single point) starts at most two decimals, and "kr", "SEK" or ":-" may
// follow. "1 800 000 kr" and "1800000,50" are accepted; "1.800.000,5,0",
// "1,505" and "abc" are refused. The result is in öre and may be negative.
func Parse(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ErrEmpty
	}
	lower := strings.ToLower(s)
	for _, suffix := range []string{"kronor", "kr.", "kr", "sek", ":-"} {
		if strings.HasSuffix(lower, suffix) {
			s = strings.TrimSpace(s[:len(s)-len(suffix)])
			break
		}
	}
	neg := false
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "−") {
		neg = true
		s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "−")
	}
	var digits strings.Builder
	intPart, frac := "", ""
	seenSep := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == ' ' || r == '\u00a0' || r == '\u202f':
			if seenSep {
				return 0, ErrInvalid // no grouping inside the decimals
			}
		case r == ',' || r == '.':
			if seenSep {
				return 0, ErrInvalid
			}
			seenSep = true
			intPart = digits.String()
			digits.Reset()
		default:
			return 0, ErrInvalid
		}
	}
	if seenSep {
		frac = digits.String()
		if frac == "" {
			return 0, ErrInvalid
		}
	} else {
		intPart = digits.String()
	}
	if intPart == "" {
		return 0, ErrInvalid
	}
	if len(frac) > 2 {
		return 0, ErrDecimals
	}
	if len(intPart) > 13 {
		return 0, ErrTooLarge
	}
	kr, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return 0, ErrInvalid
	}
	if kr > maxKronor {
		return 0, ErrTooLarge
	}
	ore := kr * 100
	if frac != "" {
		f, _ := strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
		ore += f
	}
	if neg {
		ore = -ore
	}
	return ore, nil
}

// ParsePositive is Parse for amounts that must be above zero.
func ParsePositive(s string) (int64, error) {
	ore, err := Parse(s)
	if err != nil {
		return 0, err
	}
	if ore < 0 {
		return 0, ErrNegative
	}
	if ore == 0 {
		return 0, ErrNotAbove0
	}
	return ore, nil
}

// Input writes öre back as the kronor a form field shows, grouped as the
// hints suggest and in the form Parse reads ("1 800 000" or "1 800 000,50"),
// so a re-shown form round-trips.
func Input(ore int64) string {
	sign := ""
	if ore < 0 {
		sign = "-"
		ore = -ore
	}
	s := sign + group(strconv.FormatInt(ore/100, 10), " ")
	if r := ore % 100; r != 0 {
		s += "," + twoDigits(r)
	}
	return s
}

// Format writes an amount for reading: "1 800 000 kr" in Swedish (no-break
// spaces group thousands), "SEK 1,800,000" in English. Öre show only when
// there are some.
func Format(ore int64, lang string) string {
	sign := ""
	if ore < 0 {
		sign = "−"
		ore = -ore
	}
	sep, dec := "\u00a0", ","
	if lang == "en" {
		sep, dec = ",", "."
	}
	s := group(strconv.FormatInt(ore/100, 10), sep)
	if r := ore % 100; r != 0 {
		s += dec + twoDigits(r)
	}
	if lang == "en" {
		return sign + "SEK\u00a0" + s
	}
	return sign + s + "\u00a0kr"
}

// Count writes a whole number (people, activities) grouped as Format
// groups amounts: "10 600 000" in Swedish (no-break spaces), "10,600,000"
// in English; a minus is a real minus sign.
func Count(n int64, lang string) string {
	sep := "\u00a0"
	if lang == "en" {
		sep = ","
	}
	if n < 0 {
		return "−" + group(strconv.FormatUint(uint64(-n), 10), sep)
	}
	return group(strconv.FormatInt(n, 10), sep)
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
