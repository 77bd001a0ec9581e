package liangze

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
)

// holidayFiles are the official holiday arrangements shipped with liangze, one file a
// year, each naming the State Council General Office notice it comes from.
//
//go:embed holidays/*.json
var holidayFiles embed.FS

// OfficialCalendars returns the shipped arrangements, oldest year first.
func OfficialCalendars() ([]CalendarYear, error) {
	names, err := fs.Glob(holidayFiles, "holidays/*.json")
	if err != nil {
		return nil, err
	}
	var years []CalendarYear
	for _, n := range names {
		raw, err := holidayFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var y CalendarYear
		if err := json.Unmarshal(raw, &y); err != nil {
			return nil, fmt.Errorf("holiday data %s: %w", n, err)
		}
		if err := y.Validate(); err != nil {
			return nil, fmt.Errorf("holiday data %s: %w", n, err)
		}
		years = append(years, y)
	}
	return years, nil
}
