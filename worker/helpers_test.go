package worker_test

import (
	"errors"

	"go.temporal.io/sdk/temporal"

	"liangze"
)

func isConflict(err error) bool {
	var app *temporal.ApplicationError
	return errors.As(err, &app) && app.Type() == liangze.ECONFLICT
}
