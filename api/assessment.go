package api

import (
	"context"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"liangze"
	"liangze/store"
	"liangze/workflows"
)

// assessors score units; supervisors close the round.
var assessors = []liangze.Role{liangze.RoleInspector, liangze.RoleSupervisor}

func (s *Server) assessmentRoutes(g *gin.RouterGroup) {
	g.GET("/assessments/indicators", s.getIndicators)
	g.PUT("/assessments/indicators", s.putIndicators)
	g.POST("/assessments", s.openAssessment)
	g.GET("/assessments", s.listAssessments)
	g.GET("/assessments/:id", withAudit(s, "assessment", "assessment", s.scopedAssessment, func(a liangze.Assessment) uuid.UUID { return a.ID }))
	g.POST("/assessments/:id/scores", assessmentAction(s, assessors, workflows.UpdateScoreUnit,
		func(c *gin.Context, u liangze.User, as liangze.Assessment, r scoresRequest) (any, error) {
			unit, err := optionalID("unit_id", r.UnitID)
			if err == nil && unit == nil {
				err = liangze.FieldError("unit_id", "unit_id is required: a unit directly under %s", as.ParentName.ZH)
			}
			if err == nil && !slices.ContainsFunc(as.Units, func(x liangze.UnitAssessment) bool { return x.UnitID == *unit }) {
				err = liangze.FieldError("unit_id", "unit %s is not directly under %s", *unit, as.ParentName.ZH)
			}
			if err == nil {
				err = liangze.ValidateScores(r.Scores, as.Indicators)
			}
			if err != nil {
				return nil, err
			}
			return workflows.ScoreUnitInput{ActorID: u.ID, UnitID: *unit, Scores: r.Scores}, nil
		}))
	g.POST("/assessments/:id/close", assessmentAction(s, supervisors, workflows.UpdateCloseAssessment,
		func(_ *gin.Context, u liangze.User, _ liangze.Assessment, _ struct{}) (any, error) {
			return workflows.ActorInput{ActorID: u.ID}, nil
		}))
	g.GET("/people/:id/integrity-file", s.integrityFile)
}

type scoresRequest struct {
	UnitID string             `json:"unit_id"`
	Scores map[string]float64 `json:"scores"`
}

func (s *Server) getIndicators(c *gin.Context) {
	year, err := yearOf(c.Query("year"))
	var ins []liangze.Indicator
	if err == nil {
		ins, err = s.Store.Indicators(c.Request.Context(), year)
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"year": year, "indicators": ins})
}

// putIndicators sets a year's indicators and weights (admin), until a round is ranked.
func (s *Server) putIndicators(c *gin.Context) {
	u := caller(c)
	var r struct {
		Indicators []liangze.Indicator `json:"indicators"`
	}
	year, err := yearOf(c.Query("year"))
	if err == nil {
		err = requireRole(u, liangze.RoleAdmin)
	}
	if err == nil {
		err = bindJSON(c, &r)
	}
	if err == nil {
		err = liangze.ValidateIndicators(r.Indicators)
	}
	key := c.GetHeader("Idempotency-Key")
	if key == "" {
		key = uuid.NewString()
	}
	if err == nil {
		err = s.Store.SetIndicators(c.Request.Context(), "indicators/"+key, u.ID, year, r.Indicators)
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"year": year, "indicators": r.Indicators})
}

type openAssessmentRequest struct {
	Year         int    `json:"year"`
	ParentUnitID string `json:"parent_unit_id"`
	BottomN      *int   `json:"bottom_n"`
}

// openAssessment opens the year-end round for the units directly under a parent (the
// caller's scope unit by default); bottom_n defaults to 1.
func (s *Server) openAssessment(c *gin.Context) {
	u := caller(c)
	var r openAssessmentRequest
	err := requireRole(u, liangze.RoleSupervisor, liangze.RoleAdmin)
	if err == nil {
		err = bindJSON(c, &r)
	}
	if err == nil && (r.Year < 2000 || r.Year > 2100) {
		err = liangze.FieldError("year", "year must be from 2000 to 2100")
	}
	bottomN := 1
	if err == nil && r.BottomN != nil {
		if bottomN = *r.BottomN; bottomN < 0 || bottomN > 100 {
			err = liangze.FieldError("bottom_n", "bottom_n must be from 0 to 100")
		}
	}
	parent := u.ScopeUnitID
	if err == nil && r.ParentUnitID != "" {
		var id *uuid.UUID
		if id, err = optionalID("parent_unit_id", r.ParentUnitID); err == nil {
			err, parent = s.requireScope(c, u, *id), *id
		}
	}
	started := false
	if err == nil {
		started, err = s.startOnce(c.Request.Context(), workflows.AssessmentWorkflowID(parent, r.Year), workflows.AssessmentWorkflowName,
			workflows.AssessmentInput{ParentID: parent, Year: r.Year, BottomN: bottomN, OpenedBy: u.ID, Escalation: s.Timing})
	}
	id := workflows.AssessmentID(parent, r.Year)
	if err == nil && !started {
		err = liangze.Errorf(liangze.ECONFLICT, "the %d assessment of this unit is open already: %s", r.Year, id)
	}
	var as liangze.Assessment
	if err == nil {
		as, err = awaitRow(c.Request.Context(), func(ctx context.Context) (liangze.Assessment, error) { return s.Store.Assessment(ctx, id) })
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	s.Log.Info("assessment opened", "assessment", id, "year", r.Year, "bottom_n", bottomN, "by", u.Username)
	c.JSON(http.StatusCreated, as)
}

func (s *Server) listAssessments(c *gin.Context) {
	u := caller(c)
	p, err := pageOf(c)
	f := store.AssessmentFilter{Scope: u.ScopeUnitID, Limit: p.Size, Offset: p.offset()}
	if err == nil {
		f.Year, err = yearOf(c.Query("year"))
	}
	respondPage(s, c, p, err, func(ctx context.Context) ([]liangze.Assessment, int, error) { return s.Store.Assessments(ctx, f) })
}

// scopedAssessment loads the round in the path; the caller's scope must hold its parent.
func (s *Server) scopedAssessment(c *gin.Context) (liangze.Assessment, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return liangze.Assessment{}, err
	}
	as, err := s.Store.Assessment(c.Request.Context(), id)
	if err != nil {
		return as, err
	}
	return as, s.requireScope(c, caller(c), as.ParentID)
}

// assessmentAction acts on a round through an update of its workflow.
func assessmentAction[R any](s *Server, roles []liangze.Role, update string,
	input func(*gin.Context, liangze.User, liangze.Assessment, R) (any, error)) gin.HandlerFunc {
	const key = "liangze.assessment"
	return updateAction(s, update, func(c *gin.Context, u liangze.User) (target, error) {
		as, err := s.scopedAssessment(c)
		if err == nil {
			err = requireRole(u, roles...)
		}
		c.Set(key, as)
		return target{as.WorkflowID, func(ctx context.Context) (any, error) { return s.Store.Assessment(ctx, as.ID) }}, err
	}, func(c *gin.Context, u liangze.User, r R) (any, error) {
		return input(c, u, c.MustGet(key).(liangze.Assessment), r)
	})
}
