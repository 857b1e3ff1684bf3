-- Appointments and repair orders (ROs). Times are microseconds since the
-- Unix epoch; money is minor units of the estimate's currency. The moments
-- of an RO are columns of its row, so that the compliance of a station-month
-- reads one index range of one table.

CREATE TABLE appointments (
    id              TEXT    PRIMARY KEY,
    station_id      TEXT    NOT NULL REFERENCES stations (id),
    vehicle_id      TEXT    NOT NULL REFERENCES vehicles (id),
    advisor_id      TEXT    NOT NULL REFERENCES staff_members (id),
    start_time      BIGINT  NOT NULL,
    order_type      TEXT    NOT NULL,
    fast_lane       BIGINT  NOT NULL CHECK (fast_lane IN (0, 1)),
    status          TEXT    NOT NULL,
    repair_order_id TEXT,
    arrival_time    BIGINT,
    version         BIGINT  NOT NULL,
    create_time     BIGINT  NOT NULL,
    update_time     BIGINT  NOT NULL
);
CREATE INDEX appointments_station_id ON appointments (station_id, start_time);

CREATE TABLE repair_orders (
    id              TEXT    PRIMARY KEY,
    station_id      TEXT    NOT NULL REFERENCES stations (id),
    dealer_id       TEXT    NOT NULL REFERENCES dealers (id),
    vehicle_id      TEXT    NOT NULL REFERENCES vehicles (id),
    advisor_id      TEXT    NOT NULL REFERENCES staff_members (id),
    order_type      TEXT    NOT NULL,
    fast_lane       BIGINT  NOT NULL CHECK (fast_lane IN (0, 1)),
    status          TEXT    NOT NULL,
    currency        TEXT    NOT NULL,
    estimate_minor  BIGINT  NOT NULL CHECK (estimate_minor >= 0),
    mileage_km      BIGINT  NOT NULL CHECK (mileage_km >= 0),
    arrival_time    BIGINT  NOT NULL,
    promise_time    BIGINT  NOT NULL,
    open_time       BIGINT  NOT NULL,
    start_time      BIGINT,
    complete_time   BIGINT,
    delivery_time   BIGINT,
    close_time      BIGINT,
    cancel_time     BIGINT,
    call_back_time  BIGINT,
    final_bill_minor BIGINT CHECK (final_bill_minor >= 0),
    approval_method TEXT,
    approve_time    BIGINT,
    cancel_reason   TEXT,
    comeback_of     TEXT,
    appointment_id  TEXT,
    warehouse_id    TEXT,
    version         BIGINT  NOT NULL,
    create_time     BIGINT  NOT NULL,
    update_time     BIGINT  NOT NULL
);
CREATE INDEX repair_orders_station_open ON repair_orders (station_id, open_time);
CREATE INDEX repair_orders_dealer_open ON repair_orders (dealer_id, open_time);
CREATE INDEX repair_orders_vehicle ON repair_orders (vehicle_id, delivery_time);
CREATE INDEX repair_orders_open_work ON repair_orders (station_id, status);

-- Every change of status, in order.
CREATE TABLE repair_order_history (
    repair_order_id TEXT   NOT NULL REFERENCES repair_orders (id),
    seq             BIGINT NOT NULL,
    status          TEXT   NOT NULL,
    change_time     BIGINT NOT NULL,
    actor           TEXT   NOT NULL,
    PRIMARY KEY (repair_order_id, seq)
);

CREATE TABLE repair_order_labour (
    repair_order_id     TEXT    NOT NULL REFERENCES repair_orders (id),
    line_number         BIGINT  NOT NULL,
    operation_code      TEXT    NOT NULL,
    standard_centihours BIGINT  NOT NULL,
    actual_centihours   BIGINT  NOT NULL,
    technician_id       TEXT    REFERENCES staff_members (id),
    -- The certification the operation asked for when added; '' for none.
    required_certification TEXT NOT NULL,
    comeback            BIGINT  NOT NULL CHECK (comeback IN (0, 1)),
    PRIMARY KEY (repair_order_id, line_number)
);

CREATE TABLE repair_order_parts (
    repair_order_id      TEXT   NOT NULL REFERENCES repair_orders (id),
    line_number          BIGINT NOT NULL,
    part_number          TEXT   NOT NULL,
    quantity             BIGINT NOT NULL CHECK (quantity > 0),
    state                TEXT   NOT NULL,
    reserved_part_number TEXT   NOT NULL,
    expected_time        BIGINT,
    PRIMARY KEY (repair_order_id, line_number)
);

CREATE TABLE repair_order_handover (
    repair_order_id TEXT    NOT NULL REFERENCES repair_orders (id),
    position        BIGINT  NOT NULL,
    item            TEXT    NOT NULL,
    done            BIGINT  NOT NULL CHECK (done IN (0, 1)),
    PRIMARY KEY (repair_order_id, position)
);
