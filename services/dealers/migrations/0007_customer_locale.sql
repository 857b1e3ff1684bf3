-- The customer's preferred language (a BCP 47 tag), told with each delivery
-- so that the survey asks in it; NULL when unknown.
ALTER TABLE customers ADD COLUMN locale TEXT;
