-- Letters (责任书) and year-end summaries (年终总结) are signed like the task list: each is a
-- row of annual_signoffs with its document kind and text, signed into signed_records.

alter table annual_signoffs add column document text not null default 'task_list'
    check (document in ('task_list','letter','summary'));
alter table annual_signoffs add column body text not null default '';
alter table annual_signoffs drop constraint annual_signoffs_unit_id_year_key;
alter table annual_signoffs add constraint annual_signoffs_unit_year_document unique (unit_id, year, document);
alter table annual_signoffs drop constraint annual_signoffs_state_check;
alter table annual_signoffs add constraint annual_signoffs_state_check
    check (state in ('drafting','awaiting_head','awaiting_discipline','awaiting_issuer','signed'));

alter table signed_records add column document text not null default 'task_list'
    check (document in ('task_list','letter','summary'));
alter table signed_records drop constraint signed_records_part_check;
alter table signed_records add constraint signed_records_part_check check (part in ('primary','supervisory','issuer'));

---- create above / drop below ----

alter table signed_records drop constraint signed_records_part_check;
alter table signed_records add constraint signed_records_part_check check (part in ('primary','supervisory'));
alter table signed_records drop column document;
alter table annual_signoffs drop constraint annual_signoffs_state_check;
alter table annual_signoffs add constraint annual_signoffs_state_check
    check (state in ('drafting','awaiting_head','awaiting_discipline','signed'));
alter table annual_signoffs drop constraint annual_signoffs_unit_year_document;
alter table annual_signoffs add constraint annual_signoffs_unit_id_year_key unique (unit_id, year);
alter table annual_signoffs drop column body;
alter table annual_signoffs drop column document;
