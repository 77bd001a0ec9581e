package api

import (
	"bytes"
	"html/template"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"liangze"
)

// printPage is an A4 page for filing: a title, the form as a table, and signature lines.
var printPage = template.Must(template.New("print").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
@page { size: A4; margin: 20mm; }
body { font-family: "SimSun", "Songti SC", serif; font-size: 12pt; }
h1 { font-size: 18pt; text-align: center; margin-bottom: 4mm; }
.meta { text-align: center; margin-bottom: 6mm; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 2mm 3mm; }
td.n { text-align: right; width: 25mm; }
.en { color: #555; font-size: 9pt; }
.sign { margin-top: 12mm; display: flex; justify-content: space-between; }
</style></head><body>
<h1>{{.Title}}</h1>
<div class="meta">{{.Meta}}</div>
<table>
<tr><th>项目 <span class="en">Item</span></th><th>数量 <span class="en">Count</span></th></tr>
{{range .Rows}}<tr><td>{{index . 0}} <span class="en">{{index . 1}}</span></td><td class="n">{{index . 2}}</td></tr>
{{end}}</table>
{{if .Notes}}<p>说明：{{.Notes}}</p>{{end}}
<div class="sign"><span>填报人：＿＿＿＿＿＿</span><span>单位负责人：＿＿＿＿＿＿</span><span>日期：{{.Date}}</span></div>
</body></html>`))

type printData struct {
	Title, Meta, Notes, Date string
	Rows                     [][]string
}

func renderPrint(c *gin.Context, d printData) error {
	d.Date = time.Now().In(liangze.ChinaTime).Format("2006年01月02日")
	var b bytes.Buffer
	if err := printPage.Execute(&b, d); err != nil {
		return err
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", b.Bytes())
	return nil
}

// printReport shows a report as a page to print and file.
func (s *Server) printReport(c *gin.Context) {
	r, err := s.scopedReport(c)
	if err == nil {
		err = renderPrint(c, printData{Title: r.UnitName.ZH + " 责任追究季报表",
			Meta: r.Quarter.String() + " · " + r.StateLabel.ZH, Notes: r.Notes, Rows: formRows(r.Form)})
	}
	if err != nil {
		fail(c, s.Log, err)
	}
}

// printSummary shows a unit's quarterly summary as a page to print and file.
func (s *Server) printSummary(c *gin.Context) {
	sum, err := s.loadSummary(c)
	var unit liangze.OrgUnit
	if err == nil {
		unit, err = s.Store.Unit(c.Request.Context(), sum.UnitID)
	}
	if err == nil {
		rows := formRows(sum.Total)
		for _, m := range sum.Missing {
			rows = append(rows, []string{"未报送：" + m.Name.ZH, "Missing: " + m.Name.EN, "—"})
		}
		err = renderPrint(c, printData{Title: unit.Name.ZH + " 责任追究季报汇总表", Meta: sum.Quarter.String(), Rows: rows})
	}
	if err != nil {
		fail(c, s.Log, err)
	}
}
