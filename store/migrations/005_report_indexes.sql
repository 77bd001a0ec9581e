-- Indexes for the quarterly aggregation over decided cases.
create index cases_decided on cases(closed_at) include (unit_id) where outcome = 'decided';
create index case_findings_person on case_findings(case_id, person_id, level);

---- create above / drop below ----

drop index case_findings_person;
drop index cases_decided;
