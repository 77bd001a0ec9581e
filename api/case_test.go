package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"liangze/store"
	"liangze/workflows"
)

// awaitLevel polls the case until its responsibility investigation has reached level n.
func (s *stack) awaitLevel(id string, n int) map[string]any {
	s.t.Helper()
	for range 150 {
		_, body := s.do("inspector", "GET", "/cases/"+id, "")
		cs := body["case"].(map[string]any)
		if levels, _ := cs["levels"].([]any); len(levels) >= n {
			return cs
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("case %s never reached level %d", id, n)
	return nil
}

func (s *stack) awaitStage(id, stage string) map[string]any {
	s.t.Helper()
	for range 150 {
		_, body := s.do("inspector", "GET", "/cases/"+id, "")
		if cs := body["case"].(map[string]any); cs["stage"] == stage {
			return cs
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("case %s never reached stage %s", id, stage)
	return nil
}

func TestCaseEndToEnd(t *testing.T) {
	s := newStack(t)
	zhao, liu, chen := store.DemoID("person", "赵丽"), store.DemoID("person", "刘海"), store.DemoID("person", "陈志强")
	open := `{"unit_id":%q,"person_id":%q,"clue_source":"信访举报","summary":"违规收受管理服务对象礼金","category":"廉洁纪律",
		"evidence":["举报信 2024-015号"],"violation_date":"2023-06-01"}`
	code, body := s.do("inspector", "POST", "/cases", fmt.Sprintf(open, donghu, zhao))
	s.want(http.StatusCreated, "", code, body)
	id := body["id"].(string)
	if body["stage"] != "verification" || body["stage_due_rule"].(map[string]any)["zh"] != "30 日" {
		t.Fatalf("opened case: %v", body)
	}
	code, body = s.do("inspector", "POST", "/cases", fmt.Sprintf(`{"unit_id":%q,"person_id":%q,"clue_source":"x","summary":"x","category":"x","violation_date":"2999-01-01"}`, donghu, zhao))
	s.want(http.StatusUnprocessableEntity, "violation_date", code, body)

	s.ok(s.do("supervisor", "POST", "/cases/"+id+"/filing", `{"file":true,"comment":"予以立案"}`))
	s.ok(s.do("inspector", "POST", "/cases/"+id+"/violation", `{"established":true,"finding":"收受礼金2万元属实"}`))
	cs := s.awaitLevel(id, 1)
	if levels := cs["levels"].([]any); levels[0].(map[string]any)["state"] != "investigating" {
		t.Fatalf("level 1: %v", levels[0])
	}
	ev := cs["levels"].([]any)[0].(map[string]any)["evidence"].(map[string]any)
	if notes := ev["notes"].([]any); len(notes) != 1 || !strings.Contains(notes[0].(string), "no signed responsibility record") {
		t.Errorf("level 1 evidence notes: %v", ev["notes"])
	}
	// today's secretary 陈志强 took office in 2024, after the violation: he cannot be found responsible for it
	code, body = s.do("inspector", "POST", "/cases/"+id+"/levels/1/finding",
		fmt.Sprintf(`{"primary_at_fault":true,"summary":"x","persons":[{"person_id":%q}]}`, chen))
	s.want(http.StatusUnprocessableEntity, "", code, body)
	s.ok(s.do("inspector", "POST", "/cases/"+id+"/levels/1/finding", fmt.Sprintf(
		`{"primary_at_fault":true,"summary":"党委履行主体责任不力，对班子成员疏于管理","persons":[{"person_id":%q,"collective":false,"direct":false,"description":"时任党委书记"}]}`, liu)))
	// the county's responsibility investigation starts by itself; the request waits for it
	s.ok(s.do("inspector", "POST", "/cases/"+id+"/levels/2/finding", `{"summary":"县委已履行主体责任"}`))
	code, body = s.do("inspector", "POST", "/cases/"+id+"/levels/3/finding", `{"summary":"x"}`)
	s.want(http.StatusNotFound, "", code, body) // level 2 was cleared: there is no level 3

	forms := fmt.Sprintf(`{"forms":[{"person_id":%q,"form":"disciplinary","basis":"《中国共产党纪律处分条例》第一百零二条"},
		{"person_id":%q,"form":"admonishment","basis":"《中国共产党问责条例》第七条"}]}`, zhao, liu)
	s.ok(s.do("inspector", "POST", "/cases/"+id+"/decision", forms))
	code, body = s.do("supervisor", "POST", "/cases/"+id+"/decision/approval", `{"approve":true}`)
	s.ok(code, body)
	cs = s.awaitStage(id, "closed")
	if cs["outcome"] != "decided" || len(cs["decisions"].([]any)) != 2 || len(cs["levels"].([]any)) != 2 {
		t.Fatalf("closed case: %v", cs)
	}
	for _, f := range cs["findings"].([]any) {
		f := f.(map[string]any)
		if f["person_id"] == liu.String() && f["former"] != true {
			t.Errorf("刘海 left office in 2024: finding %v should say former", f)
		}
	}
	today := time.Now().Format(time.DateOnly)
	tomorrow := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	code, st := s.do("supervisor", "GET", "/cases/stats?from="+today+"&to="+tomorrow, "")
	s.ok(code, st)
	if st["cases"] != 1.0 || st["persons_held_accountable"] != 2.0 || st["one_case_two_investigations"] != 1.0 || st["traced_upward"] != 1.0 {
		t.Errorf("stats: %v", st)
	}
	_, list := s.do("inspector", "GET", "/cases?stage=closed", "")
	if list["total"] != 1.0 {
		t.Errorf("closed cases: %v", list["total"])
	}
	cid := uuid.MustParse(id)
	s.recordHistory(context.Background(), workflows.CaseWorkflowID(cid), "case_history.json")
	s.recordHistory(context.Background(), workflows.LevelWorkflowID(cid, 1), "case_level_history.json")
}

func TestCaseRecusalAndFourEyes(t *testing.T) {
	s := newStack(t)
	county := store.DemoID("unit", "county")
	li := store.DemoID("person", "李明") // the demo supervisor
	code, body := s.do("inspector", "POST", "/cases", fmt.Sprintf(
		`{"unit_id":%q,"person_id":%q,"clue_source":"巡察移交","summary":"x","category":"工作纪律","violation_date":"2025-03-01"}`, county, li))
	s.want(http.StatusCreated, "", code, body)
	id := body["id"].(string)
	code, body = s.do("supervisor", "POST", "/cases/"+id+"/filing", `{"file":true}`)
	s.want(http.StatusForbidden, "", code, body)
	if !strings.Contains(body["detail"].(string), "回避") {
		t.Errorf("recusal detail: %v", body["detail"])
	}
	s.ok(s.do("supervisor2", "POST", "/cases/"+id+"/filing", `{"file":true}`))
	// an extension needs another's approval
	s.ok(s.do("inspector", "POST", "/cases/"+id+"/extensions", `{"period":{"n":30,"unit":"calendar_days"},"reason":"需异地取证"}`))
	code, body = s.do("inspector", "POST", "/cases/"+id+"/extensions/decision", `{"approve":true}`)
	s.want(http.StatusForbidden, "", code, body) // not a supervisor
	before := s.awaitStage(id, "investigation")["stage_due_at"].(string)
	s.ok(s.do("supervisor2", "POST", "/cases/"+id+"/extensions/decision", `{"approve":true}`))
	_, body = s.do("inspector", "GET", "/cases/"+id, "")
	if after := body["case"].(map[string]any)["stage_due_at"].(string); after <= before {
		t.Errorf("extension did not move the deadline: %s → %s", before, after)
	}
	code, body = s.do("supervisor2", "POST", "/cases/"+id+"/extensions/decision", `{"approve":true}`)
	s.want(http.StatusConflict, "", code, body) // nothing pending
}

func TestCaseFromEscalationInOneCall(t *testing.T) {
	s := newStack(t)
	e := s.open("inspector", "accountability")
	id := e["id"].(string)
	code, body := s.do("inspector", "POST", "/escalations/"+id+"/case", `{"category":"x","violation_date":"2025-01-01"}`)
	s.want(http.StatusConflict, "", code, body) // not handed over yet
	s.ok(s.do("supervisor", "POST", "/escalations/"+id+"/steps/1/decision", `{"approve":true}`))
	s.awaitClosed(id)
	req := `{"category":"工作纪律","violation_date":"2025-01-01"}`
	code, c1 := s.do("inspector", "POST", "/escalations/"+id+"/case", req)
	s.want(http.StatusCreated, "", code, c1)
	if c1["escalation_id"] != id || c1["person_id"] != chen.String() {
		t.Errorf("case from escalation: %v", c1)
	}
	code, c2 := s.do("inspector", "POST", "/escalations/"+id+"/case", req)
	s.want(http.StatusOK, "", code, c2)
	if c2["id"] != c1["id"] {
		t.Errorf("second call opened another case: %v vs %v", c2["id"], c1["id"])
	}
}
