-- Issue 18/20: the devices read model, for lists (a warehouse's devices, the console's device pages). One row per
-- device with its lifecycle: readings are not folded here (a device's stream grows by its readings; its exact state,
-- counter included, is its stream, folded by DeviceStates). Rebuilt from the log like every read model.
CREATE TABLE devices (
    device_id           text COLLATE "C" PRIMARY KEY,
    host_id             text        NOT NULL,
    kind                text        NOT NULL,
    site                text        NOT NULL,
    make                text        NOT NULL,
    status              text        NOT NULL,
    key_id              text        NOT NULL,
    confirmed_by        text        NULL,
    watched             uuid[]      NOT NULL,
    registered_at       timestamptz NOT NULL,
    registered_position bigint      NOT NULL,
    last_position       bigint      NOT NULL
);
CREATE INDEX devices_host ON devices (host_id, device_id);
CREATE INDEX devices_confirmed_by ON devices (confirmed_by, device_id) WHERE confirmed_by IS NOT NULL;
CREATE INDEX devices_watched ON devices USING gin (watched);
