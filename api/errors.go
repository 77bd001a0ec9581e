package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"

	"liangze"
)

// statusOf maps each error code to its HTTP status: the one place that does.
var statusOf = map[string]int{
	liangze.EINVALID:      http.StatusUnprocessableEntity,
	liangze.EUNAUTHORIZED: http.StatusUnauthorized,
	liangze.EFORBIDDEN:    http.StatusForbidden,
	liangze.ENOTFOUND:     http.StatusNotFound,
	liangze.ECONFLICT:     http.StatusConflict,
	liangze.EINTERNAL:     http.StatusInternalServerError,
}

var titleOf = map[string]string{
	liangze.EINVALID:      "输入有误 / Invalid input",
	liangze.EUNAUTHORIZED: "未认证 / Not authenticated",
	liangze.EFORBIDDEN:    "无权操作 / Forbidden",
	liangze.ENOTFOUND:     "未找到 / Not found",
	liangze.ECONFLICT:     "状态冲突 / Conflict with current state",
	liangze.EINTERNAL:     "内部错误 / Internal error",
	"malformed":           "请求格式错误 / Malformed request",
}

// Problem is an RFC 7807 problem detail.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	Code     string `json:"code"`
	Field    string `json:"field,omitempty"`
}

// fail writes err as problem+json. Internal errors are logged, and not shown.
func fail(c *gin.Context, log *slog.Logger, err error) {
	var bad *malformedError
	if errors.As(err, &bad) {
		failMalformed(c, bad)
		return
	}
	p := problemOf(err)
	if p.Status >= 500 {
		log.Error("request failed", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
		p.Detail = "an internal error occurred; it has been logged"
	}
	p.Instance = c.Request.URL.Path
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(p.Status, p)
}

func problemOf(err error) Problem {
	code, field, detail := liangze.EINTERNAL, "", err.Error()
	var domain *liangze.Error
	var app *temporal.ApplicationError
	var notFound *serviceerror.NotFound
	switch {
	case errors.As(err, &domain):
		code, field, detail = domain.Code, domain.Field, domain.Message
	case errors.As(err, &app) && statusOf[app.Type()] != 0:
		code, detail = app.Type(), app.Message()
	case errors.As(err, &notFound):
		code, detail = liangze.ECONFLICT, "the process has ended: "+notFound.Message
	}
	return Problem{Type: "urn:liangze:problem:" + code, Title: titleOf[code], Status: statusOf[code],
		Detail: detail, Code: code, Field: field}
}

// bindJSON decodes the request body into v, turning malformed JSON into a 400 that names
// the field where it can.
func bindJSON(c *gin.Context, v any) error {
	dec := json.NewDecoder(io.LimitReader(c.Request.Body, 1<<20))
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return malformed("", "request body is empty; a JSON object is expected")
		case errors.As(err, &typeErr):
			return malformed(typeErr.Field, "field %s must be a JSON %s", typeErr.Field, typeErr.Type.Kind())
		default:
			return malformed("", "request body is not valid JSON: %v", err)
		}
	}
	return nil
}

// malformedError is a request that could not be read at all: 400, not 422.
type malformedError struct{ Field, Message string }

func (e *malformedError) Error() string { return "malformed request: " + e.Message }

func malformed(field, format string, args ...any) error {
	return &malformedError{Field: field, Message: fmt.Sprintf(format, args...)}
}

func failMalformed(c *gin.Context, err *malformedError) {
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(http.StatusBadRequest, Problem{Type: "urn:liangze:problem:malformed",
		Title: titleOf["malformed"], Status: http.StatusBadRequest, Detail: err.Message, Code: "malformed",
		Field: err.Field, Instance: c.Request.URL.Path})
}
