package worker

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"liangze/workflows"
)

// ReportScheduleID is the id of the schedule of a subtree's quarterly report rounds.
func ReportScheduleID(root uuid.UUID) string { return "quarterly-reports/" + root.String() }

// EnsureReportSchedule creates, unless it exists, the Temporal Schedule that starts the
// quarterly reports of the subtree under root at 01:00 China time on the first day of each
// quarter's last month (1 March, June, September, December), ahead of the quarter's end.
func EnsureReportSchedule(ctx context.Context, c client.Client, taskQueue string, root uuid.UUID, timing workflows.ReportTiming) (created bool, err error) {
	return ensure(ctx, c, client.ScheduleOptions{
		ID: ReportScheduleID(root),
		Spec: client.ScheduleSpec{
			Calendars: []client.ScheduleCalendarSpec{{
				Month:      []client.ScheduleRange{{Start: 3}, {Start: 6}, {Start: 9}, {Start: 12}},
				DayOfMonth: []client.ScheduleRange{{Start: 1}}, Hour: []client.ScheduleRange{{Start: 1}},
				Minute: []client.ScheduleRange{{Start: 0}}, Second: []client.ScheduleRange{{Start: 0}},
				Comment: "季度末月首日开启责任追究季报 / open quarterly reports",
			}},
			TimeZoneName: "Asia/Shanghai",
		},
		Action: &client.ScheduleWorkflowAction{ID: "report-round/" + root.String(), Workflow: workflows.ReportRoundWorkflowName,
			Args: []any{workflows.ReportRoundInput{RootUnitID: root, Timing: timing}}, TaskQueue: taskQueue},
	})
}

// NoticeScheduleID is the id of the schedule of a subtree's bimonthly exposure notices.
func NoticeScheduleID(root uuid.UUID) string { return "exposure-notices/" + root.String() }

// EnsureNoticeSchedule creates, unless it exists, the Temporal Schedule that drafts the
// bimonthly exposure notice (双月通报) of the subtree under root at 02:00 China time on the
// first day of every odd month, for the two months before.
func EnsureNoticeSchedule(ctx context.Context, c client.Client, taskQueue string, root uuid.UUID) (created bool, err error) {
	return ensure(ctx, c, client.ScheduleOptions{
		ID: NoticeScheduleID(root),
		Spec: client.ScheduleSpec{
			Calendars: []client.ScheduleCalendarSpec{{
				Month:      []client.ScheduleRange{{Start: 1, End: 11, Step: 2}},
				DayOfMonth: []client.ScheduleRange{{Start: 1}}, Hour: []client.ScheduleRange{{Start: 2}},
				Minute: []client.ScheduleRange{{Start: 0}}, Second: []client.ScheduleRange{{Start: 0}},
				Comment: "双月通报曝光 / bimonthly exposure notice",
			}},
			TimeZoneName: "Asia/Shanghai",
		},
		Action: &client.ScheduleWorkflowAction{ID: "notice-round/" + root.String(), Workflow: workflows.NoticeWorkflowName,
			Args: []any{workflows.NoticeInput{RootUnitID: root}}, TaskQueue: taskQueue},
	})
}

// SignoffScheduleID is the id of the schedule opening a subtree's annual sign-off.
func SignoffScheduleID(root uuid.UUID) string { return "annual-signoff/" + root.String() }

// EnsureSignoffSchedule creates, unless it exists, the Temporal Schedule that opens the
// annual sign-off of the subtree under root at 01:00 China time on month/day each year
// (e.g. 12/15 opens the coming year, 1/2 the year just begun).
func EnsureSignoffSchedule(ctx context.Context, c client.Client, taskQueue string, root uuid.UUID, month, day int,
	timing workflows.SignoffTiming) (created bool, err error) {
	return ensure(ctx, c, client.ScheduleOptions{
		ID: SignoffScheduleID(root),
		Spec: client.ScheduleSpec{
			Calendars: []client.ScheduleCalendarSpec{{
				Month: []client.ScheduleRange{{Start: month}}, DayOfMonth: []client.ScheduleRange{{Start: day}},
				Hour: []client.ScheduleRange{{Start: 1}}, Minute: []client.ScheduleRange{{Start: 0}}, Second: []client.ScheduleRange{{Start: 0}},
				Comment: "开启年度签字背书 / open the annual sign-off",
			}},
			TimeZoneName: "Asia/Shanghai",
		},
		Action: &client.ScheduleWorkflowAction{ID: "signoff-round/" + root.String(), Workflow: workflows.SignoffRoundWorkflowName,
			Args: []any{workflows.SignoffRoundInput{RootUnitID: root, Timing: timing}}, TaskQueue: taskQueue},
	})
}

// ensure creates a schedule, reporting false if one with its id exists already.
func ensure(ctx context.Context, c client.Client, opts client.ScheduleOptions) (bool, error) {
	_, err := c.ScheduleClient().Create(ctx, opts)
	if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("create schedule %s: %w", opts.ID, err)
	}
	return true, nil
}
