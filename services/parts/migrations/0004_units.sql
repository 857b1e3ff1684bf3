-- What each part's quantities count: EA (each), L, M or KG. Parts created
-- before units count each.
ALTER TABLE parts ADD COLUMN unit TEXT NOT NULL DEFAULT 'EA' CHECK (unit IN ('EA', 'L', 'M', 'KG'));
