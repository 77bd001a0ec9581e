package liangze

import (
	"errors"
	"fmt"
)

// Error codes. The API maps each to one HTTP status, in one place.
const (
	EINVALID      = "invalid"      // bad input: a field is missing or wrong
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	EFORBIDDEN    = "forbidden"    // role, scope or four-eyes rule refuses the action
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict" // the action does not fit the current state
	EINTERNAL     = "internal"
)

// Error is a domain error: a code, the field it concerns (if any) and a message meant for
// the user.
type Error struct {
	Code    string
	Field   string
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an Error with the given code and message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error naming the field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first Error in err's chain, or EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}
