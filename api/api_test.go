package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/server/temporaltest"

	"liangze"
	"liangze/activities"
	"liangze/api"
	"liangze/store"
	"liangze/store/storetest"
	"liangze/worker"
	"liangze/workflows"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// stack is the whole system on real parts: PostgreSQL, an in-process Temporal server, a
// worker and the API over HTTP.
type stack struct {
	t        *testing.T
	temporal client.Client
	queue    string
	st       *store.Store
	url      string
	tokens   map[string]string
}

var e2eTiming = workflows.Timing{RectificationPeriod: 6 * time.Second, AutoReminderPeriod: 6 * time.Second,
	ReminderOffsets: []time.Duration{4 * time.Second, 2 * time.Second}}

var e2eCaseTiming = workflows.CaseTiming{Verification: liangze.Period{N: 30, Unit: liangze.CalendarDays},
	Investigation: liangze.Period{N: 90, Unit: liangze.CalendarDays}, Reminders: []liangze.Period{{N: 1, Unit: liangze.WorkingDays}}}

func newStack(t *testing.T) *stack {
	t.Helper()
	st := storetest.New(t)
	ctx := context.Background()
	if err := st.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	queue := "e2e-" + uuid.NewString()
	acts := &activities.Activities{Store: st, Notifier: activities.LogNotifier{Log: log}}
	ts.NewWorker(queue, func(r sdkworker.Registry) { worker.Register(r, acts) })
	tokens := api.Tokens{Secret: []byte("e2e-secret-e2e-secret-e2e-secret!"), Issuer: "liangze"}
	srv := &api.Server{Store: st, Temporal: ts.GetDefaultClient(), Tokens: tokens, TaskQueue: queue,
		Timing: e2eTiming, CaseTiming: e2eCaseTiming, Log: log,
		ReportTiming: workflows.ReportTiming{Grace: liangze.Period{N: 5, Unit: liangze.WorkingDays}, Escalation: e2eTiming},
		SignoffTiming: workflows.SignoffTiming{TaskListBy: "01-31", Grace: liangze.Period{N: 10, Unit: liangze.WorkingDays},
			Reminders: []liangze.Period{{N: 1, Unit: liangze.WorkingDays}}, Escalation: e2eTiming,
			Documents: []liangze.Document{liangze.DocLetter, liangze.DocSummary}, LetterBy: "01-31", SummaryBy: "12-31",
			Duties: workflows.DutyTimings(func(by string, _ int) (string, liangze.Period) {
				return by, liangze.Period{N: 10, Unit: liangze.WorkingDays}
			})}}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	s := &stack{t: t, temporal: ts.GetDefaultClient(), queue: queue, st: st, url: hs.URL + "/api/v1", tokens: map[string]string{}}
	for _, du := range store.DemoUsers {
		u, err := st.UserByName(ctx, du.Username)
		if err != nil {
			t.Fatal(err)
		}
		if s.tokens[du.Username], err = tokens.Issue(u, time.Hour, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// do sends a request as user (no token if user is "") and decodes the JSON answer.
func (s *stack) do(user, method, path, body string) (int, map[string]any) {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.url+path, strings.NewReader(body))
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+s.tokens[user])
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			s.t.Fatalf("%s %s: %d, not JSON: %s", method, path, resp.StatusCode, raw)
		}
	}
	if resp.StatusCode >= 400 && resp.Header.Get("Content-Type") != "application/problem+json" {
		s.t.Errorf("%s %s: %d with content type %q, want application/problem+json", method, path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return resp.StatusCode, out
}

// want checks the status, and for errors the problem's field when one is named.
func (s *stack) want(status int, field string, gotStatus int, body map[string]any) {
	s.t.Helper()
	if gotStatus != status {
		s.t.Fatalf("status %d, want %d: %v", gotStatus, status, body)
	}
	if field != "" && body["field"] != field {
		s.t.Errorf("problem names field %v, want %s: %v", body["field"], field, body)
	}
}

func steps(e map[string]any) []map[string]any {
	var out []map[string]any
	list, _ := e["steps"].([]any)
	for _, s := range list {
		out = append(out, s.(map[string]any))
	}
	return out
}

var (
	donghu = store.DemoID("unit", "donghu")
	chen   = store.DemoID("person", "陈志强")
)

func (s *stack) open(user, level string) map[string]any {
	s.t.Helper()
	code, e := s.do(user, "POST", "/escalations", fmt.Sprintf(
		`{"unit_id":%q,"person_id":%q,"level":%q,"problem":"责任分解未落实到班子成员","reason":"专项检查发现"}`, donghu, chen, level))
	s.want(http.StatusCreated, "", code, e)
	return e
}

// awaitStep polls the escalation until step no is in state.
func (s *stack) awaitStep(id string, no int, state liangze.StepState) map[string]any {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, body := s.do("inspector", "GET", "/escalations/"+id, "")
		e := body["escalation"].(map[string]any)
		if st := steps(e); len(st) >= no && st[no-1]["state"] == string(state) {
			return e
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("step %d of %s never reached %s: %v", no, id, state, e)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestLadderEndToEnd(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	e := s.open("supervisor", "interview")
	id := e["id"].(string)

	// four-eyes: the supervisor who proposed may not approve; the workflow's validator refuses
	// the problem list holds it, open, for the unit and in the county's view
	_, problems := s.do("donghu-leader", "GET", "/problems?open=true", "")
	if problems["total"] != 1.0 || problems["items"].([]any)[0].(map[string]any)["escalation_id"] != id {
		t.Errorf("open problems: %v", problems)
	}
	code, body := s.do("supervisor", "GET", "/problems?severity=urgent", "")
	s.want(http.StatusUnprocessableEntity, "severity", code, body)

	code, body = s.do("supervisor", "POST", "/escalations/"+id+"/steps/1/decision", `{"approve":true}`)
	s.want(http.StatusForbidden, "", code, body)
	if !strings.Contains(body["detail"].(string), "four-eyes") {
		t.Errorf("four-eyes refusal detail = %v", body["detail"])
	}
	code, body = s.do("supervisor2", "POST", "/escalations/"+id+"/steps/1/decision", `{"approve":true,"comment":"同意约谈"}`)
	s.want(http.StatusOK, "", code, body)
	code, body = s.do("supervisor2", "POST", "/escalations/"+id+"/steps/1/decision", `{"approve":true}`)
	s.want(http.StatusConflict, "", code, body)

	talk := `{"conducted_by":"李明","content":"指出问题","requirements":"一周内完成责任分解并签字背书"}`
	code, body = s.do("inspector", "POST", "/escalations/"+id+"/steps/1/talk", talk)
	s.want(http.StatusOK, "", code, body)
	if steps(body)[0]["due_at"] == nil {
		t.Fatalf("talk set no deadline: %v", body)
	}

	// nothing is rectified: reminders go out, the deadline passes, step 2 (函询) is proposed by the system
	e = s.awaitStep(id, 2, liangze.StepAwaitingApproval)
	st := steps(e)
	if st[0]["state"] != "overdue" || st[1]["level"] != "written_inquiry" || st[1]["proposed_by"] != nil {
		t.Fatalf("after the deadline: %v", st)
	}
	kinds := s.inboxKinds("donghu-leader")
	for _, k := range []string{"rectification_required", "due_soon", "overdue"} {
		if kinds[k] == 0 {
			t.Errorf("unit leader's inbox lacks %s: %v", k, kinds)
		}
	}
	if kinds["due_soon"] != 2 {
		t.Errorf("due_soon reminders = %d, want one per offset (2)", kinds["due_soon"])
	}
	if s.inboxKinds("supervisor2")["approval_needed"] != 2 {
		t.Errorf("supervisor's inbox: %v, want two approval requests", s.inboxKinds("supervisor2"))
	}

	// the system's proposal may be approved by any supervisor; then rectified and verified
	code, body = s.do("supervisor", "POST", "/escalations/"+id+"/steps/2/decision", `{"approve":true}`)
	s.want(http.StatusOK, "", code, body)
	s.ok(s.do("inspector", "POST", "/escalations/"+id+"/steps/2/talk",
		`{"conducted_by":"县纪委","content":"发函询问","requirements":"书面说明并整改","rectification_days":30}`))
	s.ok(s.do("donghu-leader", "POST", "/escalations/"+id+"/steps/2/rectification", `{"report":"已完成责任分解"}`))
	code, body = s.do("inspector", "POST", "/escalations/"+id+"/steps/2/verification", `{"accepted":true}`)
	s.want(http.StatusOK, "", code, body)

	e = s.awaitClosed(id)
	if e["state"] != "rectified" {
		t.Fatalf("final state %v", e["state"])
	}
	if _, problems := s.do("supervisor", "GET", "/problems?open=false&unit_id="+donghu.String(), ""); problems["total"] != 1.0 {
		t.Errorf("closed problems of Donghu: %v, want the rectified one", problems)
	}
	s.checkRows(ctx, id)
	s.recordHistory(ctx, workflows.EscalationWorkflowID(uuid.MustParse(id)), "escalation_history.json")
}

// recordHistory writes a workflow's history as JSON into the folder named by
// LIANGZE_RECORD_HISTORY, if set, for the replay test in workflows/:
// LIANGZE_RECORD_HISTORY=$PWD/workflows/testdata go test ./api/
func (s *stack) recordHistory(ctx context.Context, workflowID, name string) {
	dir := os.Getenv("LIANGZE_RECORD_HISTORY")
	if dir == "" {
		return
	}
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err == nil {
		s.t.Logf("%s exists: not overwritten (old histories are what the replay test keeps)", path)
		return
	}
	hist := &historypb.History{}
	iter := s.temporal.GetWorkflowHistory(ctx, workflowID, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			s.t.Fatal(err)
		}
		hist.Events = append(hist.Events, ev)
	}
	raw, err := temporalproto.CustomJSONMarshalOptions{Indent: " "}.Marshal(hist)
	if err == nil {
		err = os.WriteFile(path, raw, 0o644)
	}
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Logf("wrote %d events to %s", len(hist.Events), path)
}

// ok checks a request succeeded with 200.
func (s *stack) ok(code int, body map[string]any) {
	s.t.Helper()
	s.want(http.StatusOK, "", code, body)
}

func (s *stack) awaitClosed(id string) map[string]any {
	s.t.Helper()
	for range 150 {
		_, body := s.do("inspector", "GET", "/escalations/"+id, "")
		if e := body["escalation"].(map[string]any); e["state"] != "open" {
			return e
		}
		time.Sleep(200 * time.Millisecond)
	}
	s.t.Fatalf("escalation %s never closed", id)
	return nil
}

func (s *stack) inboxKinds(user string) map[string]int {
	s.t.Helper()
	code, body := s.do(user, "GET", "/reminders?page_size=100", "")
	s.want(http.StatusOK, "", code, body)
	kinds := map[string]int{}
	for _, r := range body["items"].([]any) {
		kinds[r.(map[string]any)["kind"].(string)]++
	}
	return kinds
}

// checkRows looks at what the database holds after the whole ladder.
func (s *stack) checkRows(ctx context.Context, id string) {
	eid := uuid.MustParse(id)
	trail, err := s.st.AuditTrail(ctx, "escalation", id)
	if err != nil {
		s.t.Fatal(err)
	}
	var actions []string
	for _, a := range trail {
		if a.Action != "remind" {
			actions = append(actions, a.Action)
		}
	}
	want := "open,propose_step,approve_step,record_talk,mark_overdue,propose_step,approve_step,record_talk," +
		"submit_rectification,verify_rectification,close"
	if got := strings.Join(actions, ","); got != want {
		s.t.Errorf("audit trail:\n got %s\nwant %s", got, want)
	}
	e, err := s.st.Escalation(ctx, eid)
	if err != nil {
		s.t.Fatal(err)
	}
	if e.State != liangze.EscalationRectified || e.ClosedAt == nil || len(e.Steps) != 2 {
		s.t.Errorf("stored escalation: %+v", e)
	}
	// 30 calendar days, ending at 24:00 and moved past rest days: 30 to 34 days on
	if got := e.Steps[1].DueAt.Sub(e.Steps[1].ProposedAt); got < 30*24*time.Hour || got > 34*24*time.Hour ||
		e.Steps[1].DueRule.ZH != "30 日" {
		s.t.Errorf("step 2 due %v after its proposal by rule %v, want the 30 days the talk set", got, e.Steps[1].DueRule)
	}
}
