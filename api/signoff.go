package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"liangze"
	"liangze/store"
	"liangze/workflows"
)

func (s *Server) signoffRoutes(g *gin.RouterGroup) {
	s.dutyRoutes(g)
	g.POST("/signoffs/start", s.startSignoffs)
	g.GET("/signoffs", s.listSignoffs)
	g.GET("/signoffs/:id", withAudit(s, "signoff", "signoff", s.visibleSignoff, func(so liangze.Signoff) uuid.UUID { return so.ID }))
	g.GET("/signoffs/:id/records", s.signedRecords)
	g.POST("/signoffs/:id/body", signoffAction(s, workflows.UpdateSaveTaskList, s.staffOnly,
		func(_ *gin.Context, u liangze.User, so liangze.Signoff, r saveBodyRequest) (any, error) {
			if so.Document == liangze.DocTaskList {
				return nil, liangze.Errorf(liangze.ECONFLICT, "a task list has items, not a text: send them to /tasks")
			}
			if strings.TrimSpace(r.Body) == "" {
				return nil, liangze.FieldError("body", "the %s's text is required", so.DocLabel.ZH)
			}
			return workflows.SaveTaskListInput{ActorID: u.ID, Body: r.Body}, nil
		}))
	g.POST("/signoffs/:id/tasks", signoffAction(s, workflows.UpdateSaveTaskList, s.staffOnly,
		func(c *gin.Context, u liangze.User, so liangze.Signoff, r saveTasksRequest) (any, error) {
			if so.Document != liangze.DocTaskList {
				return nil, liangze.Errorf(liangze.ECONFLICT, "a %s has a text, not items: send it to /body", so.DocLabel.EN)
			}
			leaders, err := s.Store.UnitLeaders(c.Request.Context(), so.UnitID, s.Store.Now())
			if err == nil {
				err = liangze.ValidateTaskList(r.Items, leaders, so.Year)
			}
			return workflows.SaveTaskListInput{ActorID: u.ID, Items: r.Items}, err
		}))
	g.POST("/signoffs/:id/submit", signoffAction(s, workflows.UpdateSubmitTaskList, s.staffOnly,
		func(_ *gin.Context, u liangze.User, so liangze.Signoff, _ struct{}) (any, error) {
			if len(so.Missing) > 0 {
				return nil, liangze.MissingLeadersError(so.Missing)
			}
			return workflows.ActorInput{ActorID: u.ID}, nil
		}))
	g.POST("/signoffs/:id/sign", signoffAction(s, workflows.UpdateSignTaskList, s.anyoneInvolved,
		func(c *gin.Context, u liangze.User, so liangze.Signoff, r signRequest) (any, error) {
			part := liangze.SignedPart(r.Part)
			if first, second := so.Document.Parts(); part != first && part != second {
				return nil, liangze.FieldError("part", "a %s is signed as %s, then %s", so.DocLabel.ZH, first, second)
			}
			if strings.TrimSpace(r.Opinion) == "" {
				return nil, liangze.FieldError("opinion", "a written review opinion (审核意见) is required to sign")
			}
			person, err := s.signer(c, u, so, part)
			return workflows.SignTaskListInput{ActorID: u.ID, PersonID: person, Part: part, Opinion: r.Opinion}, err
		}))
	g.POST("/signoffs/:id/return", signoffAction(s, workflows.UpdateReturnTaskList, s.anyoneInvolved,
		func(c *gin.Context, u liangze.User, so liangze.Signoff, r reasonRequest) (any, error) {
			part := liangze.PartPrimary
			switch so.State {
			case liangze.SignoffAwaitingHead:
			case liangze.SignoffAwaitingDiscipline:
				part = liangze.PartSupervisory
			case liangze.SignoffAwaitingIssuer:
				part = liangze.PartIssuer
			default:
				return nil, liangze.Errorf(liangze.ECONFLICT, "the %s is %s (%s): nothing awaits a signature", so.DocLabel.EN, so.State, so.State.Label().ZH)
			}
			if strings.TrimSpace(r.Reason) == "" {
				return nil, liangze.FieldError("reason", "returning the list needs a reason")
			}
			_, err := s.signer(c, u, so, part)
			return workflows.ReasonInput{ActorID: u.ID, Reason: r.Reason}, err
		}))
	g.POST("/signoffs/:id/revise", signoffAction(s, workflows.UpdateReviseTaskList, s.staffOnly,
		func(_ *gin.Context, u liangze.User, _ liangze.Signoff, r reasonRequest) (any, error) {
			if strings.TrimSpace(r.Reason) == "" {
				return nil, liangze.FieldError("reason", "a revision of a signed list needs a reason")
			}
			return workflows.ReasonInput{ActorID: u.ID, Reason: r.Reason}, nil
		}))
}

type saveBodyRequest struct {
	Body string `json:"body"`
}

type saveTasksRequest struct {
	Items []liangze.TaskItem `json:"items"`
}

type signRequest struct {
	Part    string `json:"part"`
	Opinion string `json:"opinion"`
}

type reasonRequest struct {
	Reason string `json:"reason"`
}

type startSignoffsRequest struct {
	Year   int    `json:"year"`
	UnitID string `json:"unit_id"`
}

// startSignoffs opens a year for every unit of a subtree (admin or supervisor); a unit
// whose year is open already is left as it is.
func (s *Server) startSignoffs(c *gin.Context) {
	var r startSignoffsRequest
	s.startInSubtree(c, &r, func() (string, error) {
		if r.Year < 2000 || r.Year > 2100 {
			return "", liangze.FieldError("year", "year must be from 2000 to 2100")
		}
		return r.UnitID, nil
	}, func(ctx context.Context, unit uuid.UUID) (bool, error) {
		return s.startOnce(ctx, workflows.SignoffWorkflowID(unit, r.Year), workflows.SignoffWorkflowName,
			workflows.SignoffInput{UnitID: unit, Year: r.Year, Timing: s.SignoffTiming})
	}, gin.H{"year": &r.Year})
}

// listSignoffs lists a year's sign-offs in the caller's scope: by state, only those not yet
// signed (unsigned=true, the January check), overdue ones, or under a unit.
func (s *Server) listSignoffs(c *gin.Context) {
	u := caller(c)
	p, err := pageOf(c)
	f := store.SignoffFilter{Scope: u.ScopeUnitID, State: liangze.SignoffState(c.Query("state")),
		Document: liangze.Document(c.Query("document")), Limit: p.Size, Offset: p.offset()}
	if err == nil {
		f.Year, err = yearOf(c.Query("year"))
	}
	if err == nil {
		f.Unit, err = optionalID("unit_id", c.Query("unit_id"))
	}
	if err == nil && f.State != "" && !f.State.Valid() {
		err = liangze.FieldError("state", "state must be drafting, awaiting_head, awaiting_discipline, awaiting_issuer or signed")
	}
	if err == nil && f.Document != "" && !f.Document.Valid() {
		err = liangze.FieldError("document", "document must be task_list (the default), letter or summary")
	}
	if err == nil {
		f.Unsigned, err = boolParam(c, "unsigned")
	}
	if err == nil && c.Query("overdue") != "" {
		var v bool
		v, err = boolParam(c, "overdue")
		f.Overdue = &v
	}
	respondPage(s, c, p, err, func(ctx context.Context) ([]liangze.Signoff, int, error) { return s.Store.Signoffs(ctx, f) })
}

func boolParam(c *gin.Context, name string) (bool, error) {
	v := c.Query(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, liangze.FieldError(name, "%s must be true or false", name)
	}
	return b, nil
}

// visibleSignoff loads the sign-off in the path. Those with the unit in scope see it, and so
// do its signers from a fallback subject (who may sit outside that scope).
func (s *Server) visibleSignoff(c *gin.Context) (liangze.Signoff, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return liangze.Signoff{}, err
	}
	so, err := s.Store.Signoff(c.Request.Context(), id)
	if err != nil {
		return so, err
	}
	return so, s.anyoneInvolved(c, caller(c), so)
}

func (s *Server) anyoneInvolved(c *gin.Context, u liangze.User, so liangze.Signoff) error {
	err := s.requireScope(c, u, so.UnitID)
	if err == nil || u.PersonID == nil {
		return err
	}
	first, second := so.Document.Parts()
	for _, part := range []liangze.SignedPart{first, second} {
		if _, e := s.Store.SignerTitle(c.Request.Context(), so.UnitID, part, *u.PersonID, s.Store.Now()); e == nil {
			return nil
		}
	}
	return err
}

// staffOnly admits the unit's clerks and leaders (and those above them in scope).
func (s *Server) staffOnly(c *gin.Context, u liangze.User, so liangze.Signoff) error {
	if err := requireRole(u, unitStaff...); err != nil {
		return err
	}
	return s.requireScope(c, u, so.UnitID)
}

// signer returns the caller's person if they may sign part of the unit's list today.
func (s *Server) signer(c *gin.Context, u liangze.User, so liangze.Signoff, part liangze.SignedPart) (uuid.UUID, error) {
	if u.PersonID == nil {
		return uuid.Nil, liangze.Errorf(liangze.EFORBIDDEN, "your account is not linked to a person: only a person in post signs")
	}
	_, err := s.Store.SignerTitle(c.Request.Context(), so.UnitID, part, *u.PersonID, s.Store.Now())
	return *u.PersonID, err
}

// verifiedRecord is a signed record with the hash checked again on read.
type verifiedRecord struct {
	liangze.SignedRecord
	HashVerified bool `json:"hash_verified"`
}

// signedRecords lists the unit's signed records of the year, each hash recomputed.
func (s *Server) signedRecords(c *gin.Context) {
	so, err := s.visibleSignoff(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	out := make([]verifiedRecord, len(so.Records))
	for i, r := range so.Records {
		sum := sha256.Sum256(r.Content)
		out[i] = verifiedRecord{r, hex.EncodeToString(sum[:]) == r.ContentHash}
	}
	c.JSON(http.StatusOK, gin.H{"items": out, "total": len(out)})
}

// signoffAction acts on a sign-off through an update of its task-list workflow, after
// allow has checked the caller.
func signoffAction[R any](s *Server, update string, allow func(*gin.Context, liangze.User, liangze.Signoff) error,
	input func(*gin.Context, liangze.User, liangze.Signoff, R) (any, error)) gin.HandlerFunc {
	const key = "liangze.signoff"
	return updateAction(s, update, func(c *gin.Context, u liangze.User) (target, error) {
		var so liangze.Signoff
		id, err := idParam(c, "id")
		if err == nil {
			so, err = s.Store.Signoff(c.Request.Context(), id)
		}
		if err == nil {
			err = allow(c, u, so)
		}
		c.Set(key, so)
		return target{so.WorkflowID, func(ctx context.Context) (any, error) { return s.Store.Signoff(ctx, so.ID) }}, err
	}, func(c *gin.Context, u liangze.User, r R) (any, error) {
		return input(c, u, c.MustGet(key).(liangze.Signoff), r)
	})
}

func (s *Server) dutyRoutes(g *gin.RouterGroup) {
	g.GET("/signoffs/:id/duties", s.listDuties)
	g.POST("/signoffs/:id/duties/:duty/complete", updateAction(s, workflows.UpdateCompleteDuty,
		func(c *gin.Context, u liangze.User) (target, error) {
			so, err := s.visibleSignoff(c)
			if err == nil {
				err = s.staffOnly(c, u, so)
			}
			c.Set("liangze.signoff", so)
			return target{workflows.DutiesWorkflowID(so.UnitID, so.Year), func(ctx context.Context) (any, error) {
				return s.duties(ctx, so)
			}}, err
		}, func(c *gin.Context, u liangze.User, r completeDutyRequest) (any, error) {
			so := c.MustGet("liangze.signoff").(liangze.Signoff)
			duty, err := idParam(c, "duty")
			if err != nil {
				return nil, err
			}
			day, err := time.ParseInLocation(time.DateOnly, r.DoneOn, liangze.ChinaTime)
			switch {
			case err != nil:
				return nil, liangze.FieldError("done_on", "done_on is the day it was done, such as %d-03-15", so.Year)
			case day.Year() != so.Year || day.After(s.Store.Now()):
				return nil, liangze.FieldError("done_on", "done_on must fall in %d and not after today", so.Year)
			}
			return workflows.CompleteDutyInput{ActorID: u.ID, DutyID: duty, DoneOn: r.DoneOn, Note: r.Note}, nil
		}))
}

type completeDutyRequest struct {
	DoneOn string `json:"done_on"`
	Note   string `json:"note"`
}

// listDuties lists the year's dated duties of a unit with counts of those pending and overdue.
func (s *Server) listDuties(c *gin.Context) {
	so, err := s.visibleSignoff(c)
	var out gin.H
	if err == nil {
		out, err = s.duties(c.Request.Context(), so)
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) duties(ctx context.Context, so liangze.Signoff) (gin.H, error) {
	ds, err := s.Store.Duties(ctx, so.ID, nil, false)
	pending, overdue := 0, 0
	for _, d := range ds {
		if d.State == liangze.DutyPending {
			pending++
		}
		if d.Overdue && d.State == liangze.DutyPending {
			overdue++
		}
	}
	return gin.H{"items": ds, "total": len(ds), "pending": pending, "overdue_pending": overdue}, err
}
