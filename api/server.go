// Package api is liangze's HTTP API (Gin), versioned under /api/v1: bearer-token auth
// with role and org-scope checks, errors as RFC 7807 problem+json, and an OpenAPI document.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"liangze"
	"liangze/store"
	"liangze/workflows"
)

// Server holds the API's dependencies.
type Server struct {
	Store     *store.Store
	Temporal  client.Client
	Tokens    Tokens
	TaskQueue string
	// Timing is given to each escalation opened through the API.
	Timing workflows.Timing
	// CaseTiming is given to each case opened through the API.
	CaseTiming workflows.CaseTiming
	// ReportTiming is given to each quarterly report started through the API.
	ReportTiming workflows.ReportTiming
	// SignoffTiming is given to each year of sign-off opened through the API.
	SignoffTiming workflows.SignoffTiming
	Log           *slog.Logger
}

// Handler returns the HTTP handler with every route.
func (s *Server) Handler() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.CustomRecovery(func(c *gin.Context, v any) {
		s.Log.Error("panic in handler", "path", c.Request.URL.Path, "panic", v)
		fail(c, s.Log, liangze.Errorf(liangze.EINTERNAL, "panic"))
	}), s.logRequests)
	r.NoRoute(func(c *gin.Context) {
		fail(c, s.Log, liangze.Errorf(liangze.ENOTFOUND, "no route %s %s", c.Request.Method, c.Request.URL.Path))
	})
	r.HandleMethodNotAllowed = true
	r.NoMethod(func(c *gin.Context) {
		c.Header("Content-Type", "application/problem+json")
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, Problem{Type: "urn:liangze:problem:method_not_allowed",
			Title: "Method not allowed", Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
			Detail: c.Request.Method + " is not allowed on " + c.Request.URL.Path})
	})
	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", s.ready)

	v1 := r.Group("/api/v1")
	v1.GET("/openapi.json", func(c *gin.Context) { c.Data(http.StatusOK, "application/json", openAPIDocument) })
	v1.GET("/levels", s.levels)
	authed := v1.Group("", s.authenticate)
	authed.GET("/me", s.me)
	authed.GET("/units", s.listUnits)
	authed.GET("/units/:id", s.getUnit)
	authed.GET("/people/:id", s.getPerson)
	authed.GET("/escalations", s.listEscalations)
	authed.POST("/escalations", s.openEscalation)
	authed.GET("/escalations/:id", withAudit(s, "escalation", "escalation", s.scopedEscalation, func(e liangze.Escalation) uuid.UUID { return e.ID }))
	authed.POST("/escalations/:id/steps/:step/decision", s.decide)
	authed.POST("/escalations/:id/steps/:step/talk", s.recordTalk)
	authed.POST("/escalations/:id/steps/:step/rectification", s.submitRectification)
	authed.POST("/escalations/:id/steps/:step/verification", s.verifyRectification)
	authed.GET("/calendar/due", s.dueDate)
	authed.POST("/calendar/recompute", s.recomputeDeadlines)
	authed.GET("/calendar/:year", s.getCalendarYear)
	authed.PUT("/calendar/:year", s.putCalendarYear)
	s.caseRoutes(authed)
	s.reportRoutes(authed)
	s.noticeRoutes(authed)
	s.signoffRoutes(authed)
	s.assessmentRoutes(authed)
	authed.GET("/problems", s.listProblems)
	authed.GET("/reminders", s.inbox)
	authed.POST("/reminders/:id/read", s.markRead)
	return r
}

func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.Log.Info("http", "method", c.Request.Method, "path", c.Request.URL.Path, "status", c.Writer.Status(),
		"duration", time.Since(start))
}

func (s *Server) ready(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	checks := gin.H{"database": "ok", "temporal": "ok"}
	status := http.StatusOK
	if err := s.Store.Ping(ctx); err != nil {
		checks["database"], status = err.Error(), http.StatusServiceUnavailable
	}
	if _, err := s.Temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		checks["temporal"], status = err.Error(), http.StatusServiceUnavailable
	}
	c.JSON(status, checks)
}

// levels lists the ladder with its labels, lowest first.
func (s *Server) levels(c *gin.Context) {
	type level struct {
		Level         liangze.Level `json:"level"`
		Label         liangze.Label `json:"label"`
		NeedsApproval bool          `json:"needs_approval"`
	}
	var out []level
	for _, l := range liangze.Ladder {
		out = append(out, level{l, l.Label(), l.NeedsApproval()})
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

func (s *Server) me(c *gin.Context) { c.JSON(http.StatusOK, caller(c)) }

// page is the paging of a list request: page from 1, page_size from 1 to 100 (default 20).
type page struct{ Page, Size int }

func pageOf(c *gin.Context) (page, error) {
	p := page{Page: 1, Size: 20}
	for _, f := range []struct {
		name string
		dst  *int
		max  int
	}{{"page", &p.Page, 1 << 30}, {"page_size", &p.Size, 100}} {
		v := c.Query(f.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > f.max {
			return p, liangze.FieldError(f.name, "%s must be a whole number from 1 to %d", f.name, f.max)
		}
		*f.dst = n
	}
	return p, nil
}

func (p page) offset() int { return (p.Page - 1) * p.Size }

// listOf is the body of every list response.
func listOf[T any](items []T, p page, total int) gin.H {
	if items == nil {
		items = []T{}
	}
	return gin.H{"items": items, "page": p.Page, "page_size": p.Size, "total": total}
}
