package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"liangze"
	"liangze/store"
	"liangze/worker"
	"liangze/workflows"
)

// taskItem is one task-list item in JSON, led by the named demo person.
func taskItem(person, kind string) string {
	return fmt.Sprintf(`{"content":"落实%s分管领域党风廉政建设责任","lead_leader_id":%q,"kind":%q,
		"lead_departments":["党政办"],"assisting_departments":["纪委"],"deadline":"2027-12-31","standard":"每季度研究部署1次"}`,
		person, store.DemoID("person", person), kind)
}

func TestAnnualSignoffTaskListEndToEnd(t *testing.T) {
	s := newStack(t)
	start := `{"year":2027}`
	code, body := s.do("donghu-leader", "POST", "/signoffs/start", start)
	s.want(http.StatusForbidden, "", code, body)
	code, body = s.do("admin", "POST", "/signoffs/start", `{"year":1999}`)
	s.want(http.StatusUnprocessableEntity, "year", code, body)
	code, body = s.do("admin", "POST", "/signoffs/start", start)
	s.want(http.StatusAccepted, "", code, body)
	if body["started"] != 7.0 {
		t.Fatalf("start: %v", body)
	}
	if _, body = s.do("admin", "POST", "/signoffs/start", start); body["started"] != 0.0 || body["existing"] != 7.0 {
		t.Errorf("second start: %v, want nothing new", body)
	}

	var id string
	for range 100 {
		_, list := s.do("donghu-clerk", "GET", "/signoffs?year=2027", "")
		if items, _ := list["items"].([]any); len(items) == 1 {
			id = items[0].(map[string]any)["id"].(string)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if id == "" {
		t.Fatal("donghu's sign-off never appeared in its clerk's list")
	}
	_, got := s.do("donghu-clerk", "GET", "/signoffs/"+id, "")
	so := got["signoff"].(map[string]any)
	if len(so["leaders"].([]any)) != 3 || len(so["missing_leaders"].([]any)) != 3 || so["due_rule"].(map[string]any)["zh"] != "2027年1月31日前" {
		t.Fatalf("opened sign-off: %v", so)
	}

	path := "/signoffs/" + id
	code, body = s.do("donghu-clerk", "POST", path+"/tasks", `{"items":[{"content":""}]}`)
	s.want(http.StatusUnprocessableEntity, "items[0].content", code, body)
	code, body = s.do("donghu-clerk", "POST", path+"/tasks", `{"items":[`+strings.Replace(taskItem("陈志强", "principal"), "2027-12-31", "2026-12-31", 1)+`]}`)
	s.want(http.StatusUnprocessableEntity, "items[0].deadline", code, body)
	code, body = s.do("donghu-clerk", "POST", path+"/tasks", `{"items":[`+taskItem("黄伟", "important")+`]}`) // Nanling's secretary
	s.want(http.StatusUnprocessableEntity, "items[0].lead_leader_id", code, body)
	s.ok(s.do("donghu-clerk", "POST", path+"/tasks", `{"items":[`+taskItem("陈志强", "principal")+`]}`))
	code, body = s.do("donghu-clerk", "POST", path+"/submit", `{}`)
	s.want(http.StatusUnprocessableEntity, "items", code, body)
	if !strings.Contains(body["detail"].(string), "赵丽") {
		t.Errorf("refusal does not name the leader without an item: %v", body)
	}
	all := `{"items":[` + taskItem("陈志强", "principal") + "," + taskItem("赵丽", "important") + "," + taskItem("孙强", "important") + `]}`
	s.ok(s.do("donghu-clerk", "POST", path+"/tasks", all))
	code, body = s.do("donghu-clerk", "POST", path+"/submit", `{}`)
	s.ok(code, body)
	if body["state"] != "awaiting_head" {
		t.Fatalf("after submit: %v", body["state"])
	}
	code, body = s.do("donghu-clerk", "POST", path+"/tasks", all)
	s.want(http.StatusConflict, "", code, body)

	code, body = s.do("donghu-discipline", "POST", path+"/sign", `{"part":"supervisory","opinion":"同意"}`)
	s.want(http.StatusConflict, "", code, body) // the head signs first
	code, body = s.do("donghu-discipline", "POST", path+"/sign", `{"part":"primary","opinion":"同意"}`)
	s.want(http.StatusForbidden, "", code, body)
	code, body = s.do("donghu-clerk", "POST", path+"/sign", `{"part":"primary","opinion":"同意"}`)
	s.want(http.StatusForbidden, "", code, body)
	code, body = s.do("donghu-leader", "POST", path+"/sign", `{"part":"primary"}`)
	s.want(http.StatusUnprocessableEntity, "opinion", code, body)
	code, body = s.do("donghu-leader", "POST", path+"/sign", `{"part":"primary","opinion":"任务分解到人，同意"}`)
	s.ok(code, body)
	code, body = s.do("donghu-discipline", "POST", path+"/sign", `{"part":"supervisory","opinion":"已审核，监督责任明确"}`)
	s.ok(code, body)
	if body["state"] != "signed" || len(body["signed_records"].([]any)) != 2 {
		t.Fatalf("after both signatures: %v", body)
	}

	_, recs := s.do("donghu-clerk", "GET", path+"/records", "")
	for _, r := range recs["items"].([]any) {
		rec := r.(map[string]any)
		if rec["hash_verified"] != true || len(rec["content_hash"].(string)) != 64 {
			t.Errorf("record %v", rec)
		}
	}
	code, body = s.do("donghu-clerk", "POST", path+"/tasks", all)
	s.want(http.StatusConflict, "", code, body) // signed content cannot change
	code, body = s.do("donghu-leader", "POST", path+"/revise", `{}`)
	s.want(http.StatusUnprocessableEntity, "reason", code, body)

	// the county commission's January check: who has not signed yet
	code, list := s.do("supervisor", "GET", "/signoffs?year=2027&unsigned=true&page_size=3", "")
	s.ok(code, list)
	if list["total"] != 6.0 || len(list["items"].([]any)) != 3 {
		t.Errorf("unsigned list: total %v, %d items", list["total"], len(list["items"].([]any)))
	}
	code, body = s.do("supervisor", "GET", "/signoffs?year=2027&state=done", "")
	s.want(http.StatusUnprocessableEntity, "state", code, body)

	kinds := s.inboxKinds("donghu-leader")
	if kinds["signoff_open"] != 3 || kinds["signoff_to_sign"] != 1 || kinds["signoff_signed_supervisory"] != 1 { // task list, letter, summary
		t.Errorf("leader's inbox %v", kinds)
	}
	_, got = s.do("supervisor", "GET", path, "")
	actions := map[string]int{}
	for _, a := range got["audit"].([]any) {
		actions[a.(map[string]any)["action"].(string)]++
	}
	if actions["open_signoff"] != 1 || actions["save_task_list"] != 2 || actions["submit_task_list"] != 1 || actions["sign_task_list"] != 2 {
		t.Errorf("audit %v", actions)
	}
	s.recordHistory(context.Background(), so["workflow_id"].(string), "tasklist_history.json")
	s.recordHistory(context.Background(), workflows.SignoffWorkflowID(donghu, 2027), "signoff_history.json")
}

func TestAnnualDutiesEndToEnd(t *testing.T) {
	s := newStack(t)
	year := time.Now().In(liangze.ChinaTime).Year()
	code, body := s.do("admin", "POST", "/signoffs/start", fmt.Sprintf(`{"year":%d,"unit_id":%q}`, year, donghu))
	s.want(http.StatusAccepted, "", code, body)
	var id string
	var duties map[string]any
	for range 100 {
		_, list := s.do("donghu-clerk", "GET", fmt.Sprintf("/signoffs?year=%d", year), "")
		if items, _ := list["items"].([]any); len(items) == 1 {
			id = items[0].(map[string]any)["id"].(string)
			if _, duties = s.do("donghu-clerk", "GET", "/signoffs/"+id+"/duties", ""); duties["total"] == 9.0 {
				break
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if duties["total"] != 9.0 {
		it := s.temporal.GetWorkflowHistory(context.Background(), workflows.DutiesWorkflowID(donghu, year), "", false, 0)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Log(err)
				break
			}
			t.Logf("%d %s %v", ev.EventId, ev.EventType, ev.Attributes)
		}
		t.Fatalf("Donghu's duties: %v", duties)
	}
	talks, commitment := map[string]string{}, ""
	for _, d := range duties["items"].([]any) {
		duty := d.(map[string]any)
		switch duty["kind"] {
		case "integrity_talk":
			talks[duty["subject_name"].(string)] = duty["id"].(string)
		case "integrity_commitment":
			commitment = duty["id"].(string)
		}
	}
	if len(talks) != 2 || talks["赵丽"] == "" || talks["孙强"] == "" {
		t.Fatalf("integrity talks %v, want one with each leadership member", talks)
	}
	today := time.Now().In(liangze.ChinaTime).Format(time.DateOnly)
	complete := func(user, duty, on string) (int, map[string]any) {
		return s.do(user, "POST", "/signoffs/"+id+"/duties/"+duty+"/complete", fmt.Sprintf(`{"done_on":%q,"note":"已公开承诺"}`, on))
	}
	code, body = complete("donghu-clerk", commitment, "last week")
	s.want(http.StatusUnprocessableEntity, "done_on", code, body)
	code, body = complete("donghu-clerk", commitment, fmt.Sprintf("%d-12-31", year-1))
	s.want(http.StatusUnprocessableEntity, "done_on", code, body)
	code, body = complete("supervisor", commitment, today)
	s.want(http.StatusForbidden, "", code, body)
	code, body = complete("donghu-clerk", commitment, today)
	s.ok(code, body)
	if body["pending"] != 8.0 {
		t.Errorf("after the commitment: %v pending, want 8", body["pending"])
	}
	code, body = complete("donghu-clerk", commitment, today)
	s.want(http.StatusConflict, "", code, body)
	s.ok(complete("donghu-leader", talks["赵丽"], today))
	_, duties = s.do("supervisor", "GET", "/signoffs/"+id+"/duties", "")
	if duties["pending"] != 7.0 {
		t.Errorf("county view of Donghu's duties: %v pending, want 7", duties["pending"])
	}
	s.recordHistory(context.Background(), workflows.DutiesWorkflowID(donghu, year), "duties_history.json")
	s.recordHistory(context.Background(), workflows.SignoffWorkflowID(donghu, year), "signoff_duties_history.json")
}

// The yearly schedule, triggered now, opens every unit's year once: the year a month ahead.
func TestAnnualSignoffSchedule(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	county := store.DemoID("unit", "county")
	timing := workflows.SignoffTiming{TaskListBy: "01-31", Grace: liangze.Period{N: 10, Unit: liangze.WorkingDays}, Escalation: e2eTiming}
	for i, want := range []bool{true, false} {
		created, err := worker.EnsureSignoffSchedule(ctx, s.temporal, s.queue, county, 12, 15, timing)
		if err != nil || created != want {
			t.Fatalf("ensure schedule #%d: created %t, %v", i+1, created, err)
		}
	}
	h := s.temporal.ScheduleClient().GetHandle(ctx, worker.SignoffScheduleID(county))
	desc, err := h.Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if next := desc.Info.NextActionTimes; len(next) == 0 || next[0].In(liangze.ChinaTime).Format("01-02 15:04") != "12-15 01:00" {
		t.Errorf("next runs %v, want 15 December 01:00 China time", next)
	}
	if err := h.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		t.Fatal(err)
	}
	year := time.Now().In(liangze.ChinaTime).Add(31 * 24 * time.Hour).Year()
	for range 150 {
		if _, list := s.do("supervisor", "GET", fmt.Sprintf("/signoffs?year=%d", year), ""); list["total"] == 7.0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the triggered schedule did not open the seven units' %d sign-off", year)
}

// The letter (责任书) is signed by the town's secretary and then the county's; the summary
// is opened beside it.
func TestLetterEndToEnd(t *testing.T) {
	s := newStack(t)
	code, body := s.do("admin", "POST", "/signoffs/start", fmt.Sprintf(`{"year":2027,"unit_id":%q}`, donghu))
	s.want(http.StatusAccepted, "", code, body)
	var letter string
	for range 100 {
		_, list := s.do("donghu-clerk", "GET", "/signoffs?year=2027&document=letter", "")
		if items, _ := list["items"].([]any); len(items) == 1 {
			letter = items[0].(map[string]any)["id"].(string)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if letter == "" {
		t.Fatal("Donghu's letter was never opened")
	}
	if _, list := s.do("donghu-clerk", "GET", "/signoffs?year=2027&document=summary", ""); list["total"] != 1.0 {
		t.Errorf("summaries: %v", list)
	}
	code, body = s.do("donghu-clerk", "GET", "/signoffs?year=2027&document=memo", "")
	s.want(http.StatusUnprocessableEntity, "document", code, body)
	path := "/signoffs/" + letter
	code, body = s.do("donghu-clerk", "POST", path+"/tasks", `{"items":[`+taskItem("陈志强", "principal")+`]}`)
	s.want(http.StatusConflict, "", code, body)
	code, body = s.do("donghu-clerk", "POST", path+"/body", `{"body":"  "}`)
	s.want(http.StatusUnprocessableEntity, "body", code, body)
	s.ok(s.do("donghu-clerk", "POST", path+"/body", `{"body":"一、责任目标：全面落实党风廉政建设主体责任。二、责任内容：……"}`))
	s.ok(s.do("donghu-clerk", "POST", path+"/submit", `{}`))
	code, body = s.do("donghu-discipline", "POST", path+"/sign", `{"part":"supervisory","opinion":"同意"}`)
	s.want(http.StatusUnprocessableEntity, "part", code, body)
	s.ok(s.do("donghu-leader", "POST", path+"/sign", `{"part":"primary","opinion":"承诺认真履行"}`))
	code, body = s.do("donghu-leader", "POST", path+"/sign", `{"part":"issuer","opinion":"同意"}`)
	s.want(http.StatusForbidden, "", code, body) // the county's secretary issues the letter
	code, body = s.do("county-secretary", "POST", path+"/sign", `{"part":"issuer","opinion":"同意签订"}`)
	s.ok(code, body)
	if body["state"] != "signed" || body["document_label"].(map[string]any)["zh"] != "党风廉政建设责任书" {
		t.Fatalf("letter after both signatures: %v", body)
	}
	_, recs := s.do("donghu-clerk", "GET", path+"/records", "")
	if recs["total"] != 2.0 || recs["items"].([]any)[1].(map[string]any)["signer_name"] != "王建国" {
		t.Errorf("records %v", recs)
	}
	s.recordHistory(context.Background(), workflows.DocumentWorkflowID(donghu, 2027, liangze.DocLetter), "letter_history.json")
	s.recordHistory(context.Background(), workflows.SignoffWorkflowID(donghu, 2027), "signoff_documents_history.json")
}
