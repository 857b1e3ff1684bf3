-- A repair-order line may be served with an older number of the part it
-- asked for (old stock is used first): the reservation keeps both. Lines
-- reserved before this column existed asked for what they reserved.
ALTER TABLE reservations ADD COLUMN requested_part_number TEXT;
-- The older numbers of a part: those superseded by it.
CREATE INDEX parts_superseded_by ON parts (superseded_by);
