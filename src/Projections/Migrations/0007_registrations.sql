-- Security-interest registrations (动产和权利担保登记), one row per registration, searchable by the debtor's name or
-- unified social credit code and by the collateral asset. Expiry and a dispute's lapse are times, judged when read:
-- no worker has to flip a flag for a search to be right.
CREATE TABLE registrations (
    registration_id        uuid        PRIMARY KEY,
    number                 text        NOT NULL UNIQUE,
    registrant_id          text        NOT NULL,
    debtor_name            text        NOT NULL,
    debtor_credit_code     text        NOT NULL,
    collateral_kind        text        NOT NULL,
    asset_id               uuid        NULL,
    collateral_description text        NULL,
    made_at                timestamptz NOT NULL,
    made_position          bigint      NOT NULL UNIQUE,
    expires_at             timestamptz NOT NULL,
    cancelled              boolean     NOT NULL,
    dispute_by             text        NULL,
    dispute_lapses_at      timestamptz NULL,
    court_case             text        NULL,
    version                bigint      NOT NULL,
    last_position          bigint      NOT NULL
);
CREATE INDEX registrations_credit_code ON registrations (debtor_credit_code, made_position);
-- Names are searched as written, ignoring case (the unified registry searches a debtor's exact name).
CREATE INDEX registrations_debtor_name ON registrations (lower(debtor_name), made_position);
CREATE INDEX registrations_asset ON registrations (asset_id, made_position) WHERE asset_id IS NOT NULL;
-- A pledge is searched by its pledgor's name or code: the participants' credit codes and names.
CREATE INDEX participants_credit_code ON participants (credit_code) WHERE credit_code IS NOT NULL;
CREATE INDEX participants_name_lower ON participants (lower(name));
CREATE INDEX encumbrances_open_financing ON encumbrances (asset_id) WHERE kind = 'Custody' AND purpose = 'Financing' AND lifted_position IS NULL;
