-- The year-end evaluation of the integrity commitment (勤廉承诺年终评议) is a duty too.

alter table annual_duties drop constraint annual_duties_kind_check;
alter table annual_duties add constraint annual_duties_kind_check check (kind in ('integrity_commitment','commitment_review',
    'double_report_party','double_report_discipline','discipline_report_own_committee','midyear_meeting','yearend_meeting',
    'integrity_talk'));

---- create above / drop below ----

alter table annual_duties drop constraint annual_duties_kind_check;
alter table annual_duties add constraint annual_duties_kind_check check (kind in ('integrity_commitment','double_report_party',
    'double_report_discipline','discipline_report_own_committee','midyear_meeting','yearend_meeting','integrity_talk'));
