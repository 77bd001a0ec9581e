package activities

import (
	"context"
	"time"

	"github.com/google/uuid"

	"liangze"
	"liangze/store"
)

// DraftNoticeParams drafts the exposure notice of a subtree for a period.
type DraftNoticeParams struct {
	ID, RootUnitID uuid.UUID
	WorkflowID     string
	From, To       time.Time
	At             time.Time
}

// DraftNotice collects the serious typical cases of reports accepted in the period, stores
// the draft and asks the supervisors to approve it. It returns the cases.
func (a *Activities) DraftNotice(ctx context.Context, p DraftNoticeParams) ([]uuid.UUID, error) {
	ids, err := a.Store.SeriousTypicalCases(ctx, p.RootUnitID, p.From, p.To)
	if err != nil {
		return nil, err
	}
	if ids == nil {
		ids = []uuid.UUID{}
	}
	n := store.Notice{ID: p.ID, WorkflowID: p.WorkflowID, RootUnitID: p.RootUnitID, From: p.From, To: p.To, CaseIDs: ids, DraftedAt: p.At}
	if err := a.Store.DraftNotice(ctx, n); err != nil {
		return nil, nonRetryableIfDomain(err)
	}
	sups, err := a.Store.UnitUsers(ctx, p.RootUnitID, liangze.RoleSupervisor, true)
	if err != nil {
		return nil, err
	}
	return ids, a.deliver(ctx, store.NewReminder{DedupeKey: p.WorkflowID + "/draft", Kind: "notice_draft",
		Title: liangze.Label{ZH: "双月通报曝光草稿待审批", EN: "Bimonthly exposure notice draft to approve"},
		Body:  "notice " + p.ID.String()}, sups)
}

// DecideNoticeParams publishes or rejects a notice draft.
type DecideNoticeParams struct {
	Key     string
	ID      uuid.UUID
	ActorID uuid.UUID
	Publish bool
	Comment string
	At      time.Time
}

// DecideNotice stores the decision.
func (a *Activities) DecideNotice(ctx context.Context, p DecideNoticeParams) error {
	return nonRetryableIfDomain(a.Store.DecideNotice(ctx, p.Key, p.ID, p.ActorID, p.Publish, p.Comment, p.At))
}
