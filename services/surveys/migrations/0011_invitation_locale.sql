-- What the survey page shows in the customer's language: the customer's
-- preferred locale (BCP 47) and the station's name, as told with the
-- delivery; NULL when not told.
ALTER TABLE survey_invitations ADD COLUMN locale TEXT;
ALTER TABLE survey_invitations ADD COLUMN station_name TEXT;
