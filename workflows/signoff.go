package workflows

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/workflow"

	"liangze"
)

// Names of the annual sign-off workflows and their updates.
const (
	SignoffWorkflowName  = "AnnualSignoff"
	TaskListWorkflowName = "ResponsibilityTaskList"
	UpdateSaveTaskList   = "save_task_list"
	UpdateSubmitTaskList = "submit_task_list"
	UpdateSignTaskList   = "sign_task_list"
	UpdateReturnTaskList = "return_task_list"
	UpdateReviseTaskList = "revise_task_list"
)

// SignoffWorkflowID is the workflow id of a unit's year: opening the year twice starts
// nothing new.
func SignoffWorkflowID(unit uuid.UUID, year int) string {
	return fmt.Sprintf("signoff/%s/%d", unit, year)
}

// TaskListWorkflowID is the workflow id of the year's task-list phase.
func TaskListWorkflowID(unit uuid.UUID, year int) string {
	return SignoffWorkflowID(unit, year) + "/tasks"
}

// SignoffID is the id of a unit's year of sign-off, derived from the workflow id; it is
// also the id of the year's task list.
func SignoffID(unit uuid.UUID, year int) uuid.UUID {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("liangze:"+SignoffWorkflowID(unit, year)))
}

// DocumentWorkflowID is the workflow id of a document the unit signs in the year.
func DocumentWorkflowID(unit uuid.UUID, year int, doc liangze.Document) string {
	if doc.OrTaskList() == liangze.DocTaskList {
		return TaskListWorkflowID(unit, year)
	}
	return SignoffWorkflowID(unit, year) + "/" + string(doc)
}

// DocumentID is the id of a document the unit signs in the year.
func DocumentID(unit uuid.UUID, year int, doc liangze.Document) uuid.UUID {
	if doc.OrTaskList() == liangze.DocTaskList {
		return SignoffID(unit, year)
	}
	return uuid.NewSHA1(SignoffID(unit, year), []byte(doc))
}

// SignoffTiming sets the sign-off's deadlines: the task list is due by a fixed day of the
// year (TaskListBy, "01-31" by default) but never sooner than Grace after the year is
// opened; reminders go out before it, and a miss opens an escalation with its own timing.
type SignoffTiming struct {
	TaskListBy string
	// Documents are what the unit signs besides its task list (the letter with the upper
	// level is skipped at the top of the tree). LetterBy and SummaryBy are the month-days
	// they are signed by; with none, Grace after opening.
	Documents           []liangze.Document
	LetterBy, SummaryBy string
	Grace               liangze.Period
	Reminders           []liangze.Period
	Escalation          Timing
	// Duties are the year's other dated duties, each with its own deadline rule.
	Duties []DutyTiming
}

// DutyTiming is one kind of duty's deadline: by a month-day of the year (By, "07-31"), but
// never sooner than Grace after the year is opened; with no By, Grace alone.
type DutyTiming struct {
	Kind  liangze.DutyKind
	By    string
	Grace liangze.Period
}

// DutyTimings lists the year's dated duties: the standard month-day each is due by (the
// commitment by 31 January, the double report by the end of February, the meetings by 31
// July and 20 December, the integrity talks by 20 December) and the minutes the demo gives.
func DutyTimings(rule func(by string, demoMinutes int) (string, liangze.Period)) []DutyTiming {
	var out []DutyTiming
	for _, d := range []struct {
		kind    liangze.DutyKind
		by      string
		minutes int
	}{
		{liangze.DutyCommitment, "01-31", 4}, {liangze.DutyReportParty, "02-28", 5}, {liangze.DutyReportDiscipline, "02-28", 5},
		{liangze.DutyReportOwnCommittee, "02-28", 5}, {liangze.DutyMidyearMeeting, "07-31", 6},
		{liangze.DutyYearendMeeting, "12-20", 7}, {liangze.DutyCommitmentReview, "12-20", 7}, {liangze.DutyIntegrityTalk, "12-20", 8},
	} {
		by, grace := rule(d.by, d.minutes)
		out = append(out, DutyTiming{Kind: d.kind, By: by, Grace: grace})
	}
	return out
}

// TaskListDue returns the fixed deadline of the task list in a year: the end of the day
// TaskListBy, China time; nil when none is set.
func (t SignoffTiming) TaskListDue(year int) (*time.Time, error) { return endOfDay(year, t.TaskListBy) }

// DocumentDue returns the fixed deadline of a document in a year, nil when none is set.
func (t SignoffTiming) DocumentDue(year int, doc liangze.Document) (*time.Time, error) {
	switch doc {
	case liangze.DocLetter:
		return endOfDay(year, t.LetterBy)
	case liangze.DocSummary:
		return endOfDay(year, t.SummaryBy)
	}
	return t.TaskListDue(year)
}

// endOfDay returns the end of the month-day md of year (China time); nil for "".
func endOfDay(year int, md string) (*time.Time, error) {
	if md == "" {
		return nil, nil
	}
	d, err := time.ParseInLocation("2006-01-02", fmt.Sprintf("%d-%s", year, md), liangze.ChinaTime)
	if err != nil {
		return nil, liangze.FieldError("by", "%q must be a month and day such as 01-31", md)
	}
	end := d.AddDate(0, 0, 1)
	return &end, nil
}

// SignoffInput opens a unit's year; a document's workflow gets it with Document set (the
// task list when empty).
type SignoffInput struct {
	UnitID   uuid.UUID
	Year     int
	Timing   SignoffTiming
	Document liangze.Document
}

// SignoffWorkflow runs a unit's year of the annual sign-off (年度签字背书). Each phase is a
// child workflow with its own short history; the year's workflow only sequences them.
// The responsibility task list (责任分解) with its signatures, the dated duties (commitment,
// double report, meetings, integrity talks), the letter with the upper level (责任书) and the
// year-end summary run side by side (the later ones for years opened by their versions on).
func SignoffWorkflow(ctx workflow.Context, in SignoffInput) (liangze.SignoffState, error) {
	withDuties := workflow.GetVersion(ctx, "annual-duties", workflow.DefaultVersion, 1) >= 1
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: TaskListWorkflowID(in.UnitID, in.Year)})
	tasks := workflow.ExecuteChildWorkflow(cctx, TaskListWorkflowName, in)
	var duties workflow.ChildWorkflowFuture
	if withDuties {
		dctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: DutiesWorkflowID(in.UnitID, in.Year)})
		duties = workflow.ExecuteChildWorkflow(dctx, DutiesWorkflowName, in)
	}
	var docs []workflow.ChildWorkflowFuture
	if workflow.GetVersion(ctx, "annual-documents", workflow.DefaultVersion, 1) >= 1 {
		var err error
		if docs, err = startDocuments(ctx, in); err != nil {
			return liangze.SignoffDrafting, err
		}
	}
	var st liangze.SignoffState
	err := tasks.Get(ctx, &st)
	if err == nil && duties != nil {
		err = duties.Get(ctx, nil)
	}
	for _, d := range docs {
		if err == nil {
			err = d.Get(ctx, nil)
		}
	}
	return st, err
}

// startDocuments starts the year's other documents (the letter with the upper level, for a
// unit with a parent; the year-end summary), each signed like the task list.
func startDocuments(ctx workflow.Context, in SignoffInput) ([]workflow.ChildWorkflowFuture, error) {
	if len(in.Timing.Documents) == 0 {
		return nil, nil
	}
	var parent *uuid.UUID
	actx := workflow.WithActivityOptions(ctx, activityOptions)
	if err := workflow.ExecuteActivity(actx, a.ParentOf, in.UnitID).Get(ctx, &parent); err != nil {
		return nil, err
	}
	var futures []workflow.ChildWorkflowFuture
	for _, doc := range in.Timing.Documents {
		if doc == liangze.DocTaskList || (doc == liangze.DocLetter && parent == nil) {
			continue
		}
		din := in
		din.Document = doc
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: DocumentWorkflowID(in.UnitID, in.Year, doc)})
		futures = append(futures, workflow.ExecuteChildWorkflow(cctx, TaskListWorkflowName, din))
	}
	return futures, nil
}

// SaveTaskListInput replaces the draft (clerk or unit leader): the items of a task list, the
// text of a letter or summary.
type SaveTaskListInput struct {
	ActorID uuid.UUID
	Items   []liangze.TaskItem
	Body    string
}

// ActorInput is an action that needs no more than who does it.
type ActorInput struct {
	ActorID uuid.UUID
}

// SignTaskListInput is a signature with its written opinion (审核意见).
type SignTaskListInput struct {
	ActorID  uuid.UUID
	PersonID uuid.UUID
	Part     liangze.SignedPart
	Opinion  string
}

// ReasonInput returns or revises the list, saying why.
type ReasonInput struct {
	ActorID uuid.UUID
	Reason  string
}

// TaskListStatus is what an update on the task list answers.
type TaskListStatus struct {
	State   liangze.SignoffState
	Version int
}
