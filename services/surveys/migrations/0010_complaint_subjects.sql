-- What each complaint is tied to, one row per subject, so that complaints
-- are found by technician, part and advisor ("which technician, which part,
-- which station"). Written in the opening's transaction; the complaint's
-- own `advisor_id`, `technician_ids` and `part_numbers` keep the RO's
-- order, this table is how they are searched.
CREATE TABLE complaint_subjects (
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    -- 'technician', 'part' or 'advisor'.
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    PRIMARY KEY (complaint_id, kind, subject_id)
);

CREATE INDEX complaint_subjects_subject ON complaint_subjects (kind, subject_id);
