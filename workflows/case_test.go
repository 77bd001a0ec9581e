package workflows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"liangze"
	"liangze/activities"
)

// caseTest drives a case workflow and its level children in the SDK's test environment.
// The org tree is town → county → province; each level's leader is known by tenure.
type caseTest struct {
	t        *testing.T
	env      *testsuite.TestWorkflowEnvironment
	caseID   uuid.UUID
	calls    []string
	when     map[string][]time.Time
	refusals []string
}

var (
	town, county, province        = uuid.New(), uuid.New(), uuid.New()
	townHead, countyHead, govHead = uuid.New(), uuid.New(), uuid.New()
	culprit                       = uuid.New()
)

func newCaseTest(t *testing.T) *caseTest {
	var suite testsuite.WorkflowTestSuite
	c := &caseTest{t: t, env: suite.NewTestWorkflowEnvironment(), caseID: uuid.New(), when: map[string][]time.Time{}}
	c.env.RegisterWorkflowWithOptions(CaseWorkflow, workflow.RegisterOptions{Name: CaseWorkflowName})
	c.env.RegisterWorkflowWithOptions(ResponsibilityWorkflow, workflow.RegisterOptions{Name: ResponsibilityWorkflowName})
	c.env.RegisterActivity(&activities.Activities{})
	record := func(name string, arg func(mock.Arguments) string) func(mock.Arguments) {
		return func(args mock.Arguments) {
			c.calls = append(c.calls, name+arg(args))
			c.when[name] = append(c.when[name], c.env.Now())
		}
	}
	none := func(mock.Arguments) string { return "" }
	for name, fn := range map[string]any{"OpenCase": a.OpenCase, "ExtendCaseStage": a.ExtendCaseStage,
		"DecideCase": a.DecideCase, "RecordViolationFinding": a.RecordViolationFinding} {
		c.env.OnActivity(fn, mock.Anything, mock.Anything, mock.Anything).Run(record(name, none)).Return(nil).Maybe()
		c.env.OnActivity(fn, mock.Anything, mock.Anything).Run(record(name, none)).Return(nil).Maybe()
	}
	c.env.OnActivity(a.SetCaseStage, mock.Anything, mock.Anything).Run(record("SetCaseStage", func(args mock.Arguments) string {
		return "(" + string(args.Get(1).(activities.StageParams).Stage) + ")"
	})).Return(nil).Maybe()
	c.env.OnActivity(a.DecideFiling, mock.Anything, mock.Anything).Run(record("DecideFiling", func(args mock.Arguments) string {
		return fmt.Sprintf("(%t)", args.Get(1).(activities.FilingParams).File)
	})).Return(nil).Maybe()
	c.env.OnActivity(a.RemindCaseDeadline, mock.Anything, mock.Anything).Run(record("RemindCaseDeadline", func(args mock.Arguments) string {
		p := args.Get(1).(activities.CaseReminderParams)
		return fmt.Sprintf("(%s,overdue=%t)", p.Stage, p.Overdue)
	})).Return(nil).Maybe()
	c.env.OnActivity(a.RecordLevelFinding, mock.Anything, mock.Anything).Run(record("RecordLevelFinding", func(args mock.Arguments) string {
		p := args.Get(1).(activities.LevelFindingParams)
		return fmt.Sprintf("(%d,fault=%t)", p.Level, p.Finding.PrimaryAtFault || p.Finding.SupervisoryAtFault)
	})).Return(nil).Maybe()
	// days count as calendar days; one reminder a day before
	c.env.OnActivity(a.ComputeDeadline, mock.Anything, mock.Anything).Return(
		func(_ context.Context, p activities.DeadlineParams) (activities.DeadlineResult, error) {
			due := p.Start.Add(time.Duration(p.Period.N) * day)
			return activities.DeadlineResult{Deadline: liangze.Deadline{At: due, Rule: p.Period.Label()},
				RemindAt: []time.Time{due.Add(-day)}}, nil
		}).Maybe()
	parents := map[uuid.UUID]*uuid.UUID{town: &county, county: &province, province: nil}
	heads := map[uuid.UUID]uuid.UUID{town: townHead, county: countyHead, province: govHead}
	c.env.OnActivity(a.OpenCaseLevel, mock.Anything, mock.Anything).Return(
		func(_ context.Context, p activities.LevelParams) (liangze.LevelEvidence, error) {
			c.calls = append(c.calls, fmt.Sprintf("OpenCaseLevel(%d)", p.Level))
			return liangze.LevelEvidence{ParentID: parents[p.UnitID], LeadersAt: []liangze.LeaderAt{
				{PersonID: heads[p.UnitID], Kind: liangze.PositionFirstResponsible, Current: p.UnitID != town}}}, nil
		}).Maybe()
	return c
}

func (c *caseTest) update(d time.Duration, workflowID, name string, arg any) {
	c.env.RegisterDelayedCallback(func() {
		cb := &testsuite.TestUpdateCallback{OnAccept: func() {}, OnReject: func(err error) {
			var app *temporal.ApplicationError
			if errors.As(err, &app) {
				c.refusals = append(c.refusals, app.Type())
				c.t.Logf("refused %s: %s", name, app.Message())
			} else {
				c.refusals = append(c.refusals, err.Error())
			}
		}, OnComplete: func(_ any, err error) {
			if err != nil {
				c.t.Errorf("update %s: %v", name, err)
			}
		}}
		if workflowID == "" {
			c.env.UpdateWorkflow(name, uuid.NewString(), cb, arg)
		} else if err := c.env.UpdateWorkflowByID(workflowID, name, uuid.NewString(), cb, arg); err != nil {
			c.t.Errorf("update %s of %s: %v", name, workflowID, err)
		}
	}, d)
}

func (c *caseTest) level(d time.Duration, n int, in LevelFindingInput) {
	c.update(d, LevelWorkflowID(c.caseID, n), UpdateRecordLevelFinding, in)
}

func (c *caseTest) run() CaseStatus {
	c.env.ExecuteWorkflow(CaseWorkflowName, CaseInput{CaseID: c.caseID, UnitID: town, PersonID: culprit,
		ClueSource: "信访举报", Summary: "违规收受礼金", Category: "廉洁纪律", ViolationDate: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC),
		OpenedBy: inspector, Timing: CaseTiming{Verification: liangze.Period{N: 30, Unit: liangze.CalendarDays},
			Investigation: liangze.Period{N: 90, Unit: liangze.CalendarDays}}})
	if !c.env.IsWorkflowCompleted() {
		c.t.Fatal("case workflow did not complete")
	}
	var st CaseStatus
	if err := c.env.GetWorkflowResult(&st); err != nil {
		c.t.Fatalf("%v\ncalls: %v\nrefusals: %v", err, c.calls, c.refusals)
	}
	return st
}

func (c *caseTest) wantCalls(want ...string) {
	c.t.Helper()
	if got := strings.Join(c.calls, " "); got != strings.Join(want, " ") {
		c.t.Errorf("activities:\n got %s\nwant %s", got, strings.Join(want, " "))
	}
}

func (c *caseTest) wantRefusals(want ...string) {
	c.t.Helper()
	if got := strings.Join(c.refusals, ","); got != strings.Join(want, ",") {
		c.t.Errorf("refused updates: got [%s], want [%s]", got, strings.Join(want, ","))
	}
}

func fault(persons ...uuid.UUID) LevelFindingInput {
	in := LevelFindingInput{ActorID: inspector, PrimaryAtFault: true, Summary: "主体责任落实不力"}
	for _, p := range persons {
		in.Persons = append(in.Persons, liangze.Finding{PersonID: p, Collective: false, Direct: false})
	}
	return in
}

var cleared = LevelFindingInput{ActorID: inspector, Summary: "已履行主体责任和监督责任"}

func (c *caseTest) fileAndFindViolation() {
	c.update(time.Hour, "", UpdateDecideFiling, FilingInput{ActorID: inspector, File: true}) // four-eyes
	c.update(2*time.Hour, "", UpdateDecideFiling, FilingInput{ActorID: supervisor, File: true})
	c.update(3*day, "", UpdateRecordViolation, ViolationInput{ActorID: inspector, Established: true, Finding: "收受礼金2万元"})
}

func (c *caseTest) decide(at time.Duration, persons ...uuid.UUID) {
	var forms []liangze.DecisionForm
	for _, p := range persons {
		forms = append(forms, liangze.DecisionForm{PersonID: p, Form: liangze.FormAdmonishment, Basis: "《中国共产党问责条例》第八条"})
	}
	c.update(at, "", UpdateProposeDecision, DecisionInput{ActorID: inspector, Forms: forms})
	c.update(at+time.Hour, "", UpdateDecideDecision, ApprovalInput{ActorID: inspector, Approve: true}) // four-eyes
	c.update(at+2*time.Hour, "", UpdateDecideDecision, ApprovalInput{ActorID: supervisor, Approve: true})
}

func TestCaseFilingRejected(t *testing.T) {
	c := newCaseTest(t)
	c.update(time.Hour, "", UpdateDecideFiling, FilingInput{ActorID: supervisor, File: false}) // no reason
	c.update(2*time.Hour, "", UpdateDecideFiling, FilingInput{ActorID: supervisor, File: false, Comment: "线索不实"})
	if st := c.run(); st.Stage != liangze.StageClosed || len(st.Chain) != 0 {
		t.Errorf("status %+v", st)
	}
	c.wantRefusals(liangze.EINVALID)
	c.wantCalls("OpenCase", "SetCaseStage(verification)", "DecideFiling(false)")
}

func TestCaseClearedAtFirstLevel(t *testing.T) {
	c := newCaseTest(t)
	c.fileAndFindViolation()
	c.level(4*day, 1, fault(countyHead)) // not a leader of the town on the day: refused
	c.level(5*day, 1, cleared)
	c.decide(6*day, townHead) // not found responsible: refused
	c.decide(7*day, culprit)
	st := c.run()
	if st.Stage != liangze.StageClosed || len(st.Chain) != 1 || st.Chain[0].AtFault {
		t.Errorf("status %+v", st)
	}
	c.wantRefusals(liangze.EFORBIDDEN, liangze.EINVALID, liangze.EINVALID, liangze.ECONFLICT, liangze.ECONFLICT, liangze.EFORBIDDEN)
	c.wantCalls("OpenCase", "SetCaseStage(verification)", "DecideFiling(true)", "SetCaseStage(investigation)",
		"OpenCaseLevel(1)", "RecordViolationFinding", "RecordLevelFinding(1,fault=false)", "SetCaseStage(decision)", "DecideCase")
}

func TestCaseTracedUpThreeLevelsToACleared(t *testing.T) {
	c := newCaseTest(t)
	c.fileAndFindViolation()
	c.level(5*day, 1, fault(townHead))
	c.level(6*day, 2, fault(countyHead))
	c.level(7*day, 3, cleared)
	c.decide(8*day, culprit, townHead, countyHead)
	st := c.run()
	if len(st.Chain) != 3 || !st.Chain[0].AtFault || !st.Chain[1].AtFault || st.Chain[2].AtFault {
		t.Fatalf("chain %+v, want at fault, at fault, cleared", st.Chain)
	}
	if st.Chain[1].UnitID != county || st.Chain[2].UnitID != province {
		t.Errorf("chain units %+v, want town → county → province", st.Chain)
	}
}

func TestCaseTracedToTheTop(t *testing.T) {
	c := newCaseTest(t)
	c.fileAndFindViolation()
	c.level(5*day, 1, fault(townHead))
	c.level(6*day, 2, fault(countyHead))
	c.level(7*day, 3, fault(govHead)) // the province has no parent: the chain ends here
	c.decide(8*day, townHead)
	st := c.run()
	if len(st.Chain) != 3 || !st.Chain[2].AtFault {
		t.Errorf("chain %+v, want three levels at fault, ending at the top", st.Chain)
	}
}

func TestCaseDeadlineRemindersOverdueAndExtensions(t *testing.T) {
	c := newCaseTest(t)
	// verification is due on day 30, reminded on day 29
	c.update(5*day, "", UpdateRequestExtension, ExtensionInput{ActorID: inspector, Period: liangze.Period{N: 10, Unit: liangze.CalendarDays}, Reason: "需调取银行流水"})
	c.update(6*day, "", UpdateDecideExtension, ApprovalInput{ActorID: inspector, Approve: true}) // own request
	c.update(7*day, "", UpdateDecideExtension, ApprovalInput{ActorID: supervisor, Approve: false, Comment: "期限充足"})
	c.update(8*day, "", UpdateRequestExtension, ExtensionInput{ActorID: inspector, Period: liangze.Period{N: 10, Unit: liangze.CalendarDays}, Reason: "证人外出"})
	c.update(9*day, "", UpdateDecideExtension, ApprovalInput{ActorID: supervisor2, Approve: true}) // due day 40
	c.update(45*day, "", UpdateDecideFiling, FilingInput{ActorID: supervisor, File: false, Comment: "不予立案"})
	c.run()
	c.wantRefusals(liangze.EFORBIDDEN)
	reminders := c.when["RemindCaseDeadline"]
	start := c.when["OpenCase"][0]
	if len(reminders) != 2 || reminders[0].Sub(start) != 39*day || reminders[1].Sub(start) != 40*day {
		t.Errorf("reminders at %v after the start, want day 39 (reminder) and day 40 (overdue)", reminders)
	}
	c.wantCalls("OpenCase", "SetCaseStage(verification)", "ExtendCaseStage",
		"RemindCaseDeadline(verification,overdue=false)", "RemindCaseDeadline(verification,overdue=true)", "DecideFiling(false)")
}

// Configured so, a missed stage deadline opens an escalation against the inspector's unit.
func TestCaseOverdueOpensEscalation(t *testing.T) {
	c := newCaseTest(t)
	c.env.RegisterWorkflowWithOptions(EscalationWorkflow, workflow.RegisterOptions{Name: EscalationWorkflowName})
	escalations := mockEscalations(c.env, liangze.EscalationRectified)
	c.update(35*day, "", UpdateDecideFiling, FilingInput{ActorID: supervisor, File: false, Comment: "不予立案"})
	c.env.ExecuteWorkflow(CaseWorkflowName, CaseInput{CaseID: c.caseID, UnitID: town, PersonID: culprit, ClueSource: "x",
		Summary: "x", Category: "x", ViolationDate: time.Now(), OpenedBy: inspector, InspectorUnitID: county,
		Timing: CaseTiming{Verification: liangze.Period{N: 30, Unit: liangze.CalendarDays}, OverdueEscalation: &testTiming}})
	if err := c.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if opened := *escalations; len(opened) != 1 || opened[0].UnitID != county || opened[0].Level != liangze.LevelAutoReminder {
		t.Errorf("escalations opened: %+v, want one automatic reminder against the inspector's unit", *escalations)
	}
}
