package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"liangze"
	"liangze/store"
	"liangze/workflows"
)

func quarterOf(year, quarter string) (liangze.Quarter, error) {
	y, err1 := strconv.Atoi(year)
	q, err2 := strconv.Atoi(quarter)
	if err1 != nil {
		return liangze.Quarter{}, liangze.FieldError("year", "year is required, e.g. 2026")
	}
	if err2 != nil {
		return liangze.Quarter{}, liangze.FieldError("quarter", "quarter is required: 1, 2, 3 or 4")
	}
	p := liangze.Quarter{Year: y, Quarter: q}
	return p, p.Validate()
}

type startReportsRequest struct {
	Year    int    `json:"year"`
	Quarter int    `json:"quarter"`
	UnitID  string `json:"unit_id"`
}

// startReports starts the quarter's report workflow for every unit of a subtree (admin or
// supervisor); a unit whose report exists already is left as it is.
func (s *Server) startReports(c *gin.Context) {
	var r startReportsRequest
	var q liangze.Quarter
	s.startInSubtree(c, &r, func() (string, error) {
		q = liangze.Quarter{Year: r.Year, Quarter: r.Quarter}
		return r.UnitID, q.Validate()
	}, func(ctx context.Context, unit uuid.UUID) (bool, error) {
		return s.startOnce(ctx, workflows.ReportWorkflowID(unit, q), workflows.ReportWorkflowName,
			workflows.ReportInput{UnitID: unit, Quarter: q, Timing: s.ReportTiming})
	}, gin.H{"period": &q})
}

// startInSubtree binds the request into r, checks it, and starts one workflow per unit of
// the subtree it names (the caller's scope by default; admin or supervisor only). It
// answers how many started and how many existed already, with extra fields.
func (s *Server) startInSubtree(c *gin.Context, r any, check func() (unitID string, err error),
	start func(context.Context, uuid.UUID) (bool, error), extra gin.H) {
	u := caller(c)
	err := requireRole(u, liangze.RoleAdmin, liangze.RoleSupervisor)
	if err == nil {
		err = bindJSON(c, r)
	}
	var unitID string
	if err == nil {
		unitID, err = check()
	}
	root := u.ScopeUnitID
	if err == nil && unitID != "" {
		var id *uuid.UUID
		if id, err = optionalID("unit_id", unitID); err == nil {
			err, root = s.requireScope(c, u, *id), *id
		}
	}
	var units []liangze.OrgUnit
	if err == nil {
		units, err = s.Store.Units(c.Request.Context(), root)
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	started, existing := 0, 0
	for _, unit := range units {
		ok, err := start(c.Request.Context(), unit.ID)
		if err != nil {
			fail(c, s.Log, err)
			return
		}
		if ok {
			started++
		} else {
			existing++
		}
	}
	s.Log.Info("workflows started for a subtree", "path", c.Request.URL.Path, "root", root, "started", started,
		"existing", existing, "by", u.Username)
	out := gin.H{"started": started, "existing": existing}
	for k, v := range extra {
		out[k] = v
	}
	c.JSON(http.StatusAccepted, out)
}

// startOnce starts a workflow, reporting false if one with the id exists already.
func (s *Server) startOnce(ctx context.Context, id, name string, input any) (bool, error) {
	_, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id,
		TaskQueue: s.TaskQueue, WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, name, input)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return false, nil
	}
	return err == nil, err
}

func (s *Server) listReports(c *gin.Context) {
	u := caller(c)
	p, err := pageOf(c)
	var q liangze.Quarter
	if err == nil {
		q, err = quarterOf(c.Query("year"), c.Query("quarter"))
	}
	f := store.ReportFilter{Scope: u.ScopeUnitID, Quarter: q, State: liangze.ReportState(c.Query("state")), Limit: p.Size, Offset: p.offset()}
	if err == nil {
		f.Unit, err = optionalID("unit_id", c.Query("unit_id"))
	}
	if err == nil && f.State != "" && !f.State.Valid() {
		err = liangze.FieldError("state", "state must be drafting, submitted, returned or accepted")
	}
	respondPage(s, c, p, err, func(ctx context.Context) ([]liangze.Report, int, error) { return s.Store.Reports(ctx, f) })
}

func (s *Server) scopedReport(c *gin.Context) (liangze.Report, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return liangze.Report{}, err
	}
	r, err := s.Store.Report(c.Request.Context(), id)
	if err != nil {
		return r, err
	}
	return r, s.requireScope(c, caller(c), r.UnitID)
}

// summary returns a unit's quarterly summary: own cases, accepted subordinate reports, the
// subordinates missing, and the total.
func (s *Server) summary(c *gin.Context) {
	sum, err := s.loadSummary(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, sum)
}

func (s *Server) loadSummary(c *gin.Context) (store.Summary, error) {
	u := caller(c)
	q, err := quarterOf(c.Query("year"), c.Query("quarter"))
	if err != nil {
		return store.Summary{}, err
	}
	unit := u.ScopeUnitID
	if id, err := optionalID("unit_id", c.Query("unit_id")); err != nil {
		return store.Summary{}, err
	} else if id != nil {
		if err := s.requireScope(c, u, *id); err != nil {
			return store.Summary{}, err
		}
		unit = *id
	}
	return s.Store.ReportSummary(c.Request.Context(), unit, q)
}

// reportAction acts on a report through an update of its workflow. reviewer says the
// caller must belong to the upper commission: their scope holds the unit's parent.
func reportAction[R any](s *Server, roles []liangze.Role, reviewer bool, update string, input func(liangze.User, R) (any, error)) gin.HandlerFunc {
	return updateAction(s, update, func(c *gin.Context, u liangze.User) (target, error) {
		rep, err := s.scopedReport(c)
		if err == nil {
			err = requireRole(u, roles...)
		}
		if err == nil && reviewer {
			err = s.requireUpper(c, u, rep.UnitID)
		}
		return target{rep.WorkflowID, func(ctx context.Context) (any, error) { return s.Store.Report(ctx, rep.ID) }}, err
	}, func(_ *gin.Context, u liangze.User, r R) (any, error) { return input(u, r) })
}

// requireUpper refuses a reviewer whose scope does not hold the unit's parent: a report is
// reviewed by the commission above the unit, not by the unit itself.
func (s *Server) requireUpper(c *gin.Context, u liangze.User, unit uuid.UUID) error {
	un, err := s.Store.Unit(c.Request.Context(), unit)
	if err != nil {
		return err
	}
	if un.ParentID == nil {
		return s.requireScope(c, u, unit)
	}
	if err := s.requireScope(c, u, *un.ParentID); err != nil {
		return liangze.Errorf(liangze.EFORBIDDEN, "a report is reviewed by the commission above the unit; your scope does not hold it")
	}
	return nil
}

type editReportRequest struct {
	Form  *liangze.ReportForm `json:"form"`
	Notes string              `json:"notes"`
}

type reviewReportRequest struct {
	Accept  *bool  `json:"accept"`
	Comment string `json:"comment"`
}

func (s *Server) reportRoutes(g *gin.RouterGroup) {
	g.POST("/reports/start", s.startReports)
	g.GET("/reports", s.listReports)
	g.GET("/reports/summary", s.summary)
	g.GET("/reports/summary/export", s.exportSummary)
	g.GET("/reports/summary/print", s.printSummary)
	g.GET("/reports/:id", withAudit(s, "report", "report", s.scopedReport, func(r liangze.Report) uuid.UUID { return r.ID }))
	g.GET("/reports/:id/export", s.exportReport)
	g.GET("/reports/:id/print", s.printReport)
	g.POST("/reports/:id/edit", reportAction(s, unitStaff, false, workflows.UpdateEditReport,
		func(u liangze.User, r editReportRequest) (any, error) {
			if r.Form == nil {
				return nil, liangze.FieldError("form", "form is required: the corrected counts (start from the report's prefill)")
			}
			if err := checkForm(*r.Form); err != nil {
				return nil, err
			}
			return workflows.EditReportInput{ActorID: u.ID, Form: *r.Form, Notes: r.Notes}, nil
		}))
	g.POST("/reports/:id/submit", reportAction(s, []liangze.Role{liangze.RoleUnitLeader}, false, workflows.UpdateSubmitReport,
		func(u liangze.User, _ struct{}) (any, error) { return workflows.SubmitReportInput{ActorID: u.ID}, nil }))
	g.POST("/reports/:id/review", reportAction(s, supervisors, true, workflows.UpdateReviewReport,
		func(u liangze.User, r reviewReportRequest) (any, error) {
			if r.Accept == nil {
				return nil, liangze.FieldError("accept", "accept is required: true to accept, false to return for correction")
			}
			if !*r.Accept && strings.TrimSpace(r.Comment) == "" {
				return nil, liangze.FieldError("comment", "returning a report needs a reason")
			}
			return workflows.ReviewReportInput{ActorID: u.ID, Accept: *r.Accept, Comment: r.Comment}, nil
		}))
}

// checkForm refuses negative counts and unknown forms.
func checkForm(f liangze.ReportForm) error {
	for name, n := range map[string]int{"cases": f.Cases, "persons_held_accountable": f.PersonsHeldAccountable,
		"one_case_two_investigations": f.TwoInvestigations, "traced_upward": f.TracedUpward} {
		if n < 0 {
			return liangze.FieldError("form."+name, "%s must not be negative", name)
		}
	}
	for k, n := range f.ByForm {
		if !liangze.AccountabilityForm(k).Valid() {
			return liangze.FieldError("form.by_form", "%q is not an accountability form", k)
		}
		if n < 0 {
			return liangze.FieldError("form.by_form", "counts must not be negative")
		}
	}
	return nil
}
