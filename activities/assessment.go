package activities

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"liangze"
	"liangze/store"
)

// AssessmentParams names a change to an assessment round.
type AssessmentParams = store.AssessmentChange

// OpenAssessmentParams opens a round ranking the units under a parent.
type OpenAssessmentParams struct {
	Change     AssessmentParams
	WorkflowID string
	ParentID   uuid.UUID
	Year       int
	BottomN    int
}

// OpenAssessment stores the round and fixes the year's indicators.
func (a *Activities) OpenAssessment(ctx context.Context, p OpenAssessmentParams) error {
	return nonRetryableIfDomain(a.Store.OpenAssessment(ctx, p.Change, p.WorkflowID, p.ParentID, p.Year, p.BottomN))
}

// ScoreUnitParams are an assessor's scores of one unit.
type ScoreUnitParams struct {
	Change AssessmentParams
	UnitID uuid.UUID
	Scores map[string]float64
}

// ScoreUnit stores the scores.
func (a *Activities) ScoreUnit(ctx context.Context, p ScoreUnitParams) error {
	return nonRetryableIfDomain(a.Store.SaveScores(ctx, p.Change, p.UnitID, p.Scores))
}

// CloseAssessment ranks the units, archives the results and tells each unit its place;
// it returns the bottom units.
func (a *Activities) CloseAssessment(ctx context.Context, p AssessmentParams) ([]store.BottomUnit, error) {
	bottom, err := a.Store.CloseAssessment(ctx, p)
	if err != nil {
		return nil, nonRetryableIfDomain(err)
	}
	as, err := a.Store.Assessment(ctx, p.AssessmentID)
	if err != nil {
		return nil, err
	}
	for _, u := range as.Units {
		if u.Rank == nil {
			continue
		}
		title := liangze.Label{ZH: fmt.Sprintf("%d年度党风廉政建设责任制考核结果：第%d名，%.2f分", as.Year, *u.Rank, *u.Total),
			EN: fmt.Sprintf("%d responsibility assessment: ranked %d, %.2f points", as.Year, *u.Rank, *u.Total)}
		if u.Bottom {
			title.ZH += "，排名末位，取消年度评优资格，主要负责人将被约谈"
			title.EN += "; bottom-ranked: no awards this year, the head will be interviewed"
		}
		users, err := a.unitStaff(ctx, u.UnitID)
		if err != nil {
			return nil, err
		}
		err = a.deliver(ctx, store.NewReminder{DedupeKey: p.Key + "/result/" + u.UnitID.String(), Kind: "assessment_result",
			Title: title, Body: "assessment " + as.ID.String()}, users)
		if err != nil {
			return nil, err
		}
	}
	return bottom, nil
}

// LinkAssessmentEscalationParams links a bottom unit to its interview escalation.
type LinkAssessmentEscalationParams struct {
	Change       AssessmentParams
	UnitID       uuid.UUID
	EscalationID uuid.UUID
}

// LinkAssessmentEscalation records the interview escalation of a bottom unit.
func (a *Activities) LinkAssessmentEscalation(ctx context.Context, p LinkAssessmentEscalationParams) error {
	return nonRetryableIfDomain(a.Store.LinkAssessmentEscalation(ctx, p.Change, p.UnitID, p.EscalationID))
}
