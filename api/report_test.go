package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"
	"go.temporal.io/sdk/client"

	"liangze"
	"liangze/store"
	"liangze/worker"
	"liangze/workflows"
)

// decideCase stores a case in unit decided now with one form, straight through the store.
func (s *stack) decideCase(unit string, person uuid.UUID, form liangze.AccountabilityForm) uuid.UUID {
	return s.decideCaseOf(unit, person, form, liangze.SeverityGeneral)
}

func (s *stack) decideCaseOf(unit string, person uuid.UUID, form liangze.AccountabilityForm, severity liangze.Severity) uuid.UUID {
	s.t.Helper()
	ctx := context.Background()
	id, now := uuid.New(), time.Now()
	inspector, supervisor := store.DemoID("user", "inspector"), store.DemoID("user", "supervisor")
	ch := func(k string, actor uuid.UUID) store.CaseChange {
		return store.CaseChange{Key: id.String() + k, CaseID: id, Actor: &actor, At: now}
	}
	for _, err := range []error{
		s.st.OpenCase(ctx, ch("/o", inspector), store.NewCase{ID: id, WorkflowID: "case/" + id.String(), UnitID: store.DemoID("unit", unit),
			PersonID: person, ClueSource: "x", Summary: "x", Category: "x", ViolationDate: now.AddDate(-1, 0, 0), OpenedBy: inspector,
			OpenedAt: now, Severity: severity}),
		s.st.RecordViolationFinding(ctx, ch("/v", inspector), true, "x", person),
		s.st.DecideCase(ctx, ch("/d", supervisor), inspector, []liangze.DecisionForm{{PersonID: person, Form: form, Basis: "b"}}),
	} {
		if err != nil {
			s.t.Fatal(err)
		}
	}
	return id
}

func (s *stack) raw(user, path string) (int, []byte) {
	s.t.Helper()
	req, _ := http.NewRequest("GET", s.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+s.tokens[user])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestQuarterlyReportEndToEnd(t *testing.T) {
	s := newStack(t)
	s.decideCase("donghu", store.DemoID("person", "赵丽"), liangze.FormDisciplinary)
	s.decideCase("donghu", store.DemoID("person", "孙强"), liangze.FormAdmonishment)
	s.decideCase("nanling", store.DemoID("person", "黄伟"), liangze.FormCirculated)
	now := time.Now().In(liangze.ChinaTime)
	q := liangze.Quarter{Year: now.Year(), Quarter: (int(now.Month())-1)/3 + 1}
	period := fmt.Sprintf("year=%d&quarter=%d", q.Year, q.Quarter)
	start := fmt.Sprintf(`{"year":%d,"quarter":%d}`, q.Year, q.Quarter)

	code, body := s.do("donghu-leader", "POST", "/reports/start", start)
	s.want(http.StatusForbidden, "", code, body)
	code, body = s.do("admin", "POST", "/reports/start", start)
	s.want(http.StatusAccepted, "", code, body)
	if body["started"] != 7.0 {
		t.Fatalf("start: %v", body)
	}
	if _, body = s.do("admin", "POST", "/reports/start", start); body["started"] != 0.0 || body["existing"] != 7.0 {
		t.Errorf("second start: %v, want nothing new", body)
	}
	var donghuReport map[string]any
	for range 100 {
		_, list := s.do("donghu-leader", "GET", "/reports?"+period, "")
		if items := list["items"].([]any); len(items) == 1 {
			donghuReport = items[0].(map[string]any)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if donghuReport == nil {
		t.Fatal("donghu's report never appeared in its leader's list")
	}
	id := donghuReport["id"].(string)
	pre := donghuReport["prefill"].(map[string]any)
	if pre["cases"] != 2.0 || pre["persons_held_accountable"] != 2.0 || len(pre["typical_cases"].([]any)) != 2 {
		t.Fatalf("prefill %v", pre)
	}
	if donghuReport["due_rule"].(map[string]any)["zh"] != "5 个工作日" {
		t.Errorf("due rule %v", donghuReport["due_rule"])
	}

	s.ok(s.do("donghu-clerk", "POST", "/reports/"+id+"/edit", `{"form":{"cases":2,"persons_held_accountable":2,
		"by_form":{"disciplinary":1,"admonishment":1},"by_level":{"0":2},"typical_cases":[]},"notes":"已核对，无典型案例"}`))
	code, body = s.do("donghu-clerk", "POST", "/reports/"+id+"/submit", `{}`)
	s.want(http.StatusForbidden, "", code, body) // the leader submits
	s.ok(s.do("donghu-leader", "POST", "/reports/"+id+"/submit", `{}`))
	code, body = s.do("supervisor", "POST", "/reports/"+id+"/review", `{"accept":false}`)
	s.want(http.StatusUnprocessableEntity, "comment", code, body)
	s.ok(s.do("supervisor", "POST", "/reports/"+id+"/review", `{"accept":false,"comment":"请补充典型案例"}`))
	if s.inboxKinds("donghu-leader")["report_returned"] != 1 {
		t.Errorf("leader not told of the return: %v", s.inboxKinds("donghu-leader"))
	}
	s.ok(s.do("donghu-clerk", "POST", "/reports/"+id+"/edit", fmt.Sprintf(`{"form":{"cases":2,"persons_held_accountable":2,
		"by_form":{"disciplinary":1,"admonishment":1},"by_level":{"0":2},"typical_cases":[%q]},"notes":"补充典型案例"}`,
		pre["typical_cases"].([]any)[0])))
	s.ok(s.do("donghu-leader", "POST", "/reports/"+id+"/submit", `{}`))
	code, body = s.do("supervisor", "POST", "/reports/"+id+"/review", `{"accept":true}`)
	s.ok(code, body)
	if body["state"] != "accepted" {
		t.Fatalf("after review: %v", body)
	}

	code, sum := s.do("supervisor", "GET", "/reports/summary?"+period, "")
	s.ok(code, sum)
	total := sum["total"].(map[string]any)
	if total["cases"] != 2.0 || len(sum["accepted"].([]any)) != 1 || len(sum["missing"].([]any)) != 5 {
		t.Errorf("county summary: total %v, accepted %d, missing %d", total, len(sum["accepted"].([]any)), len(sum["missing"].([]any)))
	}

	code, csvBody := s.raw("supervisor", "/reports/"+id+"/export?format=csv")
	if code != http.StatusOK || !strings.Contains(string(csvBody), "问责方式：纪律处分,Form: Party/government discipline,1") {
		t.Errorf("csv export %d:\n%s", code, csvBody)
	}
	code, xl := s.raw("supervisor", "/reports/summary/export?format=xlsx&"+period)
	if code != http.StatusOK {
		t.Fatalf("xlsx export: %d %s", code, xl)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xl))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	title, _ := f.GetCellValue("季报", "A1")
	header, _ := f.GetCellValue("季报", "A2")
	item, _ := f.GetCellValue("季报", "A3")
	cases, _ := f.GetCellValue("季报", "C3")
	if !strings.Contains(title, "青山县") || header != "项目" || item != "问责案件数" || cases != "2" {
		t.Errorf("xlsx cells: %q %q %q %q", title, header, item, cases)
	}
	code, body = s.do("supervisor", "GET", "/reports/summary/export?format=pdf&"+period, "")
	s.want(http.StatusUnprocessableEntity, "format", code, body)
	code, page := s.raw("supervisor", "/reports/summary/print?"+period)
	if code != http.StatusOK || !strings.Contains(string(page), "青山县 责任追究季报汇总表") ||
		!strings.Contains(string(page), "未报送：南岭镇") || !strings.Contains(string(page), `<td class="n">2</td>`) {
		t.Errorf("printable summary %d:\n%s", code, page)
	}
	s.recordHistory(context.Background(), donghuReport["workflow_id"].(string), "report_history.json")
}

// The quarterly schedule, triggered now, starts every unit's report for this quarter once.
func TestQuarterlyReportSchedule(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	county := store.DemoID("unit", "county")
	timing := workflows.ReportTiming{Grace: liangze.Period{N: 5, Unit: liangze.WorkingDays}, Escalation: e2eTiming}
	for i, want := range []bool{true, false} {
		created, err := worker.EnsureReportSchedule(ctx, s.temporal, s.queue, county, timing)
		if err != nil || created != want {
			t.Fatalf("ensure schedule #%d: created %t, %v", i+1, created, err)
		}
	}
	h := s.temporal.ScheduleClient().GetHandle(ctx, worker.ReportScheduleID(county))
	desc, err := h.Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if next := desc.Info.NextActionTimes; len(next) == 0 || next[0].In(liangze.ChinaTime).Day() != 1 ||
		next[0].In(liangze.ChinaTime).Month()%3 != 0 {
		t.Errorf("next runs %v, want the first day of a quarter's last month", next)
	}
	for i, want := range []bool{true, false} {
		created, err := worker.EnsureNoticeSchedule(ctx, s.temporal, s.queue, county)
		if err != nil || created != want {
			t.Fatalf("ensure notice schedule #%d: created %t, %v", i+1, created, err)
		}
	}
	nd, err := s.temporal.ScheduleClient().GetHandle(ctx, worker.NoticeScheduleID(county)).Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if next := nd.Info.NextActionTimes; len(next) == 0 || next[0].In(liangze.ChinaTime).Day() != 1 ||
		next[0].In(liangze.ChinaTime).Month()%2 != 1 {
		t.Errorf("next notice runs %v, want the first day of an odd month", next)
	}
	if err := h.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(liangze.ChinaTime)
	period := fmt.Sprintf("year=%d&quarter=%d", now.Year(), (int(now.Month())-1)/3+1)
	for range 150 {
		if _, list := s.do("supervisor", "GET", "/reports?"+period, ""); list["total"] == 7.0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the triggered schedule did not open the seven units' reports")
}
