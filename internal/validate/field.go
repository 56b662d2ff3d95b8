package validate

// Field is a sentinel domain error that is also a field error: callers
// recognise it with errors.Is (it is compared by identity), and forms show
// it through errors.As as Errors{Name: Key}, so no handler compares
// message keys.
type Field struct {
	Name string // the field the error belongs to
	Key  string // its message key
}

// NewField returns a sentinel for key on field name.
func NewField(name, key string) *Field { return &Field{Name: name, Key: key} }

func (f *Field) Error() string { return f.Name + ": " + f.Key }

// As lets errors.As read f as Errors.
func (f *Field) As(target any) bool {
	if p, ok := target.(*Errors); ok {
		*p = Errors{f.Name: f.Key}
		return true
	}
	return false
}
