package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"liangze"
)

// respondPage answers one page of a list: err is what checking the query found, list
// fetches the page and the total.
func respondPage[T any](s *Server, c *gin.Context, p page, err error, list func(context.Context) ([]T, int, error)) {
	var items []T
	var total int
	if err == nil {
		items, total, err = list(c.Request.Context())
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, listOf(items, p, total))
}

// withAudit handles a GET of one entity: load finds it (checking scope), and the answer
// holds it under name with its audit trail.
func withAudit[T any](s *Server, name, entity string, load func(*gin.Context) (T, error), id func(T) uuid.UUID) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := load(c)
		var trail []liangze.AuditRecord
		if err == nil {
			trail, err = s.Store.AuditTrail(c.Request.Context(), entity, id(v).String())
		}
		if err != nil {
			fail(c, s.Log, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{name: v, "audit": trail})
	}
}
