package liangze

import (
	"testing"

	"github.com/google/uuid"
)

func TestRankUnitsWithTies(t *testing.T) {
	a, b, c, d, e := uuid.New(), uuid.New(), uuid.New(), uuid.New(), uuid.New()
	totals := map[uuid.UUID]float64{a: 92.5, b: 88, c: 88, d: 70, e: 70}
	rank := map[uuid.UUID]Ranked{}
	for _, r := range RankUnits(totals, 1) {
		rank[r.UnitID] = r
	}
	for id, want := range map[uuid.UUID]struct {
		rank   int
		bottom bool
	}{a: {1, false}, b: {2, false}, c: {2, false}, d: {4, true}, e: {4, true}} {
		if got := rank[id]; got.Rank != want.rank || got.Bottom != want.bottom {
			t.Errorf("total %.1f: rank %d bottom %t, want %d %t", totals[id], got.Rank, got.Bottom, want.rank, want.bottom)
		}
	}
	bottom := 0
	for _, r := range RankUnits(totals, 3) { // the third-lowest is tied with the second
		if r.Bottom {
			bottom++
		}
	}
	if bottom != 4 {
		t.Errorf("bottom 3 with a tie at the boundary: %d marked, want 4", bottom)
	}
	for _, r := range RankUnits(totals, 0) {
		if r.Bottom {
			t.Errorf("bottom 0 marked %v", r)
		}
	}
}

func TestWeightedTotal(t *testing.T) {
	ins := []Indicator{{Code: "x", Weight: 30}, {Code: "y", Weight: 70}}
	if total, missing := WeightedTotal(map[string]float64{"x": 80, "y": 90}, ins); total != 87 || len(missing) != 0 {
		t.Errorf("total %v missing %v, want 87", total, missing)
	}
	if _, missing := WeightedTotal(map[string]float64{"x": 80}, ins); len(missing) != 1 || missing[0] != "y" {
		t.Errorf("missing %v, want y", missing)
	}
	if err := ValidateScores(map[string]float64{"x": 101}, ins); ErrorCode(err) != EINVALID {
		t.Errorf("score 101: %v", err)
	}
	if err := ValidateScores(map[string]float64{"z": 50}, ins); ErrorCode(err) != EINVALID {
		t.Errorf("unknown indicator: %v", err)
	}
	if err := ValidateIndicators(DefaultIndicators); err != nil {
		t.Errorf("defaults: %v", err)
	}
}
