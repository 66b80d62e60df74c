-- 0011, not 0010: the old single folder's 0010 (asset visibility, now Projections') is still named in older journals.
-- Failed logins, shared by every API instance. One row per (login, client address): consecutive failures and the
-- back-off they earned, so a stranger's failures from one address never stop the owner logging in from another. One
-- row per address (login = ''): failures of any login in the current window, against one address spraying many logins.
-- Unknown logins are counted like known ones, so the answers reveal nothing about which logins exist.
CREATE TABLE login_failures (
    login         text        NOT NULL,
    address       text        NOT NULL,
    failures      int         NOT NULL,
    window_start  timestamptz NOT NULL DEFAULT now(),
    last_failure  timestamptz NOT NULL DEFAULT now(),
    blocked_until timestamptz NULL,
    PRIMARY KEY (login, address)
);
