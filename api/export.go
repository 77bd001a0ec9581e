package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"liangze"
)

// formRows lays a report form out as (项目, item, count) rows, Chinese first.
func formRows(f liangze.ReportForm) [][]string {
	rows := [][]string{
		{"问责案件数", "Accountability cases", strconv.Itoa(f.Cases)},
		{"被问责人数", "Persons held accountable", strconv.Itoa(f.PersonsHeldAccountable)},
		{"一案双查案件数", "One case, two investigations", strconv.Itoa(f.TwoInvestigations)},
		{"向上倒查案件数", "Cases traced upward", strconv.Itoa(f.TracedUpward)},
	}
	forms := []liangze.AccountabilityForm{liangze.FormOrganisational, liangze.FormDisciplinary, liangze.FormAdmonishment,
		liangze.FormCirculated, liangze.FormSelfCriticism, liangze.FormVeto, liangze.FormEconomicPenalty}
	for _, fm := range forms {
		l := fm.Label()
		rows = append(rows, []string{"问责方式：" + l.ZH, "Form: " + l.EN, strconv.Itoa(f.ByForm[string(fm)])})
	}
	levels := make([]string, 0, len(f.ByLevel))
	for k := range f.ByLevel {
		levels = append(levels, k)
	}
	sort.Strings(levels)
	for _, k := range levels {
		zh, en := "责任层级 "+k, "Responsibility level "+k
		if k == "0" {
			zh, en = "当事人", "The party concerned"
		}
		rows = append(rows, []string{"按层级：" + zh, "By level: " + en, strconv.Itoa(f.ByLevel[k])})
	}
	rows = append(rows, []string{"典型案例数", "Typical cases", strconv.Itoa(len(f.TypicalCases))})
	return rows
}

var exportHeader = []string{"项目", "Item", "数量 / Count"}

// export writes title and rows as CSV (UTF-8 with BOM, for Excel) or XLSX, per ?format=.
func export(c *gin.Context, name, title string, rows [][]string) error {
	switch format := c.DefaultQuery("format", "csv"); format {
	case "csv":
		var b bytes.Buffer
		b.WriteString("\ufeff")
		w := csv.NewWriter(&b)
		_ = w.Write([]string{title})
		_ = w.Write(exportHeader)
		_ = w.WriteAll(rows)
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, name))
		c.Data(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
		return nil
	case "xlsx":
		raw, err := xlsx(title, rows)
		if err != nil {
			return err
		}
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.xlsx"`, name))
		c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", raw)
		return nil
	default:
		return liangze.FieldError("format", "format must be csv or xlsx")
	}
}

func xlsx(title string, rows [][]string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "季报"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	set := func(cell string, v any) error { return f.SetCellValue(sheet, cell, v) }
	if err := set("A1", title); err != nil {
		return nil, err
	}
	for i, h := range exportHeader {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		if err := set(cell, h); err != nil {
			return nil, err
		}
	}
	for r, row := range rows {
		for i, v := range row {
			cell, _ := excelize.CoordinatesToCellName(i+1, r+3)
			var val any = v
			if n, err := strconv.Atoi(v); err == nil && i == 2 {
				val = n
			}
			if err := set(cell, val); err != nil {
				return nil, err
			}
		}
	}
	_ = f.SetColWidth(sheet, "A", "B", 32)
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	return b.Bytes(), nil
}

func (s *Server) exportReport(c *gin.Context) {
	r, err := s.scopedReport(c)
	if err == nil {
		title := fmt.Sprintf("%s %s 责任追究季报表（%s）", r.UnitName.ZH, r.Quarter, r.StateLabel.ZH)
		err = export(c, fmt.Sprintf("report-%s-%s", r.Quarter, r.UnitID), title, formRows(r.Form))
	}
	if err != nil {
		fail(c, s.Log, err)
	}
}

func (s *Server) exportSummary(c *gin.Context) {
	sum, err := s.loadSummary(c)
	var unit liangze.OrgUnit
	if err == nil {
		unit, err = s.Store.Unit(c.Request.Context(), sum.UnitID)
	}
	if err == nil {
		rows := formRows(sum.Total)
		for _, m := range sum.Missing {
			rows = append(rows, []string{"未报送：" + m.Name.ZH, "Missing: " + m.Name.EN, ""})
		}
		title := fmt.Sprintf("%s %s 责任追究季报汇总（已审核 %d 个下级单位，未报 %d 个）", unit.Name.ZH, sum.Quarter,
			len(sum.Accepted), len(sum.Missing))
		err = export(c, fmt.Sprintf("summary-%s-%s", sum.Quarter, sum.UnitID), title, rows)
	}
	if err != nil {
		fail(c, s.Log, err)
	}
}
