package api

import (
	"context"

	"github.com/gin-gonic/gin"

	"liangze"
	"liangze/store"
)

// listProblems lists the problem list (问题清单) in the caller's scope: by unit subtree,
// severity, open or closed.
func (s *Server) listProblems(c *gin.Context) {
	u := caller(c)
	p, err := pageOf(c)
	f := store.ProblemFilter{Scope: u.ScopeUnitID, Severity: liangze.Severity(c.Query("severity")), Limit: p.Size, Offset: p.offset()}
	if err == nil {
		f.Unit, err = optionalID("unit_id", c.Query("unit_id"))
	}
	if err == nil && f.Severity != "" && !f.Severity.Valid() {
		err = liangze.FieldError("severity", "severity must be minor, general or serious")
	}
	if err == nil && c.Query("open") != "" {
		var v bool
		v, err = boolParam(c, "open")
		f.Open = &v
	}
	respondPage(s, c, p, err, func(ctx context.Context) ([]liangze.Problem, int, error) { return s.Store.Problems(ctx, f) })
}
