package liangze

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/google/uuid"
)

// Indicator is one indicator of the year-end assessment (责任考核指标) with its weight.
type Indicator struct {
	Code   string  `json:"code"`
	Name   Label   `json:"name"`
	Weight float64 `json:"weight"`
}

// DefaultIndicators are seed 002's five standards of the responsibility assessment, equally
// weighted.
var DefaultIndicators = []Indicator{
	{"mechanism", Label{"反腐败领导体制和工作机制落实", "Leadership system and working mechanisms in place"}, 20},
	{"tasks", Label{"反腐败各项任务完成、群众反映强烈问题解决", "Anti-corruption tasks done, public concerns resolved"}, 20},
	{"integration", Label{"责任制要求贯穿经济和业务工作", "Responsibility woven into economic and business work"}, 20},
	{"groundwork", Label{"基础性工作扎实有效、责任追究到位", "Groundwork solid, accountability enforced"}, 20},
	{"self_discipline", Label{"领导干部廉洁自律、管好身边人", "Leaders' integrity, and of their families and staff"}, 20},
}

// ValidateIndicators checks a year's indicators: unique codes, names, positive weights.
func ValidateIndicators(ins []Indicator) error {
	if len(ins) == 0 {
		return FieldError("indicators", "at least one indicator is required")
	}
	seen := map[string]bool{}
	for i, in := range ins {
		field := func(f string) string { return fmt.Sprintf("indicators[%d].%s", i, f) }
		switch {
		case in.Code == "" || seen[in.Code]:
			return FieldError(field("code"), "each indicator needs its own code")
		case in.Name.ZH == "":
			return FieldError(field("name.zh"), "the indicator's Chinese name is required")
		case !(in.Weight > 0) || in.Weight > 1000:
			return FieldError(field("weight"), "weight must be above 0 and at most 1000")
		}
		seen[in.Code] = true
	}
	return nil
}

// ValidateScores checks one unit's scores against the indicators: known codes, 0 to 100.
func ValidateScores(scores map[string]float64, ins []Indicator) error {
	if len(scores) == 0 {
		return FieldError("scores", "scores are required, by indicator code")
	}
	known := map[string]bool{}
	for _, in := range ins {
		known[in.Code] = true
	}
	for code, s := range scores {
		if !known[code] {
			return FieldError("scores."+code, "unknown indicator %q", code)
		}
		if math.IsNaN(s) || s < 0 || s > 100 {
			return FieldError("scores."+code, "a score is from 0 to 100")
		}
	}
	return nil
}

// WeightedTotal returns the weighted average of the scores (0 to 100), rounded to two
// decimals, and the codes of indicators not yet scored.
func WeightedTotal(scores map[string]float64, ins []Indicator) (float64, []string) {
	var sum, weights float64
	missing := []string{}
	for _, in := range ins {
		s, ok := scores[in.Code]
		if !ok {
			missing = append(missing, in.Code)
			continue
		}
		sum += s * in.Weight
		weights += in.Weight
	}
	if weights == 0 || len(missing) > 0 {
		return 0, missing
	}
	return math.Round(sum/weights*100) / 100, missing
}

// Ranked is one unit's place in its parent's ranking.
type Ranked struct {
	UnitID uuid.UUID `json:"unit_id"`
	Total  float64   `json:"total"`
	// Rank is the competition rank: equal totals share a rank, the next rank skips (1, 2, 2, 4).
	Rank int `json:"rank"`
	// Bottom marks the bottom N; units tied with the last of them are bottom too.
	Bottom bool `json:"bottom"`
}

// RankUnits ranks totals highest first and marks the bottom n. Ties at the boundary are
// all marked: units with equal totals are treated alike.
func RankUnits(totals map[uuid.UUID]float64, n int) []Ranked {
	out := make([]Ranked, 0, len(totals))
	for id, t := range totals {
		out = append(out, Ranked{UnitID: id, Total: t})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Total != out[j].Total {
			return out[i].Total > out[j].Total
		}
		return out[i].UnitID.String() < out[j].UnitID.String()
	})
	for i := range out {
		out[i].Rank = i + 1
		if i > 0 && out[i].Total == out[i-1].Total {
			out[i].Rank = out[i-1].Rank
		}
	}
	if n <= 0 || len(out) == 0 {
		return out
	}
	if n > len(out) {
		n = len(out)
	}
	cut := out[len(out)-n].Total
	for i := range out {
		out[i].Bottom = out[i].Total <= cut
	}
	return out
}

// AssessmentState is where a year-end assessment round stands.
type AssessmentState string

const (
	AssessmentScoring AssessmentState = "scoring" // 评分中
	AssessmentClosed  AssessmentState = "closed"  // 已排名归档
)

// Label returns the state's zh-CN and English names.
func (s AssessmentState) Label() Label {
	if s == AssessmentClosed {
		return Label{"已排名归档", "Ranked and archived"}
	}
	return Label{"评分中", "Scoring"}
}

// UnitAssessment is one unit's scores and, once closed, its result.
type UnitAssessment struct {
	UnitID        uuid.UUID          `json:"unit_id"`
	UnitName      Label              `json:"unit_name"`
	Scores        map[string]float64 `json:"scores"`
	Missing       []string           `json:"missing_indicators"`
	Total         *float64           `json:"total,omitempty"`
	Rank          *int               `json:"rank,omitempty"`
	Bottom        bool               `json:"bottom"`
	AwardEligible *bool              `json:"award_eligible,omitempty"`
	EscalationID  *uuid.UUID         `json:"escalation_id,omitempty"`
}

// Assessment is a year-end assessment round of the units under a parent.
type Assessment struct {
	ID         uuid.UUID        `json:"id"`
	WorkflowID string           `json:"workflow_id"`
	ParentID   uuid.UUID        `json:"parent_unit_id"`
	ParentName Label            `json:"parent_unit_name"`
	Year       int              `json:"year"`
	BottomN    int              `json:"bottom_n"`
	State      AssessmentState  `json:"state"`
	StateLabel Label            `json:"state_label"`
	OpenedAt   time.Time        `json:"opened_at"`
	ClosedAt   *time.Time       `json:"closed_at,omitempty"`
	Indicators []Indicator      `json:"indicators"`
	Units      []UnitAssessment `json:"units"`
}

// IntegrityEntry is one entry of a person's integrity file (廉政档案).
type IntegrityEntry struct {
	ID         int64          `json:"id"`
	PersonID   uuid.UUID      `json:"person_id"`
	Year       int            `json:"year"`
	UnitID     uuid.UUID      `json:"unit_id"`
	UnitName   Label          `json:"unit_name"`
	Kind       string         `json:"kind"`
	Title      Label          `json:"title"`
	Detail     map[string]any `json:"detail"`
	RecordedAt time.Time      `json:"recorded_at"`
}
