package activities_test

import (
	"errors"

	"go.temporal.io/sdk/temporal"
)

func isNonRetryable(err error) bool {
	var app *temporal.ApplicationError
	return errors.As(err, &app) && app.NonRetryable()
}
