package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"liangze"
	"liangze/workflows"
)

func TestCalendarAPI(t *testing.T) {
	s := newStack(t)
	// shipped with the notice named
	code, y := s.do("inspector", "GET", "/calendar/2026", "")
	s.ok(code, y)
	if y["has_data"] != true || !strings.Contains(y["source"].(string), "国务院办公厅") || len(y["days"].([]any)) != 39 {
		t.Errorf("2026: %v", y)
	}
	// a year without data says so
	code, y = s.do("inspector", "GET", "/calendar/2027", "")
	s.ok(code, y)
	if y["has_data"] != false || !strings.Contains(y["warning"].(string), "2027") {
		t.Errorf("2027: %v", y)
	}
	code, d := s.do("inspector", "GET", "/calendar/due?start=2026-12-30T09:00:00%2B08:00&n=5&unit=working_days", "")
	s.ok(code, d)
	if d["due_at_local"] != "2027-01-07 00:00 CST" || len(d["warnings"].([]any)) != 1 {
		t.Errorf("due into 2027 without data: %v", d)
	}

	body := `{"source":"国务院办公厅关于2027年部分节假日安排的通知（测试）","days":[{"date":"2027-01-01","kind":"holiday","name":"元旦"},{"date":"2027-01-04","kind":"holiday","name":"测试"}]}`
	code, p := s.do("inspector", "PUT", "/calendar/2027", body)
	s.want(http.StatusForbidden, "", code, p)
	code, p = s.do("admin", "PUT", "/calendar/2027", `{"source":"x","days":[{"date":"2027-02-30","kind":"holiday"}]}`)
	s.want(http.StatusUnprocessableEntity, "days[0].date", code, p)
	code, p = s.do("admin", "PUT", "/calendar/2027", `{"source":"x","days":[{"date":"2027-02-03","kind":"party"}]}`)
	s.want(http.StatusUnprocessableEntity, "days[0].kind", code, p)
	code, y = s.do("admin", "PUT", "/calendar/2027", body)
	s.ok(code, y)
	if y["has_data"] != true || len(y["days"].([]any)) != 2 {
		t.Errorf("loaded 2027: %v", y)
	}
	// now 1 and 4 January 2027 are days off: two working days later
	_, d = s.do("inspector", "GET", "/calendar/due?start=2026-12-30T09:00:00%2B08:00&n=5&unit=working_days", "")
	if d["due_at_local"] != "2027-01-09 00:00 CST" || len(d["warnings"].([]any)) != 0 {
		t.Errorf("due after loading 2027: %v", d)
	}
	code, p = s.do("inspector", "GET", "/calendar/due?n=5&unit=fortnights", "")
	s.want(http.StatusUnprocessableEntity, "period.unit", code, p)
}

func TestRecomputeOpenDeadlinesThroughTheAPI(t *testing.T) {
	s := newStack(t)
	e := s.open("inspector", "interview")
	id := e["id"].(string)
	s.ok(s.do("supervisor", "POST", "/escalations/"+id+"/steps/1/decision", `{"approve":true}`))
	code, e := s.do("inspector", "POST", "/escalations/"+id+"/steps/1/talk",
		`{"conducted_by":"李明","content":"指出问题","requirements":"整改","rectification_period":{"n":5,"unit":"working_days"}}`)
	s.ok(code, e)
	step := steps(e)[0]
	due := step["due_at"].(string)
	if rule := step["due_rule"].(map[string]any); rule["zh"] != "5 个工作日" {
		t.Fatalf("due rule %v", rule)
	}
	// the admin declares the next ten days holidays
	tomorrow := time.Now().In(liangze.ChinaTime).AddDate(0, 0, 1)
	var days []string
	for d := tomorrow; d.Year() == tomorrow.Year() && d.Before(tomorrow.AddDate(0, 0, 10)); d = d.AddDate(0, 0, 1) {
		days = append(days, fmt.Sprintf(`{"date":%q,"kind":"holiday"}`, d.Format(time.DateOnly)))
	}
	s.ok(s.do("admin", "PUT", fmt.Sprintf("/calendar/%d", tomorrow.Year()),
		`{"source":"测试更正","days":[`+strings.Join(days, ",")+`]}`))
	_, body := s.do("inspector", "GET", "/escalations/"+id, "")
	if got := steps(body["escalation"].(map[string]any))[0]["due_at"]; got != due {
		t.Fatalf("editing the calendar moved the deadline from %s to %v", due, got)
	}
	code, r := s.do("inspector", "POST", "/calendar/recompute", "")
	s.want(http.StatusForbidden, "", code, r)
	code, r = s.do("admin", "POST", "/calendar/recompute", "")
	s.want(http.StatusAccepted, "", code, r)
	if r["signalled"] != 1.0 {
		t.Fatalf("recompute: %v", r)
	}
	var moved string
	for range 100 {
		_, body = s.do("inspector", "GET", "/escalations/"+id, "")
		if got := steps(body["escalation"].(map[string]any))[0]["due_at"].(string); got != due {
			moved = got
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if moved == "" || moved < due {
		t.Fatalf("deadline after recompute: %q, want later than %s", moved, due)
	}
	var actions []string
	for _, a := range body["audit"].([]any) {
		actions = append(actions, a.(map[string]any)["action"].(string))
	}
	if !strings.Contains(strings.Join(actions, ","), "reschedule_deadline") {
		t.Errorf("timeline lacks the reschedule: %v", actions)
	}
	if s.inboxKinds("donghu-leader")["deadline_changed"] != 1 {
		t.Errorf("unit leader not told of the new deadline: %v", s.inboxKinds("donghu-leader"))
	}
	// the rectification is submitted and verified, so the recorded history runs to the end
	s.ok(s.do("donghu-leader", "POST", "/escalations/"+id+"/steps/1/rectification", `{"report":"已整改"}`))
	s.ok(s.do("supervisor", "POST", "/escalations/"+id+"/steps/1/verification", `{"accepted":true}`))
	if e := s.awaitClosed(id); e["state"] != "rectified" {
		t.Errorf("final state %v", e["state"])
	}
	s.recordHistory(context.Background(), workflows.EscalationWorkflowID(uuid.MustParse(id)), "escalation_calendar_history.json")
}
