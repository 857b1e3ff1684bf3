-- The league tables sum a period's rows of one subject kind (every dealer
-- or every station, by day range); the primary key leads with the subject
-- id, so without this index each table would read every row of the kind.
CREATE INDEX survey_aggregates_kind_day ON survey_aggregates (subject_kind, day);
